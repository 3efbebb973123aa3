"""Organisation profile, registered-item changes, admins, roster invitations, representatives."""

from __future__ import annotations

import datetime

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from association.accounts.choices import Role
from association.accounts.roles import require, require_staff
from association.services import send_on_commit, service
from association.workflow import transition

from .. import signals
from ..choices import CHANGE_REQUEST_TRANSITIONS, ChangeRequestStatus, MemberType
from ..models import (
    Membership,
    Organisation,
    OrganisationAdmin,
    OrganisationChangeRequest,
    Representative,
    SocialWorker,
    StaffInvitation,
)
from ..models.organisations import REGISTERED_FIELDS
from ..permissions import is_invitee, is_organisation_admin

CONTACT_FIELDS = ("region", "contact_name", "contact_phone", "contact_email", "website")


@service
def organisation_update_contacts(*, organisation: Organisation, by, data: dict) -> Organisation:
    """Contacts are the organisation's own to keep; registered items are not (see below)."""
    require(is_organisation_admin(by, organisation), _("您不是该单位的管理员。"))
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    for field, value in data.items():
        if field not in CONTACT_FIELDS:
            raise ValidationError(_("登记事项的变更需提交协会审核。"))
        setattr(organisation, field, value)
    organisation.full_clean()
    organisation.save()
    return organisation


def _serialise(value):
    if isinstance(value, datetime.date):
        return value.isoformat()
    if value is None:
        return None
    return str(value)


@service
def change_request_submit(
    *, organisation: Organisation, by, changes: dict, reason: str = ""
) -> OrganisationChangeRequest:
    require(is_organisation_admin(by, organisation), _("您不是该单位的管理员。"))
    unknown = set(changes) - set(REGISTERED_FIELDS)
    if unknown:
        raise ValidationError(_("只能申请变更登记事项。"))
    changes = {
        field: _serialise(value)
        for field, value in changes.items()
        if _serialise(value) != _serialise(getattr(organisation, field))
    }
    if not changes:
        raise ValidationError(_("没有需要变更的内容。"))
    if OrganisationChangeRequest.objects.filter(
        organisation=organisation, status=ChangeRequestStatus.PENDING
    ).exists():
        raise ValidationError(_("本单位已有一份待审核的变更申请，请等待审核结果。"))
    return OrganisationChangeRequest.objects.create(
        organisation=organisation, changes=changes, reason=reason, submitted_by=by
    )


@service
def change_request_approve(
    *, change_request: OrganisationChangeRequest, by, note: str = ""
) -> OrganisationChangeRequest:
    require_staff(by)
    change_request = OrganisationChangeRequest.objects.select_for_update().get(pk=change_request.pk)
    transition(change_request, ChangeRequestStatus.APPROVED, CHANGE_REQUEST_TRANSITIONS)
    organisation = Organisation.objects.select_for_update().get(pk=change_request.organisation_id)
    for field, value in change_request.changes.items():
        if field not in REGISTERED_FIELDS:
            continue
        model_field = Organisation._meta.get_field(field)
        setattr(organisation, field, model_field.to_python(value) if value is not None else None)
    organisation.full_clean()
    organisation.save()
    change_request.decided_by = by
    change_request.decided_at = timezone.now()
    change_request.decision_note = note
    change_request.save()
    return change_request


@service
def change_request_reject(
    *, change_request: OrganisationChangeRequest, by, note: str
) -> OrganisationChangeRequest:
    require_staff(by)
    if not note.strip():
        raise ValidationError({"decision_note": _("请填写不予变更的理由。")})
    change_request = OrganisationChangeRequest.objects.select_for_update().get(pk=change_request.pk)
    transition(change_request, ChangeRequestStatus.REJECTED, CHANGE_REQUEST_TRANSITIONS)
    change_request.decided_by = by
    change_request.decided_at = timezone.now()
    change_request.decision_note = note.strip()
    change_request.save()
    return change_request


@service
def organisation_admin_add(*, organisation: Organisation, user, by) -> OrganisationAdmin:
    """Staff make a user an admin of an organisation (role 机构管理员)."""
    require_staff(by)
    admin, _created = OrganisationAdmin.objects.get_or_create(organisation=organisation, user=user)
    user.groups.add(Group.objects.get(name=Role.ORG_ADMIN.value))
    return admin


@service
def invitation_create(*, organisation: Organisation, by, email: str, name: str) -> StaffInvitation:
    """Invite a social worker to the organisation's roster; the e-mail carries a link to
    accept (an existing member) or to apply with the organisation filled in."""
    require(is_organisation_admin(by, organisation), _("您不是该单位的管理员。"))
    invitation = StaffInvitation.objects.create(
        organisation=organisation, email=email.strip().lower(), name=name.strip(), invited_by=by
    )
    send_on_commit(signals.staff_invited, "members", invitation_id=invitation.pk)
    return invitation


@service
def invitation_accept(*, invitation: StaffInvitation, by) -> SocialWorker:
    invitation = StaffInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise ValidationError(_("该邀请已被接受。"))
    require(is_invitee(by, invitation))
    worker = SocialWorker.objects.select_for_update().filter(user=by).first()
    if worker is None:
        raise ValidationError(_("您尚未登记为社会工作者，请先提交个人会员申请。"))
    worker.employer_id = invitation.organisation_id
    worker.save(update_fields=["employer", "updated_at"])
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    return worker


@service
def representative_designate(
    *, membership: Membership, by, name: str, mobile: str, position: str = "", worker=None
) -> Representative:
    if membership.member_type != MemberType.UNIT:
        raise ValidationError(_("只有单位会员委派会员代表。"))
    require(is_organisation_admin(by, membership.organisation), _("您不是该单位的管理员。"))
    if worker is not None and worker.employer_id != membership.organisation_id:
        raise ValidationError({"worker": _("代表须为本单位在册人员。")})
    representative = Representative(
        membership=membership,
        name=name,
        mobile=mobile,
        position=position,
        worker=worker,
        designated_on=timezone.localdate(),
        designated_by=by,
    )
    representative.full_clean()
    representative.save()
    return representative


@service
def representative_end(*, representative: Representative, by) -> Representative:
    require(
        is_organisation_admin(by, representative.membership.organisation),
        _("您不是该单位的管理员。"),
    )
    if representative.ended_on is None:
        representative.ended_on = timezone.localdate()
        representative.save(update_fields=["ended_on"])
    return representative


# The items of the directory, in the order the directory shows them (the model's choices).
DIRECTORY_CHOICES = Organisation._meta.get_field("directory_fields").base_field.choices


@service
def organisation_directory_set(*, organisation: Organisation, by, fields) -> Organisation:
    """The organisation's admin chooses what the association's public member directory
    (会员名录) shows of it; choosing nothing takes it off the directory."""
    require(is_organisation_admin(by, organisation), _("您不是该单位的管理员。"))
    allowed = [name for name, _label in DIRECTORY_CHOICES]
    fields = list(fields)
    if set(fields) - set(allowed):
        raise ValidationError(_("会员名录只能公开列出的信息项。"))
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    organisation.directory_fields = [name for name in allowed if name in fields]
    organisation.save(update_fields=["directory_fields", "updated_at"])
    return organisation
