"""The roll of a meeting, drawn and corrected (with the reason logged) before it is frozen."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from association.accounts.roles import require_staff
from association.services import service

from ..choices import MeetingStatus
from ..models import Attendee, Meeting, RollCorrection
from ..selectors import entitled_roll

# --- The roll, corrected before it is frozen --------------------------------------------


def _roll_open_for_corrections(meeting: Meeting) -> Meeting:
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status not in (MeetingStatus.PLANNED, MeetingStatus.NOTICED):
        raise ValidationError(_("会议已开始，应到人员名单已冻结，不能再更正。"))
    return meeting


def _roll_drawn(meeting: Meeting) -> bool:
    return (
        meeting.attendees.exists()
        or meeting.roll_corrections.filter(action=RollCorrection.Action.DRAW).exists()
    )


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写更正理由。")})
    return reason


@service
def roll_draw(*, meeting: Meeting, by) -> list[Attendee]:
    """Draw the roll from the register now, before the meeting, so that staff can check
    and correct it; the meeting opens with it (frozen) instead of drawing it then."""
    require_staff(by)
    meeting = _roll_open_for_corrections(meeting)
    if _roll_drawn(meeting):
        raise ValidationError(_("应到人员名单已生成；请逐条增补或移出。"))
    rows = Attendee.objects.bulk_create(entitled_roll(meeting))
    RollCorrection.objects.create(
        meeting=meeting,
        action=RollCorrection.Action.DRAW,
        name="",
        reason=_("按会员名册生成，共 %(n)d 人") % {"n": len(rows)},
        by=by,
    )
    return rows


@service
def roll_add(
    *,
    meeting: Meeting,
    by,
    reason: str,
    name: str,
    kind: str,
    affiliation: str = "",
    user=None,
    representative=None,
) -> Attendee:
    """Add a row to a drawn roll before the meeting opens, with the reason logged."""
    require_staff(by)
    meeting = _roll_open_for_corrections(meeting)
    reason = _reason(reason)
    if not _roll_drawn(meeting):
        raise ValidationError(_("请先生成应到人员名单。"))
    attendee = Attendee(
        meeting=meeting,
        kind=kind,
        name=name,
        affiliation=affiliation,
        user=user,
        representative=representative,
        membership_id=representative.membership_id if representative is not None else None,
        worker_id=representative.worker_id if representative is not None else None,
    )
    attendee.full_clean()
    attendee.save()
    RollCorrection.objects.create(
        meeting=meeting,
        action=RollCorrection.Action.ADD,
        name=name,
        affiliation=affiliation,
        reason=reason,
        by=by,
    )
    return attendee


@service
def roll_remove(*, attendee: Attendee, by, reason: str) -> None:
    """Remove a row from the roll before the meeting opens, with the reason logged (its
    proxy letters go with it)."""
    require_staff(by)
    meeting = _roll_open_for_corrections(attendee.meeting)
    reason = _reason(reason)
    attendee = Attendee.objects.select_for_update().get(pk=attendee.pk, meeting=meeting)
    RollCorrection.objects.create(
        meeting=meeting,
        action=RollCorrection.Action.REMOVE,
        name=attendee.name,
        affiliation=attendee.affiliation,
        reason=reason,
        by=by,
    )
    attendee.delete()
