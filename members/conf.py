"""The app's knobs, read from Django settings with safe defaults.

Set them in ``association/settings.py`` (or the environment through it):

- ``MEMBERS_DUES_DUE_MONTH`` (3) and ``MEMBERS_DUES_DUE_DAY`` (31): a year's dues fall due on
  this day of the year.
- ``MEMBERS_DUES_GRACE_DAYS`` (90): days after the due date before unpaid dues lapse a
  membership.
"""

from __future__ import annotations

from django.conf import settings


def dues_due_month() -> int:
    return int(getattr(settings, "MEMBERS_DUES_DUE_MONTH", 3))


def dues_due_day() -> int:
    return int(getattr(settings, "MEMBERS_DUES_DUE_DAY", 31))


def dues_grace_days() -> int:
    return int(getattr(settings, "MEMBERS_DUES_GRACE_DAYS", 90))
