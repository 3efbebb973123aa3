"""Print-ready files: every catalogue report's xlsx prints one page wide with its header
on every page and real number formats; every PDF keeps its text inside the page's
drawing area, in the Simplified-Chinese font, with "第 X 页 共 Y 页"; downloads carry a
Chinese file name.

Set ``PRINT_DUMP=/some/folder`` to keep the files for a look (``pdftoppm -png -r 60``,
``libreoffice --headless --convert-to pdf``)."""

from __future__ import annotations

import datetime
import io
import os
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from association.exports import (
    Column,
    Kind,
    OutOfOrderWrite,
    XlsxBook,
    download_name,
    text_width,
)
from association.reports import catalogue
from association.reports.documents import BarChart, Document, Table
from association.reports.render import _pdf_table, chart_geometry, pdf_bytes, xlsx_bytes
from association.reports.services import build_document, render_document, write_streamed
from tests.members.factories import township

from .conftest import TODAY
from .test_more_reports import ledger, projects_data  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db

D = datetime.date
LONG_COUNTY = "许昌经济技术开发区"
MM = 72 / 25.4  # PDF points in a millimetre
PDF_MARGIN_X = 16 * MM  # templates/pdf/base.html: @page margin 20mm 16mm 18mm
# What one page holds at 100 % (Excel character units): a wider sheet shrinks to fit.
PAGE_UNITS = {"portrait": 95, "landscape": 140}
MIN_SCALE = 0.5  # fitted to one page wide, still readable


PARAMS = {
    "station-coverage": {"on": TODAY.isoformat(), "townships": "on"},
    "station-monthly": {"month": "2025-10"},
    "member-register": {"on": TODAY.isoformat()},
    "financial-statements": {"start": "2025-01-01", "end": "2025-12-31"},
    "dues-disclosure": {"year": "2025"},
    "annual-report": {"year": "2025"},
}


def params_for(report) -> dict:
    return PARAMS.get(report.slug) or report.scheduled_params(D(2026, 1, 15))


@pytest.fixture
def long_names(stations_data):
    """A development zone with a long name and enough townships to print over pages."""
    from stations.choices import StationStatus
    from tests.stations.factories import AssignmentFactory, StationFactory

    op = [(D(2021, 1, 1), StationStatus.OPERATING)]
    station = StationFactory(region=township(name="长社街道办事处", county=LONG_COUNTY), history=op)
    AssignmentFactory(station=station, starts_on=D(2021, 1, 1))
    for n in range(45):
        township(name=f"第{n}乡镇", county=LONG_COUNTY)
    return station


@pytest.fixture
def everything(members_data, long_names, projects_data, ledger):  # noqa: F811
    return None


@pytest.fixture(scope="module")
def dump():
    folder = os.environ.get("PRINT_DUMP")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
    return Path(folder) if folder else None


def built(slug: str):
    report = catalogue.get(slug)
    return build_document(report, params_for(report))


def slugs() -> list[str]:
    return [report.slug for report in catalogue.all_reports()]


# --- xlsx ------------------------------------------------------------------------------


def check_sheet(sheet) -> None:
    """Print settings of one sheet, and that it fits one page wide."""
    setup = sheet.page_setup
    assert sheet.sheet_properties.pageSetUpPr.fitToPage, sheet.title
    # fitToWidth is 1 unless written otherwise (OOXML default; xlsxwriter omits it)
    assert (setup.fitToWidth or 1) == 1 and setup.fitToHeight == 0, sheet.title
    assert setup.paperSize == 9, sheet.title  # A4
    assert sheet.print_title_rows, f"{sheet.title}: no header rows repeated"
    first, last = (int(n) for n in sheet.print_title_rows.replace("$", "").split(":"))
    assert first == 1
    assert sheet.freeze_panes, sheet.title
    assert int("".join(c for c in sheet.freeze_panes if c.isdigit())) == last + 1
    assert not sheet.print_area, "a print area would cut columns off"
    widths = column_widths(sheet)
    total = sum(widths)
    orientation = setup.orientation
    # (xlsxwriter stores a width rounded to pixels: up to a unit a column more)
    if total > PAGE_UNITS["portrait"] + len(widths):
        assert orientation == "landscape", (sheet.title, total)
    elif total <= PAGE_UNITS["portrait"]:
        assert orientation == "portrait", (sheet.title, total)
    # Fit to one page wide: every figure prints on the page of its row label, at a
    # scale that can still be read.
    assert PAGE_UNITS[orientation] / total >= MIN_SCALE or total <= PAGE_UNITS[orientation], (
        sheet.title,
        total,
    )
    assert "第 &P 页 共 &N 页" in sheet.oddFooter.center.text
    # The title row names the document; the next one the unit (and the period).
    assert sheet["A1"].value and sheet["A1"].font.b
    if sheet.max_row > 1:
        assert "许昌市社会工作行业协会" in str(sheet["A2"].value)


def column_widths(sheet) -> list[float]:
    """Each column's width; a <col> element may cover several columns (min..max)."""
    widths = {}
    for dimension in sheet.column_dimensions.values():
        if dimension.min and dimension.width:
            for index in range(dimension.min, (dimension.max or dimension.min) + 1):
                widths[index] = dimension.width
    return [widths.get(index, 8.43) for index in range(1, sheet.max_column + 1)]


def check_cells(sheet) -> None:
    """Numbers are numbers with real formats; text fits its column (CJK counts 2)."""
    for row in sheet.iter_rows():
        for cell in row:
            value, fmt = cell.value, cell.number_format
            if isinstance(value, bool) or value is None:
                continue
            if isinstance(value, int | float):
                assert fmt != "General", (sheet.title, cell.coordinate, value)
                assert not fmt.endswith((".", ".#", "#.##########")), (cell.coordinate, fmt)
                if isinstance(value, float) and fmt.endswith("%"):
                    assert 0 <= value <= 1.5, (cell.coordinate, value)  # 0.975, not 97.5
                if fmt == "0":
                    assert 1900 <= value <= 2100, (cell.coordinate, value)  # years only
                if isinstance(value, float) and value == int(value) and fmt == "#,##0":
                    pytest.fail(f"{cell.coordinate}: a whole float in an integer format")
            elif isinstance(value, str):
                assert not value.startswith(("=", "+", "-", "@")), cell.coordinate
                assert value.strip() != "%", f"{cell.coordinate}: a '%' cell of its own"


def test_it_prints_every_reports_xlsx_one_page_wide_with_its_header_on_every_page(
    everything, dump, tmp_path
):
    assert {"station-coverage", "station-monthly", "annual-report"} <= set(slugs())
    for slug in slugs():
        report = catalogue.get(slug)
        if report.streams:  # written row by row, not from a Document: its own file
            check_streamed_sheet(report, tmp_path / f"{slug}.xlsx")
            continue
        content = render_document(built(slug), "xlsx")
        if dump:
            (dump / f"{slug}.xlsx").write_bytes(content)
        workbook = load_workbook(io.BytesIO(content))
        for sheet in workbook.worksheets:
            check_sheet(sheet)
            check_cells(sheet)


def check_streamed_sheet(report, path) -> None:
    """A streamed export (``report.streams``, e.g. the monthly-reports export) keeps its
    header in row 1 for a spreadsheet to filter, and still prints as an official files
    it: A4 landscape, one page wide at a readable scale, the header row on every page."""
    write_streamed(report, params_for(report), "xlsx", path)
    sheet = load_workbook(path).worksheets[0]
    setup = sheet.page_setup
    assert sheet.sheet_properties.pageSetUpPr.fitToPage, sheet.title
    assert (setup.fitToWidth or 1) == 1 and setup.fitToHeight == 0, sheet.title
    assert setup.paperSize == 9 and setup.orientation == "landscape", sheet.title
    assert sheet.print_title_rows.replace("$", "") == "1:1"
    assert sheet.freeze_panes == "A2"
    assert not sheet.print_area
    total = sum(column_widths(sheet))
    assert PAGE_UNITS["landscape"] / total >= MIN_SCALE, (sheet.title, total)
    assert "第 &P 页 共 &N 页" in sheet.oddFooter.center.text
    check_cells(sheet)


def _find(sheet, text):
    for row in sheet.iter_rows():
        for cell in row:
            if cell.value == text:
                return cell
    raise AssertionError(f"{text!r} not in {sheet.title}")


def test_it_writes_counts_percentages_and_money_with_their_formats(everything):
    workbook = load_workbook(io.BytesIO(render_document(built("station-coverage"), "xlsx")))
    figures = workbook["一、覆盖与人员配备"]
    coverage = _find(figures, "覆盖率（运营站点 / 乡镇街道）").offset(column=1)
    assert coverage.number_format == "0.0%"
    assert 0 < coverage.value < 1  # 4 of 51 townships: a fraction, not points
    assert coverage.offset(column=1).value in (None, "")  # no "%" cell beside it
    operating = _find(figures, "运营中的社工站").offset(column=1)
    assert operating.value == 4 and isinstance(operating.value, int)
    assert operating.number_format == "#,##0"
    by_county = workbook["一、按区县"]
    header = _find(by_county, "覆盖率")  # the "(%)" is in the cells now
    below = by_county.cell(row=by_county.max_row, column=header.column)  # 合计
    assert below.number_format == "0.0%" and 0 <= below.value <= 1
    assert _find(by_county, LONG_COUNTY).font.b is not True
    long_column = by_county.column_dimensions["A"].width
    assert long_column >= text_width(LONG_COUNTY)  # 9 CJK characters count 18

    workbook = load_workbook(io.BytesIO(render_document(built("financial-statements"), "xlsx")))
    money = [
        cell
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, int | float) and not isinstance(cell.value, bool)
    ]
    assert money and all(cell.number_format == "#,##0.00" for cell in money)

    workbook = load_workbook(io.BytesIO(render_document(built("member-register"), "xlsx")))
    years = _find(workbook["四、历年入会"], "年份")
    year = workbook["四、历年入会"].cell(row=years.row + 1, column=years.column)
    assert year.value == 2023 and year.number_format == "0"  # never "2,023"


def test_it_never_writes_a_format_that_shows_a_stray_point():
    document = Document(title="格式")
    section = document.section("数字")
    section.figure("整数", 106)
    section.figure("整数的小数", Decimal("106"))
    section.figure("金额", Decimal("106"), "元")
    section.figure("比例", Decimal("97.5"), "%")
    section.table(
        "表",
        ["项目", "人数", "站均人数", "金额（元）", "占比（%）"],
        [["甲", 1200, Decimal("1.5"), Decimal("106.00"), Decimal("100.0")]],
    )
    workbook = load_workbook(io.BytesIO(xlsx_bytes(document)))
    figures = workbook["数字"]
    assert _find(figures, "整数").offset(column=1).value == 106
    whole = _find(figures, "整数的小数").offset(column=1)
    assert whole.value == 106 and whole.number_format == "#,##0"
    assert _find(figures, "金额").offset(column=1).number_format == "#,##0.00"
    ratio = _find(figures, "比例").offset(column=1)
    assert ratio.value == pytest.approx(0.975) and ratio.number_format == "0.0%"
    table = workbook["表"]
    row = _find(table, "甲").row
    formats = [table.cell(row=row, column=c).number_format for c in range(2, 6)]
    assert formats == ["#,##0", "#,##0.0", "#,##0.00", "0.0%"]
    assert table.cell(row=row, column=5).value == pytest.approx(1.0)


def test_the_shared_writer_prints_a_narrow_sheet_portrait_and_a_wide_one_landscape():
    book = XlsxBook()
    book.sheet("窄", [Column("名称"), Column("人数", Kind.COUNT)], title="窄表").write(["甲", 1])
    wide = [Column(f"第{n}列服务领域人次", Kind.COUNT) for n in range(14)]
    book.sheet("宽", wide, title="宽表").write(list(range(14)))
    workbook = load_workbook(io.BytesIO(book.close()))
    assert workbook["窄"].page_setup.orientation == "portrait"
    assert workbook["宽"].page_setup.orientation == "landscape"
    for sheet in workbook.worksheets:
        check_sheet(sheet)


def test_the_shared_writer_refuses_a_row_written_out_of_order():
    """Books stream their rows (constant_memory): a write above the current row would be
    dropped silently by xlsxwriter, so the writer raises instead."""
    book = XlsxBook()
    sheet = book.sheet("表", [Column("名称"), Column("人数", Kind.COUNT)], title="表")
    sheet.write(["甲", 1])
    sheet.write(["乙", 2])
    with pytest.raises(OutOfOrderWrite, match="row 3"):
        sheet.worksheet.write_string(2, 0, "改")  # the header row, long written
    with pytest.raises(OutOfOrderWrite):
        sheet.worksheet.merge_range(0, 0, 0, 1, "标题", None)
    with pytest.raises(OutOfOrderWrite):
        sheet.worksheet.set_row(1, 30)
    sheet.row -= 2  # going back with the sheet's own writer fails too
    with pytest.raises(OutOfOrderWrite):
        sheet.write(["丙", 3])


def test_the_shared_writer_keeps_two_row_merges_and_the_cells_beside_them():
    """A header cell merged over two rows, then the other cells of its first row: all of
    them are in the file, and the range is merged."""
    book = XlsxBook()
    sheet = book.sheet("表", [Column("a"), Column("b"), Column("c")], header=False)
    ws, fmt = sheet.worksheet, book.format("header")
    ws.merge_range(0, 0, 1, 0, "区县", fmt)
    ws.merge_range(0, 1, 0, 2, "人员", fmt)
    ws.write_string(1, 1, "社工", fmt)
    ws.write_string(1, 2, "持证", fmt)
    sheet.row = 2
    sheet.write(["许昌", 3, 2])
    sheet.write(["长葛", 1, 1])
    sheet.worksheet.merge_range(4, 0, 5, 2, "说明", None)  # waiting at the last row
    workbook = load_workbook(io.BytesIO(book.close()))
    table = workbook["表"]
    rows = [[cell.value for cell in row] for row in table.iter_rows(max_row=5)]
    assert rows == [
        ["区县", "人员", None],
        [None, "社工", "持证"],
        ["许昌", 3, 2],
        ["长葛", 1, 1],
        ["说明", None, None],
    ]
    assert {str(r) for r in table.merged_cells.ranges} == {"A1:A2", "B1:C1", "A5:C6"}


# --- PDF -------------------------------------------------------------------------------


def _widths(font) -> tuple[dict[int, float], float]:
    """Glyph widths (per 1000 em) of a Type0 font from its descendant's /W array."""
    descendant = font["/DescendantFonts"][0].get_object()
    widths: dict[int, float] = {}
    array = list(descendant.get("/W", []))
    index = 0
    while index < len(array):
        first = int(array[index])
        following = array[index + 1]
        if isinstance(following, list | tuple) or hasattr(following, "__iter__"):
            for offset, width in enumerate(following):
                widths[first + offset] = float(width)
            index += 2
        else:
            for cid in range(first, int(following) + 1):
                widths[cid] = float(array[index + 2])
            index += 3
    return widths, float(descendant.get("/DW", 1000))


def _apply(matrix, x, y):
    a, b, c, d, e, f = matrix
    return a * x + c * y + e, b * x + d * y + f


def _times(m, n):
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (
        a * a2 + b * c2,
        a * b2 + b * d2,
        c * a2 + d * c2,
        c * b2 + d * d2,
        e * a2 + f * c2 + e2,
        e * b2 + f * d2 + f2,
    )


def text_boxes(content: bytes):
    """(page, x0, x1, y, page width, page height) of every text run WeasyPrint draws
    (in the page and in the forms it draws charts into): its start and end from the
    text and current matrices and the fonts' glyph widths, as pdfplumber's word boxes."""
    reader = PdfReader(io.BytesIO(content))
    boxes = []
    for number, page in enumerate(reader.pages, start=1):
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        for x0, x1, y in _runs(reader, page.get_contents(), page["/Resources"], IDENTITY):
            boxes.append((number, x0, x1, y, width, height))
    return boxes


IDENTITY = (1, 0, 0, 1, 0, 0)


def _runs(reader, contents, resources, cm):
    from pypdf.generic import ContentStream

    fonts = resources.get("/Font", {})
    forms = resources.get("/XObject", {})
    stack, tm, font, size = [], IDENTITY, None, 1
    for args, op in ContentStream(contents, reader).operations:
        if op == b"q":
            stack.append(cm)
        elif op == b"Q":
            cm = stack.pop()
        elif op == b"cm":
            cm = _times(tuple(float(a) for a in args), cm)
        elif op == b"Tm":
            tm = tuple(float(a) for a in args)
        elif op == b"Tf":
            font, size = _widths(fonts[args[0]].get_object()), float(args[1])
        elif op == b"Do":
            form = forms[args[0]].get_object()
            if form.get("/Subtype") == "/Form":
                matrix = tuple(float(a) for a in form.get("/Matrix", IDENTITY))
                inner = form.get("/Resources", resources)
                yield from _runs(reader, form, inner.get_object(), _times(matrix, cm))
        elif op in (b"TJ", b"Tj") and font:
            glyph_widths, default = font
            advance = 0.0
            for item in args[0] if op == b"TJ" else [args[0]]:
                if isinstance(item, int | float) or hasattr(item, "as_numeric"):
                    advance -= float(item) / 1000 * size
                    continue
                data = item if isinstance(item, bytes) else item.original_bytes
                for k in range(0, len(data) - 1, 2):
                    advance += glyph_widths.get(data[k] << 8 | data[k + 1], default) / 1000 * size
            matrix = _times(tm, cm)
            x0, y0 = _apply(matrix, 0, 0)
            x1, _y1 = _apply(matrix, advance, 0)
            yield min(x0, x1), max(x0, x1), y0


def check_pdf(content: bytes, name: str) -> str:
    reader = PdfReader(io.BytesIO(content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    pages = len(reader.pages)
    assert "第 1 页 共" in text.replace("\n", " "), name
    assert f"共 {pages} 页" in text, name
    assert "许昌市社会工作行业协会" in text, name
    for number, x0, x1, y, width, height in text_boxes(content):
        # Inside the page's drawing area: not cut at the left or right margin (a chart's
        # label drawn left of the chart is clipped there), nor off the page.
        assert x0 >= PDF_MARGIN_X - 1, (name, number, x0)
        assert x1 <= width - PDF_MARGIN_X + 1, (name, number, x1)
        assert 0 < y < height, (name, number, y)
    fonts = {
        str(font.get_object().get("/BaseFont"))
        for page in reader.pages
        for font in (page.get("/Resources", {}).get("/Font", {}) or {}).values()
    }
    assert any("CJKsc" in f or "SC" in f for f in fonts), (name, fonts)
    assert not any("CJKjp" in f or "JP" in f for f in fonts), (name, fonts)
    return text


def test_it_prints_every_reports_pdf_inside_its_page_with_the_page_count(everything, dump):
    for slug in slugs():
        content = render_document(built(slug), "pdf")
        if dump:
            (dump / f"{slug}.pdf").write_bytes(content)
        check_pdf(content, slug)


def test_it_makes_room_for_a_long_county_name_in_a_chart():
    chart = BarChart(
        "各区县覆盖率", ["魏都区", LONG_COUNTY, "禹州市"], [Decimal("60.0"), 100, 0], "%"
    )
    geometry = chart_geometry(chart)
    long_bar = geometry["bars"][1]
    assert [line["text"] for line in long_bar["lines"]] == [LONG_COUNTY]
    assert geometry["label_x"] >= 9 * geometry["font_size"]  # 9 characters of 1 em
    assert long_bar["value"] == "100.0%"
    assert long_bar["value_x"] + 6 * geometry["font_size"] * 0.6 <= geometry["width"]
    very_long = BarChart("图", ["一" * 60], [5])
    lines = chart_geometry(very_long)["bars"][0]["lines"]
    assert len(lines) > 1 and "".join(line["text"] for line in lines) == "一" * 60
    document = Document(title="图表")
    document.section("覆盖").chart(chart.caption, chart.labels, chart.values, "%")
    text = check_pdf(pdf_bytes(document), "chart")
    assert LONG_COUNTY in text and "100.0%" in text


def test_a_named_list_keeps_its_numbers_names_and_dates_on_one_line():
    """A member number, a masked name, a qualification, a date or a standing broken over
    two lines doubled every row's height (the officials' member list of the demo printed
    on 25 pages, 17 now); a long employer still wraps, and a table of many short
    columns that would not fit on one line keeps wrapping."""
    rows = [
        [
            f"XCSW-G-{n:04d}",
            "欧**明",
            "女",
            "助理社会工作师",
            "许昌市志愿服务联合会",
            D(2023, 9, 15),
            "有效",
        ]
        for n in range(1, 61)
    ]
    table = Table(
        "个人会员名单",
        ["会员编号", "姓名", "性别", "职业资格等级", "工作单位", "入会日期", "会籍状态"],
        rows,
    )
    item = _pdf_table(table)
    assert [cell.get("nowrap", False) for cell in item["rows"][0]] == [True] * 4 + [
        False,
        True,
        True,
    ]
    assert [h.get("nowrap", False) for h in item["headers"]] == [True] * 4 + [False, True, True]
    document = Document(title="会员名单")
    document.section("二、个人会员").table(table.caption, table.columns, rows)
    content = pdf_bytes(document)
    check_pdf(content, "member list")
    assert len(PdfReader(io.BytesIO(content)).pages) <= 3  # 60 rows of one line each
    many = Table("月报", [f"第{n}栏" for n in range(22)], [["颍川街道社工站"] * 22])
    assert not any(cell.get("nowrap") for cell in _pdf_table(many)["rows"][0])
    counts = Table("月报", [f"第{n}服务领域服务人次" for n in range(22)], [list(range(22))])
    assert all(cell.get("nowrap") for cell in _pdf_table(counts)["rows"][0])


def test_a_pdf_counts_with_thousands_separators_right_aligned():
    document = Document(title="人次")
    document.section("服务").table("按领域", ["服务领域", "服务人次"], [["养老服务", 12345]])
    html_numbers = pdf_bytes(document)
    text = check_pdf(html_numbers, "numbers")
    assert "12,345" in text
    # The number ends at the right edge of its column (the table's right edge).
    right = max(
        x1
        for _n, _x0, x1, y, _w, height in text_boxes(html_numbers)
        if 25 * MM < y < height - 25 * MM  # not the running header or the footer
    )
    reader = PdfReader(io.BytesIO(html_numbers))
    # (within the cell's padding of the table's right edge)
    assert right == pytest.approx(float(reader.pages[0].mediabox.width) - PDF_MARGIN_X, abs=15)


def test_a_certificate_has_no_page_footer():
    from association.pdf import render_pdf

    content = render_pdf("members/pdf/membership_certificate.html", {"membership": None})
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)
    assert "第 1 页" not in text


# --- Downloads -------------------------------------------------------------------------


def test_a_report_download_carries_a_chinese_file_name(cast, stations_data, client):
    from association.reports.choices import RunStatus
    from association.reports.services import run_build, run_create

    client.force_login(cast.staff)
    run = run_create(
        report=catalogue.get("station-monthly"),
        params={"month": "2025-10"},
        fmt="xlsx",
        user=cast.staff,
    )
    run = run_build(run.pk) or run
    run.refresh_from_db()
    assert run.status == RunStatus.DONE
    response = client.get(f"/reports/runs/{run.pk}/download/")
    disposition = response["Content-Disposition"]
    name = download_name("社工站服务月报汇总", "2025年10月", "xlsx")
    assert name == "许昌市社会工作行业协会_社工站服务月报汇总_2025年10月.xlsx"
    from urllib.parse import quote

    assert disposition.startswith("attachment;")
    assert f"filename*=utf-8''{quote(name)}" in disposition


def test_a_statement_download_carries_a_chinese_file_name(cast, ledger, client, dump):  # noqa: F811
    from urllib.parse import quote

    client.force_login(cast.staff)
    response = client.get(
        "/finance/statements/xlsx/",
        {"kind": "balance_sheet", "start": "2025-01-01", "end": "2025-12-31"},
    )
    assert response.status_code == 200
    name = "许昌市社会工作行业协会_资产负债表_2025年度.xlsx"
    assert f"filename*=utf-8''{quote(name)}" in response["Content-Disposition"]
    if dump:
        (dump / "statement.xlsx").write_bytes(response.content)
    workbook = load_workbook(io.BytesIO(response.content))
    for sheet in workbook.worksheets:
        check_sheet(sheet)
        check_cells(sheet)
