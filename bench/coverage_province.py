"""The coverage figures with a province as the association's area:
``python bench/coverage_province.py`` (``BENCH_DB_PREFIX`` as for the other scripts).

In one transaction that is rolled back (the database is left as it was found): Henan's
2,471 townships (``data/henan_townships.csv``) through ``regions_load``, which puts the
province 410000 over its 17 cities and 济源 (directly under it); an operating station on every
township, a build target for every county; then ``ASSOCIATION_REGION = "410000"`` and the
figures the coverage dashboard and report use (``stations.selectors``), each timed
(median of a few runs) with its number of queries, and the station-coverage report built
and printed once. No social workers: the staffing columns are counted by the same
correlated subqueries, over no rows.
"""

from __future__ import annotations

import datetime
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _django import load, machine, now, setup

setup("coverage_province")

from django.conf import settings  # noqa: E402
from django.db import connection, reset_queries, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from association.regions.choices import Level  # noqa: E402
from association.regions.models import Region  # noqa: E402
from association.regions.services import regions_load  # noqa: E402
from stations import selectors  # noqa: E402
from stations.choices import StationStatus  # noqa: E402
from stations.models import BuildTarget, Station, StationStatusChange  # noqa: E402

HENAN = Path(__file__).resolve().parent / "data" / "henan_townships.csv"
ON = datetime.date(2026, 6, 30)
REPEAT = 5


class Rollback(Exception):
    pass


def dataset():
    # The loader makes the province 410000 above the cities (GB/T 2260).
    regions_load(HENAN.read_text(encoding="utf-8"), source="bench")
    province = Region.objects.get(code="410000", level=Level.PROVINCE)
    townships = Region.objects.filter(
        pk__in=Region.objects.below(Region.objects.filter(pk=province.pk)).values("pk"),
        level=Level.TOWNSHIP,
    ).exclude(pk__in=Station.objects.values("region"))
    stations = Station.objects.bulk_create(
        [
            Station(
                region=township,
                name=f"{township.name}社会工作服务站",
                address=f"{township.name}便民服务中心",
                contact_name="站长",
                contact_phone="0371-0000000",
                opened_on=datetime.date(2022, 1, 1),
                current_status=StationStatus.OPERATING,
            )
            for township in townships
        ],
        batch_size=1000,
    )
    StationStatusChange.objects.bulk_create(
        [
            StationStatusChange(
                station=s, status=StationStatus.OPERATING, effective_on=s.opened_on, note="bench"
            )
            for s in stations
        ],
        batch_size=5000,
    )
    BuildTarget.objects.bulk_create(
        BuildTarget(
            county=county, year=2026, due_on=datetime.date(2026, 12, 31), target_operating=5
        )
        for county in Region.objects.filter(level=Level.COUNTY, code__startswith="41")
    )
    return province


def measure(label, call):
    call()  # warm
    times, queries = [], 0
    for _i in range(REPEAT):
        reset_queries()  # the log keeps 9,000 queries: the dataset's would hide these
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            result = call()
            times.append(time.perf_counter() - started)
        queries = len(captured)
    ms = statistics.median(times) * 1000
    print(f"| {label} | {result} | {ms:,.0f} | {min(times) * 1000:,.0f} | {queries} | {load()} |")


def report():
    """The station-coverage report on the real figures: built (its queries) and printed."""
    from association.reports import catalogue
    from association.reports.services import build_document, render_document

    params = {"on": ON.isoformat(), "townships": "on"}
    reset_queries()
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        document = build_document(catalogue.get("station-coverage"), params)
        built = time.perf_counter() - started
    table = document.sections[0].tables()[0]
    started = time.perf_counter()
    pdf = render_document(document, "pdf")
    printed = time.perf_counter() - started
    print(
        f"station-coverage: table {table.caption!r} of {len(table.rows)} rows; built in "
        f"{built * 1000:,.0f} ms, {len(captured)} queries; PDF {len(pdf) // 1024} KB in "
        f"{printed:.1f} s; load {load()}"
    )


def main():
    print(f"{now()}; {machine()}")
    try:
        with transaction.atomic():
            started = time.perf_counter()
            province = dataset()
            print(f"dataset: {time.perf_counter() - started:.1f} s")
            settings.ASSOCIATION_REGION = "410000"
            print(
                f"{Region.objects.filter(parent=province).count()} rows under the province, "
                f"{selectors.townships_in().count():,} townships, "
                f"{selectors.stations_in().count():,} stations"
            )
            print("| figures | rows | median ms | min ms | queries | load avg |")
            print("|---|---|---|---|---|---|")

            def by_city():
                rows, total = selectors.coverage_by_county(on=ON)
                assert all(row.townships for row in rows)
                return f"{len(rows)} cities, {total.operating:,} / {total.townships:,}"

            def by_township():
                detail = selectors.coverage_by_township_of_counties(on=ON)
                return f"{len(detail)} counties, {sum(len(r) for r, _t in detail.values()):,}"

            def rates():
                rows = selectors.reporting_rates_by_area(datetime.date(2026, 5, 1))
                return f"{len(rows)} cities"

            def plan():
                return f"{len(selectors.build_plan_progress(2026, today=ON))} targets"

            measure("coverage_by_county (one row a city)", by_city)
            measure("coverage_by_township_of_counties", by_township)
            measure("reporting_rates_by_area", rates)
            measure("build_plan_progress", plan)
            report()
            raise Rollback
    except Rollback:
        pass


if __name__ == "__main__":
    main()
