"""Factories and set-ups of the elections app."""

from django.utils import timezone

from association.accounts.choices import Role
from association.elections import services
from association.elections.models import Candidate, Position
from association.governance.models import Attendee
from tests.factories import UserFactory
from tests.governance.factories import MeetingFactory, ensure_reference_data, roll


def staff_user():
    return UserFactory(roles=[Role.STAFF.value], is_staff=True)


def meeting_with_voters(n_users: int, *, entitled: int | None = None, present: int | None = None):
    """An open general meeting whose first ``n_users`` attendees have accounts and are
    checked in; ``entitled``/``present`` add more rows without accounts."""
    meeting = MeetingFactory()
    users = [UserFactory() for _ in range(n_users)]
    now = timezone.now()
    Attendee.objects.bulk_create(
        [
            Attendee(
                meeting=meeting, kind="individual", name=f"选举人{i}", user=user, checked_in_at=now
            )
            for i, user in enumerate(users)
        ]
    )
    if entitled:
        roll(meeting, entitled=entitled, present=present or 0)
    return meeting, users


def election_with(meeting, by, seats: dict[str, int], candidates: dict[str, list[str]], **kwargs):
    """An election with accepted, eligible candidates (names per office code)."""
    ensure_reference_data()
    election = services.election_create(
        meeting=meeting, by=by, title="理事会换届选举", seats=seats, **kwargs
    )
    positions = {
        p.office.code: p
        for p in Position.objects.filter(election=election).select_related("office")
    }
    now = timezone.now()
    for code, names in candidates.items():
        Candidate.objects.bulk_create(
            [
                Candidate(
                    position=positions[code],
                    name=name,
                    nominated_by="理事会提名",
                    eligible=True,
                    accepted_at=now,
                    order=i,
                )
                for i, name in enumerate(names)
            ]
        )
    return election


def ballot_for(election, names_by_code: dict[str, list[str]]) -> dict[int, list[int]]:
    choices = {}
    for position in election.positions.select_related("office").prefetch_related("candidates"):
        wanted = names_by_code.get(position.office.code, [])
        choices[position.pk] = [c.pk for c in position.candidates.all() if c.name in wanted]
    return choices
