"""The standing kept as it changes (``members.models.standing``) equals the rule.

- ``standing_timeline`` is ``membership_status`` on every day from admission on: for random
  histories and rules (the SQL standing's scenarios) and days drawn near the rule's edges
  and years past the last record.
- The counts summed from the kept changes equal ``standing_counts`` (the standing computed
  by the database) on the day, after bulk inserts, a payment, a suspension and a change of
  the rules; and ``StandingChange`` always equals what the spans add up to.
- The database marks a membership to refresh in the statement that changes what its
  standing reads, and only then.
"""

from __future__ import annotations

import datetime
import itertools
from collections import Counter
from types import SimpleNamespace

import pytest
from django.db import IntegrityError, ProgrammingError, connection, transaction
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from members import services
from members.choices import MembershipState, MembershipStatus
from members.models import Dues, Membership, StandingChange, StandingPending, StandingSpan
from members.rules import (
    Rules,
    UnendingGrace,
    grace_ends_within_year,
    membership_status,
    standing_timeline,
)
from members.selectors import standing_counts, standing_counts_kept
from members.services.standing import standing_refresh

from .factories import bulk_memberships
from .test_standing_sql import scenarios

YEAR = datetime.timedelta(days=365)


@st.composite
def histories_and_days(draw):
    today, rules, people = draw(scenarios())
    days = draw(
        st.lists(
            st.dates(today - 3 * YEAR, today + 3 * YEAR)
            | st.dates(today + 3 * YEAR, today + 12 * YEAR),
            min_size=1,
            max_size=12,
        )
    )
    return rules, people, [today, *days]


def status_on(timeline, day):
    """The status a timeline gives on ``day`` (None before admission)."""
    for span in timeline:
        if span.starts <= day and (span.ends is None or day < span.ends):
            return span.status
    return None


def _membership(state, since, dues):
    membership = SimpleNamespace(state=state, member_since=since)
    records = [
        SimpleNamespace(year=year, due_on=due_on, paid_on=paid_on)
        for year, (due_on, paid_on) in dues.items()
    ]
    return membership, records


@settings(max_examples=300, deadline=None)
@given(case=histories_and_days())
def test_the_timeline_is_the_rule_on_every_day(case):
    rules, people, days = case
    for state, since, dues in people:
        membership, records = _membership(state, since, dues)
        if state == MembershipState.APPROVED and not grace_ends_within_year(rules):
            with pytest.raises(UnendingGrace):
                standing_timeline(membership, records, rules)
            continue
        timeline = standing_timeline(membership, records, rules)
        # consecutive spans from admission, each a change of status, the last without end
        assert timeline[0].starts == since
        assert timeline[-1].ends is None
        for span, following in itertools.pairwise(timeline):
            assert span.ends == following.starts
            assert span.status != following.status
        # the days drawn and the day before each
        for day in [*days, *(d - datetime.timedelta(days=1) for d in days)]:
            expected = membership_status(membership, records, day, rules) if day >= since else None
            assert status_on(timeline, day) == expected, (day, timeline)
        # the first and the last day of every span
        for span in timeline:
            last = span.ends - datetime.timedelta(days=1) if span.ends else span.starts
            for day in (span.starts, last):
                assert membership_status(membership, records, day, rules) == span.status


def test_a_membership_never_admitted_has_no_timeline():
    applied = SimpleNamespace(state=MembershipState.APPLIED, member_since=None)
    assert standing_timeline(applied, [], Rules()) == []


def test_rules_whose_grace_runs_into_the_next_year_have_no_timeline():
    long = Rules(grace_days=300)  # 31 March + 300 days is in January
    assert grace_ends_within_year(Rules())
    assert not grace_ends_within_year(long)
    member = SimpleNamespace(state=MembershipState.APPROVED, member_since=datetime.date(2024, 5, 1))
    with pytest.raises(UnendingGrace):
        standing_timeline(member, [], long)


def _spans_add_up():
    """The kept changes are what the spans add up to, day by day."""
    counted = Counter()
    for span in StandingSpan.objects.all():
        counted[(span.starts, span.member_type, span.status)] += 1
        if span.ends:
            counted[(span.ends, span.member_type, span.status)] -= 1
    kept = {(c.day, c.member_type, c.status): c.change for c in StandingChange.objects.all()}
    return kept == {key: n for key, n in counted.items() if n}


def _counts(today):
    return sorted(standing_counts_kept(today=today)), sorted(standing_counts(today=today))


@pytest.mark.django_db
def test_the_kept_counts_equal_the_standing_as_members_pay_and_are_suspended(cast):
    today = timezone.localdate()
    memberships = bulk_memberships(80, today=today, seed=5)
    assert StandingPending.objects.count() == 80  # marked by the bulk inserts themselves
    kept, computed = _counts(today)
    assert kept == computed
    assert {status for _type, status, _n in kept} >= {MembershipStatus.CURRENT}
    assert not StandingPending.objects.exists()
    assert _spans_add_up()
    assert standing_refresh() == 0  # nothing marked, nothing computed

    unpaid = Dues.objects.filter(paid_on__isnull=True).select_related("membership").first()
    services.dues_record_payment(dues=unpaid, by=cast.staff, paid_on=today)
    assert list(StandingPending.objects.values_list("membership_id", flat=True)) == [
        unpaid.membership_id
    ]
    kept, computed = _counts(today)
    assert kept == computed
    services.membership_suspend(membership=memberships[3], by=cast.staff, reason="测试")
    kept, computed = _counts(today)
    assert kept == computed
    assert _spans_add_up()
    # every day of the next two years, and the last two, as the dates move on
    for day in range(-730, 730, 17):
        on = today + datetime.timedelta(days=day)
        admitted = Membership.objects.filter(member_since__lte=on)
        expected = Counter(
            (m.member_type, membership_status(m, m.dues.all(), on, Rules.from_settings()))
            for m in admitted.prefetch_related("dues")
        )
        assert sorted(standing_counts_kept(today=on)) == sorted(
            (t, s, n) for (t, s), n in expected.items()
        ), on


@pytest.mark.django_db
def test_a_change_of_rules_computes_every_membership_again(settings):
    today = timezone.localdate()
    bulk_memberships(30, today=today, seed=6)
    standing_refresh()
    settings.MEMBERS_DUES_GRACE_DAYS = 20
    assert standing_refresh() > 0
    kept, computed = _counts(today)
    assert kept == computed
    # rules with no timeline: counted by the database, as before, and nothing computed
    settings.MEMBERS_DUES_GRACE_DAYS = 300
    kept, computed = _counts(today)
    assert kept == computed
    assert standing_refresh() == 0


@pytest.mark.django_db
def test_the_database_marks_what_changes_the_standing_and_only_that():
    today = timezone.localdate()
    bulk_memberships(3, today=today, seed=7)
    standing_refresh()

    def marked(statement):
        with connection.cursor() as cursor:
            cursor.execute(statement)
        ids = set(StandingPending.objects.values_list("membership_id", flat=True))
        standing_refresh()
        return len(ids)

    assert marked("UPDATE members_dues SET receipt_number = receipt_number || 'x'") == 0
    assert marked("UPDATE members_dues SET amount = amount + 1") == 0
    assert marked("UPDATE members_dues SET paid_on = paid_on - 1 WHERE paid_on IS NOT NULL") > 0
    billed = Dues.objects.values("membership").distinct().count()
    assert marked("UPDATE members_dues SET due_on = due_on + 1") == billed
    assert marked("DELETE FROM members_dues WHERE id IN (SELECT MIN(id) FROM members_dues)") == 1
    assert marked("UPDATE members_membership SET application_note = 'x'") == 0
    assert marked("UPDATE members_membership SET member_since = member_since - 1") == 3
    assert marked("UPDATE members_membership SET state = 'withdrawn'") == 3
    assert _spans_add_up()
    assert not StandingChange.objects.filter(status=MembershipStatus.CURRENT).exists()


@pytest.mark.django_db
def test_a_span_is_replaced_never_edited():
    bulk_memberships(1, today=timezone.localdate(), seed=8)
    standing_refresh()
    with pytest.raises(ProgrammingError, match="Cannot update"), transaction.atomic():
        StandingSpan.objects.update(status=MembershipStatus.CURRENT)
    span = StandingSpan.objects.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        StandingSpan.objects.create(
            membership_id=span.membership_id,
            member_type=span.member_type,
            starts=span.starts,
            status=span.status,
        )


@pytest.mark.django_db(transaction=True)
def test_a_refresh_waits_for_a_change_still_being_written_and_reads_it():
    """A membership already marked, changed again by a transaction not yet committed: the
    refresh waits for that transaction (its mark holds the row) and reads the dues as
    committed. With a mark that did not lock, the refresh would take the mark, compute from
    the dues before the change, and the change would be left with no mark."""
    import threading

    today = timezone.localdate()
    [membership] = bulk_memberships(1, today=today, seed=12)
    standing_refresh()
    with connection.cursor() as cursor:  # committed: a mark waiting for the next refresh
        cursor.execute(
            "UPDATE members_dues SET due_on = due_on + 1 WHERE membership_id = %s", [membership.pk]
        )
    writing, commit = threading.Event(), threading.Event()
    errors = []

    def change():
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(
                    "UPDATE members_dues SET due_on = due_on - 200, paid_on = NULL,"
                    " receipt_number = NULL WHERE membership_id = %s",
                    [membership.pk],
                )
                writing.set()
                commit.wait(10)
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    def refresh():
        try:
            standing_refresh()
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    writer = threading.Thread(target=change)
    writer.start()
    assert writing.wait(10)
    refresher = threading.Thread(target=refresh)
    refresher.start()
    waiting = 0
    for _ in range(100):  # until the refresh waits for the writer's lock
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT COUNT(*) FROM pg_stat_activity"
                " WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            waiting = cursor.fetchone()[0]
        if waiting:
            break
        threading.Event().wait(0.05)
    commit.set()
    writer.join(10)
    refresher.join(10)
    assert not errors, errors
    assert waiting == 1
    standing_refresh()  # whatever is marked still
    expected = standing_timeline(membership, Dues.objects.filter(membership=membership), Rules())
    kept = StandingSpan.objects.filter(membership=membership).order_by("starts")
    assert [(s.starts, s.ends, s.status) for s in kept] == [
        (s.starts, s.ends, s.status) for s in expected
    ]
