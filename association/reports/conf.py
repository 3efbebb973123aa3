"""The app's knobs, read from Django settings with safe defaults (docs/reports.md).

- ``REPORTS_RETENTION_DAYS`` (30): how long a built file is kept before it is deleted.
- ``REPORTS_HEARTBEAT_INTERVAL`` (20): seconds between the heartbeats of a building run.
- ``REPORTS_HEARTBEAT_TIMEOUT`` (120): seconds without a heartbeat after which the sweep
  takes a running run for lost and requeues it.
- ``REPORTS_MAX_ATTEMPTS`` (3): builds of one run at most, then it is recorded as failed.
- ``REPORTS_EXTRA_MODULES`` ([]): modules registering site-specific reports.
"""

from __future__ import annotations

import datetime

from django.conf import settings


def retention_days() -> int:
    return int(getattr(settings, "REPORTS_RETENTION_DAYS", 30))


def heartbeat_interval() -> float:
    return float(getattr(settings, "REPORTS_HEARTBEAT_INTERVAL", 20))


def heartbeat_timeout() -> datetime.timedelta:
    return datetime.timedelta(seconds=float(getattr(settings, "REPORTS_HEARTBEAT_TIMEOUT", 120)))


def max_attempts() -> int:
    return int(getattr(settings, "REPORTS_MAX_ATTEMPTS", 3))


def extra_modules() -> list[str]:
    return list(getattr(settings, "REPORTS_EXTRA_MODULES", []))
