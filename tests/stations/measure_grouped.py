"""Time and peak memory of the station pages' selectors and the station reports, on a
generated region of a few hundred stations with two years of monthly reports. Run by
hand (never by the test suite), each measurement in a fresh process so that its peak
RSS is its own:

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/bench_grouped \\
        .venv/bin/python tests/stations/measure_grouped.py generate --stations 400 --months 24
    (the province's shape for the coverage report, which reads no monthly reports:
    ``generate --stations 2475 --counties 159 --months 1``)
    DATABASE_URL=… .venv/bin/python tests/stations/measure_grouped.py all

``generate`` bulk-inserts counties, townships, stations with a status history (some open
late, some suspend, some close), staff, and one report a station and month with about
nine lines (the province's ratio: 1.3 M lines for 149,000 reports). It is deterministic
(seeded) and replaces what an earlier run generated. ``all`` prints, for each job, its
wall time, its queries and its peak RSS above the process's start-up.

Run from a checkout of an older commit (with this file's path) to measure the code
before a change on the same data.
"""

from __future__ import annotations

import datetime
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

D = datetime.date
PREFIX = "489"  # region codes of the generated province: 489 CCC TTT 000 (no real one)
JOBS = [
    "dashboard",
    "station_list",
    "coverage_build",
    "coverage_pdf",
    "monthly_build",
    "monthly_pdf",
    "export_xlsx_quarter",
    "export_xlsx",
]


def setup():
    sys.path.insert(0, os.getcwd())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "association.settings")
    import django

    django.setup()


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def generate(stations: int, months: int, counties: int = 20) -> None:
    from django.db import transaction

    from association.regions.choices import Kind, Level
    from association.regions.models import Region
    from association.services import history_context
    from members.models import Organisation, SocialWorker
    from stations.choices import ReportStatus, StationStatus
    from stations.models import (
        ServiceArea,
        ServiceReport,
        ServiceReportLine,
        StaffAssignment,
        Station,
        StationStatusChange,
        WorkKind,
    )

    rng = random.Random(14)
    with history_context("measure_grouped"), transaction.atomic():
        old = Station.objects.filter(region__code__startswith=PREFIX)
        ServiceReport.objects.filter(station__in=old).delete()
        StaffAssignment.objects.filter(station__in=old).delete()
        old.delete()
        SocialWorker.objects.filter(id_number_index__startswith="measure-").delete()
        Region.objects.filter(code__startswith=PREFIX, level=Level.TOWNSHIP).delete()
        Region.objects.filter(code__startswith=PREFIX, level=Level.COUNTY).delete()
        Region.objects.filter(code__startswith=PREFIX).delete()
        province = Region.objects.create(
            code=f"{PREFIX}000000000", name="测量省", level=Level.CITY, kind=Kind.CITY
        )
        county_rows = Region.objects.bulk_create(
            Region(
                code=f"{PREFIX}{c:03d}000000",
                name=f"测量{c}县",
                level=Level.COUNTY,
                kind=Kind.COUNTY,
                parent=province,
            )
            for c in range(1, counties + 1)
        )
        per_county = -(-stations // counties)
        townships = Region.objects.bulk_create(
            Region(
                code=f"{county.code[:6]}{t:03d}000",
                name=f"{county.name}{t}镇",
                level=Level.TOWNSHIP,
                kind=Kind.TOWN,
                parent=county,
            )
            for county in county_rows
            for t in range(1, per_county + 2)  # one township a county without a station
        )
        operator = Organisation.objects.filter(kind="social_work_agency").first()
        station_rows = Station.objects.bulk_create(
            Station(
                region=township,
                name=f"{township.name}社工站",
                operator=operator,
                current_status=StationStatus.OPERATING,
            )
            for township in townships
            if int(township.code[6:9]) <= per_county
        )[:stations]
        first = D(2024, 1, 1)
        last = first.replace(year=first.year + (months - 1) // 12, month=(months - 1) % 12 + 1)
        changes = []
        for station in station_rows:
            kind = rng.random()
            opened = (
                D(2021, 1, 1) if kind < 0.7 else first + datetime.timedelta(rng.randint(0, 400))
            )
            changes.append((station, D(2020, 6, 1), StationStatus.BUILDING))
            changes.append((station, opened, StationStatus.OPERATING))
            if 0.8 < kind < 0.9:
                pause = opened + datetime.timedelta(rng.randint(30, 200))
                changes.append((station, pause, StationStatus.SUSPENDED))
                changes.append((station, pause + datetime.timedelta(60), StationStatus.OPERATING))
            elif kind >= 0.95:
                changes.append(
                    (station, opened + datetime.timedelta(rng.randint(60, 300)), "closed")
                )
        StationStatusChange.objects.bulk_create(
            StationStatusChange(station=s, effective_on=day, status=status)
            for s, day, status in changes
        )
        workers = SocialWorker.objects.bulk_create(
            SocialWorker(
                name=f"测量社工{n}",
                gender="female",
                id_number_index=f"measure-{n}",
                qualification="none" if n % 3 == 0 else "assistant",
                certificate_number="" if n % 3 == 0 else f"C{n}",
                certificate_date=None if n % 3 == 0 else D(2020, 1, 1),
            )
            for n in range(len(station_rows) * 3)
        )
        StaffAssignment.objects.bulk_create(
            StaffAssignment(
                station=station,
                worker=workers[3 * i + k],
                role="head" if k == 0 else "resident",
                starts_on=D(2021, 1, 1),
            )
            for i, station in enumerate(station_rows)
            for k in range(rng.randint(1, 3))
        )
        areas, kinds = list(ServiceArea.objects.all()), list(WorkKind.objects.all())
        cells = [(a, k) for a in areas for k in kinds]
        month_list, month = [], first
        while month <= last:
            month_list.append(month)
            month = (month + datetime.timedelta(days=32)).replace(day=1)
        reports, lines = [], []
        for station in station_rows:
            for month in month_list:
                status = rng.choice(
                    [ReportStatus.APPROVED] * 6 + [ReportStatus.SUBMITTED, ReportStatus.DRAFT]
                )
                submitted = datetime.datetime(
                    month.year, month.month, 28, tzinfo=datetime.UTC
                ) + datetime.timedelta(days=rng.randint(0, 12))
                report = ServiceReport(
                    station=station,
                    month=month,
                    status=status,
                    first_submitted_at=None if status == ReportStatus.DRAFT else submitted,
                    narrative="本月开展走访和社区活动。",
                )
                picked = rng.sample(cells, 9)
                figures = [(a, k, rng.randint(1, 9), rng.randint(5, 90)) for a, k in picked]
                report.total_activities = sum(f[2] for f in figures)
                report.total_person_times = sum(f[3] for f in figures)
                reports.append(report)
                lines.append(figures)
        ServiceReport.objects.bulk_create(reports, batch_size=5000)
        ServiceReportLine.objects.bulk_create(
            (
                ServiceReportLine(report=r, area=a, kind=k, activities=n, person_times=p)
                for r, figures in zip(reports, lines, strict=True)
                for a, k, n, p in figures
            ),
            batch_size=5000,
        )
    print(
        f"generated {len(county_rows)} counties, {len(townships)} townships, "
        f"{len(station_rows)} stations, {len(reports)} reports, "
        f"{sum(len(f) for f in lines)} lines"
    )


def measure(job: str) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from association.regions.models import Region

    province = Region.objects.get(code=f"{PREFIX}000000000")
    month = D(2025, 6, 1)
    start_rss = rss_mb()
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        size = run(job, province, month)
    elapsed = time.perf_counter() - started
    print(
        f"{job:<16} {elapsed * 1000:8.0f} ms {len(queries):6d} queries "
        f"peak RSS +{rss_mb() - start_rss:6.1f} MB (total {rss_mb():6.1f} MB){size}"
    )


def run(job, province, month) -> str:
    from django.db import reset_queries

    from association.reports import catalogue
    from association.reports.services import build_document, render_document

    reset_queries()
    if job == "dashboard":
        from dateutil.relativedelta import relativedelta

        from stations import selectors

        _rows, total = selectors.coverage_by_county(region=province, on=month)
        selectors.reporting_rates_by_area(month, province)
        selectors.reporting_rates(month, province)
        selectors.operating_by_month(month - relativedelta(months=35), month, province)
        selectors.person_times_by_area(month.year, province)
        selectors.build_plan_progress(month.year, province)
        return f"  ({total.operating} operating of {total.stations})"
    if job == "station_list":
        from django.core.paginator import Paginator

        from association.accounts.models import User
        from stations import selectors

        user = User.objects.filter(is_superuser=True).first() or User.objects.create_superuser(
            email="measure@example.org", password="x"
        )
        page = Paginator(selectors.station_list(user=user), 30).get_page(2)
        return f"  ({len(list(page.object_list))} rows of {page.paginator.count})"
    slug, fmt = {
        "coverage_build": ("station-coverage", None),
        "coverage_pdf": ("station-coverage", "pdf"),
        "monthly_build": ("station-monthly", None),
        "monthly_pdf": ("station-monthly", "pdf"),
        "export_xlsx": ("station-monthly-export", "xlsx"),
        "export_xlsx_quarter": ("station-monthly-export", "xlsx"),
    }[job]
    report = catalogue.get(slug)
    if report is None:
        return "  (not in this version)"
    params = {
        "station-coverage": {"on": month.isoformat(), "townships": "on"},
        "station-monthly": {"month": month.strftime("%Y-%m")},
        "station-monthly-export": {"first": "2025-07"} if job.endswith("quarter") else {},
    }[slug]
    if getattr(report, "streams", False):
        from association.reports.services import write_streamed

        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / f"out.{fmt}"
            write_streamed(report, params, fmt, path)
            return f"  ({path.stat().st_size // 1024} kB)"
    document = build_document(report, params)
    if fmt is None:
        return ""
    return f"  ({len(render_document(document, fmt)) // 1024} kB)"


def main() -> None:
    args = sys.argv[1:]
    if not args:
        sys.exit(__doc__)
    setup()
    if args[0] == "generate":
        options = dict(zip(args[1::2], args[2::2], strict=True))
        generate(
            int(options.get("--stations", 400)),
            int(options.get("--months", 24)),
            int(options.get("--counties", 20)),
        )
    elif args[0] == "all":
        for job in args[1:] or JOBS:
            subprocess.run([sys.executable, __file__, job], check=False)
    else:
        measure(args[0])


if __name__ == "__main__":
    main()
