"""Meetings: calling one, its notice, opening and closing it, checking in, proxies."""

from __future__ import annotations

import datetime

from django.core import signing
from django.core.exceptions import ValidationError
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from association.accounts.roles import require, require_staff
from association.files import validate_upload
from association.services import send_on_commit, service
from association.workflow import transition

from .. import signals
from ..choices import MEETING_TRANSITIONS, CheckInMethod, MeetingStatus, MotionStatus
from ..models import Attendee, Meeting, MeetingTalk, Proxy
from ..permissions import can_preside
from ..selectors import entitled_roll, ruleset_in_force

CHECKIN_SALT = "governance.checkin"
CHECKIN_MAX_AGE = 60 * 60 * 24  # a door code is valid for a day


def require_presiding(meeting: Meeting, user) -> None:
    """The presiding officer of the meeting, or association staff."""
    require(can_preside(meeting, user), _("只有会议主持人或协会工作人员可以办理此事项。"))


@service
def meeting_create(
    *,
    by,
    kind: str,
    title: str,
    starts_at: datetime.datetime,
    place: str,
    agenda: str,
    presiding=None,
) -> Meeting:
    require_staff(by)
    meeting = Meeting(
        kind=kind,
        title=title,
        starts_at=starts_at,
        place=place,
        agenda=agenda,
        presiding=presiding,
        rule_set=ruleset_in_force(timezone.localdate(starts_at)),
    )
    meeting.full_clean()
    meeting.save()
    return meeting


# What staff may still change in a meeting, by its status: the date and kind only while it
# is being prepared (the notice and the roll follow from them); the rest until it closes;
# the minutes at any time (they are written after it).
MEETING_EDITABLE = {
    MeetingStatus.PLANNED: {
        "kind",
        "title",
        "starts_at",
        "place",
        "agenda",
        "presiding",
        "minutes",
    },
    MeetingStatus.NOTICED: {"title", "place", "agenda", "presiding", "minutes"},
    MeetingStatus.OPEN: {"title", "place", "agenda", "presiding", "minutes"},
    MeetingStatus.CLOSED: {"minutes"},
}


@service
def meeting_update(*, meeting: Meeting, by, **changes) -> Meeting:
    """Change a meeting's particulars within what its status still allows
    (:data:`MEETING_EDITABLE`); a new date while it is being prepared brings the rules in
    force on that day."""
    require_staff(by)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    allowed = MEETING_EDITABLE[meeting.status]
    changed = {name: value for name, value in changes.items() if getattr(meeting, name) != value}
    refused = sorted(set(changed) - allowed)
    if refused:
        raise ValidationError(
            _("会议状态为“%(status)s”，不能再修改：%(fields)s。")
            % {
                "status": meeting.get_status_display(),
                "fields": "、".join(str(Meeting._meta.get_field(f).verbose_name) for f in refused),
            }
        )
    for name, value in changed.items():
        setattr(meeting, name, value)
    if "starts_at" in changed:
        meeting.rule_set = ruleset_in_force(timezone.localdate(meeting.starts_at))
    meeting.full_clean()
    meeting.save()
    return meeting


@service
def meeting_delete(*, meeting: Meeting, by) -> None:
    """Delete a meeting entered in error: only while it is being prepared (no notice sent,
    no roll drawn, nothing on its agenda or held under it); the history keeps what it
    said."""
    require_staff(by)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status != MeetingStatus.PLANNED or meeting.roll_corrections.exists():
        raise ValidationError(_("只能删除尚未发出通知、尚未生成名单的会议。"))
    try:
        meeting.delete()
    except ProtectedError as error:  # its motions, or an election held at it
        raise ValidationError(_("会议已有议案或选举，不能删除。")) from error


def check_talks_editable(meeting: Meeting) -> None:
    """A seminar's programme (its talks) can change until the meeting closes; after, it
    is the record of what was held (read from the database, not from the form)."""
    if meeting.pk is None:
        return
    status = Meeting.objects.filter(pk=meeting.pk).values_list("status", flat=True).first()
    if status == MeetingStatus.CLOSED:
        raise ValidationError(_("会议已结束，专题讲座不能再增加、修改或删除。"))


@service
def talk_save(*, talk: MeetingTalk, by) -> MeetingTalk:
    """Add a talk to a meeting's programme or change one (speaker, topic, order)."""
    require_staff(by)
    meeting = Meeting.objects.select_for_update().get(pk=talk.meeting_id)
    check_talks_editable(meeting)
    if talk.pk is not None and not MeetingTalk.objects.filter(pk=talk.pk, meeting=meeting).exists():
        raise ValidationError(_("该讲座不属于这次会议。"))
    talk.full_clean()
    talk.save()
    return talk


@service
def talk_delete(*, talk: MeetingTalk, by) -> None:
    """Take a talk off a meeting's programme (until the meeting closes)."""
    require_staff(by)
    meeting = Meeting.objects.select_for_update().get(pk=talk.meeting_id)
    check_talks_editable(meeting)
    talk.delete()


def notice_is_late(meeting: Meeting, sent_at: datetime.datetime) -> bool:
    """Whether a notice sent at ``sent_at`` is later than the rules' notice period (whole
    days between the day it is sent and the day of the meeting)."""
    days = (timezone.localdate(meeting.starts_at) - timezone.localdate(sent_at)).days
    return days < meeting.rule_set.notice_days


@service
def meeting_send_notice(*, meeting: Meeting, by, now=None) -> tuple[Meeting, str]:
    """Send the notice to everyone now entitled to attend; returns a warning (or "")
    when it goes out later than the notice period."""
    require_staff(by)
    meeting = Meeting.objects.select_for_update().select_related("rule_set").get(pk=meeting.pk)
    transition(meeting, MeetingStatus.NOTICED, MEETING_TRANSITIONS)
    now = now or timezone.now()
    meeting.notice_sent_at = now
    meeting.notice_late = notice_is_late(meeting, now)
    meeting.save(update_fields=["status", "notice_sent_at", "notice_late"])
    user_ids = [row.user_id for row in entitled_roll(meeting) if row.user_id]
    send_on_commit(signals.meeting_noticed, "governance", meeting_id=meeting.pk, user_ids=user_ids)
    warning = ""
    if meeting.notice_late:
        warning = _("通知晚于规定期限：规则要求会前 %(days)d 天发出通知。") % {
            "days": meeting.rule_set.notice_days
        }
    return meeting, warning


@service
def meeting_open(*, meeting: Meeting, by) -> Meeting:
    """Open the meeting and freeze its roll: the rows copied now are the entitled."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    require_presiding(meeting, by)
    transition(meeting, MeetingStatus.OPEN, MEETING_TRANSITIONS)
    if not meeting.attendees.exists():
        Attendee.objects.bulk_create(entitled_roll(meeting))
    meeting.opened_at = timezone.now()
    meeting.save(update_fields=["status", "opened_at"])
    return meeting


@service
def meeting_close(*, meeting: Meeting, by, minutes: str | None = None) -> Meeting:
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    require_presiding(meeting, by)
    if meeting.motions.filter(status=MotionStatus.VOTING).exists():
        raise ValidationError(_("还有议案正在表决，不能闭会。"))
    transition(meeting, MeetingStatus.CLOSED, MEETING_TRANSITIONS)
    meeting.closed_at = timezone.now()
    if minutes is not None:
        meeting.minutes = minutes
    meeting.save(update_fields=["status", "closed_at", "minutes"])
    return meeting


@service
def attendee_check_in(*, attendee: Attendee, by, method: str = CheckInMethod.STAFF) -> Attendee:
    """Check an attendee in (staff at the desk, or the attendee with the door's code)."""
    if method == CheckInMethod.STAFF:
        require_staff(by)
    else:
        require(attendee.user_id == by.pk, _("只能为本人签到。"))
    return _check_in(attendee, by, method)


def _check_in(attendee: Attendee, by, method: str) -> Attendee:
    attendee = Attendee.objects.select_for_update().select_related("meeting").get(pk=attendee.pk)
    if attendee.meeting.status != MeetingStatus.OPEN:
        raise ValidationError(_("会议尚未开始或已闭会，不能签到。"))
    if attendee.checked_in_at is None:
        attendee.checked_in_at = timezone.now()
        attendee.check_in_method = method
        attendee.checked_in_by = by
        attendee.save(update_fields=["checked_in_at", "check_in_method", "checked_in_by"])
    return attendee


def checkin_token(meeting: Meeting) -> str:
    """The signed code behind the QR code shown at the door."""
    return signing.dumps({"meeting": meeting.pk}, salt=CHECKIN_SALT)


def checkin_token_meeting_id(token: str) -> int | None:
    try:
        return signing.loads(token, salt=CHECKIN_SALT, max_age=CHECKIN_MAX_AGE)["meeting"]
    except (signing.BadSignature, KeyError, TypeError):
        return None


@service
def attendee_self_check_in(*, meeting: Meeting, by) -> Attendee:
    attendee = Attendee.objects.filter(meeting=meeting, user=by).first()
    require(attendee is not None, _("您不在本次会议的应到人员名单中。"))
    return _check_in(attendee, by, CheckInMethod.QR)


@service
def proxy_register(*, meeting: Meeting, grantor: Attendee, holder: Attendee, letter, by) -> Proxy:
    """Register a proxy letter, within the rules' cap of proxies per holder."""
    require_staff(by)
    meeting = Meeting.objects.select_for_update().select_related("rule_set").get(pk=meeting.pk)
    if meeting.status not in (MeetingStatus.NOTICED, MeetingStatus.OPEN):
        raise ValidationError(_("只有已发通知或进行中的会议可以登记委托书。"))
    if grantor.meeting_id != meeting.pk or holder.meeting_id != meeting.pk:
        raise ValidationError(_("委托人和受托人都须在本次会议的应到人员名单中。"))
    if grantor.pk == holder.pk:
        raise ValidationError(_("不能委托本人。"))
    if grantor.checked_in_at is not None:
        raise ValidationError(_("委托人已签到出席，不能再委托他人。"))
    if Proxy.objects.filter(grantor=grantor).exists():
        raise ValidationError(_("该委托人已登记过委托书。"))
    if Proxy.objects.filter(grantor=holder).exists():
        raise ValidationError(_("受托人本人已委托他人，不能接受委托。"))
    cap = meeting.rule_set.proxy_cap
    held = Proxy.objects.filter(holder=holder).count()
    if held >= cap:
        raise ValidationError(
            _("%(name)s 已接受 %(held)d 份委托，达到每人最多 %(cap)d 份的上限。")
            % {"name": holder.name, "held": held, "cap": cap}
        )
    validate_upload(letter)
    proxy = Proxy(meeting=meeting, grantor=grantor, holder=holder, letter=letter, registered_by=by)
    proxy.save()
    return proxy
