"""The stations demo (106 stations, two years of reports), seeded once for this module:
what it seeds and that a second run changes nothing; then the grouped queries behind the
station reports, which must give on it the figures the per-county computation gives (each
county's selector called on its own, and the Python rules of ``StatusHistory``, the spec).

Both use one seed (it is most of this module's time); the seed's own test runs first and
leaves the data as it found it.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from stations.choices import ReportStatus
from stations.models import Assessment, BuildTarget, ServiceReport, StaffAssignment, Station
from stations.selectors import reporting_rates

D = datetime.date
REGIONS = "association/regions/data/"


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The accounts, members and stations demo, seeded once and rolled back at the end."""
    from association.accounts import demo as accounts_demo
    from members import demo as members_demo
    from stations import demo as stations_demo

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            call_command("load_regions", REGIONS + "xuchang_townships.csv", verbosity=0)
            call_command(
                "load_regions",
                REGIONS + "xuchang_functional_zones.csv",
                source="手工添加",
                verbosity=0,
            )
            accounts_demo.seed()
            members_demo.seed()
            stations_demo.seed()
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.mark.django_db
def test_it_seeds_106_stations_with_staff_and_two_years_of_reports(demo):
    from stations import demo as stations_demo

    # Issue 12: every change the demo made says so in the history.
    for model in apps.get_app_config("stations").get_models():
        if hasattr(model, "pgh_event_model"):
            events = model.pgh_event_model.objects.all()
            assert not events.filter(pgh_context__isnull=True).exists(), model
            actions = set(events.values_list("pgh_context__metadata__action", flat=True))
            assert actions <= {"seed_demo"}, (model, actions)
    assert Station.objects.filter(closed_on__isnull=True).count() == 106
    assert Station.objects.filter(closed_on__isnull=False).count() == 1
    assert StaffAssignment.objects.count() > 200
    months = ServiceReport.objects.dates("month", "month")
    assert len(months) >= 24
    statuses = set(ServiceReport.objects.values_list("status", flat=True))
    assert {ReportStatus.APPROVED, ReportStatus.RETURNED} <= statuses
    assert BuildTarget.objects.values("year").distinct().count() == 3
    assert Assessment.objects.values("round__year").distinct().count() == 2
    station_worker = Station.objects.filter(
        assignments__worker__user__email="station@demo.xcsw.org.cn"
    )
    assert station_worker.count() == 1
    for month in list(months)[:-1]:
        rates = reporting_rates(month)
        assert rates.received <= rates.expected
        assert 80 <= rates.rate <= 100
    count = ServiceReport.objects.count()
    stations_demo.seed()  # idempotent
    assert ServiceReport.objects.count() == count


@pytest.fixture
def days(demo):
    from stations.models import ServiceReport

    months = sorted(set(ServiceReport.objects.values_list("month", flat=True)))
    assert len(months) >= 12
    return months


def counties():
    from association.regions.models import Region

    return list(Region.objects.counties().order_by("code"))


def spec_coverage(on, by_township, region=None):
    """The per-station Python computation the selectors used before (the reference)."""
    from stations.models import StaffAssignment
    from stations.selectors import StatusHistory, is_understaffed, stations_in

    stations = list(stations_in(region).values_list("pk", "region_id", "region__parent_id"))
    history = StatusHistory.for_stations([pk for pk, _t, _c in stations])
    staffing = defaultdict(lambda: [0, 0])
    for station_id, qualification in StaffAssignment.objects.current(on).values_list(
        "station_id", "worker__qualification"
    ):
        staffing[station_id][0] += 1
        staffing[station_id][1] += qualification != "none"
    rows = defaultdict(lambda: dict.fromkeys(["stations", "operating", "workers", "certified"], 0))
    for pk, township, county in stations:
        row = rows[township if by_township else county]
        status = history.status_on(pk, on)
        row["stations"] += status not in (None, "closed")
        if status == "operating":
            workers, certified = staffing[pk]
            row["operating"] += 1
            row["workers"] += workers
            row["certified"] += certified
            row["understaffed"] = row.get("understaffed", 0) + is_understaffed(workers, certified)
    return rows


def figures(row):
    return {
        name: getattr(row, name)
        for name in ("townships", "stations", "operating", "workers", "certified", "understaffed")
    }


@pytest.mark.django_db
def test_it_counts_coverage_by_county_as_the_per_station_rule_does(days):
    from stations.selectors import coverage_by_county

    for on in (days[0], days[len(days) // 2], days[-1] + datetime.timedelta(days=20)):
        rows, total = coverage_by_county(on=on)
        spec = spec_coverage(on, by_township=False)
        assert sum(row.operating for row in rows) > 0
        for row in rows:
            expected = spec.get(row.region.pk, {})
            for name in ("stations", "operating", "workers", "certified", "understaffed"):
                assert getattr(row, name) == expected.get(name, 0), (on, row.region.name, name)
        assert total.operating == sum(r["operating"] for r in spec.values())


@pytest.mark.django_db
def test_it_gives_every_county_the_townships_its_own_call_gives(days):
    from stations.selectors import coverage_by_township, coverage_by_township_of_counties

    on = days[-1]
    with CaptureQueriesContext(connection) as queries:
        grouped = coverage_by_township_of_counties(on=on)
    assert len(queries) == 3
    spec = spec_coverage(on, by_township=True)
    for county in counties():
        rows, total = coverage_by_township(county, on=on)
        grouped_rows, grouped_total = grouped.get(county.pk, ([], None))
        assert [(r.region.pk, figures(r)) for r in grouped_rows] == [
            (r.region.pk, figures(r)) for r in rows
        ]
        if rows:
            assert figures(grouped_total) == figures(total)
        for row in rows:
            for name in ("stations", "operating", "workers", "certified"):
                assert getattr(row, name) == spec.get(row.region.pk, {}).get(name, 0)


@pytest.mark.django_db
def test_it_gives_every_county_the_rates_its_own_call_gives(days):
    from stations.models import ServiceReport, Station
    from stations.selectors import (
        StatusHistory,
        reporting_rates,
        reporting_rates_by_area,
        reporting_rates_by_area_and_total,
    )

    history = StatusHistory.for_stations(Station.objects.values("pk"))
    for month in days[-6:]:
        by_area = reporting_rates_by_area(month)
        assert sum(rates.expected for _area, rates in by_area) == len(history.expected_ids(month))
        assert sum(rates.received for _area, rates in by_area) == (
            ServiceReport.objects.filter(
                month=month,
                station__in=history.expected_ids(month),
                status__in=["submitted", "returned", "approved"],
            ).count()
        )
        for county, rates in by_area:
            assert rates == reporting_rates(month, county), (month, county.name)
        total = reporting_rates(month)
        assert total.on_time == sum(rates.on_time for _area, rates in by_area)
        # the dashboard's one query: the same rows, and the total as the region's own
        assert reporting_rates_by_area_and_total(month) == (by_area, total)


@pytest.mark.django_db
def test_it_gives_every_county_the_person_times_its_own_call_gives(days):
    from stations.selectors import person_times_by_area, person_times_by_county_and_area

    year = days[-1].year
    grouped = person_times_by_county_and_area(year)
    assert grouped
    for county in counties():
        own = person_times_by_area(year, county)
        for row in own:
            cell = grouped.get(county.pk, {}).get(row["area"].pk, {})
            assert cell.get("person_times", 0) == row["person_times"]
            assert cell.get("activities", 0) == row["activities"]


@pytest.mark.django_db
def test_it_counts_operating_stations_by_month_as_the_python_rule_does(days):
    from stations.models import Station
    from stations.selectors import StatusHistory, operating_by_month

    history = StatusHistory.for_stations(Station.objects.values("pk"))
    series = operating_by_month(days[0], days[-1])
    assert [count for _month, count, _plan in series] == [
        len(history.expected_ids(month)) for month, _count, _plan in series
    ]


@pytest.mark.django_db
def test_it_builds_the_station_reports_from_the_grouped_figures(days):
    from association.reports import catalogue
    from association.reports.services import build_document
    from stations.selectors import coverage_by_township, person_times_by_area

    on = days[-1] + datetime.timedelta(days=20)
    with CaptureQueriesContext(connection) as queries:
        document = build_document(
            catalogue.get("station-coverage"), {"on": on.isoformat(), "townships": "on"}
        )
    # The same number of queries with 6 counties as with 159: none per county.
    assert len(queries) <= 12, [q["sql"][:120] for q in queries.captured_queries]
    detail = {table.caption: table for table in document.sections[2].tables()}
    for county in counties():
        rows, total = coverage_by_township(county, on=on)
        if not rows:
            continue
        table = detail[county.name]
        assert [r[:6] for r in table.rows] == [
            [r.region.name, r.stations, r.operating, r.workers, r.certified, r.understaffed]
            for r in rows
        ]
        assert table.total[1:] == [
            total.stations,
            total.operating,
            total.workers,
            total.certified,
            total.understaffed,
        ]

    month = days[-3]
    with CaptureQueriesContext(connection) as queries:
        document = build_document(
            catalogue.get("station-monthly"), {"month": month.strftime("%Y-%m")}
        )
    assert len(queries) <= 12, [q["sql"][:120] for q in queries.captured_queries]
    table = document.sections[1].tables()[1]
    areas = [row["area"] for row in person_times_by_area(month.year)]
    for county, row in zip(counties(), table.rows, strict=True):
        own = {r["area"].pk: r["person_times"] for r in person_times_by_area(month.year, county)}
        assert row == [county.name, *[own[a.pk] for a in areas], sum(own.values())]


@pytest.mark.django_db
def test_it_sums_the_townships_up_by_county_beyond_the_detail_limit(days, monkeypatch):
    from association.reports import catalogue
    from association.reports.services import build_document
    from stations.selectors import coverage_by_township

    report = catalogue.get("station-coverage")
    on = days[-1]
    monkeypatch.setattr(report, "detail_limit", 50)  # the demo has 106 townships
    document = build_document(report, {"on": on.isoformat(), "townships": "on"})
    section = document.sections[2]
    assert "超过 50 个时按区县汇总" in section.blocks[0].text
    (table,) = section.tables()
    by_name = {row[0]: row[1:] for row in table.rows}
    for county in counties():
        rows, _total = coverage_by_township(county, on=on)
        if not rows:
            continue
        assert by_name[county.name] == [
            len(rows),
            sum(1 for r in rows if r.operating and not r.understaffed),
            sum(1 for r in rows if r.operating and r.understaffed),
            sum(1 for r in rows if not r.operating),
        ]
    assert table.total[1] == sum(row[1] for row in table.rows)
