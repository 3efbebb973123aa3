"""Reads of elections, scoped by the user who asks."""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404

from association.accounts.roles import is_association_staff
from association.governance.models import Meeting

from .choices import ElectionStatus
from .models import (
    Ballot,
    Candidate,
    Election,
    ElectionOfficial,
    PaperBatch,
    Position,
    Voter,
    VoterRegister,
)

PUBLISHED = [ElectionStatus.CLOSED, ElectionStatus.COUNTED, ElectionStatus.CERTIFIED]


def with_positions(queryset):
    return queryset.prefetch_related(
        Prefetch(
            "positions",
            queryset=Position.objects.select_related("office").prefetch_related(
                Prefetch("candidates", queryset=Candidate.objects.order_by("order", "id"))
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
