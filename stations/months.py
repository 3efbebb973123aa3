"""Every month a station was expected to report, with its report or the lack of one.

A station is expected to report for a month when it was operating on at least one day of
it, by its dated status history (the rule of :mod:`stations.selectors`). The months come
from the history's operating periods with ``generate_series``, joined with the reports,
in one query for any number of stations: the report list shows every month (a missing
one as 未报), and the to-do list counts what is still to be written.

A report is **late** when it was first submitted after the month's deadline
(``selectors.report_deadline``: ``STATIONS_REPORT_DEADLINE_DAY`` of the next month; a
later return and resubmission does not make it late), and **overdue** while it has not
reached the association (no report, or a draft) after the deadline.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.db import connection
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .choices import RECEIVED_REPORT_STATUSES, ReportStatus, StationStatus
from .models import ServiceReport, StationStatusChange
from .selectors import is_on_time, last_month, report_deadline

MISSING_LABEL = _("未报")


def format_month_cn(month: datetime.date) -> str:
    """A month as people write it: “2026年11月”."""
    return gettext("%(year)d年%(month)d月") % {"year": month.year, "month": month.month}


# The months each station was expected to report for, up to a last day: its operating
# spans from the status history (each change ends on the next one's day, ``ends_on``), and
# each month they touch. ``{stations}`` is the condition on ``station_id`` that chooses the
# stations; the parameters are, in order, the last day twice, the condition's, the last
# day and the operating status.
_EXPECTED = """
operating AS (
    SELECT station_id, effective_on AS starts,
           LEAST(COALESCE(ends_on - 1, %s), %s) AS ends
    FROM {changes}
    WHERE station_id {stations} AND effective_on <= %s AND status = %s
),
expected AS (
    SELECT DISTINCT station_id, month::date AS month
    FROM operating,
         generate_series(
             date_trunc('month', starts::timestamp),
             date_trunc('month', ends::timestamp),
             interval '1 month'
         ) AS month
    WHERE ends >= starts
)"""

_SQL = """
WITH {expected},
reports AS (
    SELECT id, station_id, month, status, first_submitted_at, submitted_at,
           total_activities, total_person_times, is_outlier
    FROM {reports}
    WHERE station_id = ANY(%s)
)
SELECT COALESCE(e.station_id, r.station_id), COALESCE(e.month, r.month),
       e.month IS NOT NULL,
       r.id, r.status, r.first_submitted_at, r.submitted_at,
       r.total_activities, r.total_person_times, r.is_outlier
FROM expected e
FULL OUTER JOIN reports r ON r.station_id = e.station_id AND r.month = e.month
WHERE COALESCE(e.month, r.month) >= %s
ORDER BY 2 DESC, 1
"""

# The months from a first to a last one whose report has not reached the association
# (none, or a draft), with how many stations, and for one station its id and its report's.
_WAITING_SQL = """
WITH {expected}
SELECT e.month, COUNT(*) AS n, MIN(e.station_id) AS station, MIN(r.id) AS report
FROM expected e
LEFT JOIN {reports} r ON r.station_id = e.station_id AND r.month = e.month
WHERE e.month >= %s AND (r.id IS NULL OR r.status NOT IN ({received}))
GROUP BY e.month
"""


def _expected(stations: str, stations_params, last: datetime.date) -> tuple[str, list]:
    """The expected months' CTEs of the stations that ``station_id {stations}`` chooses,
    up to the end of the month ``last``, with their parameters."""
    last_day = last + relativedelta(day=31)
    sql = _EXPECTED.format(
        changes=connection.ops.quote_name(StationStatusChange._meta.db_table), stations=stations
    )
    return sql, [last_day, last_day, *stations_params, last_day, StationStatus.OPERATING.value]


def waiting_months_sql(
    stations_sql: str, stations_params, *, first: datetime.date, last: datetime.date
) -> tuple[str, list]:
    """The months from ``first`` to ``last`` in which a station of ``stations_sql`` (a query
    of station ids) was operating and whose report has not reached the association: columns
    month, n (stations), station and report (their least ids: the station's and its report's
    when n is 1), one row a month with any. Its SQL and parameters, for the to-do list's
    statement (stations/todo.py)."""
    expected, params = _expected(f"IN ({stations_sql})", stations_params, last)
    received = sorted(RECEIVED_REPORT_STATUSES)
    sql = _WAITING_SQL.format(
        expected=expected,
        reports=connection.ops.quote_name(ServiceReport._meta.db_table),
        received=", ".join(["%s"] * len(received)),
    )
    return sql, [*params, first.replace(day=1), *received]


@dataclass
class MonthRow:
    """One month of one station: expected or not, and its report (``report_id`` None when
    there is none)."""

    station_id: int
    month: datetime.date
    expected: bool
    report_id: int | None
    status: str | None
    first_submitted_at: datetime.datetime | None
    submitted_at: datetime.datetime | None
    total_activities: int | None
    total_person_times: int | None
    is_outlier: bool
    today: datetime.date

    @property
    def missing(self) -> bool:
        """Expected, and no report at all (shown as 未报)."""
        return self.expected and self.report_id is None

    @property
    def received(self) -> bool:
        return self.status in RECEIVED_REPORT_STATUSES

    @cached_property
    def deadline(self) -> datetime.date:
        return report_deadline(self.month)

    @property
    def late(self) -> bool:
        """Submitted after the deadline (迟报)."""
        return self.first_submitted_at is not None and not is_on_time(
            self.first_submitted_at, self.month
        )

    @property
    def overdue(self) -> bool:
        """Expected, not received, and the deadline has passed (逾期未报)."""
        return self.expected and not self.received and self.today > self.deadline

    @property
    def status_label(self) -> str:
        if self.status is None:
            return MISSING_LABEL
        return ReportStatus(self.status).label


def months_of(
    station_ids: Iterable[int],
    *,
    first: datetime.date | None = None,
    last: datetime.date | None = None,
    today: datetime.date | None = None,
) -> list[MonthRow]:
    """The stations' months, newest first: each month from ``first`` (default: all) to
    ``last`` (default: the last complete month) in which a station was operating, and
    any other month it has a report for. One query."""
    today = today or timezone.localdate()
    station_ids = list(station_ids)
    if not station_ids:
        return []
    last = (last or last_month(today)).replace(day=1)
    expected, params = _expected("= ANY(%s)", [station_ids], last)
    sql = _SQL.format(
        expected=expected, reports=connection.ops.quote_name(ServiceReport._meta.db_table)
    )
    params += [station_ids, (first or datetime.date.min).replace(day=1)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return [MonthRow(*row[:9], is_outlier=bool(row[9]), today=today) for row in rows]


def station_months(station, *, today: datetime.date | None = None) -> list[MonthRow]:
    """Every month ``station`` was operating (up to the last complete month), newest
    first, with its report or 未报；reports of other months are listed too. One query."""
    return months_of([station.pk], today=today)
