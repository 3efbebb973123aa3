"""The app's knobs, read from Django settings with safe defaults (docs/reports.md).

- ``REPORTS_RETENTION_DAYS`` (30): how long a built file is kept before it is deleted.
- ``REPORTS_HEARTBEAT_INTERVAL`` (20): seconds between the heartbeats of a building run.
- ``REPORTS_HEARTBEAT_TIMEOUT`` (120): seconds without a heartbeat after which the sweep
  takes a running run for lost and requeues it.
- ``REPORTS_MAX_ATTEMPTS`` (3): builds of one run at most, then it is recorded as failed.
- ``REPORTS_EXTRA_MODULES`` ([]): modules registering site-specific reports.
- ``REPORTS_PDF_MAX_ROWS`` (2000): the most table rows a PDF is laid out with; a larger
  report is refused in PDF (its xlsx has no limit). WeasyPrint holds the whole layout in
  memory: about 0.16 MB and 7 ms a row, so 2,000 rows are ~50 pages, ~560 MB and ~15 s,
  and a province's 25,000-member list would be 4 GB and minutes (docs/performance.md).
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


def pdf_max_rows() -> int:
    return int(getattr(settings, "REPORTS_PDF_MAX_ROWS", 2000))


def extra_modules() -> list[str]:
    return list(getattr(settings, "REPORTS_EXTRA_MODULES", []))


STATISTICS_HEADER_KEYS = ("number", "authority", "approver", "approval", "valid_until")
STATISTICS_FOOT_KEYS = ("head", "statistician", "preparer")


def statistics_header() -> dict[str, str]:
    """``REPORTS_STATISTICS_TABLE``: the statistical table's 表号 (``number``), 制表机关
    (``authority``), 批准机关 (``approver``), 批准文号 (``approval``) and 有效期至
    (``valid_until``), as the province's current statistical survey system gives them, and
    the default signatories of its foot (``head`` 单位负责人，``statistician`` 统计负责人，
    ``preparer`` 填表人). Missing entries print as blanks to be filled in by hand."""
    configured = dict(getattr(settings, "REPORTS_STATISTICS_TABLE", {}) or {})
    return {
        key: str(configured.get(key) or "")
        for key in (*STATISTICS_HEADER_KEYS, *STATISTICS_FOOT_KEYS)
    }
