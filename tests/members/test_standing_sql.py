"""The standing computed by the database equals the rule (``membership_status``).

Hypothesis draws a day, the association's rules (grace period, due date, days a new
member has) and a handful of memberships with random histories: any state, any date of
admission, dues records for the years around that day with any due date, paid or not,
paid before or after that day. Dates are drawn mostly next to the rule's edges (the due
date, the end of grace, the first of January, 30 days after admission). For every row,
``Membership.objects.with_standing()`` must give what ``membership_status`` gives on the
same rows read back from the database, and ``filter_standing`` must select for each status
exactly the rows the rule gives it.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from members.choices import MembershipState, MembershipStatus, MemberType
from members.models import Dues, Membership
from members.rules import DECIDED_STATUS, Rules, membership_status, paid_through
from members.standing import (
    _every_membership,
    every_membership_with_standing,
    filter_standing,
    with_standing,
)

from .factories import SocialWorkerFactory

DAY = datetime.timedelta(days=1)
PEOPLE = 6


@st.composite
def scenarios(draw):
    rules = Rules(
        grace_days=draw(st.integers(0, 200)),
        due_month=draw(st.integers(1, 12)),
        due_day=draw(st.integers(1, 28)),
        new_member_days=draw(st.integers(0, 60)),
    )
    year = draw(st.integers(2016, 2034))
    grace = datetime.timedelta(days=rules.grace_days)
    new = datetime.timedelta(days=rules.new_member_days)
    # The day itself: any day of the year, or one next to a default due date or its end
    # of grace (this year's, or last year's reaching into this year).
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    days = [
        d + shift
        for y in (year - 1, year)
        for d in (rules.due_date(y), rules.due_date(y) + grace, first, last)
        for shift in (-DAY, 0 * DAY, DAY)
    ]
    today = draw(st.dates(first, last) | st.sampled_from([d for d in days if d.year == year]))
    edges = []
    for y in (year - 1, year):
        due = rules.due_date(y)
        edges += [due, due - new, due + grace, due + grace - new]
        edges += [datetime.date(y, 1, 1), datetime.date(y, 12, 31)]
    edges += [today, today - new, today - grace, today - grace - new]
    edges = sorted({d + shift for d in edges for shift in (-DAY, 0 * DAY, DAY)})

    def a_date(low, high):
        return st.one_of(st.sampled_from(edges), st.dates(low, high))

    near = a_date(today - datetime.timedelta(days=800), today + datetime.timedelta(days=60))
    people = []
    for _ in range(draw(st.integers(1, PEOPLE))):
        # Every state, approved (the one whose standing is computed) half of the time.
        state = draw(st.just(MembershipState.APPROVED) | st.sampled_from(MembershipState))
        since = draw(near)
        dues = {}
        for y in draw(st.sets(st.integers(year - 2, year + 1), max_size=4)):
            due_on = draw(a_date(datetime.date(y - 1, 1, 1), datetime.date(y + 1, 12, 31)))
            paid_on = draw(st.none() | near)
            dues[y] = (due_on, paid_on)
        people.append((state, since, dues))
    return today, rules, people


@pytest.fixture
def people(db):
    return [SocialWorkerFactory() for _ in range(PEOPLE)]


def _save(people, histories) -> list[int]:
    memberships = Membership.objects.bulk_create(
        Membership(
            member_type=MemberType.INDIVIDUAL,
            person=person,
            state=state,
            applied_on=since,
            member_since=since,
            number=f"P-{i}",
        )
        for i, (person, (state, since, _dues)) in enumerate(zip(people, histories, strict=False))
    )
    Dues.objects.bulk_create(
        Dues(
            membership=membership,
            year=year,
            amount=Decimal("100.00"),
            due_on=due_on,
            paid_on=paid_on,
            receipt_number=f"R{membership.pk}-{year}" if paid_on else None,
        )
        for membership, (_state, _since, dues) in zip(memberships, histories, strict=False)
        for year, (due_on, paid_on) in dues.items()
    )
    return [m.pk for m in memberships]


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(scenario=scenarios())
def test_it_computes_the_rule_in_sql_for_random_histories(people, scenario):
    today, rules, histories = scenario
    with transaction.atomic():
        ids = _save(people, histories)
        stored = Membership.objects.filter(pk__in=ids).prefetch_related("dues").order_by("pk")
        expected = {
            m.pk: (
                membership_status(m, m.dues.all(), today, rules),
                paid_through(m.dues.all(), today),
            )
            for m in stored
        }
        queryset = with_standing(Membership.objects.filter(pk__in=ids), today, rules)
        got = {
            pk: (standing, datetime.date(year, 12, 31) if year else None)
            for pk, standing, year in queryset.with_paid_through(today).values_list(
                "pk", "standing", "paid_through_year"
            )
        }
        # the filter form (a condition, for the planner) selects the rows the annotation names
        chosen = {
            status: set(
                filter_standing(queryset, status, today, rules).values_list("pk", flat=True)
            )
            for status in MembershipStatus
        }
        # the admin's start, its expression resolved once a process for a day and rules
        kept = dict(
            every_membership_with_standing(today, rules)
            .filter(pk__in=ids)
            .values_list("pk", "standing")
        )
        transaction.set_rollback(True)
    assert got == expected
    assert kept == {pk: standing for pk, (standing, _paid) in expected.items()}
    assert chosen == {
        status: {pk for pk, (standing, _paid) in expected.items() if standing == status}
        for status in MembershipStatus
    }


@pytest.mark.django_db
def test_it_filters_a_status_no_branch_gives_to_nothing():
    from tests.members.factories import MembershipFactory

    MembershipFactory()
    today = datetime.date(2024, 6, 1)
    queryset = with_standing(Membership.objects.all(), today)
    assert filter_standing(queryset, "no such status", today).count() == 0
    assert sum(filter_standing(queryset, s, today).count() for s in MembershipStatus) == 1


@pytest.mark.django_db
def test_the_kept_annotation_is_copied_and_never_evaluated():
    from tests.members.factories import MembershipFactory

    MembershipFactory()
    today = datetime.date(2024, 6, 1)
    first, second = every_membership_with_standing(today), every_membership_with_standing(today)
    assert first.query is not second.query
    assert len(first.filter(standing="applied")) == 0  # approved: the filter is the copy's
    assert len(second) == 1
    kept = _every_membership(today, Rules.from_settings())
    assert kept._result_cache is None
    assert not kept.query.where  # the copies' filters stay theirs
    assert (
        every_membership_with_standing(today + DAY).query.annotations["standing"]
        != (first.query.annotations["standing"])
    )


def test_it_names_every_state_the_rule_decides():
    """The SQL takes the decided statuses from the rule's own table."""
    assert set(DECIDED_STATUS) | {MembershipState.APPROVED} == set(MembershipState)
    assert set(DECIDED_STATUS.values()) <= set(MembershipStatus)
