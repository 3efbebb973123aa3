"""Every change of governance state goes through these functions (one transaction each,
attributed in the history to its actor by :func:`association.services.service`).

They check who may act and the rules of the charter; the arithmetic lives in
:mod:`association.governance.rules`, the rules themselves in :class:`RuleSet` rows, and the
reads (the entitled roll, who is present) in :mod:`association.governance.selectors`.
"""

from __future__ import annotations

import datetime

from dateutil.relativedelta import relativedelta
from django.core import signing
from django.core.exceptions import ValidationError
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from association.accounts.roles import require, require_staff
from association.files import validate_upload
from association.services import send_on_commit, service
from association.workflow import transition

from . import signals
from .choices import (
    MEETING_TRANSITIONS,
    MOTION_TRANSITIONS,
    VERSION_TRANSITIONS,
    CheckInMethod,
    DocumentKind,
    MeetingKind,
    MeetingStatus,
    MotionKind,
    MotionStatus,
    VersionStatus,
    VoteChoice,
    VoteMethod,
)
from .models import (
    Attendee,
    Document,
    DocumentVersion,
    Meeting,
    Motion,
    MotionVote,
    Office,
    Proxy,
    RollCorrection,
    RuleSet,
    Term,
)
from .permissions import can_preside
from .rules import MotionOutcome, Threshold, motion_outcome, quorum
from .selectors import entitled_roll, meeting_presence, ruleset_in_force, voting_attendee_ids

CHECKIN_SALT = "governance.checkin"
CHECKIN_MAX_AGE = 60 * 60 * 24  # a door code is valid for a day


def require_presiding(meeting: Meeting, user) -> None:
    """The presiding officer of the meeting, or association staff."""
    require(can_preside(meeting, user), _("只有会议主持人或协会工作人员可以办理此事项。"))


# --- Documents ----------------------------------------------------------------------


@service
def version_create(
    *, document: Document, by, text: str, change_summary: str = "", pdf=None
) -> DocumentVersion:
    require_staff(by)
    document = Document.objects.select_for_update().get(pk=document.pk)
    number = (document.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    if pdf is not None:
        validate_upload(pdf, types=("pdf",))
    version = DocumentVersion(
        document=document,
        number=number,
        text=text,
        change_summary=change_summary,
        created_by=by,
    )
    if pdf is not None:
        version.pdf = pdf
    version.full_clean()
    version.save()
    return version


def _adopt(version: DocumentVersion, motion: Motion, day: datetime.date) -> None:
    previous = (
        DocumentVersion.objects.select_for_update()
        .filter(document_id=version.document_id, status=VersionStatus.ADOPTED)
        .exclude(pk=version.pk)
    )
    for old in previous:
        transition(old, VersionStatus.SUPERSEDED, VERSION_TRANSITIONS)
        old.superseded_on = day
        old.save(update_fields=["status", "superseded_on"])
    transition(version, VersionStatus.ADOPTED, VERSION_TRANSITIONS)
    version.adopted_by = motion
    version.adopted_on = day
    version.save(update_fields=["status", "adopted_by", "adopted_on"])
    # Rules written into this version take effect with it.
    RuleSet.objects.filter(source_version=version, effective_from__isnull=True).update(
        effective_from=day
    )


# --- Meetings -----------------------------------------------------------------------


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


# --- Motions ------------------------------------------------------------------------


@service
def motion_create(
    *,
    meeting: Meeting,
    by,
    title: str,
    text: str,
    kind: str = MotionKind.ORDINARY,
    document_version: DocumentVersion | None = None,
    vote_method: str = VoteMethod.NAMED,
) -> Motion:
    """Put a motion on the agenda; its threshold comes from the meeting's rules (2/3 for
    a charter amendment or a new version of the charter)."""
    require_staff(by)
    meeting = Meeting.objects.select_for_update().select_related("rule_set").get(pk=meeting.pk)
    if not meeting.decides:
        raise ValidationError(_("研讨会不作表决。"))
    if meeting.status == MeetingStatus.CLOSED:
        raise ValidationError(_("会议已闭会。"))
    if kind == MotionKind.DUES and vote_method != VoteMethod.SECRET:
        # 民发〔2014〕166号: dues are set by secret ballot.
        raise ValidationError(_("会费标准须采取无记名投票方式表决。"))
    if kind == MotionKind.DUES and meeting.kind != MeetingKind.GENERAL:
        raise ValidationError(_("会费标准只能由会员（代表）大会表决。"))
    if document_version is not None:
        document_version = (
            DocumentVersion.objects.select_for_update()
            .select_related("document")
            .get(pk=document_version.pk)
        )
        if document_version.document.kind == DocumentKind.CHARTER:
            kind = MotionKind.AMENDMENT
        transition(document_version, VersionStatus.PROPOSED, VERSION_TRANSITIONS)
        document_version.save(update_fields=["status"])
    rules = meeting.rule_set
    threshold = rules.amendment_threshold if kind == MotionKind.AMENDMENT else rules.pass_threshold
    number = (meeting.motions.aggregate(n=Max("number"))["n"] or 0) + 1
    motion = Motion(
        meeting=meeting,
        number=number,
        title=title,
        text=text,
        kind=kind,
        document_version=document_version,
        vote_method=vote_method,
        threshold_numerator=threshold.numerator,
        threshold_denominator=threshold.denominator,
        threshold_strict=threshold.strict,
    )
    motion.full_clean()
    motion.save()
    return motion


@service
def motion_open_vote(*, motion: Motion, by) -> Motion:
    """Start the vote: the numbers entitled and present are frozen now."""
    motion = (
        Motion.objects.select_for_update().select_related("meeting__rule_set").get(pk=motion.pk)
    )
    require_presiding(motion.meeting, by)
    if motion.meeting.status != MeetingStatus.OPEN:
        raise ValidationError(_("会议未在进行中，不能表决。"))
    transition(motion, MotionStatus.VOTING, MOTION_TRANSITIONS)
    presence = meeting_presence(motion.meeting)
    motion.entitled = presence.entitled
    motion.present = presence.present
    motion.save(update_fields=["status", "entitled", "present"])
    return motion


def _decide(motion: Motion, yes: int, no: int, abstain: int) -> MotionOutcome:
    rules = motion.meeting.rule_set
    try:
        outcome = motion_outcome(
            entitled=motion.entitled,
            present=motion.present,
            yes=yes,
            no=no,
            abstain=abstain,
            quorum_threshold=rules.quorum_threshold,
            pass_threshold=motion.threshold,
        )
    except ValueError as exc:
        raise ValidationError(_("赞成、反对、弃权票数之和不能超过到会人数。")) from exc
    transition(motion, MotionStatus.DECIDED, MOTION_TRANSITIONS)
    motion.yes, motion.no, motion.abstain = yes, no, abstain
    motion.passed = outcome.passed
    motion.arithmetic = outcome.text
    motion.decided_at = timezone.now()
    motion.save()
    version = motion.document_version
    if version is not None:
        version = DocumentVersion.objects.select_for_update().get(pk=version.pk)
        if outcome.passed:
            _adopt(version, motion, timezone.localdate(motion.meeting.starts_at))
        else:
            transition(version, VersionStatus.DRAFT, VERSION_TRANSITIONS)
            version.save(update_fields=["status"])
    return outcome


@service
def motion_record_counts(*, motion: Motion, by, yes: int, no: int, abstain: int) -> MotionOutcome:
    """Record the counted votes (a secret vote, or a show of hands) and decide."""
    motion = (
        Motion.objects.select_for_update().select_related("meeting__rule_set").get(pk=motion.pk)
    )
    require_presiding(motion.meeting, by)
    return _decide(motion, yes, no, abstain)


@service
def motion_record_named(*, motion: Motion, by, votes: dict[int, str]) -> MotionOutcome:
    """Record a named vote: ``votes`` maps attendee ids to yes/no/abstain."""
    motion = (
        Motion.objects.select_for_update().select_related("meeting__rule_set").get(pk=motion.pk)
    )
    require_presiding(motion.meeting, by)
    if motion.vote_method != VoteMethod.NAMED:
        raise ValidationError(_("无记名投票不登记每人的表决意见。"))
    allowed = voting_attendee_ids(motion.meeting)
    if not set(votes) <= allowed:
        raise ValidationError(_("只有到会（或经委托）的人员可以表决。"))
    if any(choice not in VoteChoice.values for choice in votes.values()):
        raise ValidationError(_("表决意见只能是赞成、反对或弃权。"))
    MotionVote.objects.bulk_create(
        [MotionVote(motion=motion, attendee_id=a, choice=c) for a, c in sorted(votes.items())]
    )
    tally = dict.fromkeys(VoteChoice.values, 0)
    for choice in votes.values():
        tally[choice] += 1
    return _decide(motion, tally[VoteChoice.YES], tally[VoteChoice.NO], tally[VoteChoice.ABSTAIN])


# --- Offices ------------------------------------------------------------------------


@service
def office_holders_install(
    *,
    office: Office,
    holders: list[dict],
    starts_on: datetime.date,
    term_years: int,
    basis: str,
    election_ref: int | None = None,
    keep_election_refs: tuple = (),
) -> list[Term]:
    """End the current holders' terms on ``starts_on`` and start the new holders' terms
    (each holder: ``holder_name`` and optionally ``worker``, ``user``, ``affiliation``).
    Holders installed by ``keep_election_refs`` (earlier rounds of the same election) stay.
    Called by the certification of an election, which checks who may certify and whose
    attributed history context (``elections.election_certify``) these rows are written in;
    it takes no actor of its own."""
    office = Office.objects.select_for_update().get(pk=office.pk)
    Term.objects.current(starts_on).filter(office=office).exclude(
        election_ref__in=list(keep_election_refs)
    ).update(ended_on=starts_on)
    terms = [
        Term(
            office=office,
            starts_on=starts_on,
            ends_on=starts_on + relativedelta(years=term_years),
            basis=basis,
            election_ref=election_ref,
            **holder,
        )
        for holder in holders
    ]
    for term in terms:
        term.full_clean()
    return Term.objects.bulk_create(terms)


# --- Decisions the other apps follow ---------------------------------------------------

# 民发〔2014〕166号: dues are set by the general meeting with at least two thirds of the
# members (representatives) present, approved by at least half of those present, by
# secret ballot. The meeting's own rules may ask for more; never for less.
DUES_QUORUM_FLOOR = Threshold(2, 3, False)
DUES_PASS_FLOOR = Threshold(1, 2, False)


def motion_reference(motion: Motion) -> str:
    """How a decision is cited: the meeting, its date and the motion."""
    return _("%(meeting)s（%(day)s）第%(number)d号议案《%(title)s》") % {
        "meeting": motion.meeting.title,
        "day": timezone.localdate(motion.meeting.starts_at).isoformat(),
        "number": motion.number,
        "title": motion.title,
    }


def require_adopting_motion(motion: Motion, *, general_meeting: bool, secret: bool) -> Motion:
    """``motion`` (locked, with its meeting and rules) if it passed with the quorum and the
    majority of the rules the meeting was held under; otherwise a refusal that shows the
    arithmetic."""
    motion = (
        Motion.objects.select_for_update().select_related("meeting__rule_set").get(pk=motion.pk)
    )
    meeting = motion.meeting
    if general_meeting and meeting.kind != MeetingKind.GENERAL:
        raise ValidationError(
            _("“%(motion)s”不是会员（代表）大会的议案，不能据以设定。") % {"motion": motion.title}
        )
    if not meeting.decides:
        raise ValidationError(_("研讨会不作表决。"))
    if motion.status != MotionStatus.DECIDED or motion.passed is None:
        raise ValidationError(_("议案“%(motion)s”尚未表决。") % {"motion": motion.title})
    if secret and motion.vote_method != VoteMethod.SECRET:
        raise ValidationError(
            _("议案“%(motion)s”不是以无记名投票方式表决的。") % {"motion": motion.title}
        )
    rules = meeting.rule_set
    q = quorum(entitled=motion.entitled, present=motion.present, threshold=rules.quorum_threshold)
    if not q.reached:
        raise ValidationError(
            _("议案“%(motion)s”表决时会议未达到法定人数：%(arithmetic)s。")
            % {"motion": motion.title, "arithmetic": q.text}
        )
    if not motion.passed:
        raise ValidationError(
            _("议案“%(motion)s”未获通过：%(arithmetic)s。")
            % {"motion": motion.title, "arithmetic": motion.arithmetic}
        )
    return motion


@service
def dues_standard_adopt(
    *,
    motion: Motion,
    by,
    member_type: str,
    amount,
    effective_from: datetime.date,
):
    """Record the dues standard a passed motion of the general meeting set: secret
    ballot, the quorum and majority of the meeting's rules and never below the floors of
    民发〔2014〕166号 (two thirds present, half of those present in favour). The standard
    keeps the motion's id and cites the meeting and the motion. The members admitted
    before any standard of their type existed (the founders) are billed their first year
    at it (``members.services.dues_bill_awaiting_standard``)."""
    from members.services import dues_bill_awaiting_standard, dues_standard_record

    require_staff(by)
    motion = require_adopting_motion(motion, general_meeting=True, secret=True)
    floor = quorum(entitled=motion.entitled, present=motion.present, threshold=DUES_QUORUM_FLOOR)
    if not floor.reached:
        raise ValidationError(
            _("会费标准须有三分之二以上会员（代表）出席：%(arithmetic)s。")
            % {"arithmetic": floor.text}
        )
    if not DUES_PASS_FLOOR.met(motion.yes, motion.present):
        raise ValidationError(
            _(
                "会费标准须经到会会员（代表）半数以上表决通过：赞成 %(yes)d 票，"
                "到会 %(present)d 人。"
            )
            % {"yes": motion.yes, "present": motion.present}
        )
    standard = dues_standard_record(
        by=by,
        member_type=member_type,
        amount=amount,
        effective_from=effective_from,
        motion_ref=motion.pk,
        adopted_on=timezone.localdate(motion.meeting.starts_at),
        resolution=motion_reference(motion)[:300],
    )
    dues_bill_awaiting_standard(standard=standard, by=by)
    return standard


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
