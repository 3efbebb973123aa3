"""The association's membership rules as pure functions: no queries, no clock.

``membership_status(membership, dues, today, rules)`` is the one place that says whether
an admitted member is current, in grace or lapsed. Everything that shows or acts on a
status (pages, the certificate, the verification page, scheduled reminders) calls it.

The rule: dues are paid per calendar year. A member is **current** when this year's
dues are paid, or when they are not yet due (before this year's due date) and last
year's were paid (or the member was admitted this year). After the due date a member
with unpaid dues is in **grace** for ``grace_days``; after that the membership has
**lapsed**. Paying this year's dues (renewal) makes it current again; the member number
and "member since" never change.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from dateutil.relativedelta import relativedelta

from .choices import MembershipState, MembershipStatus, Qualification


@dataclass(frozen=True)
class Rules:
    grace_days: int = 90
    # Yearly dues fall due on this day (month, day) of the year...
    due_month: int = 3
    due_day: int = 31
    # ...or, in the year of admission, this many days after admission if that is later.
    new_member_days: int = 30
    # Remind members this many days before the dues fall due / the membership lapses.
    remind_days: int = 30

    @classmethod
    def from_settings(cls) -> Rules:
        from . import conf

        return cls(
            grace_days=conf.dues_grace_days(),
            due_month=conf.dues_due_month(),
            due_day=conf.dues_due_day(),
        )

    def due_date(self, year: int, admitted_on: datetime.date | None = None) -> datetime.date:
        due = datetime.date(year, self.due_month, self.due_day)
        if admitted_on is not None and admitted_on.year == year:
            due = max(due, admitted_on + datetime.timedelta(days=self.new_member_days))
        return due


DECIDED_STATUS = {
    MembershipState.APPLIED: MembershipStatus.APPLIED,
    MembershipState.UNDER_REVIEW: MembershipStatus.UNDER_REVIEW,
    MembershipState.REJECTED: MembershipStatus.REJECTED,
    MembershipState.SUSPENDED: MembershipStatus.SUSPENDED,
    MembershipState.WITHDRAWN: MembershipStatus.WITHDRAWN,
}
GOOD_STANDING = {MembershipStatus.CURRENT, MembershipStatus.GRACE}


def _year_due(year, dues_by_year, admitted_on, rules) -> datetime.date:
    record = dues_by_year.get(year)
    if record is not None and record.due_on:
        return record.due_on
    return rules.due_date(year, admitted_on)


def membership_status(membership, dues: Iterable, today: datetime.date, rules: Rules):
    """The status of ``membership`` on ``today``, given its ``dues`` records.

    ``membership`` needs ``state`` and ``member_since``; each of ``dues`` needs ``year``,
    ``due_on`` and ``paid_on``. A payment dated after ``today`` does not count yet.
    """
    if membership.state != MembershipState.APPROVED:
        return DECIDED_STATUS[membership.state]
    admitted_on = membership.member_since
    by_year = {d.year: d for d in dues}
    paid = {d.year for d in by_year.values() if d.paid_on is not None and d.paid_on <= today}
    year = today.year
    if year in paid:
        return MembershipStatus.CURRENT

    def standing(of_year):
        due = _year_due(of_year, by_year, admitted_on, rules)
        if today <= due:
            return MembershipStatus.CURRENT
        if today <= due + datetime.timedelta(days=rules.grace_days):
            return MembershipStatus.GRACE
        return MembershipStatus.LAPSED

    this_year = standing(year)
    if this_year == MembershipStatus.LAPSED:
        return this_year
    # This year's dues are not yet overdue: the member stands on last year's.
    if admitted_on.year < year and (year - 1) not in paid:
        last_year = standing(year - 1)
        if last_year != MembershipStatus.CURRENT:
            return last_year
    return this_year


@dataclass(frozen=True)
class Span:
    """Days ``starts`` to ``ends`` (exclusive; None: from ``starts`` on) on which a
    membership's :func:`membership_status` is ``status``."""

    starts: datetime.date
    ends: datetime.date | None
    status: str


def grace_ends_within_year(rules: Rules) -> bool:
    """Whether a year's grace ends before the next year begins (in a common year, where
    it reaches furthest): the condition for :func:`standing_timeline`."""
    return rules.due_date(2025) + datetime.timedelta(days=rules.grace_days) < datetime.date(
        2026, 1, 1
    )


class UnendingGrace(ValueError):
    """The rules put a member who never pays in grace again every year: no last span."""


def standing_timeline(membership, dues: Iterable, rules: Rules) -> list[Span]:
    """:func:`membership_status` of ``membership`` on every day from its admission
    (``member_since``) on, as consecutive spans; none for a membership never admitted.

    It is the rule itself, asked on the days where its answer can change: the status
    compares the day with each payment's date, with each year's due date and the end of
    its grace, and takes the year from the day; between two such days every comparison
    stays as it is, so the status does too. Past the last year with a dues record, and the
    one after it, a member who pays nothing more is lapsed for good (``UnendingGrace``
    for rules whose grace runs past the next New Year, where that is not true).
    """
    admitted_on = membership.member_since
    if admitted_on is None:
        return []
    dues = list(dues)
    if membership.state != MembershipState.APPROVED:
        return [Span(admitted_on, None, DECIDED_STATUS[membership.state])]
    by_year = {d.year: d for d in dues}
    last_year = max([admitted_on.year, *by_year]) + 2
    grace = datetime.timedelta(days=rules.grace_days)
    one = datetime.timedelta(days=1)
    days = {admitted_on}
    for year in range(admitted_on.year, last_year + 1):
        days.add(datetime.date(year, 1, 1))
        for of_year in (year - 1, year):
            due = _year_due(of_year, by_year, admitted_on, rules)
            days.update((due + one, due + grace + one))
    days.update(d.paid_on for d in dues if d.paid_on is not None)
    spans: list[list] = []
    for day in sorted(d for d in days if admitted_on <= d and d.year <= last_year):
        status = membership_status(membership, dues, day, rules)
        if not spans or spans[-1][1] != status:
            spans.append([day, status])
    final_starts, final_status = spans[-1]
    # In a year with no record for it or the year before, a member is in grace until the
    # year before's default due date and grace have passed, and lapsed after: never again
    # from 1 January on, if the grace ends within its year.
    lapsed_for_good = final_status == MembershipStatus.LAPSED and final_starts <= datetime.date(
        last_year, 1, 1
    )
    if not (grace_ends_within_year(rules) and lapsed_for_good):
        raise UnendingGrace(membership)
    ends = [starts for starts, _status in spans[1:]] + [None]
    return [Span(starts, end, status) for (starts, status), end in zip(spans, ends, strict=True)]


def paid_through(dues: Iterable, today: datetime.date) -> datetime.date | None:
    """The last day of the latest year whose dues are paid (shown on the certificate as
    its validity), or None when nothing is paid yet."""
    years = [d.year for d in dues if d.paid_on is not None and d.paid_on <= today]
    return datetime.date(max(years), 12, 31) if years else None


# --- Continuing education --------------------------------------------------------------

CE_PERIOD_YEARS = 3
CE_REQUIRED_HOURS = {
    Qualification.ASSISTANT: Decimal(72),
    Qualification.SOCIAL_WORKER: Decimal(90),
    Qualification.SENIOR: Decimal(90),
}
CE_WARNING_DAYS = 90


@dataclass(frozen=True)
class EducationStanding:
    period_start: datetime.date
    period_end: datetime.date
    required: Decimal
    completed: Decimal

    @property
    def shortfall(self) -> Decimal:
        return max(self.required - self.completed, Decimal(0))

    @property
    def met(self) -> bool:
        return self.shortfall == 0

    def days_left(self, today: datetime.date) -> int:
        return (self.period_end - today).days

    def warn(self, today: datetime.date) -> bool:
        """Short of hours with 90 days or less left in the period."""
        return not self.met and 0 <= self.days_left(today) <= CE_WARNING_DAYS


def education_standing(
    *, qualification: str, registered_on, records: Iterable, today: datetime.date
) -> EducationStanding | None:
    """Hours of continuing education in the 3-year registration period containing
    ``today`` (periods run from the registration date), against 72 hours for an assistant
    social worker and 90 for the other levels. None for people without a registered
    qualification. Each record needs ``date`` and ``hours``."""
    required = CE_REQUIRED_HOURS.get(qualification)
    if required is None or registered_on is None or today < registered_on:
        return None
    period = relativedelta(years=CE_PERIOD_YEARS)  # 29 February + 3 years: 28 February
    start = registered_on
    while start + period <= today:
        start += period
    end = start + period - datetime.timedelta(days=1)
    completed = sum((r.hours for r in records if start <= r.date <= end), Decimal(0))
    return EducationStanding(start, end, required, Decimal(completed))
