"""The files: xlsx opened with openpyxl, PDF text extracted with pypdf; formula escaping."""

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from association.reports import catalogue
from association.reports.documents import Document
from association.reports.render import chart_geometry, pdf_bytes, xlsx_bytes
from association.reports.services import build_document, render_document

from .conftest import TODAY

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def cells(content: bytes) -> dict[str, list]:
    workbook = load_workbook(io.BytesIO(content), read_only=True)
    return {
        sheet.title: [value for row in sheet.iter_rows(values_only=True) for value in row]
        for sheet in workbook.worksheets
    }


def test_it_writes_the_coverage_report_as_xlsx_with_its_figures(stations_data):
    document = build_document(catalogue.get("station-coverage"), {"on": TODAY.isoformat()})
    sheets = cells(render_document(document, "xlsx"))
    assert "社工站覆盖与人员配备（按区县）" in sheets["说明"]
    values = sheets["一、覆盖与人员配备"]
    index = values.index("运营中的社工站")
    assert values[index + 1] == 3
    # a real percentage: the cell holds 0.6 and shows 60.0% (no "%" cell beside it)
    assert values[values.index("覆盖率（运营站点 / 乡镇街道）") + 1] == pytest.approx(0.6)
    assert "魏都区" in values and "禹州市" in values


def test_it_writes_the_coverage_report_as_pdf_with_chinese_headings_and_figures(
    stations_data,
):
    document = build_document(catalogue.get("station-coverage"), {"on": TODAY.isoformat()})
    content = render_document(document, "pdf")
    assert content.startswith(b"%PDF-")
    text = pdf_text(content)
    for heading in ("社工站覆盖与人员配备（按区县）", "一、覆盖与人员配备", "按区县", "魏都区"):
        assert heading in text, heading
    assert "60.0%" in text  # coverage
    assert "运营中的社工站 3" in text.replace("\n", " ")
    assert "<svg" not in text  # the chart is drawn, not printed as markup


def test_it_writes_the_member_register_as_pdf(members_data):
    document = build_document(catalogue.get("member-register"), {"on": TODAY.isoformat()})
    text = pdf_text(render_document(document, "pdf"))
    assert "会员名册统计" in text
    assert "三、继续教育达标情况" in text
    assert "会员总数（单位会员 + 个人会员） 4" in text.replace("\n", " ")


def test_it_escapes_formulas_in_every_text_cell():
    document = Document(title="=cmd|' /C calc'!A0")
    section = document.section("+危险")
    section.figure("@SUM(1,2)", "-2+3")
    section.table('=HYPERLINK("http://x")', ["=列"], [["=1+1", 5, Decimal("1.50")]])
    section.chart("图", ["=A1"], [3])
    section.note("\t=tab")
    sheets = cells(xlsx_bytes(document))
    values = [v for sheet in sheets.values() for v in sheet if v is not None]
    texts = [v for v in values if isinstance(v, str)]
    assert "'=cmd|' /C calc'!A0" in texts
    assert "'@SUM(1,2)" in texts and "'-2+3" in texts and "'=1+1" in texts and "'=A1" in texts
    assert "'\t=tab" in texts
    assert not any(t.startswith(("=", "+", "-", "@")) for t in texts)
    assert 5 in values and 1.5 in values  # numbers stay numbers
    # openpyxl sees no formula anywhere (a formula cell would read back as "=...")
    workbook = load_workbook(io.BytesIO(xlsx_bytes(document)))
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f"


def test_it_draws_bars_in_proportion():
    from association.reports.documents import BarChart

    geometry = chart_geometry(BarChart("c", ["甲", "乙", "丙"], [10, 5, 0]))
    widths = [bar["width"] for bar in geometry["bars"]]
    assert widths[0] == 2 * widths[1] and widths[2] == 0
    document = Document(title="图表")
    document.section("服务人次").chart(
        "服务人次（按服务领域）", ["养老服务", "儿童关爱"], [120, 45]
    )
    text = pdf_text(pdf_bytes(document))
    assert "养老服务" in text and "120" in text


def test_it_says_when_a_section_is_not_in_the_system():
    document = Document(title="年度工作报告")
    document.missing_section("财务收支", "财务模块尚未启用")
    text = pdf_text(pdf_bytes(document))
    assert "该部分数据暂未纳入系统" in text
    sheets = cells(xlsx_bytes(document))
    assert any("该部分数据暂未纳入系统" in str(v) for v in sheets["财务收支"])
