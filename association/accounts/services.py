"""Two-factor authentication for the people who can see and change the association's data.

The rule, in one place: staff, officers and experts (and any ``is_staff`` or superuser
account) use the portal only in a session that completed a second factor. A password
alone opens nothing but the pages that finish the second factor.

- A user with an authenticator proves it at login (allauth's MFA stage) or, for a session
  that has none on record, on allauth's re-authentication page.
- A user without one enrols only with a grant that the password thief does not have: a
  one-time link sent to the verified e-mail, or a code issued by another staff member.
- A lost authenticator is reset by another staff member; the reset ends every session of
  the user and is kept in the history (pghistory) and the access log.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from allauth.account.adapter import get_adapter as get_account_adapter
from allauth.account.internal.flows.login import (
    get_authentication_records,
    record_authentication,
)
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from association.audit.services import access_record
from association.services import service

from .choices import Role
from .models import MFAEnrolmentGrant, User
from .roles import has_role, is_association_staff

EMAIL_LINK_VALID_FOR = timedelta(minutes=30)
STAFF_CODE_VALID_FOR = timedelta(hours=24)
GRANT_SESSION_KEY = "accounts_mfa_enrolment_grant"


def user_create(*, email: str, password: str | None, display_name: str, mobile: str = "") -> User:
    """A new portal account for someone applying (to membership or to the graduate
    programme): validated, password hashed (``None``: no usable password, the account is
    reached by resetting it), its e-mail recorded as not yet verified.
    Called inside the applying service's transaction, so a refused application leaves
    no account behind."""
    email = email.strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError(
            {"email": _("该电子邮箱已注册，请先登录后再申请。")}, code="email_taken"
        )
    user = User(email=email, display_name=display_name, mobile=mobile or None)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    EmailAddress.objects.create(user=user, email=email, verified=False, primary=True)
    return user


def requires_mfa(user) -> bool:
    """Whether the user's pages need a completed second factor."""
    if not user.is_authenticated:
        return False
    return (
        user.is_staff or user.is_superuser or has_role(user, Role.STAFF, Role.OFFICER, Role.EXPERT)
    )


def session_has_mfa(request) -> bool:
    """Whether this session completed a second factor for its user."""
    return any(
        record.get("method") == "mfa"
        for record in get_authentication_records(request, request.user)
    )


def has_authenticator(user) -> bool:
    return Authenticator.objects.filter(
        user=user, type__in=[Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES]
    ).exists()


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.strip().upper().encode()).hexdigest()


def _new_grant(*, user, kind, issued_by, valid_for, secret) -> MFAEnrolmentGrant:
    now = timezone.now()
    # One live grant at a time: a new one replaces whatever was sent or issued before.
    MFAEnrolmentGrant.objects.filter(user=user, used_at__isnull=True, expires_at__gt=now).update(
        expires_at=now
    )
    return MFAEnrolmentGrant.objects.create(
        user=user,
        kind=kind,
        issued_by=issued_by,
        expires_at=now + valid_for,
        secret_hash=_hash(secret),
    )


def verified_email(user) -> str | None:
    address = EmailAddress.objects.filter(user=user, verified=True).order_by("-primary").first()
    return address.email if address else None


def enrolment_link_send(*, user, request) -> MFAEnrolmentGrant:
    """Mail a one-time enrolment link to the user's verified e-mail address."""
    if not requires_mfa(user):
        raise PermissionDenied
    if has_authenticator(user):
        raise ValidationError(_("您已设置两步验证，无需再次启用。"))
    email = verified_email(user)
    if email is None:
        raise ValidationError(
            _("您的电子邮箱尚未验证，无法发送启用链接；请向另一位协会工作人员索取启用码。")
        )
    secret = secrets.token_urlsafe(32)
    with transaction.atomic():
        grant = _new_grant(
            user=user,
            kind=MFAEnrolmentGrant.Kind.EMAIL_LINK,
            issued_by=None,
            valid_for=EMAIL_LINK_VALID_FOR,
            secret=secret,
        )
    url = request.build_absolute_uri(reverse("accounts:mfa_enrol_link", args=[secret]))
    context = {"user": user, "url": url, "minutes": int(EMAIL_LINK_VALID_FOR.total_seconds() // 60)}
    get_account_adapter(request).send_mail("accounts/email/mfa_enrol", email, context)
    return grant


@transaction.atomic
def enrolment_code_issue(*, user, by, request=None) -> str:
    """Issue an enrolment code (shown once) for ``user``: by another staff member, or with
    ``by=None`` from the server's shell (the first administrator of an instance)."""
    if by is not None and (not is_association_staff(by) or by.pk == user.pk):
        raise PermissionDenied(_("启用码只能由另一位协会工作人员签发。"))
    if not requires_mfa(user):
        raise ValidationError(_("该用户不需要两步验证。"))
    code = "-".join(secrets.token_hex(2).upper() for _ in range(3))  # e.g. 4F2A-09BC-77E1
    grant = _new_grant(
        user=user,
        kind=MFAEnrolmentGrant.Kind.STAFF_CODE if by else MFAEnrolmentGrant.Kind.SERVER_SHELL,
        issued_by=by,
        valid_for=STAFF_CODE_VALID_FOR,
        secret=code,
    )
    access_record(
        user=by or user,
        obj=grant,
        action="accounts.mfa_code_issue" if by else "accounts.mfa_code_issue_shell",
        reason=str(user),
        request=request,
    )
    return code


def _live_grant(user, secret: str) -> MFAEnrolmentGrant | None:
    return (
        MFAEnrolmentGrant.objects.select_for_update()
        .filter(
            user=user,
            secret_hash=_hash(secret),
            used_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .first()
    )


@transaction.atomic
def enrolment_grant_redeem(*, request, secret: str) -> MFAEnrolmentGrant:
    """Open enrolment in this session with a link's secret or a staff-issued code."""
    user = request.user
    grant = _live_grant(user, secret)
    if grant is None:
        raise ValidationError(_("启用链接或启用码无效、已使用或已过期。"))
    request.session[GRANT_SESSION_KEY] = grant.pk
    return grant


def session_grant(request) -> MFAEnrolmentGrant | None:
    pk = request.session.get(GRANT_SESSION_KEY)
    if pk is None:
        return None
    return MFAEnrolmentGrant.objects.filter(
        pk=pk, user=request.user, used_at__isnull=True, expires_at__gt=timezone.now()
    ).first()


@transaction.atomic
def enrolment_complete(*, request) -> None:
    """An authenticator was activated under the session's grant: spend the grant, and count
    this session as having both factors. Nothing happens if no authenticator was added."""
    grant = session_grant(request)
    authenticator = (
        Authenticator.objects.filter(
            user=request.user, type=Authenticator.Type.TOTP, created_at__gte=grant.created_at
        ).first()
        if grant is not None
        else None
    )
    if authenticator is None:
        return
    request.session.pop(GRANT_SESSION_KEY, None)
    grant.used_at = timezone.now()
    grant.save(update_fields=["used_at"])
    # The user just proved the new authenticator's code, with a grant that came from outside
    # the password: this session has both factors.
    record_authentication(
        request, request.user, "mfa", type=authenticator.type, id=authenticator.pk
    )


@transaction.atomic
def mfa_reset(*, user, by, reason: str, request=None) -> int:
    """Another staff member removes a user's lost authenticators and ends their sessions."""
    if not is_association_staff(by) or by.pk == user.pk:
        raise PermissionDenied(_("两步验证只能由另一位协会工作人员重置。"))
    if not reason.strip():
        raise ValidationError(_("请填写重置原因。"))
    removed, _detail = Authenticator.objects.filter(user=user).delete()
    MFAEnrolmentGrant.objects.filter(user=user, used_at__isnull=True).update(
        expires_at=timezone.now()
    )
    for session in UserSession.objects.filter(user=user):
        session.end()
    access_record(user=by, obj=user, action="accounts.mfa_reset", reason=reason, request=request)
    return removed


@service
def user_set_region(*, user: User, region, by) -> User:
    """Limit an official to a city or county of the association's area (None: the whole
    area). Only association staff set it; the change is kept in the history."""
    from association.regions.choices import Level
    from association.regions.models import Region

    if not is_association_staff(by):
        raise PermissionDenied(_("只有协会工作人员可以设置所辖区划。"))
    if region is not None:
        allowed = Region.objects.association_area().filter(
            pk=region.pk, level__in=[Level.CITY, Level.COUNTY]
        )
        if not allowed.exists():
            raise ValidationError(
                {"region": _("所辖区划须为协会所在区域内的市或县（市、区）。")}, code="outside"
            )
    user.region = region
    user.save(update_fields=["region"])
    return user
