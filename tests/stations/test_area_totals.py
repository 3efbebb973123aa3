"""The stations' yearly sums by service area (AreaYearTotal), kept by the approval services.

The dashboards read these sums instead of the year's report lines (200,000 at province
scale). They must equal the lines of the approved reports, whichever way a report was
approved, and ``rebuild_area_totals`` must compute the same sums from the lines.
"""

from __future__ import annotations

import datetime
from collections import Counter

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stations import selectors, services
from stations.choices import ReportStatus
from stations.models import AreaYearTotal, ServiceArea, ServiceReport, ServiceReportLine, WorkKind
from tests.members.factories import township

from .factories import StationFactory

D = datetime.date
MONTHS = [D(2024, 11, 1), D(2024, 12, 1), D(2025, 1, 1), D(2025, 2, 1)]


def _from_lines() -> dict:
    """(station, year, area) -> [activities, person_times] of the approved reports' lines."""
    sums: dict = {}
    lines = ServiceReportLine.objects.filter(report__status=ReportStatus.APPROVED)
    for line in lines.select_related("report"):
        key = (line.report.station_id, line.report.month.year, line.area_id)
        total = sums.setdefault(key, [0, 0])
        total[0] += line.activities
        total[1] += line.person_times
    return sums


def _table() -> dict:
    return {
        (row.station_id, row.year, row.area_id): [row.activities, row.person_times]
        for row in AreaYearTotal.objects.all()
    }


def _submitted(station, month, cells) -> ServiceReport:
    """A report as its station submitted it: ``cells`` is ((area, kind), activities,
    person_times) for each line."""
    report = ServiceReport.objects.create(
        station=station, month=month, status=ReportStatus.SUBMITTED, narrative="本月工作。"
    )
    ServiceReportLine.objects.bulk_create(
        ServiceReportLine(report=report, area=area, kind=kind, activities=a, person_times=p)
        for (area, kind), a, p in cells
    )
    return report


def test_approval_adds_a_reports_lines_and_nothing_else_does(cast, station_a, station_b):
    areas, kinds = list(ServiceArea.objects.all()[:2]), list(WorkKind.objects.all()[:2])
    one = _submitted(
        station_a,
        MONTHS[0],
        [((areas[0], kinds[0]), 3, 30), ((areas[0], kinds[1]), 1, 5), ((areas[1], kinds[0]), 2, 9)],
    )
    two = _submitted(station_a, MONTHS[1], [((areas[0], kinds[0]), 4, 40)])
    other_year = _submitted(station_a, MONTHS[2], [((areas[0], kinds[0]), 7, 70)])
    elsewhere = _submitted(station_b, MONTHS[1], [((areas[1], kinds[1]), 5, 50)])
    waiting = _submitted(station_b, MONTHS[0], [((areas[1], kinds[1]), 9, 90)])

    services.report_approve(report=one, by=cast.staff)
    services.reports_approve_many(reports=[two, other_year, elsewhere], by=cast.staff)
    assert waiting.status == ReportStatus.SUBMITTED  # submitted, not approved: not counted

    assert _table() == {
        (station_a.pk, 2024, areas[0].pk): [8, 75],
        (station_a.pk, 2024, areas[1].pk): [2, 9],
        (station_a.pk, 2025, areas[0].pk): [7, 70],
        (station_b.pk, 2024, areas[1].pk): [5, 50],
    }
    assert _table() == _from_lines()
    rows = {row["area"].pk: row for row in selectors.person_times_by_area(2024)}
    assert (rows[areas[0].pk]["activities"], rows[areas[0].pk]["person_times"]) == (8, 75)
    assert (rows[areas[1].pk]["activities"], rows[areas[1].pk]["person_times"]) == (7, 59)


def test_rebuilding_gives_the_sums_the_services_kept(cast, station_a):
    area, kind = ServiceArea.objects.first(), WorkKind.objects.first()
    for month, n in zip(MONTHS, (1, 2, 3, 4), strict=True):
        report = _submitted(station_a, month, [((area, kind), n, 10 * n)])
        services.report_approve(report=report, by=cast.staff)
    kept = _table()
    assert services.rebuild_area_totals() == len(kept) == 2
    assert (
        _table()
        == kept
        == {
            (station_a.pk, 2024, area.pk): [3, 30],
            (station_a.pk, 2025, area.pk): [7, 70],
        }
    )


class Rollback(Exception):
    """Raised to undo one example's rows."""


# A report: which station, which month, its lines (area index, kind index, activities,
# person-times; one line per cell), and how it is approved: not at all, alone, or with
# the others of the example in one bulk approval.
cells = st.dictionaries(
    st.tuples(st.integers(0, 2), st.integers(0, 1)),
    st.tuples(st.integers(0, 20), st.integers(0, 300)),
    min_size=1,
    max_size=4,
)
reports = st.lists(
    st.tuples(
        st.integers(0, 1), st.sampled_from(MONTHS), cells, st.sampled_from(["", "one", "bulk"])
    ),
    min_size=1,
    max_size=6,
    unique_by=lambda r: (r[0], r[1]),
)


@pytest.fixture
def two_stations(db):
    return [StationFactory(region=township(name=f"合计镇{n}")) for n in range(2)]


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(generated=reports)
def test_the_sums_equal_the_approved_lines_however_reports_are_approved(
    cast, two_stations, generated
):
    areas, kinds = list(ServiceArea.objects.all()[:3]), list(WorkKind.objects.all()[:2])
    try:
        with transaction.atomic():
            bulk = []
            for station, month, lines, how in generated:
                report = _submitted(
                    two_stations[station],
                    month,
                    [((areas[a], kinds[k]), n, p) for (a, k), (n, p) in lines.items()],
                )
                if how == "one":
                    services.report_approve(report=report, by=cast.staff)
                elif how == "bulk":
                    bulk.append(report)
            if bulk:
                services.reports_approve_many(reports=bulk, by=cast.staff)
            kept = _table()
            assert kept == _from_lines()
            for year in (2024, 2025):
                expected = Counter()
                for (_station, y, area), (_a, p) in kept.items():
                    if y == year:
                        expected[area] += p
                shown = selectors.person_times_by_area(year)
                assert {r["area"].pk: r["person_times"] for r in shown if r["person_times"]} == {
                    area: p for area, p in expected.items() if p
                }
            services.rebuild_area_totals()
            assert _table() == kept
            raise Rollback
    except Rollback:
        pass
