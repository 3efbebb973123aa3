"""Reads of the stations app, scoped by user, and the one place where coverage and
reporting figures are computed.

The rule that DHIS2 got wrong (DHIS2-2739: reporting rates above 100 %): a month's
**expected reports** are exactly the stations that were *operating on at least one day
of that month* according to their dated status history (``StationStatusChange``). A
station that opens on the 20th is expected for that month; one that is suspended or
closed for the whole month is not. Received and on-time reports are counted only among
the expected stations, so the rates can never exceed 100 %.

Public functions used by the dashboard (and by the reports app later):

- :func:`reporting_rates` – expected / received / on-time / approved for one month.
- :func:`reporting_rates_by_area` – the same, one row per county (or per township);
  :func:`reporting_rates_by_area_and_total` both from one grouped query.
- :func:`coverage_by_county` / :func:`coverage_by_township` – townships, stations,
  operating stations, coverage, staffing and certified ratio on a day.
- :func:`operating_by_month` – stations operating in each month, with the build plan.
- :func:`build_plan_progress` – each county's yearly target against what operates.
- :func:`person_times_by_area` – services and person-times by service area in a year.

Every function takes plain values (dates, a ``Region`` or ``None`` for the whole city)
and costs a fixed number of queries however many stations there are. The counting is
done by Postgres in grouped queries (the status on a day as a correlated subquery, the
months as spans from a window function): a province's 2,475 stations and their history
never come into Python, and no breakdown calls a selector per county.
"""

from __future__ import annotations

import datetime
import statistics
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import connection
from django.db.models import (
    BooleanField,
    CharField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    FilteredRelation,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Sum,
    Value,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from association.accounts.roles import is_association_staff
from association.kept import Kept
from association.regions import scope
from association.regions.choices import Level
from association.regions.models import Region, area_key, code_variants
from association.sql import dict_rows

from . import conf
from .choices import RECEIVED_REPORT_STATUSES, ReportStatus, StationStatus
from .models import (
    AreaYearTotal,
    Assessment,
    AssessmentScore,
    BuildTarget,
    CountyReviewer,
    MonthUnlock,
    ReportEvent,
    ServiceArea,
    ServiceReport,
    ServiceReportLine,
    StaffAssignment,
    Station,
    StationStatusChange,
    WorkKind,
)
from .permissions import can_see_dashboard

__all__ = [
    "CountyProgress",
    "CoverageRow",
    "Rates",
    "StatusHistory",
    "build_plan_progress",
    "can_see_dashboard",
    "coverage_by_county",
    "coverage_by_township",
    "operating_by_month",
    "person_times_by_area",
    "reporting_rates",
    "reporting_rates_by_area",
    "reporting_rates_by_area_and_total",
]


def percent(part: int, whole: int) -> Decimal | None:
    """``part / whole`` as a percentage with one decimal, or None when nothing is expected."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


# --- The reporting calendar -------------------------------------------------------------
# A month is its first day (a ``date``); the dates below hang off it and the settings of
# ``conf``.


def last_month(today: datetime.date | None = None) -> datetime.date:
    """The last complete month: the one whose report is being written now."""
    return (today or timezone.localdate()).replace(day=1) - relativedelta(months=1)


def month_range(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    """The months from ``first`` to ``last``, both included."""
    months, month = [], first.replace(day=1)
    while month <= last:
        months.append(month)
        month += relativedelta(months=1)
    return months


def report_deadline(month: datetime.date) -> datetime.date:
    """A month's report is due on the configured day of the next month (default the 5th;
    the next month's last day if it is shorter)."""
    return month + relativedelta(months=1, day=conf.deadline_day())


def lock_date(month: datetime.date) -> datetime.date:
    """The first day on which the month is locked."""
    return month + relativedelta(day=31) + datetime.timedelta(days=conf.lock_days() + 1)


def month_is_locked(
    station: Station, month: datetime.date, today: datetime.date | None = None
) -> bool:
    """Locked from ``STATIONS_LOCK_DAYS`` after the month's end, unless staff reopened it."""
    today = today or timezone.localdate()
    if today < lock_date(month):
        return False
    return not MonthUnlock.objects.filter(
        station=station, month=month, open_until__gte=today
    ).exists()


# --- Status history -------------------------------------------------------------------


class StatusHistory:
    """The dated status changes of a set of stations, answering "what was it on day X"."""

    def __init__(self, rows):
        self._dates: dict[int, list[datetime.date]] = defaultdict(list)
        self._statuses: dict[int, list[str]] = defaultdict(list)
        for station_id, effective_on, status in rows:
            self._dates[station_id].append(effective_on)
            self._statuses[station_id].append(status)

    @classmethod
    def for_stations(cls, stations) -> StatusHistory:
        """One query: ``stations`` is a queryset (used as a subquery) or a list of ids."""
        rows = (
            StationStatusChange.objects.filter(station__in=stations)
            .order_by("station_id", "effective_on", "id")
            .values_list("station_id", "effective_on", "status")
        )
        return cls(rows)

    @property
    def station_ids(self):
        return self._dates.keys()

    def status_on(self, station_id: int, day: datetime.date) -> str | None:
        dates = self._dates.get(station_id, [])
        index = bisect_right(dates, day)
        return self._statuses[station_id][index - 1] if index else None

    def operating_between(self, station_id: int, first: datetime.date, last: datetime.date) -> bool:
        """Operating on at least one day of ``first``..``last`` (inclusive)."""
        if self.status_on(station_id, first) == StationStatus.OPERATING:
            return True
        dates = self._dates.get(station_id, [])
        statuses = self._statuses.get(station_id, [])
        return any(
            first < day <= last and status == StationStatus.OPERATING
            for day, status in zip(dates, statuses, strict=True)
        )

    def operating_in_month(self, station_id: int, month: datetime.date) -> bool:
        return self.operating_between(station_id, month, month + relativedelta(day=31))

    def expected_ids(self, month: datetime.date) -> set[int]:
        """The stations expected to report for ``month``."""
        return {sid for sid in self._dates if self.operating_in_month(sid, month)}

    def operating_ids_on(self, day: datetime.date) -> set[int]:
        return {sid for sid in self._dates if self.status_on(sid, day) == StationStatus.OPERATING}

    def active_ids_on(self, day: datetime.date) -> set[int]:
        """Stations that exist on ``day`` (planned, building, operating or suspended)."""
        return {
            sid
            for sid in self._dates
            if self.status_on(sid, day) not in (None, StationStatus.CLOSED)
        }


def _root_codes(region: Region | None) -> list[str]:
    """The code(s) of the region a breakdown is of: ``region``'s, or for None the area the
    current report is limited to (:mod:`association.regions.scope`), else the code forms of
    the association's own area (``settings.ASSOCIATION_REGION``). Constants, so that
    PostgreSQL estimates an area from the regions' statistics."""
    if region is None:
        region = scope.current()
    if region is not None:
        return [region.code]
    return code_variants(settings.ASSOCIATION_REGION)


def stations_in(region: Region | None = None):
    """Stations of a region (province, city, county or township), or of the association's
    area (None; another city's regions loaded beside it are not counted)."""
    return Station.objects.filter(region__ancestry__overlap=_root_codes(region))


def townships_in(region: Region | None = None):
    return Region.objects.townships().filter(ancestry__overlap=_root_codes(region))


# --- Status history in SQL ------------------------------------------------------------------
# The same rules as :class:`StatusHistory` (which stays the spec, and the property test in
# tests/stations/test_grouped_status.py proves these agree with it on generated histories),
# as expressions on a query of stations (``ref="pk"``) or of rows pointing at a station
# (``ref="station_id"``), so that a whole region is counted in one grouped query.
#
# Each change holds from its day to the day before the next change (``ends_on``, kept by
# the database), so a station's status on a day, or whether it operated in a month, is
# whether one of its spans meets that day or month: one index probe for a station, and for
# a whole region one pass over the spans that PostgreSQL hashes (it plans the ``EXISTS``
# both ways and keeps the cheaper), instead of a search of each station's changes for the
# latest before the day (at province scale, 2,475 stations: the coverage query 9.4 → 8.5 ms,
# the reporting rates 6.0 → 4.7, the operating months 6.2 → 4.4).

ACTIVE_STATUSES = [
    StationStatus.PLANNED,
    StationStatus.BUILDING,
    StationStatus.OPERATING,
    StationStatus.SUSPENDED,
]


def _changes_of(ref: str):
    return StationStatusChange.objects.filter(station=OuterRef(ref)).order_by()


def _spans_meeting(first: datetime.date, last: datetime.date, statuses, ref: str) -> Exists:
    """The station has a span in one of ``statuses`` that meets ``first``..``last``
    (inclusive): it starts by ``last`` and has not ended by ``first``."""
    return Exists(
        _changes_of(ref).filter(
            Q(ends_on__isnull=True) | Q(ends_on__gt=first),
            status__in=statuses,
            effective_on__lte=last,
        )
    )


def status_on_sql(day: datetime.date, ref: str = "pk") -> Subquery:
    """The station's status on ``day`` (NULL before its first change): the latest change
    effective on or before it. An index probe on (station, effective_on), which is unique
    (``stations_status_one_per_day``): no tie to break, so the probe reads the first entry
    backwards and sorts nothing (a tie-break on the id sorted each station's changes, 12 of
    the coverage query's 44 ms at province scale)."""
    return Subquery(
        _changes_of(ref)
        .filter(effective_on__lte=day)
        .order_by("-effective_on")
        .values("status")[:1],
        output_field=CharField(),
    )


def status_in_on_q(statuses, day: datetime.date, ref: str = "pk") -> Q:
    """Its status on ``day`` is one of ``statuses``: ``status_on`` in them."""
    return Q(_spans_meeting(day, day, statuses, ref))


def operating_on_q(day: datetime.date, ref: str = "pk") -> Q:
    """Operating on ``day``: :meth:`StatusHistory.status_on` is operating."""
    return status_in_on_q([StationStatus.OPERATING], day, ref)


def active_on_q(day: datetime.date, ref: str = "pk") -> Q:
    """Exists on ``day`` (planned, building, operating or suspended): ``active_ids_on``."""
    return status_in_on_q(ACTIVE_STATUSES, day, ref)


def operating_between_q(first: datetime.date, last: datetime.date, ref: str = "pk") -> Q:
    """Operating on at least one day of ``first``..``last``: an operating span meets them
    (``operating_between``: operating on the first day, or a change to operating takes
    effect after it and by the last)."""
    return Q(_spans_meeting(first, last, [StationStatus.OPERATING], ref))


def expected_q(month: datetime.date, ref: str = "pk") -> Q:
    """Expected to report for ``month``: operating on at least one day of it."""
    return operating_between_q(month, month + relativedelta(day=31), ref)


# --- Reporting rates ------------------------------------------------------------------


@dataclass
class Rates:
    """A month's reporting figures. ``received``, ``on_time`` and ``approved`` count only
    reports of expected stations, so each is at most ``expected``."""

    month: datetime.date
    expected: int = 0
    received: int = 0
    on_time: int = 0
    approved: int = 0
    returned: int = 0

    @property
    def missing(self) -> int:
        return self.expected - self.received

    @property
    def rate(self) -> Decimal | None:
        return percent(self.received, self.expected)

    @property
    def on_time_rate(self) -> Decimal | None:
        return percent(self.on_time, self.expected)

    @property
    def approved_rate(self) -> Decimal | None:
        return percent(self.approved, self.expected)

    @property
    def deadline(self) -> datetime.date:
        return report_deadline(self.month)

    @property
    def label(self) -> str:
        return CellStatus.labels()[self.status][0]

    @property
    def short(self) -> str:
        return CellStatus.labels()[self.status][1]


def is_on_time(first_submitted_at, month: datetime.date) -> bool:
    """A report is on time when it was first submitted on or before the month's deadline
    (a later return and resubmission does not make it late)."""
    if first_submitted_at is None:
        return False
    return timezone.localdate(first_submitted_at) <= report_deadline(month)


def on_time_before(month: datetime.date) -> datetime.datetime:
    """The instant from which a first submission is late: midnight (local time) after the
    deadline day, so ``first_submitted_at < on_time_before(month)`` is :func:`is_on_time`."""
    day_after = report_deadline(month) + datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(day_after, datetime.time()))


def _rates_of_stations(stations, month: datetime.date) -> dict:
    """Per area of ``stations`` (annotated with ``area``): the :class:`Rates` figures of
    ``month``, area -> ``{"expected", "received", "on_time", "approved", "returned"}``.

    Each station's "expected" (:func:`expected_q`) and its report of the month (at most
    one: a constraint) are found once, then grouped, as in :func:`_coverage_of_stations`:
    the grouped query written with ``Count(filter=...)`` repeated the status subquery in
    each of its five filters (64 ms for a province's 2,475 stations, 20 ms this way).
    tests/stations/test_demo.py holds every area's figures equal to the Python rules."""
    per_station = (
        stations.annotate(
            month_report=FilteredRelation("reports", condition=Q(reports__month=month)),
            expected=ExpressionWrapper(expected_q(month), output_field=BooleanField()),
            report_status=F("month_report__status"),
            first_submitted_at=F("month_report__first_submitted_at"),
        )
        .values("area", "expected", "report_status", "first_submitted_at")
        .order_by()
    )
    inner, inner_params = per_station.query.sql_with_params()
    sql = f"""
        WITH per_station AS MATERIALIZED ({inner})
        SELECT area,
               COUNT(*) FILTER (WHERE expected) AS expected,
               COUNT(*) FILTER (WHERE expected AND report_status = ANY(%s)) AS received,
               COUNT(*) FILTER (
                   WHERE expected AND report_status = ANY(%s) AND first_submitted_at < %s
               ) AS on_time,
               COUNT(*) FILTER (WHERE expected AND report_status = %s) AS approved,
               COUNT(*) FILTER (WHERE expected AND report_status = %s) AS returned
        FROM per_station
        GROUP BY area
    """  # noqa: S608 - the inner query is Django's, with its own parameters
    received = sorted(str(status) for status in RECEIVED_REPORT_STATUSES)
    params = [
        *inner_params,
        received,
        received,
        on_time_before(month),
        ReportStatus.APPROVED.value,
        ReportStatus.RETURNED.value,
    ]
    return {row.pop("area"): row for row in dict_rows(sql, params)}


def _sum_rates(month: datetime.date, figures) -> Rates:
    total = Rates(month=month)
    for row in figures:
        for name, value in row.items():
            setattr(total, name, getattr(total, name) + value)
    return total


def reporting_rates(month: datetime.date, region: Region | None = None) -> Rates:
    """Expected, received, on-time and approved reports of ``month`` (the first day of it)
    in ``region`` (None: the whole city). One query."""
    figures = _rates_of_stations(stations_in(region).annotate(area=Value(0)), month)
    return _sum_rates(month, figures.values())


def reporting_rates_by_area(
    month: datetime.date, region: Region | None = None
) -> list[tuple[Region, Rates]]:
    """:func:`reporting_rates` for each county of the city (``region`` None or the city),
    or for each township of a county. Two queries (the areas, one grouped count)."""
    return reporting_rates_by_area_and_total(month, region)[0]


def reporting_rates_by_area_and_total(
    month: datetime.date, region: Region | None = None
) -> tuple[list[tuple[Region, Rates]], Rates]:
    """:func:`reporting_rates_by_area` and :func:`reporting_rates` of the whole ``region``
    from the same two queries: the areas partition the region's stations, so the total is
    the sum of every area's figures."""
    groups = _areas(region)
    stations = stations_in(region).annotate(area=area_key(_root_codes(region)))
    table = _rates_of_stations(stations, month)
    by_area = [
        (
            area,
            Rates(month=month, **table[area.code]) if area.code in table else Rates(month=month),
        )
        for area in groups
    ]
    return by_area, _sum_rates(month, table.values())


def _areas(region: Region | None) -> list[Region]:
    """The rows of a breakdown: the counties of the city with any townships directly under
    it (a city without counties has only those), or the townships of a county."""
    roots = Region.objects.filter(code__in=_root_codes(region))
    return list(Region.objects.areas_of(roots).order_by("code"))


# --- Coverage and staffing ------------------------------------------------------------


@dataclass
class CoverageRow:
    """Coverage and staffing of one area (a county, a township, or the total)."""

    region: Region | None
    townships: int = 0
    stations: int = 0
    operating: int = 0
    workers: int = 0
    certified: int = 0
    understaffed: int = 0

    @property
    def coverage(self) -> Decimal | None:
        return percent(self.operating, self.townships)

    @property
    def certified_ratio(self) -> Decimal | None:
        return percent(self.certified, self.workers)

    @property
    def workers_per_station(self) -> Decimal | None:
        if not self.operating:
            return None
        return (Decimal(self.workers) / self.operating).quantize(Decimal("0.1"), ROUND_HALF_UP)

    def add(self, other: CoverageRow) -> None:
        for name in ("townships", "stations", "operating", "workers", "certified", "understaffed"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


def is_understaffed(workers: int, certified: int) -> bool:
    """Below the configured targets (``STATIONS_MIN_WORKERS``, ``STATIONS_MIN_CERTIFIED_RATIO``)."""
    if workers < conf.min_workers():
        return True
    return Decimal(certified) < conf.min_certified_ratio() * workers


# An assignment of a worker with a professional qualification (助理社会工作师 or above), as
# the database keeps it on the assignment (StaffAssignment.certified).
CERTIFIED_STAFF = Q(certified=True)


def _staff_count(on: datetime.date, certified: bool = False):
    """The station's workers (or certified workers) on ``on``, as a correlated count."""
    assignments = StaffAssignment.objects.current(on).filter(station=OuterRef("pk"))
    if certified:
        assignments = assignments.filter(CERTIFIED_STAFF)
    counted = assignments.order_by().values("station").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _coverage_rows(
    region: Region | None, on: datetime.date, by_township: bool
) -> dict[str, CoverageRow]:
    """Area code -> its row (each township, or each row of :func:`_areas`: a county, or a
    township directly under the city), from one grouped query of stations and one of
    townships."""
    rows: dict[str, CoverageRow] = defaultdict(lambda: CoverageRow(region=None))
    if by_township:
        township_key, station_key = F("code"), F("region__code")
    else:
        codes = _root_codes(region)
        township_key, station_key = area_key(codes, prefix=""), area_key(codes)
    townships = townships_in(region).annotate(area=township_key).values("area")
    for row in townships.annotate(n=Count("pk")).order_by():
        rows[row["area"]].townships = row["n"]
    for row in _coverage_of_stations(stations_in(region).annotate(area=station_key), on):
        target = rows[row.pop("area")]
        for name, value in row.items():
            setattr(target, name, value)
    return rows


def _coverage_of_stations(stations, on: datetime.date) -> list[dict]:
    """Per area of ``stations`` (annotated with ``area``): active and operating stations,
    the operating ones' workers and certified workers, and how many of those are below
    the targets (:func:`is_understaffed`, the same comparison in SQL). Whether each station
    exists and operates on the day is found once (``active_on_q``, ``operating_on_q``:
    one pass over the spans for a region) and its staff counted in one grouped
    pass over the assignments of the day, then grouped by area: a grouped query over
    those expressions repeated the status subquery in each of its five filters (160 ms
    for a province's 2,475 stations), and two correlated counts of staff a station made
    5,000 index probes (the whole query 60 → 54 ms this way). tests/stations/test_demo.py
    holds the rows equal to the Python rules on the demo."""
    per_station = (
        stations.annotate(
            station_key=F("pk"),
            active=ExpressionWrapper(active_on_q(on), output_field=BooleanField()),
            operating=ExpressionWrapper(operating_on_q(on), output_field=BooleanField()),
        )
        .values("station_key", "area", "active", "operating")
        .order_by()
    )
    staff = (
        StaffAssignment.objects.current(on)
        # the stations of the first CTE, not the region's filter once more
        .filter(station_id__in=RawSQL("SELECT station_key FROM per_station", []))
        .values("station_id")
        .annotate(
            workers=Count("pk"),
            qualified=Count("pk", filter=CERTIFIED_STAFF),
        )
        .order_by()
    )
    inner, inner_params = per_station.query.sql_with_params()
    staff_sql, staff_params = staff.query.sql_with_params()
    sql = f"""
        WITH per_station AS MATERIALIZED ({inner}),
        staff AS MATERIALIZED ({staff_sql})
        SELECT area,
               COUNT(*) FILTER (WHERE active) AS stations,
               COUNT(*) FILTER (WHERE operating) AS operating,
               COALESCE(SUM(workers) FILTER (WHERE operating), 0) AS workers,
               COALESCE(SUM(qualified) FILTER (WHERE operating), 0) AS certified,
               COUNT(*) FILTER (
                   WHERE operating
                   AND (COALESCE(workers, 0) < %s
                        OR COALESCE(qualified, 0)::numeric < %s * COALESCE(workers, 0))
               ) AS understaffed
        FROM per_station p
        LEFT JOIN staff s ON s.station_id = p.station_key
        GROUP BY area
    """  # noqa: S608 - the inner queries are Django's, with their own parameters
    params = [*inner_params, *staff_params, conf.min_workers(), conf.min_certified_ratio()]
    return dict_rows(sql, params)


def _coverage(region: Region | None, on: datetime.date | None, by_township: bool):
    on = on or timezone.localdate()
    areas = _areas(region)
    rows = _coverage_rows(region, on, by_township)
    total = CoverageRow(region=region)
    for row in rows.values():
        total.add(row)
    result = []
    for area in areas:
        row = rows.get(area.code) or CoverageRow(region=area)
        row.region = area
        result.append(row)
    return result, total


def coverage_by_county(
    on: datetime.date | None = None, region: Region | None = None
) -> tuple[list[CoverageRow], CoverageRow]:
    """One row per county of the city (``region``: the city, or None for the association's
    area; one row per city of a province, with 济源-type county-level cities directly under
    it), and the total: townships, stations, operating stations and coverage (operating /
    townships), workers and certified ratio of operating stations, how many are below
    the staffing targets. Three queries."""
    return _coverage(region, on, by_township=False)


def coverage_by_township(
    county: Region, on: datetime.date | None = None
) -> tuple[list[CoverageRow], CoverageRow]:
    """The same as :func:`coverage_by_county`, one row per township of ``county``."""
    return _coverage(county, on, by_township=True)


def coverage_by_township_of_counties(
    on: datetime.date | None = None, region: Region | None = None
) -> dict[int, tuple[list[CoverageRow], CoverageRow]]:
    """:func:`coverage_by_township` of every county of ``region`` (None: all) at once:
    county id -> (township rows, total). Three queries however many counties (or cities,
    for a province)."""
    on = on or timezone.localdate()
    townships = townships_in(region).select_related("parent").order_by("parent__code", "code")
    rows = _coverage_rows(region, on, by_township=True)
    result: dict[int, tuple[list[CoverageRow], CoverageRow]] = {}
    for township in townships:
        county_rows, total = result.setdefault(
            township.parent_id, ([], CoverageRow(region=township.parent))
        )
        row = rows.get(township.code) or CoverageRow(region=township, townships=1)
        row.region = township
        county_rows.append(row)
        total.add(row)
    return result


# --- Build plan ---------------------------------------------------------------------------


@dataclass
class CountyProgress:
    county: Region
    year: int
    due_on: datetime.date
    target: int
    operating: int

    @property
    def met(self) -> bool:
        return self.operating >= self.target

    @property
    def progress(self) -> Decimal | None:
        return percent(min(self.operating, self.target), self.target)


def build_plan_progress(
    year: int, region: Region | None = None, today: datetime.date | None = None
) -> list[CountyProgress]:
    """Each county's target of ``year`` against its stations operating on the due date
    (or today, if the due date is still ahead). Two queries: the targets, and one count
    per county with a column for each distinct day."""
    today = today or timezone.localdate()
    targets = (
        BuildTarget.objects.filter(year=year).select_related("county").order_by("county__code")
    )
    targets = list(_in_roots(targets, region))
    if not targets:
        return []
    days = sorted({min(target.due_on, today) for target in targets})
    columns = {f"on_{i}": Count("pk", filter=operating_on_q(day)) for i, day in enumerate(days)}
    counts = {
        row.pop("region__parent_id"): row
        for row in stations_in(region).values("region__parent_id").annotate(**columns).order_by()
    }
    return [
        CountyProgress(
            county=target.county,
            year=year,
            due_on=target.due_on,
            target=target.target_operating,
            operating=counts.get(target.county_id, {}).get(
                f"on_{days.index(min(target.due_on, today))}", 0
            ),
        )
        for target in targets
    ]


def _in_roots(targets, region: Region | None):
    """Build targets of the counties of ``region`` (None: of the association's area; a
    province's counties are its cities' children)."""
    return targets.filter(county__ancestry__overlap=_root_codes(region))


def operating_counts(stations, months: list[datetime.date]) -> list[int]:
    """How many of ``stations`` (a queryset) were expected to report in each of ``months``
    (first days of months). One query, the rule of :meth:`StatusHistory.operating_in_month`
    counted without pairing every month with every station:

    - the status history as spans (each change ends on the next one's day, ``ends_on``);
      a station is expected in the months from its operating span's first day to its
      last (the day before the next change), each such span adds 1 to the months it
      touches: +1 in the month it starts, -1 in the month after its last day;
    - a station whose operating span ends and whose next operating span starts in the same
      month (operating, suspended, operating again within a month) touches that month
      twice: -1 in that month, +1 in the month after;
    - each month's count is the running sum of these steps up to it.

    Pairing the 36 months of the dashboard with a province's 2,475 stations made 89,000
    rows to count distinct (50 ms); this reads each span once. tests/stations/
    test_grouped_status.py holds the counts equal to the Python rule on generated histories."""
    if not months:
        return []
    scope, scope_params = stations.order_by().values("pk").query.sql_with_params()
    sql = f"""
        WITH operating AS MATERIALIZED (
            SELECT date_trunc('month', c.effective_on)::date AS first_month,
                   date_trunc('month', c.ends_on - 1)::date AS last_month,
                   date_trunc('month', LEAD(c.effective_on) OVER (
                       PARTITION BY c.station_id ORDER BY c.effective_on
                   ))::date AS next_month
            FROM {StationStatusChange._meta.db_table} c
            WHERE c.station_id IN ({scope}) AND c.status = %s
        ),
        steps AS (
            SELECT first_month AS month, 1 AS step FROM operating
            UNION ALL
            SELECT (last_month + interval '1 month')::date, -1 FROM operating
            WHERE last_month IS NOT NULL
            UNION ALL
            SELECT next_month, -1 FROM operating WHERE next_month = last_month
            UNION ALL
            SELECT (next_month + interval '1 month')::date, 1 FROM operating
            WHERE next_month = last_month
        ),
        by_month AS MATERIALIZED (
            SELECT month, SUM(step) AS step FROM steps GROUP BY month
        )
        SELECT m.first, (SELECT COALESCE(SUM(b.step), 0) FROM by_month b WHERE b.month <= m.first)
        FROM unnest(%s::date[]) AS m(first)
    """  # noqa: S608 - the only interpolations are a table name and Django's compiled SQL
    with connection.cursor() as cursor:
        cursor.execute(sql, [*scope_params, StationStatus.OPERATING, months])
        counts = dict(cursor.fetchall())
    return [counts.get(month, 0) for month in months]


def operating_by_month(
    first: datetime.date, last: datetime.date, region: Region | None = None
) -> list[tuple[datetime.date, int, int | None]]:
    """For each month from ``first`` to ``last``: (month, stations expected to report in it,
    the planned number operating by then or None). The plan is, per county, the target
    of the latest plan year whose due date has passed by the month's end. Two queries."""
    months = month_range(first, last)
    counts = operating_counts(stations_in(region), months)
    targets = _in_roots(BuildTarget.objects.order_by("due_on"), region)
    targets = list(targets.values_list("county_id", "due_on", "target_operating"))
    series = []
    for month, count in zip(months, counts, strict=True):
        end = month + relativedelta(day=31)
        reached: dict[int, int] = {}
        for county_id, due_on, target in targets:
            if due_on <= end:
                reached[county_id] = target
        plan = sum(reached.values()) if reached else None
        series.append((month, count, plan))
    return series


# --- Service volumes ----------------------------------------------------------------------


def _approved_lines(year: int, region: Region | None):
    return ServiceReportLine.objects.filter(
        report__month__year=year,
        report__status=ReportStatus.APPROVED,
        report__station__in=stations_in(region),
    )


def person_times_by_area(year: int, region: Region | None = None) -> list[dict]:
    """Activities and person-times of approved reports in ``year``, by service area
    (every area, zero when nothing was reported). Two queries.

    Read from the stations' yearly sums (:class:`AreaYearTotal`, kept by the approval
    services), not from the year's lines: 15,000 rows for a province instead of 200,000
    (250–350 ms of the coverage dashboard's time). :func:`person_times_by_county_and_area`
    still sums the lines, and tests/stations/test_demo.py holds the two equal."""
    sums = (
        AreaYearTotal.objects.filter(year=year, station__in=stations_in(region))
        .values("area_id")
        .annotate(activities=Sum("activities"), person_times=Sum("person_times"))
        .order_by()
    )
    by_area = {row["area_id"]: row for row in sums}
    return [
        {
            "area": area,
            "activities": by_area.get(area.pk, {}).get("activities") or 0,
            "person_times": by_area.get(area.pk, {}).get("person_times") or 0,
        }
        for area in ServiceArea.objects.all()
    ]


def person_times_by_county_and_area(
    year: int, region: Region | None = None
) -> dict[int, dict[int, dict]]:
    """:func:`person_times_by_area` of every county at once: county id -> area id ->
    ``{"activities", "person_times"}`` (only what was reported). Two queries: one grouped
    by county code, and the counties' ids."""
    sums = list(
        _approved_lines(year, region)
        .annotate(county=area_key(_root_codes(region), prefix="report__station__region__"))
        .values("county", "area_id")
        .annotate(activities=Sum("activities"), person_times=Sum("person_times"))
        .order_by()
    )
    ids = dict(
        Region.objects.filter(code__in={row["county"] for row in sums}).values_list("code", "pk")
    )
    table: dict[int, dict[int, dict]] = defaultdict(dict)
    for row in sums:
        if row["county"] not in ids:
            continue  # a township of its own (a breakdown of a township has no counties)
        table[ids[row["county"]]][row["area_id"]] = {
            "activities": row["activities"] or 0,
            "person_times": row["person_times"] or 0,
        }
    return dict(table)


# --- The monthly-reports export -------------------------------------------------------------


def report_export_rows(
    *,
    first: datetime.date | None = None,
    last: datetime.date | None = None,
    region: Region | None = None,
):
    """Every monthly report (of ``first``..``last`` and ``region`` when given) as one row
    of plain values: county, township, station, operator, month, status, first submission,
    volunteers, totals, and ``area_<id>_activities`` / ``area_<id>_person_times`` for each
    service area (its lines summed in the same grouped query). Returns ``(areas, rows)``:
    ``rows`` is a queryset to read with ``iterator(chunk_size=…)`` (a server-side cursor),
    so an export of 150,000 reports never holds them all. Two queries."""
    areas = list(ServiceArea.objects.order_by("order", "id"))
    figures = {}
    for area in areas:
        lines = Q(lines__area_id=area.pk)
        figures[f"area_{area.pk}_activities"] = Coalesce(Sum("lines__activities", filter=lines), 0)
        figures[f"area_{area.pk}_person_times"] = Coalesce(
            Sum("lines__person_times", filter=lines), 0
        )
    reports = ServiceReport.objects.all()
    if first is not None:
        reports = reports.filter(month__gte=first)
    if last is not None:
        reports = reports.filter(month__lte=last)
    # The association's area when no region is given (another city's stations left out).
    reports = reports.filter(station__in=stations_in(region))
    rows = (
        reports.values(
            "pk",
            "month",
            "status",
            "first_submitted_at",
            "volunteers",
            "total_activities",
            "total_person_times",
            county=F("station__region__parent__name"),
            township=F("station__region__name"),
            station_name=F("station__name"),
            operator=F("station__operator__name"),
        )
        .annotate(**figures)
        .order_by("station__region__parent__code", "station__region__code", "station_id", "month")
    )
    return areas, rows


# --- Portal reads, scoped by user -------------------------------------------------------


def station_list(*, user, on: datetime.date | None = None):
    """Stations the user may see, with region, county, operator and today's staffing
    (``workers``, ``certified``) as correlated counts: Postgres computes them only for the
    rows the page's LIMIT keeps, and the paginator's count leaves them out. One query per
    page (and one count).

    A user who is not staff sees a few stations (their own, their organisation's, their
    county's): their ids are read first, in one query, and the list, its count and its
    county filter are of those ids. With the union of the ways to see a station inside
    each of the three, PostgreSQL planned it three times and, for a page of one station,
    chose to walk every region and every station (5–8 ms of planning and 2–5 ms of
    execution each at province scale); the ids' query is planned once a connection."""
    on = on or timezone.localdate()
    return (
        stations_seen_by(user)
        .select_related("region", "region__parent", "operator")
        # The columns the list shows: an organisation's row is some twenty columns (its
        # scope of business, its directory fields), a station's a dozen more than these.
        .only(*STATION_LIST_FIELDS)
        .annotate(workers=_staff_count(on), certified=_staff_count(on, certified=True))
        .order_by("region__code", "id")
    )


STATION_LIST_FIELDS = (
    "name",
    "current_status",
    "region__name",
    "region__code",
    "region__parent__name",
    "operator__name",
)


IDS_STATEMENTS_MAX = 512
_ids_statements = Kept(IDS_STATEMENTS_MAX)  # (user, day) → (sql, params)


def _visible_station_ids(user) -> list[int]:
    """The ids of the stations a user who is not staff sees, in one prepared statement: its
    text is the same for every user (PostgreSQL plans it once a connection), and it is
    compiled once a user and day (Django's work of building the union of the ways to see
    a station took as long as running it)."""

    def compile_statement():
        sql, params = Station.objects.visible_pks(user).query.sql_with_params()
        return f"SELECT pk FROM ({sql}) AS visible", tuple(params)  # noqa: S608 - Django's

    query, params = _ids_statements.get((user.pk, timezone.localdate()), compile_statement)
    return [row["pk"] for row in dict_rows(query, params, prepare=True)]


def _station_ids_seen_by(user) -> list[int] | None:
    """The ids of the stations ``user`` sees (:meth:`StationQuerySet.visible_to`), read now;
    None for staff, who see every station."""
    if not user.is_authenticated:
        return []
    if is_association_staff(user):
        return None
    return _visible_station_ids(user)


def stations_seen_by(user):
    """The stations ``user`` sees, for a page: staff's every station, anyone else's by the
    ids read first (:func:`_visible_station_ids`). A page's queries are then of a few ids,
    not of the union of the ways to see a station, which PostgreSQL planned again in each
    of them. Not for a statement kept beyond the request (the to-do's): the ids are read
    now."""
    ids = _station_ids_seen_by(user)
    return Station.objects.all() if ids is None else Station.objects.filter(pk__in=ids)


def reports_seen_by(user):
    """The monthly reports of the stations ``user`` sees, as :func:`stations_seen_by`."""
    ids = _station_ids_seen_by(user)
    reports = ServiceReport.objects.all()
    return reports if ids is None else reports.filter(station_id__in=ids)


def station_get_for_user(*, user, pk) -> Station:
    return get_object_or_404(
        stations_seen_by(user).select_related("region", "region__parent", "operator"), pk=pk
    )


def station_detail_context(station: Station, *, today: datetime.date | None = None) -> dict:
    """Everything the station page shows, in a fixed number of queries."""
    today = today or timezone.localdate()
    assignments = list(
        StaffAssignment.objects.filter(station=station)
        .select_related("worker")
        .order_by("ends_on", "role", "starts_on")
    )
    current = [
        a for a in assignments if a.starts_on <= today and (a.ends_on is None or a.ends_on >= today)
    ]
    workers = len(current)
    certified = sum(1 for a in current if a.worker.qualification != "none")
    return {
        "history": list(station.status_changes.order_by("-effective_on", "-id")),
        "assignments": assignments,
        "current_assignments": current,
        "workers": workers,
        "certified": certified,
        "certified_ratio": percent(certified, workers),
        "understaffed": is_understaffed(workers, certified),
        "checklist": list(station.checklist.all()),
        "contracts": list(station.contracts.all()),
        "service_areas": list(station.service_areas.all()),
        "assessments": list(
            Assessment.objects.filter(station=station, status="published")
            .select_related("round")
            .order_by("-round__year")
        ),
    }


def report_list(*, user):
    return (
        reports_seen_by(user)
        .select_related("station", "station__region", "station__region__parent")
        .order_by("-month", "region_code", "station_id")
    )


def station_recent_reports(station: Station, *, count: int = 6) -> list[ServiceReport]:
    """The latest reports of ``station``, one the user sees (:func:`station_get_for_user`):
    whoever sees a station sees its reports (``ServiceReportQuerySet.visible_to``), so the
    stations the user sees are not read a second time."""
    return list(station.reports.order_by("-month")[:count])


def review_queue(*, user):
    """Submitted reports the user may review (staff: all; county reviewer: the county's)."""
    reports = ServiceReport.objects.filter(status=ReportStatus.SUBMITTED)
    if not is_association_staff(user):
        reports = reports.filter(station__region__parent__station_reviewers__user=user)
    # The columns the queue shows, not the reports' and stations' whole rows: building 120
    # full instances a page took 4.5 ms, these 2.6 (tests/test_query_budgets.py would count a
    # query a row if the page showed a column left out here).
    return (
        reports.select_related("station", "station__region", "station__region__parent")
        .only(
            "station__name",
            "station__region__parent__name",
            "month",
            "status",
            "total_person_times",
            "submitted_at",
            "is_outlier",
            "outlier_note",
        )
        .order_by("submitted_at", "id")
    )


def report_get_for_user(*, user, pk) -> ServiceReport:
    return get_object_or_404(
        reports_seen_by(user).select_related(
            "station", "station__region", "station__region__parent", "station__operator"
        ),
        pk=pk,
    )


def report_grid(report: ServiceReport | None):
    """Areas, kinds and the report's cells as ``{(area_id, kind_id): line}``. Three queries."""
    areas = list(ServiceArea.objects.filter(is_active=True))
    kinds = list(WorkKind.objects.filter(is_active=True))
    cells = {}
    if report is not None and report.pk:
        for line in report.lines.all():
            cells[(line.area_id, line.kind_id)] = line
    return areas, kinds, cells


def report_events(report: ServiceReport):
    return ReportEvent.objects.filter(report=report).select_related("by").order_by("at", "id")


def station_months_missing(
    station: Station, *, months: int = 12, today=None, history=None
) -> list[datetime.date]:
    """Months (newest first, up to ``months`` back, the last complete month included)
    in which the station was expected to report but has no report yet. ``history``, the
    station's status changes when the caller has them already (the station page does:
    ``station_detail_context``), saves reading them again."""
    last = last_month(today)
    first = last - relativedelta(months=months - 1)
    if history is None:
        status_history = StatusHistory.for_stations([station.pk])
    else:
        status_history = StatusHistory(
            (station.pk, change.effective_on, change.status)
            for change in sorted(history, key=lambda change: (change.effective_on, change.pk))
        )
    have = set(
        ServiceReport.objects.filter(station=station, month__gte=first)
        .order_by()
        .values_list("month", flat=True)
    )
    return [
        month
        for month in reversed(month_range(first, last))
        if status_history.operating_in_month(station.pk, month) and month not in have
    ]


def outlier_check(report: ServiceReport) -> tuple[bool, str]:
    """Compare the report's person-times with the median of the station's own last twelve
    received reports (at least three needed)."""
    history = list(
        ServiceReport.objects.filter(
            station_id=report.station_id,
            month__lt=report.month,
            status__in=[ReportStatus.SUBMITTED, ReportStatus.APPROVED],
        )
        .order_by("-month")
        .values_list("total_person_times", flat=True)[:12]
    )
    return outlier_of(report.total_person_times, history)


def outlier_of(person_times: int, history: list[int]) -> tuple[bool, str]:
    """:func:`outlier_check` on figures: ``history`` is the station's person-times of its
    last twelve received reports before the month, the latest first."""
    if len(history) < 3:
        return False, ""
    median = Decimal(str(statistics.median(history)))
    factor = conf.outlier_factor()
    total = Decimal(person_times)
    if median > 0 and total > median * factor:
        return True, _(
            "服务人次（%(total)s）超过本站近期中位数（%(median)s）的 %(factor)s 倍。"
        ) % {
            "total": person_times,
            "median": format(median.normalize(), "f"),
            "factor": format(factor.normalize(), "f"),
        }
    if median > 0 and total * factor < median:
        return True, _("服务人次（%(total)s）不足本站近期中位数（%(median)s）的 1/%(factor)s。") % {
            "total": person_times,
            "median": format(median.normalize(), "f"),
            "factor": format(factor.normalize(), "f"),
        }
    return False, ""


def assessment_get_for_user(*, user, pk) -> Assessment:
    assessment = get_object_or_404(
        Assessment.objects.visible_to(user).select_related("round", "station", "station__region"),
        pk=pk,
    )
    return assessment


def assessment_scores(assessment: Assessment):
    return list(
        AssessmentScore.objects.filter(assessment=assessment)
        .select_related("indicator")
        .order_by("indicator__order", "indicator_id")
    )


def user_stations_for_reports(user):
    """Stations whose reports the user writes (current assignment or operator admin)."""
    if not user.is_authenticated:
        return Station.objects.none()
    return Station.objects.filter(
        Q(pk__in=StaffAssignment.objects.current().filter(worker__user=user).values("station"))
        | Q(operator__admins__user=user)
    ).distinct()


def prefetch_lines():
    return Prefetch(
        "lines", queryset=ServiceReportLine.objects.order_by("area__order", "kind__order")
    )


def region_for_dashboard(code: str | None, user=None) -> Region | None:
    """The city or county a dashboard shows: ``code`` if it lies within what ``user`` may
    see (:func:`dashboard_home`), else 404; without a code, the user's home (None: the
    association's whole area). Another city's regions, loaded beside the association's,
    are never reachable."""
    home = dashboard_home(user)
    if not code:
        return home
    regions = Region.objects.filter(code=code, level__in=[Level.CITY, Level.COUNTY])
    if home is not None:
        regions = regions.filter(pk__in=Region.objects.within(home).values("pk"))
    else:
        regions = regions.filter(pk__in=Region.objects.association_area().values("pk"))
    region = regions.first()
    if region is None:
        raise Http404
    return region


def station_for_dashboard(pk: int, user) -> Station:
    """A station within what ``user``'s dashboard covers (:func:`dashboard_home`: a county
    official's county, else the association's area); 404 for any other."""
    home = dashboard_home(user)
    area = Region.objects.within(home) if home is not None else Region.objects.association_area()
    return get_object_or_404(
        Station.objects.select_related("region__parent").filter(region__in=area.values("pk")),
        pk=pk,
    )


def dashboard_home(user) -> Region | None:
    """Where a user's dashboard starts and what it is limited to: an official's region (a
    county official sees the county and nothing else), or None for the association's
    area (staff, and officials of the whole city)."""
    if user is None or is_association_staff(user):
        return None
    return scope.region_of(user)


@dataclass(frozen=True)
class DashboardFigures:
    rows: list
    total: object
    rates_by_area: list
    total_rates: object
    series: list
    volumes: list
    plan: object


def dashboard_figures(region: Region | None, month: datetime.date) -> DashboardFigures:
    """The coverage dashboard's figures for ``region`` (None: the association's area) and
    ``month``. Counted over every station, staff assignment and report of the area (about
    100 ms at province scale), they are kept in the process until one of their tables
    changes (:func:`association.changes.since_last_changes`), in two parts: the coverage,
    staffing, operating series and build plan (stations and their staff), and the
    reporting rates and service volumes (the reports), so that a report submitted recounts
    only the second (about 40 of the 100 ms). Shared between requests, so never changed by
    their readers. Who may see which region is the caller's to check
    (:func:`region_for_dashboard`)."""
    from association.changes import since_last_changes

    key = (region.pk if region else None, month, timezone.localdate())
    coverage, reports = since_last_changes(
        [
            ("stations.coverage", ("dashboard", *key), lambda: _coverage_figures(region, month)),
            ("stations.reports", ("dashboard", *key), lambda: _report_figures(region, month)),
        ]
    )
    return DashboardFigures(**coverage, **reports)


def _coverage_figures(region: Region | None, month: datetime.date) -> dict:
    """The coverage and staffing by area, the operating stations by month and the build
    plan: stations, their status history, staff and build targets."""
    if region is not None and region.level == Level.COUNTY:
        rows, total = coverage_by_township(region)
    else:
        rows, total = coverage_by_county(region=region)
    first = month - relativedelta(months=35)
    return {
        "rows": rows,
        "total": total,
        "series": operating_by_month(first, month, region),
        "plan": build_plan_progress(month.year, region),
    }


def _report_figures(region: Region | None, month: datetime.date) -> dict:
    """The reporting rates by area and the service volumes: the monthly reports."""
    rates_by_area, total_rates = reporting_rates_by_area_and_total(month, region)
    return {
        "rates_by_area": rates_by_area,
        "total_rates": total_rates,
        "volumes": person_times_by_area(month.year, region),
    }


def bulk_stations(user):
    """The stations whose reports ``user`` may upload in bulk: those its organisations run."""
    return Station.objects.operated_by_user(user).select_related("region").order_by("region__code")


# --- Reminders ----------------------------------------------------------------------------


def stations_missing_report(month: datetime.date) -> list[Station]:
    """The stations expected to report for ``month`` that have not submitted. One query."""
    received = ServiceReport.objects.filter(
        station=OuterRef("pk"), month=month, status__in=RECEIVED_REPORT_STATUSES
    )
    return list(
        Station.objects.select_related("region", "operator")
        .filter(expected_q(month))
        .exclude(Exists(received))
    )


def _operator_admins(stations) -> dict[int, set[int]]:
    users: dict[int, set[int]] = defaultdict(set)
    for station_id, user_id in Station.objects.filter(
        pk__in=[s.pk for s in stations], operator__admins__isnull=False
    ).values_list("pk", "operator__admins__user_id"):
        users[station_id].add(user_id)
    return users


def report_writers(stations, on: datetime.date) -> dict[int, set[int]]:
    """Station id -> user ids of its current workers and its operator's admins."""
    users = _operator_admins(stations)
    for station_id, user_id in (
        StaffAssignment.objects.current(on)
        .filter(station__in=stations, worker__user__isnull=False)
        .values_list("station_id", "worker__user_id")
    ):
        users[station_id].add(user_id)
    return users


def report_overseers(stations) -> dict[int, set[int]]:
    """Station id -> user ids of its operator's admins and its county's reviewers."""
    users = _operator_admins(stations)
    county_of = {s.pk: s.region.parent_id for s in stations}
    reviewers: dict[int, set[int]] = defaultdict(set)
    for county_id, user_id in CountyReviewer.objects.filter(
        county_id__in=set(county_of.values())
    ).values_list("county_id", "user_id"):
        reviewers[county_id].add(user_id)
    for station_id, county_id in county_of.items():
        users[station_id] |= reviewers[county_id]
    return users


# --- Statistical tables and reporting completeness ------------------------------------------


def funding_by_county(year: int, region: Region | None = None) -> dict[int, Decimal]:
    """Government funding (财政投入) recorded for ``year``: the amounts of the stations'
    service contracts of that year (purchased by the civil-affairs bureaus), summed by
    county: county id -> yuan. Counties with no contract are absent. One grouped query."""
    from .models import ServiceContract

    rows = (
        ServiceContract.objects.filter(year=year, station__in=stations_in(region))
        .values("station__region__parent_id")
        .annotate(amount=Sum("amount"))
        .order_by()
    )
    return {row["station__region__parent_id"]: row["amount"] or Decimal(0) for row in rows}


class CellStatus:
    """The state of one station's month in the completeness grid, with its short form
    (every cell shows its text, never its colour alone)."""

    APPROVED = "approved"
    SUBMITTED = "submitted"
    LATE = "late"
    RETURNED = "returned"
    MISSING = "missing"
    INACTIVE = "inactive"
    NOT_DUE = "not_due"

    ORDER = (APPROVED, SUBMITTED, LATE, RETURNED, MISSING, INACTIVE)

    @staticmethod
    def labels() -> dict[str, tuple[str, str]]:
        """status -> (label, the abbreviation printed in the cell)."""
        return {
            CellStatus.APPROVED: (_("已审核"), _("审")),
            CellStatus.SUBMITTED: (_("已报送"), _("报")),
            CellStatus.LATE: (_("逾期"), _("逾")),
            CellStatus.RETURNED: (_("退回"), _("退")),
            CellStatus.MISSING: (_("未报"), _("未")),
            CellStatus.INACTIVE: (_("不在运营"), _("停")),
            CellStatus.NOT_DUE: (_("未到报送截止日"), "·"),
        }


@dataclass
class GridCell:
    month: datetime.date
    status: str
    report_id: int | None = None
    late: bool = False  # first submitted after the month's deadline
    report_status: str = ""  # the report's own status, when there is one
    first_submitted_at: datetime.datetime | None = None

    @property
    def deadline(self) -> datetime.date:
        return report_deadline(self.month)

    @property
    def label(self) -> str:
        return CellStatus.labels()[self.status][0]

    @property
    def short(self) -> str:
        return CellStatus.labels()[self.status][1]

    @property
    def expected(self) -> bool:
        return self.status not in (CellStatus.INACTIVE, CellStatus.NOT_DUE)

    @property
    def received(self) -> bool:
        return self.status in (
            CellStatus.APPROVED,
            CellStatus.SUBMITTED,
            CellStatus.LATE,
            CellStatus.RETURNED,
        )


@dataclass
class GridRow:
    station: Station
    cells: list[GridCell]


def grid_cell(
    month: datetime.date,
    *,
    expected: bool,
    status: str | None,
    on_time: bool | None,
    report_id: int | None,
    today: datetime.date,
    first_submitted_at: datetime.datetime | None = None,
) -> GridCell:
    """The rule of one cell. A month whose deadline has not passed and that has no
    report yet is not due; a station not operating on any day of the month (and with no
    report) is 不在运营；an expected month with no received report is 未报；a received
    report is 退回 if returned, else 逾期 if first submitted after the deadline, else
    已审核 / 已报送 by its status."""
    received = status in RECEIVED_REPORT_STATUSES
    if not expected and not received:
        return GridCell(month, CellStatus.INACTIVE, report_id, report_status=status or "")
    if not received:
        due = today > report_deadline(month)
        state = CellStatus.MISSING if due else CellStatus.NOT_DUE
        return GridCell(month, state, report_id, report_status=status or "")
    late = not on_time
    if status == ReportStatus.RETURNED:
        state = CellStatus.RETURNED
    elif late:
        state = CellStatus.LATE
    elif status == ReportStatus.APPROVED:
        state = CellStatus.APPROVED
    else:
        state = CellStatus.SUBMITTED
    return GridCell(
        month,
        state,
        report_id,
        late=late,
        report_status=status,
        first_submitted_at=first_submitted_at,
    )


def reporting_grid(
    county: Region | None,
    year: int,
    *,
    today: datetime.date | None = None,
    station: Station | None = None,
) -> tuple[list[datetime.date], list[GridRow]]:
    """Every station of ``county`` (a county, or a township) × every month of ``year``:
    (months, rows). One query however many stations: each station row carries, for each
    month, whether it was expected to report (:func:`expected_q`), its report's id and
    status, and whether the first submission was on time."""
    from django.db.models import BooleanField

    today = today or timezone.localdate()
    months = month_range(datetime.date(year, 1, 1), datetime.date(year, 12, 1))
    columns = {}
    for index, month in enumerate(months):
        report = ServiceReport.objects.filter(station=OuterRef("pk"), month=month).order_by()
        columns[f"e{index}"] = ExpressionWrapper(expected_q(month), output_field=BooleanField())
        columns[f"r{index}"] = Subquery(report.values("pk")[:1])
        columns[f"s{index}"] = Subquery(report.values("status")[:1], output_field=CharField())
        columns[f"f{index}"] = Subquery(report.values("first_submitted_at")[:1])
        columns[f"t{index}"] = Subquery(
            report.values(
                on_time=ExpressionWrapper(
                    Q(first_submitted_at__lt=on_time_before(month)),
                    output_field=BooleanField(),
                )
            )[:1],
            output_field=BooleanField(),
        )
    stations = stations_in(county)
    if station is not None:
        stations = stations.filter(pk=station.pk)
    stations = (
        stations.select_related("region").annotate(**columns).order_by("region__code", "name", "pk")
    )
    rows = []
    for station in stations:
        cells = [
            grid_cell(
                month,
                expected=bool(getattr(station, f"e{index}")),
                status=getattr(station, f"s{index}"),
                on_time=getattr(station, f"t{index}"),
                report_id=getattr(station, f"r{index}"),
                today=today,
                first_submitted_at=getattr(station, f"f{index}"),
            )
            for index, month in enumerate(months)
        ]
        rows.append(GridRow(station, cells))
    return months, rows


@dataclass
class MonthRates:
    """A month's reporting and on-time rates over a set of grid rows (the same rule as
    :class:`Rates`: received and on-time counted among the expected stations)."""

    month: datetime.date
    expected: int = 0
    received: int = 0
    on_time: int = 0
    due: bool = True

    @property
    def rate(self) -> Decimal | None:
        return percent(self.received, self.expected) if self.due else None

    @property
    def on_time_rate(self) -> Decimal | None:
        return percent(self.on_time, self.expected) if self.due else None


def grid_rates(months: list[datetime.date], rows: list[GridRow]) -> list[MonthRates]:
    """Each month's rates from the grid's cells (no query). A month whose deadline has
    not passed has no rate yet."""
    result = []
    for index, month in enumerate(months):
        cells = [row.cells[index] for row in rows]
        figures = MonthRates(month=month)
        figures.due = not any(cell.status == CellStatus.NOT_DUE for cell in cells) and bool(cells)
        for cell in cells:
            if cell.status == CellStatus.NOT_DUE:
                continue
            if cell.expected:
                figures.expected += 1
                if cell.received:
                    figures.received += 1
                    if not cell.late:
                        figures.on_time += 1
        result.append(figures)
    return result


def reporting_rates_by_county_and_month(
    year: int, region: Region | None = None
) -> tuple[list[datetime.date], list[tuple[Region, list[Rates]]]]:
    """:func:`reporting_rates` of each county (of ``region``, None: every county) for every
    month of ``year``: (months, [(county, [Rates of each month])]). Two queries: the
    counties, and one grouped count with three columns a month."""
    months = month_range(datetime.date(year, 1, 1), datetime.date(year, 12, 1))
    columns = {}
    for index, month in enumerate(months):
        expected = expected_q(month)
        report = ServiceReport.objects.filter(station=OuterRef("pk"), month=month).order_by()
        received = Exists(report.filter(status__in=RECEIVED_REPORT_STATUSES))
        on_time = Exists(
            report.filter(
                status__in=RECEIVED_REPORT_STATUSES,
                first_submitted_at__lt=on_time_before(month),
            )
        )
        columns[f"e{index}"] = Count("pk", filter=expected)
        columns[f"r{index}"] = Count("pk", filter=expected & Q(received))
        columns[f"t{index}"] = Count("pk", filter=expected & Q(on_time))
    counties = _areas(region if region is None or region.level != Level.COUNTY else None)
    if region is not None and region.level == Level.COUNTY:
        counties = [region]
    table = {
        row.pop("region__parent_id"): row
        for row in stations_in(region).values("region__parent_id").annotate(**columns).order_by()
    }
    result = []
    for county in counties:
        row = table.get(county.pk, {})
        result.append(
            (
                county,
                [
                    Rates(
                        month=month,
                        expected=row.get(f"e{index}", 0),
                        received=row.get(f"r{index}", 0),
                        on_time=row.get(f"t{index}", 0),
                    )
                    for index, month in enumerate(months)
                ],
            )
        )
    return months, result


def built_by_county(on: datetime.date, region: Region | None = None) -> dict[int, int]:
    """Stations built (建成：operating or suspended on ``on``, so neither planned, being
    built nor closed) by county: county id -> count. One grouped query."""
    built = status_in_on_q([StationStatus.OPERATING, StationStatus.SUSPENDED], on)
    rows = (
        stations_in(region)
        .values("region__parent_id")
        .annotate(n=Count("pk", filter=built))
        .order_by()
    )
    return {row["region__parent_id"]: row["n"] for row in rows}
