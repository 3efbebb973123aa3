"""The membership status function and continuing-education standing, with time travel."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
import time_machine
from django.utils import timezone

from members import services
from members.choices import MembershipState, MembershipStatus, Qualification
from members.rules import Rules, education_standing, membership_status

from .factories import DuesFactory, MembershipFactory

RULES = Rules(grace_days=90, due_month=3, due_day=31, new_member_days=30)
D = datetime.date


def member(since=None, state=MembershipState.APPROVED):
    return SimpleNamespace(state=state, member_since=since or D(2024, 2, 1))


def dues(year, paid_on=None, due_on=None):
    return SimpleNamespace(year=year, paid_on=paid_on, due_on=due_on or D(year, 3, 31))


def test_it_is_current_when_this_years_dues_are_paid():
    status = membership_status(member(), [dues(2025, D(2025, 1, 5))], D(2025, 11, 1), RULES)
    assert status == MembershipStatus.CURRENT


def test_it_stays_current_before_the_due_date_on_last_years_payment():
    paid_2024 = [dues(2024, D(2024, 2, 10))]
    assert membership_status(member(), paid_2024, D(2025, 3, 31), RULES) == "current"


def test_it_enters_grace_after_the_due_date_and_lapses_after_the_grace_period():
    paid_2024 = [dues(2024, D(2024, 2, 10))]
    assert membership_status(member(), paid_2024, D(2025, 4, 1), RULES) == "grace"
    assert membership_status(member(), paid_2024, D(2025, 6, 29), RULES) == "grace"
    assert membership_status(member(), paid_2024, D(2025, 6, 30), RULES) == "lapsed"


def test_it_lapses_when_last_year_was_never_paid():
    # 2024 paid, 2025 not paid: in January 2026 the member has long lapsed.
    assert membership_status(member(), [dues(2024, D(2024, 3, 1))], D(2026, 1, 15), RULES) == (
        "lapsed"
    )


def test_it_gives_a_new_member_time_to_pay_the_first_year():
    new = member(since=D(2025, 6, 1))
    assert membership_status(new, [], D(2025, 6, 20), RULES) == "current"  # due 1 July
    assert membership_status(new, [], D(2025, 7, 2), RULES) == "grace"
    assert membership_status(new, [], D(2025, 9, 30), RULES) == "lapsed"


def test_it_ignores_a_payment_dated_in_the_future():
    assert membership_status(member(), [dues(2025, D(2025, 8, 1))], D(2025, 7, 1), RULES) == (
        "lapsed"
    )


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        (MembershipState.APPLIED, MembershipStatus.APPLIED),
        (MembershipState.UNDER_REVIEW, MembershipStatus.UNDER_REVIEW),
        (MembershipState.REJECTED, MembershipStatus.REJECTED),
        (MembershipState.SUSPENDED, MembershipStatus.SUSPENDED),
        (MembershipState.WITHDRAWN, MembershipStatus.WITHDRAWN),
    ],
)
def test_it_reports_decision_states_whatever_the_dues(state, expected):
    paid = [dues(2025, D(2025, 1, 1))]
    assert membership_status(member(state=state), paid, D(2025, 5, 1), RULES) == expected


def test_it_keeps_member_since_and_number_through_lapse_and_renewal(cast, standards):
    membership = MembershipFactory(member_since=D(2022, 5, 1), number="XCSW-D-0042")
    DuesFactory(membership=membership, year=2022, paid_on=D(2022, 5, 2), receipt_number="R1")
    with time_machine.travel(D(2023, 8, 1), tick=False):
        from members.selectors import membership_get_for_user

        seen = membership_get_for_user(user=cast.staff, pk=membership.pk)
        assert seen.status == MembershipStatus.LAPSED
        services.membership_renew(membership=membership, by=cast.staff, paid_on=D(2023, 8, 1))
        seen = membership_get_for_user(user=cast.staff, pk=membership.pk)
        assert seen.status == MembershipStatus.CURRENT
        assert seen.member_since == D(2022, 5, 1)
        assert seen.number == "XCSW-D-0042"
        assert seen.dues.get(year=2023).receipt_number == "HF-2023-0001"
    with time_machine.travel(D(2024, 5, 1), tick=False):
        assert timezone.localdate() == D(2024, 5, 1)
        seen = membership_get_for_user(user=cast.staff, pk=membership.pk)
        assert seen.status == MembershipStatus.GRACE


def record(day, hours):
    return SimpleNamespace(date=day, hours=Decimal(hours))


def test_it_counts_education_hours_in_the_current_three_year_period():
    records = [
        record(D(2020, 10, 1), "50"),
        record(D(2023, 10, 1), "40"),
        record(D(2024, 1, 1), "40"),
    ]
    standing = education_standing(
        qualification=Qualification.SOCIAL_WORKER,
        registered_on=D(2020, 9, 1),
        records=records,
        today=D(2024, 3, 1),
    )
    assert (standing.period_start, standing.period_end) == (D(2023, 9, 1), D(2026, 8, 31))
    assert standing.required == 90
    assert standing.completed == 80
    assert standing.shortfall == 10
    assert not standing.warn(D(2024, 3, 1))
    assert standing.warn(D(2026, 6, 2))


def test_it_asks_72_hours_of_an_assistant_and_nothing_of_the_unqualified():
    standing = education_standing(
        qualification=Qualification.ASSISTANT,
        registered_on=D(2024, 1, 1),
        records=[record(D(2024, 2, 1), "72")],
        today=D(2026, 12, 1),
    )
    assert standing.required == 72 and standing.met and not standing.warn(D(2026, 12, 1))
    assert (
        education_standing(
            qualification=Qualification.NONE, registered_on=None, records=[], today=D(2026, 1, 1)
        )
        is None
    )
