"""The app's knobs, read from Django settings with safe defaults.

Set them in ``association/settings.py`` (or the environment through it) to change a
target without touching code:

- ``STATIONS_MIN_WORKERS`` (2): social workers a station should have.
- ``STATIONS_MIN_CERTIFIED_RATIO`` ("0.60"): share of them holding a qualification.
- ``STATIONS_REPORT_DEADLINE_DAY`` (5): a month's report is due on this day of the next month.
- ``STATIONS_LOCK_DAYS`` (20): a month locks this many days after its last day.
- ``STATIONS_REMINDER_DAYS_BEFORE`` (3): the first reminder goes out this many days before
  the deadline.
- ``STATIONS_OUTLIER_FACTOR`` (3): a report is flagged when its person-times are this many times
  above (or below 1/this of) the median of the station's own last twelve reports.
- ``STATIONS_UNLOCK_DAYS`` (7): how long a staff unlock keeps a locked month open.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings


def min_workers() -> int:
    return int(getattr(settings, "STATIONS_MIN_WORKERS", 2))


def min_certified_ratio() -> Decimal:
    return Decimal(str(getattr(settings, "STATIONS_MIN_CERTIFIED_RATIO", "0.60")))


def deadline_day() -> int:
    return int(getattr(settings, "STATIONS_REPORT_DEADLINE_DAY", 5))


def lock_days() -> int:
    return int(getattr(settings, "STATIONS_LOCK_DAYS", 20))


def reminder_days_before() -> int:
    return int(getattr(settings, "STATIONS_REMINDER_DAYS_BEFORE", 3))


def outlier_factor() -> Decimal:
    return Decimal(str(getattr(settings, "STATIONS_OUTLIER_FACTOR", 3)))


def unlock_days() -> int:
    return int(getattr(settings, "STATIONS_UNLOCK_DAYS", 7))
