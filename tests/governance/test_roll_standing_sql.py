"""The general meeting's entitled roll and a candidate's eligibility classify membership
standing in the database (``Membership.objects.with_standing``); they must return the same
people as the rule itself (``members.rules.membership_status``, the spec) on random dues
histories, on any day: the day is drawn by Hypothesis, mostly next to the rule's edges
(the due date, the end of grace, the first of January)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from association.elections.models import Election
from association.elections.selectors import eligibility
from association.governance.choices import AttendeeKind, MeetingKind
from association.governance.selectors import entitled_roll
from members.choices import MembershipState
from members.models import Dues, Membership, SocialWorker
from members.rules import GOOD_STANDING, Rules, membership_status
from tests.members.factories import (
    MembershipFactory,
    RepresentativeFactory,
    SocialWorkerFactory,
    bulk_memberships,
)

from .factories import MeetingFactory

TODAY = datetime.date(2026, 6, 15)
RULES = Rules()
DAY = datetime.timedelta(days=1)
EDGES = sorted(
    {
        d + shift
        for y in (TODAY.year - 1, TODAY.year)
        for d in (
            RULES.due_date(y),
            RULES.due_date(y) + datetime.timedelta(days=RULES.grace_days),
            datetime.date(y, 1, 1),
        )
        for shift in (-DAY, 0 * DAY, DAY)
    }
)


@pytest.fixture
def register(db):
    """Individual members with random histories (some suspended), and unit members with
    dues of every kind and an active representative each (one also a worker of the unit,
    with no membership of their own)."""
    individuals = bulk_memberships(40, today=TODAY, seed=14)
    units = []
    for i, (due_on, paid_on) in enumerate(
        [
            (datetime.date(2026, 3, 31), datetime.date(2026, 2, 1)),  # paid this year
            (datetime.date(2026, 3, 31), None),  # unpaid: current, grace or lapsed
            (datetime.date(2025, 3, 31), None),  # last year unpaid, nothing this year
            (datetime.date(2026, 9, 30), None),  # a late due date
        ]
    ):
        unit = MembershipFactory(member_since=datetime.date(2020, 5, 1), number=f"U-{i}")
        Dues.objects.create(
            membership=unit,
            year=due_on.year,
            amount=Decimal("1000.00"),
            due_on=due_on,
            paid_on=paid_on,
            receipt_number=f"U{i}" if paid_on else None,
        )
        if due_on.year == 2026:
            Dues.objects.create(
                membership=unit,
                year=2025,
                amount=Decimal("1000.00"),
                due_on=datetime.date(2025, 3, 31),
                paid_on=datetime.date(2025, 3, 1) if i != 1 else None,
                receipt_number=f"U{i}-2025" if i != 1 else None,
            )
        RepresentativeFactory(membership=unit)
        units.append(unit)
    suspended = MembershipFactory(state=MembershipState.SUSPENDED, number="U-S")
    RepresentativeFactory(membership=suspended)
    staff_of_unit = [
        SocialWorkerFactory(employer=unit.organisation, name=f"员工{i}")
        for i, unit in enumerate(units)
    ]
    return individuals, units, staff_of_unit


def _by_the_rule(day) -> set[int]:
    """Ids of the admitted memberships the Python rule says are in good standing."""
    rules = Rules.from_settings()
    return {
        m.pk
        for m in Membership.objects.filter(state=MembershipState.APPROVED).prefetch_related("dues")
        if membership_status(m, m.dues.all(), day, rules) in GOOD_STANDING
    }


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(day=st.sampled_from(EDGES) | st.dates(TODAY - 400 * DAY, TODAY + 200 * DAY))
def test_the_general_meetings_roll_is_the_rules_good_standing(register, day):
    meeting = MeetingFactory(kind=MeetingKind.GENERAL)
    expected = _by_the_rule(day)
    assert expected  # the histories give both kinds on every day drawn
    rows = entitled_roll(meeting, day)
    individuals = {r.membership_id for r in rows if r.kind == AttendeeKind.INDIVIDUAL}
    represented = {r.membership_id for r in rows if r.kind == AttendeeKind.UNIT_REPRESENTATIVE}
    unit_ids = {m.pk for m in register[1]}
    assert individuals | represented == expected
    assert represented == expected & unit_ids


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(day=st.sampled_from(EDGES) | st.dates(TODAY - 400 * DAY, TODAY + 200 * DAY))
def test_a_candidates_good_standing_is_the_rules(register, day, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: day)
    election = Election(candidate_good_standing=True, candidate_min_qualification="")
    expected = _by_the_rule(day)
    members = {m.person_id: m.pk for m in Membership.objects.filter(person__isnull=False)} | {
        worker.pk: Membership.objects.get(organisation=worker.employer_id).pk
        for worker in register[2]
    }
    for worker in SocialWorker.objects.filter(pk__in=members):
        eligible, _note = eligibility(election, worker)
        assert eligible == (members[worker.pk] in expected), (worker, day)


def test_the_roll_reads_standing_in_one_query(register, django_assert_max_num_queries):
    meeting = MeetingFactory(kind=MeetingKind.GENERAL)
    with transaction.atomic(), django_assert_max_num_queries(2):
        rows = entitled_roll(meeting, TODAY)
    assert rows
