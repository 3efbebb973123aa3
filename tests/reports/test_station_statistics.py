"""The station-statistics report: a statistical table whose header and foot carry the
fields a Chinese statistical table needs, and whose figures and totals equal what the
stations selectors say."""

from __future__ import annotations

import datetime
import io
import os
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from association.reports import catalogue
from association.reports.library.statistics import StatisticalDocument
from association.reports.services import build_document, render_document

pytestmark = pytest.mark.django_db

D = datetime.date
HEADER = {
    "number": "豫民统 12 表",
    "authority": "河南省民政厅",
    "approver": "河南省统计局",
    "approval": "豫统制〔2025〕3 号",
    "valid_until": "2027年1月",
    "head": "王主任",
    "statistician": "李统计",
    "preparer": "赵填表",
}


@pytest.fixture
def configured(settings):
    settings.REPORTS_STATISTICS_TABLE = HEADER
    return HEADER


@pytest.fixture
def contracts(stations_data):
    from stations.models import ServiceContract

    for station, amount in ((stations_data["a"], "300000.00"), (stations_data["c"], "125000.00")):
        ServiceContract.objects.create(
            station=station,
            year=2025,
            purchaser="民政局",
            amount=Decimal(amount),
            starts_on=D(2025, 1, 1),
            ends_on=D(2025, 12, 31),
        )
    ServiceContract.objects.create(  # another year: not counted in 2025
        station=stations_data["b"],
        year=2024,
        purchaser="民政局",
        amount=Decimal("99999.00"),
        starts_on=D(2024, 1, 1),
        ends_on=D(2024, 12, 31),
    )
    return stations_data


def build(**params) -> StatisticalDocument:
    report = catalogue.get("station-statistics")
    return build_document(report, {k: str(v) for k, v in params.items()})


def column(document, label, group=""):
    for index, col in enumerate(document.columns, start=1):
        if col.label == label and (not group or col.group == group):
            return index
    raise KeyError(label)


def test_it_is_in_the_catalogue_for_staff_and_officials(cast):
    report = catalogue.get("station-statistics")
    assert report is not None and report.formats == ("xlsx", "pdf")
    assert report.may_run(cast.staff) and report.may_run(cast.official)


def test_its_header_and_foot_carry_the_statistical_table_fields(configured, contracts):
    document = build(year=2025, reported_on="2026-01-20", preparer="孙填表")
    assert dict(document.header) == {
        "表　　号": "豫民统 12 表",
        "制表机关": "河南省民政厅",
        "批准机关": "河南省统计局",
        "批准文号": "豫统制〔2025〕3 号",
        "有效期至": "2027年1月",
    }
    assert document.unit_line == "单位：个、人、次、人次、万元"
    assert dict(document.foot) == {
        "单位负责人": "王主任",  # the settings' default
        "统计负责人": "李统计",
        "填表人": "孙填表",  # typed on the form
        "报出日期": "2026年1月20日",
    }
    for fmt in ("xlsx", "pdf"):
        content = render_document(document, fmt)
        text = text_of(content, fmt)
        for label, value in [*document.header, *document.foot]:
            assert f"{label}：{value}" in text.replace("\n", ""), (fmt, label)
        assert "填报单位：许昌市社会工作行业协会" in text
        assert "单位：个、人、次、人次、万元" in text


def test_an_unconfigured_header_prints_blanks_to_fill_in(settings, stations_data):
    settings.REPORTS_STATISTICS_TABLE = {}
    document = build(year=2025)
    assert [value for _label, value in document.header] == [""] * 5
    assert dict(document.foot)["单位负责人"] == ""


def test_its_figures_and_totals_equal_the_selectors(contracts):
    from stations.selectors import (
        built_by_county,
        coverage_by_county,
        funding_by_county,
        person_times_by_county_and_area,
    )

    document = build(year=2025)
    on = min(D(2025, 12, 31), datetime.date.today())
    rows, total = coverage_by_county(on=on)
    assert [row[0] for row in document.rows] == [row.region.name for row in rows]
    assert document.body[0] == document.total and document.total[0] == "总计"
    by_name = {row[0]: row for row in document.rows}
    built = built_by_county(on)
    funding = funding_by_county(2025)
    volumes = person_times_by_county_and_area(2025)
    for row in rows:
        line = by_name[row.region.name]
        assert line[column(document, "乡镇（街道）")] == row.townships
        assert line[column(document, "建成站点")] == built.get(row.region.pk, 0)
        assert line[column(document, "其中：运营")] == row.operating
        assert line[column(document, "配备达标")] == row.operating - row.understaffed
        assert line[column(document, "驻站社会工作者")] == row.workers
        assert line[column(document, "其中：持证")] == row.certified
        person_times = sum(v["person_times"] for v in volumes.get(row.region.pk, {}).values())
        assert line[column(document, "人次", "服务合计")] == person_times
        if row.region.pk in funding:
            assert line[column(document, "财政投入")] == funding[row.region.pk] / 10000
    # 魏都区: 2 built and operating, 1 of them understaffed; 禹州市: 1 operating, 1 building
    assert by_name["魏都区"][1:5] == [2, 2, 2, 1]
    assert by_name["禹州市"][1:5] == [3, 1, 1, 1]
    assert by_name["魏都区"][column(document, "财政投入")] == Decimal("30.00")
    assert by_name["禹州市"][column(document, "财政投入")] == Decimal("12.50")
    assert by_name["魏都区"][column(document, "人次", "服务合计")] == 120
    assert by_name["禹州市"][column(document, "人次", "服务合计")] == 45
    # The total is the sum of the counties, and agrees with the selectors' own total.
    for index in range(1, len(document.columns) + 1):
        values = [row[index] for row in document.rows if row[index] is not None]
        assert document.total[index] == (sum(values) if values else None)
    assert document.total[column(document, "乡镇（街道）")] == total.townships == 5
    assert document.total[column(document, "其中：运营")] == total.operating == 3
    assert document.total[column(document, "驻站社会工作者")] == total.workers == 6
    assert document.total[column(document, "财政投入")] == Decimal("42.50")
    assert document.total[column(document, "人次", "服务合计")] == 165


def test_a_county_without_contracts_leaves_its_funding_blank(stations_data):
    document = build(year=2025)
    funding = column(document, "财政投入")
    assert all(row[funding] is None for row in document.body)


def dump(name: str, content: bytes) -> None:
    """``PRINT_DUMP=/folder`` keeps the files for a look (as tests/reports/test_print.py)."""
    folder = os.environ.get("PRINT_DUMP")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        (Path(folder) / name).write_bytes(content)


def test_the_xlsx_prints_as_a_statistical_table(configured, contracts):
    content = render_document(build(year=2025), "xlsx")
    dump("station-statistics.xlsx", content)
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook.worksheets[0]
    assert sheet["A1"].value == "社会工作服务站基本情况统计表" and sheet["A1"].font.b
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.paperSize == 9
    assert sheet.print_title_rows.replace("$", "") == "1:8"  # header and 栏次 on every page
    assert sheet.freeze_panes == "B9"
    # 栏次: 甲, 1, 2, … under the headers; the total row first, bold, with its sum
    assert [sheet.cell(row=8, column=c).value for c in range(1, 5)] == ["甲", "1", "2", "3"]
    assert sheet["A9"].value == "总计" and sheet["A9"].font.b
    assert sheet["B9"].value == 5 and sheet["B9"].number_format == "#,##0"
    money = sheet.cell(row=9, column=8)
    assert money.value == pytest.approx(42.5) and money.number_format == "#,##0.00"
    # every cell of the header block is there (the book streams its rows: a row written
    # out of order would be lost), the two-row headers merged
    texts = {cell.value for row in sheet.iter_rows(max_row=8) for cell in row if cell.value}
    assert {
        "填报单位：许昌市社会工作行业协会",
        "统计时期：2025年",
        "单位：个、人、次、人次、万元",
    } <= texts
    # the unit on a line of its own: LibreOffice broke "乡镇（街道" | "）（个）"
    assert {
        "表　　号：豫民统 12 表",
        "有效期至：2027年1月",
        "区县",
        "乡镇（街道）\n（个）",
    } <= texts
    assert {
        "社会工作服务站",
        "建成站点\n（个）",
        "其中：运营\n（个）",
        "人员",
        "服务合计",
        "人次",
    } <= texts
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert {"A6:A7", "B6:B7", "C6:E6", "F6:G6"} <= merged


def test_the_pdf_is_landscape_with_the_header_and_foot(configured, contracts):
    content = render_document(build(year=2025), "pdf")
    dump("station-statistics.pdf", content)
    page = PdfReader(io.BytesIO(content)).pages[0]
    assert float(page.mediabox.width) > float(page.mediabox.height)  # A4 landscape
    text = text_of(content, "pdf")
    assert "社会工作服务站基本情况统计表" in text and "第 1 页 共" in text


def text_of(content: bytes, fmt: str) -> str:
    if fmt == "pdf":
        return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)
    workbook = load_workbook(io.BytesIO(content))
    return "\n".join(
        str(cell.value)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    )
