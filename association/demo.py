"""The demo's clock: a year the association lived, replayed through the services.

The services stamp the moment they act with ``timezone.now()`` (a meeting's opening, a
check-in, a motion's decision, a certification and the terms it starts, an approval) and
refuse dates after ``timezone.localdate()``. To build the demo in the order things
happened, the seed runs each step *at the time it happened*: inside ``demo_clock(at)``,
``django.utils.timezone.now`` returns the clock's time, so every service (and every
``auto_now_add`` field) stamps the historical moment, and the services' own rules (no
payment in the future, the complaint period before certification, the period lock) hold
on the historical day, exactly as they held then.

Why a clock rather than an ``at=`` keyword on each service: the moment is read in some
forty places across eight apps (``timezone.now()``/``localdate()`` in services, model
``auto_now_add`` fields, selectors such as "the rules in force today"); an ``at=`` on each
would widen every service's signature for the sake of the demo alone, and a missed one
would silently stamp today. The clock is confined to the seed and to tests/test_year.py;
production code never enters it.
"""

from __future__ import annotations

import datetime
from contextlib import contextmanager
from unittest import mock
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

TZ = ZoneInfo("Asia/Shanghai")


def moment(day: datetime.date | datetime.datetime, hour: int = 9, minute: int = 0):
    """``day`` at ``hour:minute`` in 许昌 (a datetime is returned as it is, made aware)."""
    if isinstance(day, datetime.datetime):
        return day if timezone.is_aware(day) else day.replace(tzinfo=TZ)
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=TZ)


class DemoClock:
    """The time the services read inside ``demo_clock``; ``set``/``advance`` move it."""

    def __init__(self, at):
        self.at = moment(at)

    def now(self) -> datetime.datetime:
        return self.at.astimezone(datetime.UTC)

    def set(self, day, hour: int = 9, minute: int = 0) -> DemoClock:
        at = moment(day, hour, minute)
        if at < self.at:
            raise ValueError(f"the demo clock only moves forward ({self.at} → {at})")
        self.at = at
        return self

    def advance(self, **delta) -> DemoClock:
        self.at = self.at + datetime.timedelta(**delta)
        return self

    def today(self) -> datetime.date:
        return self.at.astimezone(TZ).date()


@contextmanager
def demo_clock(at):
    """Run the services as if it were ``at`` (a date means 09:00 that day in 许昌)."""
    clock = DemoClock(at)
    with mock.patch.object(timezone, "now", clock.now):
        yield clock


@contextmanager
def committed():
    """Run, at the block's end, the on-commit callbacks that the block registered.

    A service hands work to the app above it "once this commits" (an achieved start-up
    grant milestone asks finance to pay it). The seed runs a whole step in one transaction,
    so that work would wait for the step's end, when the clock is back to the present: the
    payment dated today, or refused. Inside ``committed()`` on the clock, the event counts
    as committed at its moment, as it was when it happened (Django's
    ``captureOnCommitCallbacks(execute=True)`` does the same for tests). Outside a
    transaction the callbacks have already run and there is nothing to do."""
    connection = transaction.get_connection()
    start = len(connection.run_on_commit)
    yield
    if not connection.in_atomic_block:
        return
    while len(connection.run_on_commit) > start:  # a callback may register another
        callbacks = connection.run_on_commit[start:]
        del connection.run_on_commit[start:]
        for _savepoints, callback, _robust in callbacks:
            callback()


# --- The orchestrator ---------------------------------------------------------------------


def steps():
    """The demo's steps in the order the association lived them. Each app's module owns
    its data; this list owns the chronology (an app's demo may run in several steps)."""
    from association.accounts import demo as accounts
    from association.elections import demo as elections
    from association.finance import demo as finance
    from association.governance import demo as governance
    from association.notifications import demo as notifications
    from content import demo as content
    from members import demo as members
    from projects import demo as projects
    from stations import demo as stations

    return [
        # The people with their accounts, and the register (organisations registered
        # 12 → 23, certified workers 100+ → 500+); in June 2023 the founding units and
        # individuals apply to the preparatory group. No one is a member yet.
        ("accounts", accounts.seed),
        ("members.register", members.seed_register),
        # 8 July 2023: the founders admitted in the morning, the congress adopts the
        # charter, the election rules, the fund rules and the dues standard...
        ("governance.congress", governance.seed),
        # ...elects the council and the officers, closes; the seminar; the first council.
        ("elections", elections.seed),
        # The books open before the first receipt.
        ("finance.opening", finance.seed_opening),
        # The registration certificate (20 July 2023), then year by year the secretariat's
        # staff, branches, the change of domicile, inspections, the grade, rewards and the
        # annual filings; the donations of 2024 and 2025 with their vouchers.
        ("governance.organisation", governance.seed_organisation),
        ("finance.donations", finance.seed_donations),
        # Members admitted at the council's meetings, dues billed and paid, year by year.
        ("members.admissions", members.seed_admissions),
        # The unit members' admins choose what the public member directory shows of them.
        ("members.directory", members.seed_directory),
        # The stations reporting.
        ("stations", stations.seed),
        # The graduate programme: its restricted fund and the grant that fills it are in
        # the books before the programme opens, so that the start-up grant milestones its
        # teams achieve are paid from that fund on the day (vouchers dated then).
        ("finance.programme", finance.seed_programme),
        # The programme's rounds, its teams' start-up grants, the expert pool; the books.
        ("projects", projects.seed),
        # Stories of that work for the public site (案例故事), through the privacy check.
        ("projects.stories", projects.seed_stories),
        ("finance", finance.seed),
        # What those years told people (approvals, receipts) was read at the time.
        ("notifications.read", notifications.seed),
        # The public site today: news, notices (one sent to every station, a third of the
        # receipts in), policies and disclosures, published through the content services.
        ("content", content.seed),
    ]
