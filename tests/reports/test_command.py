import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook
from pypdf import PdfReader

pytestmark = pytest.mark.django_db


def test_it_builds_a_report_from_the_command_line(stations_data, tmp_path):
    output = tmp_path / "m.xlsx"
    out = io.StringIO()
    call_command(
        "run_report",
        "station-monthly",
        "--param",
        "month=2025-10",
        "--format",
        "xlsx",
        "--output",
        str(output),
        stdout=out,
        stderr=io.StringIO(),
    )
    assert "社工站服务月报汇总" in out.getvalue()
    sheet = load_workbook(output, read_only=True)["一、月报报送情况"]
    values = [v for row in sheet.iter_rows(values_only=True) for v in row]
    assert values[values.index("已报送") + 1] == 2


def test_it_writes_a_pdf_from_the_command_line(members_data, tmp_path):
    output = tmp_path / "r.pdf"
    call_command(
        "run_report",
        "member-register",
        "--format",
        "pdf",
        "--output",
        str(output),
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    assert "会员名册统计" in PdfReader(output).pages[0].extract_text()


def test_it_says_what_is_wrong_with_the_arguments(tmp_path):
    with pytest.raises(CommandError, match="不存在"):
        call_command("run_report", "nope", "--output", str(tmp_path / "x"))
    with pytest.raises(CommandError, match="参数“colour=red”无效"):
        call_command("run_report", "station-monthly", "--param", "colour=red", "--output", "x")
    with pytest.raises(CommandError, match="月份格式应为"):
        call_command(
            "run_report",
            "station-monthly",
            "--param",
            "month=10/2025",
            "--output",
            str(tmp_path / "x"),
            stderr=io.StringIO(),
        )
