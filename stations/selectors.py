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
- :func:`reporting_rates_by_area` – the same, one row per county (or per township).
- :func:`coverage_by_county` / :func:`coverage_by_township` – townships, stations,
  operating stations, coverage, staffing and certified ratio on a day.
- :func:`operating_by_month` – stations operating in each month, with the build plan.
- :func:`build_plan_progress` – each county's yearly target against what operates.
- :func:`person_times_by_area` – services and person-times by service area in a year.

Every function takes plain values (dates, a ``Region`` or ``None`` for the whole city)
and costs a fixed number of queries however many stations there are.
"""

from __future__ import annotations

import datetime
import statistics
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from dateutil.relativedelta import relativedelta
from django.db.models import Count, Prefetch, Q, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from association.accounts.roles import is_association_staff
from association.regions.choices import Level
from association.regions.models import Region

from . import conf
from .choices import RECEIVED_REPORT_STATUSES, ReportStatus, StationStatus
from .models import (
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


def stations_in(region: Region | None = None):
    """Stations of a region (city, county or township) or of every region (None)."""
    stations = Station.objects.all()
    if region is not None:
        stations = stations.filter(
            Q(region=region) | Q(region__parent=region) | Q(region__parent__parent=region)
        )
    return stations


def townships_in(region: Region | None = None):
    townships = Region.objects.townships()
    if region is not None:
        townships = townships.filter(Q(pk=region.pk) | Q(parent=region) | Q(parent__parent=region))
    return townships


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


def is_on_time(first_submitted_at, month: datetime.date) -> bool:
    """A report is on time when it was first submitted on or before the month's deadline
    (a later return and resubmission does not make it late)."""
    if first_submitted_at is None:
        return False
    return timezone.localdate(first_submitted_at) <= report_deadline(month)


def _tally(rates: Rates, status: str, first_submitted_at) -> None:
    if status in RECEIVED_REPORT_STATUSES:
        rates.received += 1
        if is_on_time(first_submitted_at, rates.month):
            rates.on_time += 1
        if status == ReportStatus.APPROVED:
            rates.approved += 1
        elif status == ReportStatus.RETURNED:
            rates.returned += 1


def reporting_rates(month: datetime.date, region: Region | None = None) -> Rates:
    """Expected, received, on-time and approved reports of ``month`` (the first day of it)
    in ``region`` (None: the whole city). Two queries."""
    stations = stations_in(region)
    expected = StatusHistory.for_stations(stations.values("pk")).expected_ids(month)
    rates = Rates(month=month, expected=len(expected))
    reports = ServiceReport.objects.filter(month=month, station_id__in=expected).values_list(
        "status", "first_submitted_at"
    )
    for status, first_submitted_at in reports:
        _tally(rates, status, first_submitted_at)
    return rates


def _group_key(region_path_parent_id, region_id, by: str):
    return region_path_parent_id if by == Level.COUNTY else region_id


def reporting_rates_by_area(
    month: datetime.date, region: Region | None = None
) -> list[tuple[Region, Rates]]:
    """:func:`reporting_rates` for each county of the city (``region`` None or the city),
    or for each township of a county. Four queries."""
    by_township = region is not None and region.level == Level.COUNTY
    stations = list(stations_in(region).values_list("pk", "region_id", "region__parent_id"))
    key_of = {pk: (township if by_township else county) for pk, township, county in stations}
    history = StatusHistory.for_stations([pk for pk, _, _ in stations])
    groups = _areas(region)
    table = {area.pk: Rates(month=month) for area in groups}
    expected = history.expected_ids(month)
    for pk in expected:
        table.setdefault(key_of[pk], Rates(month=month)).expected += 1
    reports = ServiceReport.objects.filter(month=month, station_id__in=expected).values_list(
        "station_id", "status", "first_submitted_at"
    )
    for station_id, status, first_submitted_at in reports:
        _tally(table[key_of[station_id]], status, first_submitted_at)
    return [(area, table[area.pk]) for area in groups]


def _areas(region: Region | None) -> list[Region]:
    """The rows of a breakdown: counties of the city, or townships of a county."""
    if region is not None and region.level == Level.COUNTY:
        return list(Region.objects.townships().filter(parent=region).order_by("code"))
    counties = Region.objects.counties()
    if region is not None:
        counties = counties.filter(parent=region)
    return list(counties.order_by("code"))


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
    station_ids: list[int] = field(default_factory=list)

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


def staffing_of(station_ids, on: datetime.date) -> dict[int, tuple[int, int]]:
    """Station id -> (workers, certified workers) on ``on``. One query."""
    rows = (
        StaffAssignment.objects.current(on)
        .filter(station_id__in=station_ids)
        .values_list("station_id", "worker__qualification")
    )
    staffing: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for station_id, qualification in rows:
        staffing[station_id][0] += 1
        if qualification != "none":
            staffing[station_id][1] += 1
    return {pk: (n, c) for pk, (n, c) in staffing.items()}


def is_understaffed(workers: int, certified: int) -> bool:
    """Below the configured targets (``STATIONS_MIN_WORKERS``, ``STATIONS_MIN_CERTIFIED_RATIO``)."""
    if workers < conf.min_workers():
        return True
    return Decimal(certified) < conf.min_certified_ratio() * workers


def _coverage(region: Region | None, on: datetime.date | None, by_township: bool):
    on = on or timezone.localdate()
    areas = _areas(region)
    rows = {area.pk: CoverageRow(region=area) for area in areas}
    townships = townships_in(region).values_list("pk", "parent_id")
    for pk, parent_id in townships:
        key = pk if by_township else parent_id
        if key in rows:
            rows[key].townships += 1
    stations = list(stations_in(region).values_list("pk", "region_id", "region__parent_id"))
    history = StatusHistory.for_stations([pk for pk, _, _ in stations])
    active = history.active_ids_on(on)
    operating = history.operating_ids_on(on)
    staffing = staffing_of(operating, on)
    total = CoverageRow(region=region)
    for pk, township_id, county_id in stations:
        row = rows.get(township_id if by_township else county_id)
        for target in (row, total) if row else (total,):
            if pk in active:
                target.stations += 1
                target.station_ids.append(pk)
            if pk in operating:
                workers, certified = staffing.get(pk, (0, 0))
                target.operating += 1
                target.workers += workers
                target.certified += certified
                target.understaffed += is_understaffed(workers, certified)
    total.townships = sum(row.townships for row in rows.values())
    return [rows[area.pk] for area in areas], total


def coverage_by_county(
    on: datetime.date | None = None, region: Region | None = None
) -> tuple[list[CoverageRow], CoverageRow]:
    """One row per county of the city (``region``: the city, or None for every county),
    and the total: townships, stations, operating stations and coverage (operating /
    townships), workers and certified ratio of operating stations, how many are below
    the staffing targets. Five queries."""
    return _coverage(region, on, by_township=False)


def coverage_by_township(
    county: Region, on: datetime.date | None = None
) -> tuple[list[CoverageRow], CoverageRow]:
    """The same as :func:`coverage_by_county`, one row per township of ``county``."""
    return _coverage(county, on, by_township=True)


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
    (or today, if the due date is still ahead). Three queries."""
    today = today or timezone.localdate()
    targets = (
        BuildTarget.objects.filter(year=year).select_related("county").order_by("county__code")
    )
    if region is not None:
        targets = targets.filter(Q(county=region) | Q(county__parent=region))
    targets = list(targets)
    stations = list(stations_in(region).values_list("pk", "region__parent_id")) if targets else []
    history = StatusHistory.for_stations([pk for pk, _ in stations]) if targets else None
    result = []
    for target in targets:
        day = min(target.due_on, today)
        operating = history.operating_ids_on(day)
        count = sum(1 for pk, county in stations if county == target.county_id and pk in operating)
        result.append(
            CountyProgress(
                county=target.county,
                year=year,
                due_on=target.due_on,
                target=target.target_operating,
                operating=count,
            )
        )
    return result


def operating_by_month(
    first: datetime.date, last: datetime.date, region: Region | None = None
) -> list[tuple[datetime.date, int, int | None]]:
    """For each month from ``first`` to ``last``: (month, stations expected to report in it,
    the planned number operating by then or None). The plan is, per county, the target
    of the latest plan year whose due date has passed by the month's end. Three queries."""
    months = month_range(first, last)
    stations = stations_in(region).values("pk")
    history = StatusHistory.for_stations(stations)
    targets = BuildTarget.objects.order_by("due_on")
    if region is not None:
        targets = targets.filter(Q(county=region) | Q(county__parent=region))
    targets = list(targets.values_list("county_id", "due_on", "target_operating"))
    series = []
    for month in months:
        end = month + relativedelta(day=31)
        reached: dict[int, int] = {}
        for county_id, due_on, target in targets:
            if due_on <= end:
                reached[county_id] = target
        plan = sum(reached.values()) if reached else None
        series.append((month, len(history.expected_ids(month)), plan))
    return series


# --- Service volumes ----------------------------------------------------------------------


def person_times_by_area(year: int, region: Region | None = None) -> list[dict]:
    """Activities and person-times of approved reports in ``year``, by service area
    (every area, zero when nothing was reported). Two queries."""
    sums = (
        ServiceReportLine.objects.filter(
            report__month__year=year,
            report__status=ReportStatus.APPROVED,
            report__station__in=stations_in(region),
        )
        .values("area_id")
        .annotate(activities=Sum("activities"), person_times=Sum("person_times"))
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


# --- Portal reads, scoped by user -------------------------------------------------------


def station_list(*, user, on: datetime.date | None = None):
    """Stations the user may see, with region, county, operator and today's staffing
    annotated (``workers``, ``certified``): one query per page."""
    on = on or timezone.localdate()
    current = Q(assignments__starts_on__lte=on) & (
        Q(assignments__ends_on__isnull=True) | Q(assignments__ends_on__gte=on)
    )
    return (
        Station.objects.visible_to(user)
        .select_related("region", "region__parent", "operator")
        .annotate(
            workers=Count("assignments", filter=current, distinct=True),
            certified=Count(
                "assignments",
                filter=current & ~Q(assignments__worker__qualification="none"),
                distinct=True,
            ),
        )
        .order_by("region__code", "id")
    )


def station_get_for_user(*, user, pk) -> Station:
    return get_object_or_404(
        Station.objects.visible_to(user).select_related("region", "region__parent", "operator"),
        pk=pk,
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


def report_list(*, user, station: Station | None = None):
    reports = ServiceReport.objects.visible_to(user).select_related(
        "station", "station__region", "station__region__parent"
    )
    if station is not None:
        reports = reports.filter(station=station)
    return reports.order_by("-month", "station__region__code")


def review_queue(*, user):
    """Submitted reports the user may review (staff: all; county reviewer: the county's)."""
    reports = ServiceReport.objects.filter(status=ReportStatus.SUBMITTED)
    if not is_association_staff(user):
        reports = reports.filter(station__region__parent__station_reviewers__user=user)
    return reports.select_related("station", "station__region", "station__region__parent").order_by(
        "submitted_at", "id"
    )


def report_get_for_user(*, user, pk) -> ServiceReport:
    return get_object_or_404(
        ServiceReport.objects.visible_to(user).select_related(
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
    station: Station, *, months: int = 12, today=None
) -> list[datetime.date]:
    """Months (newest first, up to ``months`` back, the last complete month included)
    in which the station was expected to report but has no report yet."""
    last = last_month(today)
    first = last - relativedelta(months=months - 1)
    history = StatusHistory.for_stations([station.pk])
    have = set(
        ServiceReport.objects.filter(station=station, month__gte=first).values_list(
            "month", flat=True
        )
    )
    return [
        month
        for month in reversed(month_range(first, last))
        if history.operating_in_month(station.pk, month) and month not in have
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
    if len(history) < 3:
        return False, ""
    median = Decimal(str(statistics.median(history)))
    factor = conf.outlier_factor()
    total = Decimal(report.total_person_times)
    if median > 0 and total > median * factor:
        return True, _("服务人次(%(total)s)超过本站近期中位数(%(median)s)的 %(factor)s 倍。") % {
            "total": report.total_person_times,
            "median": format(median.normalize(), "f"),
            "factor": format(factor.normalize(), "f"),
        }
    if median > 0 and total * factor < median:
        return True, _("服务人次(%(total)s)不足本站近期中位数(%(median)s)的 1/%(factor)s。") % {
            "total": report.total_person_times,
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


def region_for_dashboard(code: str | None) -> Region | None:
    """The city or county (or None) a dashboard is scoped to; 404 for unknown codes."""
    if not code:
        return None
    region = Region.objects.filter(code=code, level__in=[Level.CITY, Level.COUNTY]).first()
    if region is None:
        raise Http404
    return region


def bulk_stations(user):
    """The stations whose reports ``user`` may upload in bulk: those its organisations run."""
    return Station.objects.operated_by_user(user).select_related("region").order_by("region__code")


# --- Reminders ----------------------------------------------------------------------------


def stations_missing_report(month: datetime.date) -> list[Station]:
    """The stations expected to report for ``month`` that have not submitted. Three queries."""
    stations = Station.objects.select_related("region", "operator")
    history = StatusHistory.for_stations(stations.values("pk"))
    expected = history.expected_ids(month)
    received = set(
        ServiceReport.objects.filter(
            month=month, station_id__in=expected, status__in=RECEIVED_REPORT_STATUSES
        ).values_list("station_id", flat=True)
    )
    return list(stations.filter(pk__in=expected - received))


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
