"""Applying to join, and the association's decisions on a membership.

The allowed transitions of ``Membership.state`` are listed once, in
``members.choices.MEMBERSHIP_TRANSITIONS``; every decision moves through
``association.workflow.transition``.
"""

from __future__ import annotations

import datetime
import secrets

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from association.accounts.choices import Role
from association.accounts.models import User
from association.accounts.roles import require_staff
from association.accounts.services import user_create
from association.services import send_on_commit, service
from association.workflow import transition

from .. import signals
from ..choices import MEMBERSHIP_TRANSITIONS, MembershipState, MemberType
from ..models import Membership, MembershipDocument, Organisation, OrganisationAdmin, SocialWorker
from .dues import dues_bill, standard_set_for
from .numbering import next_number

NUMBER_PREFIX = {MemberType.UNIT: "XCSW-D", MemberType.INDIVIDUAL: "XCSW-G"}


def _lock(membership: Membership) -> Membership:
    return Membership.objects.select_for_update().get(pk=membership.pk)


def _add_role(user: User, role: Role) -> None:
    user.groups.add(Group.objects.get(name=role.value))


def _attach_documents(membership: Membership, documents) -> None:
    for kind, upload in documents:
        MembershipDocument.objects.create(
            membership=membership, kind=kind, file=upload, original_name=upload.name[:200]
        )


@service
def organisation_apply(
    *,
    organisation: Organisation,
    user: User | None = None,
    account: dict | None = None,
    documents=(),
    note: str = "",
    today: datetime.date | None = None,
) -> Membership:
    """An organisation applies to be a unit member. ``organisation`` is an unsaved, valid
    instance; the applicant is ``user`` (signed in) or a new account made from ``account``
    (email, password, display_name). The applicant becomes the organisation's admin and
    gets the role 申请人."""
    if user is None:
        user = user_create(**account)
    organisation.full_clean()
    organisation.save()
    OrganisationAdmin.objects.create(organisation=organisation, user=user)
    _add_role(user, Role.APPLICANT)
    membership = Membership(
        member_type=MemberType.UNIT,
        organisation=organisation,
        applied_on=today or timezone.localdate(),
        application_note=note,
        submitted_by=user,
    )
    membership.full_clean()
    membership.save()
    _attach_documents(membership, documents)
    send_on_commit(signals.application_received, "members", membership_id=membership.pk)
    return membership


@service
def individual_apply(
    *,
    worker: SocialWorker,
    user: User | None = None,
    account: dict | None = None,
    documents=(),
    note: str = "",
    invitation=None,
    today: datetime.date | None = None,
) -> Membership:
    """A person applies to be an individual member; ``worker`` is an unsaved instance whose
    ``id_number`` is set (a person already on the register, e.g. imported by staff, is
    matched by ID number and linked instead of duplicated)."""
    if user is None:
        user = user_create(**account)
    worker.sync_derived()
    existing = SocialWorker.objects.filter(id_number_index=worker.id_number_index).first()
    if existing is not None:
        if existing.user_id and existing.user_id != user.pk:
            raise ValidationError({"id_number": _("该公民身份号码已关联其他账户，请联系协会。")})
        existing.user = user
        for field in ("name", "gender", "mobile", "email"):
            setattr(existing, field, getattr(worker, field))
        worker = existing
    elif hasattr(user, "social_worker"):
        raise ValidationError(_("您的账户已登记为另一位社会工作者。"))
    worker.user = user
    if invitation is not None:
        worker.employer_id = invitation.organisation_id
    worker.full_clean()
    worker.save()
    if invitation is not None and invitation.accepted_at is None:
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_at"])
    _add_role(user, Role.APPLICANT)
    membership = Membership(
        member_type=MemberType.INDIVIDUAL,
        person=worker,
        applied_on=today or timezone.localdate(),
        application_note=note,
        submitted_by=user,
    )
    membership.full_clean()
    membership.save()
    _attach_documents(membership, documents)
    send_on_commit(signals.application_received, "members", membership_id=membership.pk)
    return membership


@service
def membership_review_start(*, membership: Membership, by: User) -> Membership:
    require_staff(by)
    membership = _lock(membership)
    transition(membership, MembershipState.UNDER_REVIEW, MEMBERSHIP_TRANSITIONS, field="state")
    membership.save(update_fields=["state", "updated_at"])
    return membership


@service
def membership_approve(
    *,
    membership: Membership,
    by: User,
    decided_on: datetime.date,
    basis: str,
    council_meeting: str = "",
) -> Membership:
    """The council admitted the member: record the decision, give the member its number
    (gapless per type) and bill the first year's dues at the standard in force. Before the
    general meeting has set any standard for the member's type (the founders, admitted on
    the morning of the founding congress) nothing is billed here: the adoption of the
    first standard bills them (:func:`members.services.dues_bill_awaiting_standard`)."""
    require_staff(by)
    if not basis.strip():
        raise ValidationError({"decision_basis": _("请填写批准入会的依据（理事会决议）。")})
    if decided_on > timezone.localdate():
        raise ValidationError({"decided_on": _("决定日期不能晚于今天。")})
    membership = _lock(membership)
    if membership.state == MembershipState.SUSPENDED:
        raise ValidationError(_("暂停资格的会员请使用“恢复资格”。"))
    transition(membership, MembershipState.APPROVED, MEMBERSHIP_TRANSITIONS, field="state")
    if membership.number is None:
        prefix = NUMBER_PREFIX[membership.member_type]
        membership.number = f"{prefix}-{next_number(f'member:{prefix}'):04d}"
    if membership.member_since is None:
        membership.member_since = decided_on
    membership.verification_code = membership.verification_code or secrets.token_hex(8)
    membership.decided_on = decided_on
    membership.decision_basis = basis.strip()
    membership.council_meeting = council_meeting.strip()
    membership.decided_by = by
    membership.save()
    if membership.member_type == MemberType.UNIT:
        for admin in OrganisationAdmin.objects.filter(
            organisation_id=membership.organisation_id
        ).select_related("user"):
            _add_role(admin.user, Role.ORG_ADMIN)
    if standard_set_for(membership.member_type):
        dues_bill(membership=membership, year=decided_on.year)
    send_on_commit(
        signals.application_decided, "members", membership_id=membership.pk, approved=True
    )
    return membership


@service
def membership_reject(*, membership: Membership, by: User, reason: str) -> Membership:
    require_staff(by)
    if not reason.strip():
        raise ValidationError({"rejection_reason": _("请填写不予批准的理由。")})
    membership = _lock(membership)
    transition(membership, MembershipState.REJECTED, MEMBERSHIP_TRANSITIONS, field="state")
    membership.rejection_reason = reason.strip()
    membership.decided_on = timezone.localdate()
    membership.decided_by = by
    membership.save()
    send_on_commit(
        signals.application_decided, "members", membership_id=membership.pk, approved=False
    )
    return membership


@service
def membership_suspend(
    *, membership: Membership, by: User, reason: str, on: datetime.date | None = None
) -> Membership:
    require_staff(by)
    if not reason.strip():
        raise ValidationError({"suspension_reason": _("请填写暂停资格的理由。")})
    membership = _lock(membership)
    transition(membership, MembershipState.SUSPENDED, MEMBERSHIP_TRANSITIONS, field="state")
    membership.suspended_on = on or timezone.localdate()
    membership.suspension_reason = reason.strip()
    membership.save()
    return membership


@service
def membership_reinstate(*, membership: Membership, by: User) -> Membership:
    require_staff(by)
    membership = _lock(membership)
    if membership.state != MembershipState.SUSPENDED:
        raise ValidationError(_("只有暂停资格的会员可以恢复资格。"))
    transition(membership, MembershipState.APPROVED, MEMBERSHIP_TRANSITIONS, field="state")
    membership.save(update_fields=["state", "updated_at"])
    return membership


@service
def membership_withdraw(
    *, membership: Membership, by: User, reason: str, on: datetime.date | None = None
) -> Membership:
    """A member leaves (or an application is withdrawn); recorded by staff."""
    require_staff(by)
    if not reason.strip():
        raise ValidationError({"withdrawal_reason": _("请填写退会理由。")})
    membership = _lock(membership)
    transition(membership, MembershipState.WITHDRAWN, MEMBERSHIP_TRANSITIONS, field="state")
    membership.withdrawn_on = on or timezone.localdate()
    membership.withdrawal_reason = reason.strip()
    membership.save()
    return membership
