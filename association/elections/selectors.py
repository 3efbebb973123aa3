"""Reads of elections, scoped by the user who asks."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from association.accounts.roles import is_association_staff
from association.governance.models import Meeting
from members.choices import MembershipState, MemberType, Qualification
from members.models import Membership, SocialWorker
from members.rules import GOOD_STANDING, Rules

from .choices import ElectionStatus, MarkChoice, VoteChannel
from .models import (
    Ballot,
    BallotMark,
    BallotWriteIn,
    Candidate,
    Election,
    ElectionOfficial,
    PaperBatch,
    Position,
    TallyEntry,
    TallyLine,
    TallyWriteIn,
    Voter,
    VoterRegister,
)

PUBLISHED = [ElectionStatus.CLOSED, ElectionStatus.COUNTED, ElectionStatus.CERTIFIED]


def with_positions(queryset):
    return queryset.prefetch_related(
        Prefetch(
            "positions",
            queryset=Position.objects.select_related("office").prefetch_related(
                Prefetch("candidates", queryset=Candidate.objects.order_by("order", "id")),
                "write_in_results",
            ),
        )
    )


def election_get_for_user(*, user, pk) -> Election:
    return get_object_or_404(
        with_positions(Election.objects.visible_to(user).select_related("meeting")), pk=pk
    )


def election_get_for_staff(*, user, pk) -> Election:
    if not is_association_staff(user):
        raise Http404
    return election_get_for_user(user=user, pk=pk)


def election_published(*, pk) -> Election:
    """Tracking codes are public once the vote is closed."""
    return get_object_or_404(
        Election.objects.select_related("meeting"), pk=pk, status__in=PUBLISHED
    )


def election_results_for_user(*, user, pk) -> Election:
    """Results are public once certified; staff see them from the count."""
    statuses = [ElectionStatus.CERTIFIED]
    if user.is_authenticated and is_association_staff(user):
        statuses.append(ElectionStatus.COUNTED)
    return get_object_or_404(
        with_positions(Election.objects.select_related("meeting", "certified_by")),
        pk=pk,
        status__in=statuses,
    )


def tracking_codes(election: Election):
    return (
        Ballot.objects.filter(election=election)
        .order_by("tracking_code")
        .values_list("tracking_code", flat=True)
    )


def voter_of(election: Election, user) -> Voter | None:
    if not user.is_authenticated:
        return None
    return Voter.objects.filter(election=election, user=user).first()


def has_voted(election: Election, voter: Voter | None) -> bool:
    return (
        voter is not None and VoterRegister.objects.filter(election=election, voter=voter).exists()
    )


def official_role(election: Election, user) -> str | None:
    if not user.is_authenticated:
        return None
    return (
        ElectionOfficial.objects.filter(election=election, user=user)
        .values_list("role", flat=True)
        .first()
    )


def election_for_officials(*, user, pk) -> Election:
    """Staff, tellers and scrutineers of the election."""
    election = get_object_or_404(Election.objects.select_related("meeting"), pk=pk)
    if not (is_association_staff(user) or official_role(election, user)):
        raise Http404
    return election


def batch_list(election: Election):
    return (
        PaperBatch.objects.filter(election=election)
        .select_related("confirmed_by")
        .prefetch_related("entries__teller")
    )


def batch_for_officials(*, user, pk) -> PaperBatch:
    batch = get_object_or_404(PaperBatch.objects.select_related("election__meeting"), pk=pk)
    election_for_officials(user=user, pk=batch.election_id)
    return batch


def my_elections(*, user):
    return (
        Election.objects.visible_to(user)
        .select_related("meeting")
        .order_by("-meeting__starts_at", "round", "id")
    )


def meeting_for_staff(*, user, pk) -> Meeting:
    if not is_association_staff(user):
        raise Http404
    return get_object_or_404(Meeting.objects.select_related("rule_set", "presiding"), pk=pk)


# --- Candidates ----------------------------------------------------------------------

QUALIFICATION_RANK = {
    Qualification.NONE: 0,
    Qualification.ASSISTANT: 1,
    Qualification.SOCIAL_WORKER: 2,
    Qualification.SENIOR: 3,
}


def eligibility(election: Election, worker: SocialWorker | None) -> tuple[bool, str]:
    """Whether ``worker`` may stand under the election's rules, and why (in words)."""
    if worker is None:
        if election.candidate_good_standing or election.candidate_min_qualification:
            return False, _("无社会工作者档案，无法核验会籍和资格。")
        return True, _("规则未要求核验会籍。")
    reasons = []
    if election.candidate_good_standing:
        # The member's own membership, or their employer's unit membership, in good
        # standing: classified by the database (``with_standing``), one query.
        own = Q(person=worker)
        if worker.employer_id:
            own |= Q(member_type=MemberType.UNIT, organisation_id=worker.employer_id)
        standing = (
            Membership.objects.filter(own, state=MembershipState.APPROVED)
            .with_standing(timezone.localdate(), Rules.from_settings())
            .filter(standing__in=GOOD_STANDING)
            .exists()
        )
        if not standing:
            return False, _("本人或所在单位不是会籍有效的会员。")
        reasons.append(_("会籍有效"))
    required = election.candidate_min_qualification
    if required:
        if QUALIFICATION_RANK.get(worker.qualification, 0) < QUALIFICATION_RANK[required]:
            return False, _("职业资格低于“%(level)s”。") % {"level": Qualification(required).label}
        reasons.append(_("职业资格符合要求"))
    return True, "、".join(str(r) for r in reasons) or _("符合条件")


# --- Counting ------------------------------------------------------------------------


def paper_reconciliation(election: Election) -> dict:
    """Paper ballots issued (at the desk) against returned (in confirmed batches)."""
    issued = VoterRegister.objects.filter(election=election, channel=VoteChannel.PAPER).count()
    returned = invalid = 0
    for entry in TallyEntry.objects.filter(batch__election=election, copy=1):
        returned += entry.ballots
        invalid += entry.invalid
    return {"issued": issued, "returned": returned, "invalid": invalid, "ok": returned <= issued}


def vote_totals(election: Election) -> tuple[dict[int, int], int]:
    """Votes per candidate id (online marks plus the first copy of the paper batches) and
    the number of ballots cast."""
    votes: dict[int, int] = defaultdict(int)
    for cid, n in (
        BallotMark.objects.filter(ballot__election=election, choice=MarkChoice.YES)
        .values_list("candidate_id")
        .annotate(n=Count("id"))
    ):
        votes[cid] += n
    for cid, n in TallyLine.objects.filter(
        entry__batch__election=election, entry__copy=1
    ).values_list("candidate_id", "votes"):
        votes[cid] += n
    online = Ballot.objects.filter(election=election).count()
    paper = paper_reconciliation(election)["returned"]
    return votes, online + paper


def against_totals(election: Election) -> tuple[dict[int, int], dict[int, int]]:
    """反对 and 弃权 per candidate id (等额 positions): online marks plus the first copy of
    the confirmed paper batches."""
    against: dict[int, int] = defaultdict(int)
    abstain: dict[int, int] = defaultdict(int)
    for cid, choice, n in (
        BallotMark.objects.filter(ballot__election=election)
        .exclude(choice=MarkChoice.YES)
        .values_list("candidate_id", "choice")
        .annotate(n=Count("id"))
    ):
        (against if choice == MarkChoice.NO else abstain)[cid] += n
    for cid, no, abst in TallyLine.objects.filter(
        entry__batch__election=election, entry__copy=1
    ).values_list("candidate_id", "against", "abstain"):
        against[cid] += no
        abstain[cid] += abst
    return against, abstain


def write_in_totals(election: Election) -> dict[tuple[int, str], int]:
    """Votes per (position id, written-in name): online and the first paper copy."""
    totals: dict[tuple[int, str], int] = defaultdict(int)
    for position_id, name, n in (
        BallotWriteIn.objects.filter(ballot__election=election)
        .values_list("position_id", "name")
        .annotate(n=Count("id"))
    ):
        totals[(position_id, name)] += n
    for position_id, name, n in TallyWriteIn.objects.filter(
        entry__batch__election=election, entry__copy=1
    ).values_list("position_id", "name", "votes"):
        totals[(position_id, name)] += n
    return totals


def further_round_needed(election: Election) -> list[tuple[Position, int, list[Candidate]]]:
    """(position, seats left, candidates for the next round) for positions not filled."""
    result = []
    for position in election.positions.select_related("office").prefetch_related("candidates"):
        candidates = [c for c in position.candidates.all() if c.on_ballot]
        elected = [c for c in candidates if c.elected]
        left = position.seats - len(elected)
        if left <= 0:
            continue
        tied = [c for c in candidates if c.tied]
        remaining = tied or [c for c in candidates if not c.elected]
        if remaining:
            result.append((position, left, remaining))
    return result
