"""The monthly-reports export: every report a row with its figures by service area,
written straight to an xlsx (constant_memory, server-side cursor), staff only."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from association.reports import catalogue, services
from association.reports.choices import RunStatus

D = datetime.date
SLUG = "station-monthly-export"


def sheet_rows(path):
    workbook = load_workbook(path, read_only=True)
    return [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]


def export(tmp_path, params=None, name="export.xlsx"):
    path = tmp_path / name
    services.write_streamed(catalogue.get(SLUG), params or {}, "xlsx", path)
    return sheet_rows(path)


def test_it_exports_every_report_with_its_figures_by_service_area(stations_data, tmp_path):
    from stations.models import ServiceArea, ServiceReportLine, WorkKind
    from tests.stations.factories import ReportFactory

    a, c = stations_data["a"], stations_data["c"]
    second_area = ServiceArea.objects.order_by("order", "id")[1]
    ServiceReportLine.objects.create(
        report=a.reports.get(),
        area=second_area,
        kind=WorkKind.objects.last(),
        activities=5,
        person_times=7,
    )
    ReportFactory(station=c, month=D(2025, 9, 1))  # a draft without lines
    rows = export(tmp_path)
    header, body = rows[0], rows[1:]
    areas = list(ServiceArea.objects.order_by("order", "id"))
    assert header[:8] == [
        "区县",
        "乡镇（街道）",
        "社工站",
        "运营机构",
        "月份",
        "状态",
        "首次报送时间",
        "志愿者人次",
    ]
    assert header[8:10] == [f"{areas[0].name}服务次数", f"{areas[0].name}服务人次"]
    assert header[-2:] == ["服务次数合计", "服务人次合计"]
    assert len(header) == 8 + 2 * len(areas) + 2
    assert [row[:6] for row in body] == [
        ["魏都区", "甲街道", a.name, a.operator.name, "2025-10", "已审核通过"],
        ["禹州市", "丙镇", c.name, c.operator.name, "2025-09", "草稿"],
        ["禹州市", "丙镇", c.name, c.operator.name, "2025-10", "已审核通过"],
    ]
    first = body[0]
    assert first[6] == "2025-11-03 10:00"
    assert first[8:12] == [4, 120, 5, 7]  # the first two areas
    assert first[-2:] == [4, 120]  # the report's own totals
    assert body[1][8:-2] == [0] * (2 * len(areas))
    assert body[2][8:10] == [2, 45]


def test_it_exports_the_months_and_county_asked_for(stations_data, tmp_path):
    from tests.stations.factories import ReportFactory

    c = stations_data["c"]
    ReportFactory(station=c, month=D(2025, 9, 1))
    county = c.region.parent
    rows = export(tmp_path, {"first": "2025-09", "last": "2025-09", "county": str(county.pk)})
    assert [row[:5] for row in rows[1:]] == [["禹州市", "丙镇", c.name, c.operator.name, "2025-09"]]
    rows = export(tmp_path, {"first": "2025-10"}, name="october.xlsx")
    assert len(rows) == 3
    with pytest.raises(ValidationError):
        catalogue.get(SLUG).clean({"first": "2025-10", "last": "2025-09"})


def test_it_writes_the_same_rows_as_its_document(stations_data, tmp_path):
    document = services.build_document(catalogue.get(SLUG), {})
    table = document.sections[0].tables()[0]
    rows = export(tmp_path)
    assert [str(c) for c in table.columns] == rows[0]
    assert [[v if v != "" else None for v in row] for row in table.rows] == rows[1:]


def test_it_never_lets_a_cell_start_a_formula(stations_data, tmp_path):
    a = stations_data["a"]
    a.name = '=HYPERLINK("http://x")'
    a.save(update_fields=["name"])
    rows = export(tmp_path)
    assert rows[1][2] == '\'=HYPERLINK("http://x")'


def test_it_costs_the_same_queries_for_5_and_50_reports(stations_data, tmp_path):
    from tests.stations.factories import ReportFactory, fill

    a = stations_data["a"]
    months = iter(D(2020 - i // 12, 12 - i % 12, 1) for i in range(100))
    counts = []
    for n in (5, 45):
        for _ in range(n):
            fill(ReportFactory(station=a, month=next(months)))
        with CaptureQueriesContext(connection) as queries:
            rows = export(tmp_path, name=f"{n}.xlsx")
        counts.append(len(queries))
    assert len(rows) == 1 + 2 + 50  # the header, the two October reports, the new ones
    assert counts[0] == counts[1]


def test_it_is_staff_only_and_only_xlsx(cast, stations_data, django_capture_on_commit_callbacks):
    report = catalogue.get(SLUG)
    assert report.may_run(cast.staff)
    assert not report.may_run(cast.official)
    with pytest.raises(PermissionDenied):
        services.run_create(report=report, user=cast.official, fmt="xlsx", params={})
    with pytest.raises(ValidationError):
        services.run_create(report=report, user=cast.staff, fmt="pdf", params={})
    with django_capture_on_commit_callbacks(execute=True):
        run = services.run_create(report=report, user=cast.staff, fmt="xlsx", params={})
    run.refresh_from_db()
    assert run.status == RunStatus.DONE, run.error
    assert run.size == run.file.size
    assert run.file.read(2) == b"PK"
