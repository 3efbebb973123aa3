"""Months as the first day of the month (a ``date``), and the dates that hang off them."""

from __future__ import annotations

import calendar
import datetime
import re

from . import conf


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def month_end(month: datetime.date) -> datetime.date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def add_months(month: datetime.date, count: int) -> datetime.date:
    index = month.year * 12 + month.month - 1 + count
    return datetime.date(index // 12, index % 12 + 1, 1)


def month_range(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    months, current = [], month_start(first)
    while current <= last:
        months.append(current)
        current = add_months(current, 1)
    return months


def parse_month(value: str | None) -> datetime.date | None:
    """``"2024-03"`` -> 2024-03-01; anything else -> None."""
    match = re.fullmatch(r"(\d{4})-(\d{1,2})", (value or "").strip())
    if not match:
        return None
    year, month = int(match.group(1)), int(match.group(2))
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        return None
    return datetime.date(year, month, 1)


def format_month(month: datetime.date) -> str:
    return f"{month.year:04d}-{month.month:02d}"


def report_deadline(month: datetime.date) -> datetime.date:
    """A month's report is due on the configured day of the next month (default the 5th)."""
    following = add_months(month, 1)
    day = min(conf.deadline_day(), calendar.monthrange(following.year, following.month)[1])
    return following.replace(day=day)


def lock_date(month: datetime.date) -> datetime.date:
    """The first day on which the month is locked."""
    return month_end(month) + datetime.timedelta(days=conf.lock_days() + 1)
