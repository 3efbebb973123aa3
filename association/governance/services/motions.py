"""Motions: putting one on the agenda, its vote and the decision (which adopts a
document's version when the motion carries one)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from association.accounts.roles import require_staff
from association.services import service
from association.workflow import transition

from ..choices import (
    MOTION_TRANSITIONS,
    VERSION_TRANSITIONS,
    DocumentKind,
    MeetingKind,
    MeetingStatus,
    MotionKind,
    MotionStatus,
    VersionStatus,
    VoteChoice,
    VoteMethod,
)
from ..models import DocumentVersion, Meeting, Motion, MotionVote
from ..rules import MotionOutcome, motion_outcome
from ..selectors import meeting_presence, voting_attendee_ids
from .documents import _adopt
from .meetings import require_presiding


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
