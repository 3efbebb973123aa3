"""Every change of governance state goes through these functions (one transaction each).

They check who may act and the rules of the charter; the arithmetic lives in
:mod:`association.governance.rules`, the rules themselves in :class:`RuleSet` rows.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from association.accounts.roles import is_association_staff
from association.files import validate_upload
from members.choices import MembershipState, MemberType
from members.models import Membership, Representative
from members.rules import GOOD_STANDING, Rules, membership_status
from members.selectors import with_dues

from . import signals
from .choices import (
    AttendeeKind,
    CheckInMethod,
    DocumentKind,
    MeetingKind,
    MeetingStatus,
    MotionKind,
    MotionStatus,
    OfficeCode,
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
    RuleSet,
    Term,
)
from .rules import MotionOutcome, Quorum, motion_outcome, quorum

CHECKIN_SALT = "governance.checkin"
CHECKIN_MAX_AGE = 60 * 60 * 24  # a door code is valid for a day

# The state machines: (from, to) pairs that are allowed, in one place each.
VERSION_TRANSITIONS = {
    (VersionStatus.DRAFT, VersionStatus.PROPOSED),
    (VersionStatus.PROPOSED, VersionStatus.DRAFT),  # the motion failed or was withdrawn
    (VersionStatus.PROPOSED, VersionStatus.ADOPTED),
    (VersionStatus.ADOPTED, VersionStatus.SUPERSEDED),
}
MEETING_TRANSITIONS = {
    (MeetingStatus.PLANNED, MeetingStatus.NOTICED),
    (MeetingStatus.NOTICED, MeetingStatus.OPEN),
    (MeetingStatus.OPEN, MeetingStatus.CLOSED),
}
MOTION_TRANSITIONS = {
    (MotionStatus.DRAFT, MotionStatus.VOTING),
    (MotionStatus.VOTING, MotionStatus.DECIDED),
}


def _move(obj, to, table, message):
    if (obj.status, to) not in table:
        raise ValidationError(message)
    obj.status = to


def require_staff(user) -> None:
    if not is_association_staff(user):
        raise PermissionDenied(_("只有协会工作人员可以办理此事项。"))


def require_presiding(meeting: Meeting, user) -> None:
    """The presiding officer of the meeting, or association staff."""
    if not (
        is_association_staff(user) or (meeting.presiding_id and meeting.presiding_id == user.pk)
    ):
        raise PermissionDenied(_("只有会议主持人或协会工作人员可以办理此事项。"))


# --- Rules --------------------------------------------------------------------------


def ruleset_in_force(day: datetime.date | None = None) -> RuleSet:
    rule_set = RuleSet.objects.in_force(day).first()
    if rule_set is None:
        raise ValidationError(_("没有生效的议事与选举规则,请先在管理后台登记。"))
    return rule_set


# --- Documents ----------------------------------------------------------------------


@transaction.atomic
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
        _move(old, VersionStatus.SUPERSEDED, VERSION_TRANSITIONS, _("状态不允许此操作。"))
        old.superseded_on = day
        old.save(update_fields=["status", "superseded_on"])
    _move(version, VersionStatus.ADOPTED, VERSION_TRANSITIONS, _("该版本未提请表决。"))
    version.adopted_by = motion
    version.adopted_on = day
    version.save(update_fields=["status", "adopted_by", "adopted_on"])
    # Rules written into this version take effect with it.
    RuleSet.objects.filter(source_version=version, effective_from__isnull=True).update(
        effective_from=day
    )


# --- Meetings -----------------------------------------------------------------------


@transaction.atomic
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


@transaction.atomic
def meeting_send_notice(*, meeting: Meeting, by, now=None) -> tuple[Meeting, str]:
    """Send the notice to everyone now entitled to attend; returns a warning (or "")
    when it goes out later than the notice period."""
    require_staff(by)
    meeting = Meeting.objects.select_for_update().select_related("rule_set").get(pk=meeting.pk)
    _move(meeting, MeetingStatus.NOTICED, MEETING_TRANSITIONS, _("会议已发出通知或已召开。"))
    now = now or timezone.now()
    meeting.notice_sent_at = now
    meeting.notice_late = notice_is_late(meeting, now)
    meeting.save(update_fields=["status", "notice_sent_at", "notice_late"])
    user_ids = [row.user_id for row in entitled_roll(meeting) if row.user_id]
    transaction.on_commit(
        lambda: signals.meeting_noticed.send(
            sender="governance", meeting_id=meeting.pk, user_ids=user_ids
        )
    )
    warning = ""
    if meeting.notice_late:
        warning = _("通知晚于规定期限:规则要求会前 %(days)d 天发出通知。") % {
            "days": meeting.rule_set.notice_days
        }
    return meeting, warning


def _good_standing(memberships, day) -> list[Membership]:
    rules = Rules.from_settings()
    return [
        m for m in memberships if membership_status(m, m.dues.all(), day, rules) in GOOD_STANDING
    ]


def entitled_roll(meeting: Meeting, day: datetime.date | None = None) -> list[Attendee]:
    """Who may attend and vote (unsaved rows): for a general meeting, the active
    representatives of unit members in good standing and the individual members in good
    standing; for a council meeting the current council members (for a standing council
    meeting the standing council members and officers)."""
    day = day or timezone.localdate(meeting.starts_at)
    rows: list[Attendee] = []
    if meeting.kind in (MeetingKind.GENERAL, MeetingKind.SEMINAR):
        admitted = with_dues(
            Membership.objects.filter(state=MembershipState.APPROVED).select_related(
                "organisation", "person"
            )
        )
        standing = _good_standing(admitted, day)
        units = {m.pk: m for m in standing if m.member_type == MemberType.UNIT}
        representatives = (
            Representative.objects.active()
            .filter(membership_id__in=units)
            .select_related("worker")
            .order_by("membership_id", "name", "id")
        )
        for rep in representatives:
            rows.append(
                Attendee(
                    meeting=meeting,
                    kind=AttendeeKind.UNIT_REPRESENTATIVE,
                    name=rep.name,
                    affiliation=units[rep.membership_id].organisation.name,
                    membership_id=rep.membership_id,
                    representative=rep,
                    worker_id=rep.worker_id,
                    user_id=rep.worker.user_id if rep.worker else None,
                )
            )
        for m in standing:
            if m.member_type == MemberType.INDIVIDUAL:
                rows.append(
                    Attendee(
                        meeting=meeting,
                        kind=AttendeeKind.INDIVIDUAL,
                        name=m.person.name,
                        affiliation=_("个人会员"),
                        membership_id=m.pk,
                        worker_id=m.person_id,
                        user_id=m.person.user_id,
                    )
                )
    else:
        codes = (
            [OfficeCode.COUNCIL]
            if meeting.kind == MeetingKind.COUNCIL
            else [
                OfficeCode.STANDING_COUNCIL,
                OfficeCode.PRESIDENT,
                OfficeCode.VICE_PRESIDENT,
                OfficeCode.SECRETARY_GENERAL,
            ]
        )
        seen = set()
        for term in (
            Term.objects.current(day)
            .filter(office__code__in=codes)
            .order_by("office__order", "holder_name", "id")
        ):
            key = term.worker_id or term.user_id or term.holder_name
            if key in seen:
                continue
            seen.add(key)
            rows.append(
                Attendee(
                    meeting=meeting,
                    kind=AttendeeKind.COUNCIL,
                    name=term.holder_name,
                    affiliation=term.affiliation,
                    worker_id=term.worker_id,
                    user_id=term.user_id,
                )
            )
    # One account attends once (a person both representative and individual member).
    seen_users = set()
    unique = []
    for row in rows:
        if row.user_id and row.user_id in seen_users:
            continue
        if row.user_id:
            seen_users.add(row.user_id)
        unique.append(row)
    return unique


@transaction.atomic
def meeting_open(*, meeting: Meeting, by) -> Meeting:
    """Open the meeting and freeze its roll: the rows copied now are the entitled."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    require_presiding(meeting, by)
    _move(meeting, MeetingStatus.OPEN, MEETING_TRANSITIONS, _("会议须先发出通知,且尚未召开。"))
    if not meeting.attendees.exists():
        Attendee.objects.bulk_create(entitled_roll(meeting))
    meeting.opened_at = timezone.now()
    meeting.save(update_fields=["status", "opened_at"])
    return meeting


@transaction.atomic
def meeting_close(*, meeting: Meeting, by, minutes: str | None = None) -> Meeting:
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    require_presiding(meeting, by)
    if meeting.motions.filter(status=MotionStatus.VOTING).exists():
        raise ValidationError(_("还有议案正在表决,不能闭会。"))
    _move(meeting, MeetingStatus.CLOSED, MEETING_TRANSITIONS, _("会议未在进行中。"))
    meeting.closed_at = timezone.now()
    if minutes is not None:
        meeting.minutes = minutes
    meeting.save(update_fields=["status", "closed_at", "minutes"])
    return meeting


@transaction.atomic
def attendee_check_in(*, attendee: Attendee, by, method: str = CheckInMethod.STAFF) -> Attendee:
    """Check an attendee in (staff at the desk, or the attendee with the door's code)."""
    attendee = Attendee.objects.select_for_update().select_related("meeting").get(pk=attendee.pk)
    if method == CheckInMethod.STAFF:
        require_staff(by)
    elif attendee.user_id != by.pk:
        raise PermissionDenied(_("只能为本人签到。"))
    if attendee.meeting.status != MeetingStatus.OPEN:
        raise ValidationError(_("会议尚未开始或已闭会,不能签到。"))
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


@transaction.atomic
def attendee_self_check_in(*, meeting: Meeting, by) -> Attendee:
    attendee = Attendee.objects.filter(meeting=meeting, user=by).first()
    if attendee is None:
        raise PermissionDenied(_("您不在本次会议的应到人员名单中。"))
    return attendee_check_in(attendee=attendee, by=by, method=CheckInMethod.QR)


@transaction.atomic
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
        raise ValidationError(_("委托人已签到出席,不能再委托他人。"))
    if Proxy.objects.filter(grantor=grantor).exists():
        raise ValidationError(_("该委托人已登记过委托书。"))
    if Proxy.objects.filter(grantor=holder).exists():
        raise ValidationError(_("受托人本人已委托他人,不能接受委托。"))
    cap = meeting.rule_set.proxy_cap
    held = Proxy.objects.filter(holder=holder).count()
    if held >= cap:
        raise ValidationError(
            _("%(name)s 已接受 %(held)d 份委托,达到每人最多 %(cap)d 份的上限。")
            % {"name": holder.name, "held": held, "cap": cap}
        )
    validate_upload(letter)
    proxy = Proxy(meeting=meeting, grantor=grantor, holder=holder, letter=letter, registered_by=by)
    proxy.save()
    return proxy


@dataclass(frozen=True)
class Presence:
    entitled: int
    in_person: int
    by_proxy: int
    proxies_count: bool

    @property
    def present(self) -> int:
        return self.in_person + (self.by_proxy if self.proxies_count else 0)


def meeting_presence(meeting: Meeting) -> Presence:
    """Entitled, checked in, and represented by a proxy whose holder is checked in and
    whose grantor is not (2 queries)."""
    from django.db.models import Count, Q

    counts = Attendee.objects.filter(meeting=meeting).aggregate(
        entitled=Count("id"), in_person=Count("id", filter=Q(checked_in_at__isnull=False))
    )
    by_proxy = Proxy.objects.filter(
        meeting=meeting, holder__checked_in_at__isnull=False, grantor__checked_in_at__isnull=True
    ).count()
    return Presence(
        counts["entitled"], counts["in_person"], by_proxy, meeting.rule_set.proxies_count
    )


def meeting_quorum(meeting: Meeting) -> Quorum:
    presence = meeting_presence(meeting)
    return quorum(
        entitled=presence.entitled,
        present=presence.present,
        threshold=meeting.rule_set.quorum_threshold,
    )


# --- Motions ------------------------------------------------------------------------


@transaction.atomic
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
    if document_version is not None:
        document_version = (
            DocumentVersion.objects.select_for_update()
            .select_related("document")
            .get(pk=document_version.pk)
        )
        if document_version.document.kind == DocumentKind.CHARTER:
            kind = MotionKind.AMENDMENT
        _move(
            document_version,
            VersionStatus.PROPOSED,
            VERSION_TRANSITIONS,
            _("只有草案可以提请表决。"),
        )
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


@transaction.atomic
def motion_open_vote(*, motion: Motion, by) -> Motion:
    """Start the vote: the numbers entitled and present are frozen now."""
    motion = (
        Motion.objects.select_for_update().select_related("meeting__rule_set").get(pk=motion.pk)
    )
    require_presiding(motion.meeting, by)
    if motion.meeting.status != MeetingStatus.OPEN:
        raise ValidationError(_("会议未在进行中,不能表决。"))
    _move(motion, MotionStatus.VOTING, MOTION_TRANSITIONS, _("该议案已表决或正在表决。"))
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
    _move(motion, MotionStatus.DECIDED, MOTION_TRANSITIONS, _("该议案未在表决中。"))
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
            _move(version, VersionStatus.DRAFT, VERSION_TRANSITIONS, _("状态不允许此操作。"))
            version.save(update_fields=["status"])
    return outcome


@transaction.atomic
def motion_record_counts(*, motion: Motion, by, yes: int, no: int, abstain: int) -> MotionOutcome:
    """Record the counted votes (a secret vote, or a show of hands) and decide."""
    motion = (
        Motion.objects.select_for_update().select_related("meeting__rule_set").get(pk=motion.pk)
    )
    require_presiding(motion.meeting, by)
    return _decide(motion, yes, no, abstain)


def _may_vote(meeting: Meeting) -> set[int]:
    """Attendees who may vote: those present, and absent ones whose proxy holder is."""
    present = set(
        Attendee.objects.filter(meeting=meeting, checked_in_at__isnull=False).values_list(
            "id", flat=True
        )
    )
    if meeting.rule_set.proxies_count:
        present |= set(
            Proxy.objects.filter(
                meeting=meeting,
                holder__checked_in_at__isnull=False,
                grantor__checked_in_at__isnull=True,
            ).values_list("grantor_id", flat=True)
        )
    return present


@transaction.atomic
def motion_record_named(*, motion: Motion, by, votes: dict[int, str]) -> MotionOutcome:
    """Record a named vote: ``votes`` maps attendee ids to yes/no/abstain."""
    motion = (
        Motion.objects.select_for_update().select_related("meeting__rule_set").get(pk=motion.pk)
    )
    require_presiding(motion.meeting, by)
    if motion.vote_method != VoteMethod.NAMED:
        raise ValidationError(_("无记名投票不登记每人的表决意见。"))
    allowed = _may_vote(motion.meeting)
    if not set(votes) <= allowed:
        raise ValidationError(_("只有到会(或经委托)的人员可以表决。"))
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


def add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


@transaction.atomic
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
    Called by the certification of an election (which checks who may certify)."""
    office = Office.objects.select_for_update().get(pk=office.pk)
    Term.objects.current(starts_on).filter(office=office).exclude(
        election_ref__in=list(keep_election_refs)
    ).update(ended_on=starts_on)
    terms = [
        Term(
            office=office,
            starts_on=starts_on,
            ends_on=add_years(starts_on, term_years),
            basis=basis,
            election_ref=election_ref,
            **holder,
        )
        for holder in holders
    ]
    for term in terms:
        term.full_clean()
    return Term.objects.bulk_create(terms)
