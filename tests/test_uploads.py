"""The shared check of uploaded tables: every hostile file refused in under a second,
with its Chinese reason, before a parser builds a row. Each upload path has its own
test in its app's folder (tests/stations, tests/members, tests/regions)."""

import io

import openpyxl.xml
import pytest
import xlsxwriter
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from association.spreadsheets import check_spreadsheet
from tests import crafted

LIMITS = {"max_rows": 101, "max_cols": 20}


def refusal(data, name="表.xlsx", **limits) -> ValidationError:
    with crafted.within(1), pytest.raises(ValidationError) as error:
        check_spreadsheet(SimpleUploadedFile(name, data), **{**LIMITS, **limits})
    return error.value


def test_openpyxl_parses_with_defusedxml():
    assert openpyxl.xml.DEFUSEDXML is True


def test_it_refuses_a_declared_dimension_of_the_whole_sheet():
    error = refusal(crafted.crafted_dimension())
    assert error.code == "sheet_dimension"
    assert "A1:XFD1048576" in error.messages[0] and "超过上限" in error.messages[0]


@pytest.mark.parametrize("ref", ["A1:XFD1", "A1:A1048576", "A:XFD", "1:1048576", "A1:XFDD1"])
def test_it_refuses_either_corner_beyond_the_limits(ref):
    data = crafted.xlsx(crafted.sheet_xml({1: ["a"]}, dimension=ref))
    assert refusal(data).code == "sheet_dimension"


def test_it_refuses_a_far_cell_without_a_declared_dimension():
    # openpyxl fills the rows in between and pads each to the widest cell.
    assert refusal(crafted.xlsx(crafted.sheet_xml({1: ["a"], 1048576: ["x"]}))).code == (
        "sheet_rows"
    )
    far_column = crafted.sheet_xml({1: ["a"]}).replace(b'r="A1"', b'r="XFD1"')
    assert refusal(crafted.xlsx(far_column)).code == "sheet_cols"


@pytest.mark.parametrize("megabytes", [60, 20])
def test_it_refuses_a_zip_bomb_by_size_or_ratio(megabytes):
    data = crafted.zip_bomb(megabytes)
    assert len(data) < 300 * 1024
    error = refusal(data)
    assert error.code == "zip_bomb" and "压缩比异常" in error.messages[0]


def test_it_refuses_a_file_named_xlsx_that_is_not_a_zip():
    error = refusal(crafted.NOT_A_ZIP)
    assert error.code == "file_content" and "不是有效的 xlsx" in error.messages[0]
    assert refusal(crafted.BROKEN_ZIP).code == "file_content"


def test_it_refuses_real_rows_and_columns_beyond_the_limits():
    error = refusal(crafted.too_many_rows(102))
    assert error.code == "sheet_rows" and "超过 101 行" in error.messages[0]
    error = refusal(crafted.too_many_cols(21))
    assert error.code == "sheet_cols" and "超过 20 列" in error.messages[0]


def test_it_refuses_a_document_type_declaration():
    sheet = crafted.sheet_xml({1: ["a"]}).replace(
        b"<worksheet", b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]><worksheet', 1
    )
    assert refusal(crafted.xlsx(sheet)).code == "file_content"


def test_it_refuses_a_file_over_the_size_limit_reading_no_more_than_it():
    assert refusal(b"PK\x03\x04" + b"0" * (1024 * 1024 + 1), max_mb=1).code == "file_size"


def test_it_accepts_what_excel_or_xlsxwriter_write_and_rewinds_the_file():
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer)
    sheet = book.add_worksheet("月报")
    for row in range(101):
        sheet.write_row(row, 0, [f"第{row}行", row, *range(18)])
    book.close()
    upload = SimpleUploadedFile("月报.xlsx", buffer.getvalue())
    check_spreadsheet(upload, **LIMITS)
    assert upload.tell() == 0
    assert openpyxl.load_workbook(upload, read_only=True).worksheets[0].max_row == 101


def test_it_checks_csv_rows_columns_size_and_encoding():
    check_spreadsheet("代码,名称\n1,甲\n".encode("gbk"), kind="csv", **LIMITS)
    rows = "a\n" * 102
    assert refusal(rows.encode(), name="表.csv").code == "sheet_rows"
    assert refusal(("," * 20 + "\n").encode(), name="表.csv").code == "sheet_cols"
    assert refusal(b"\xff\xff\xff\n", name="表.csv").code == "file_content"  # neither encoding
    assert refusal(b"a\n" * 600_000, name="表.csv", max_mb=1).code == "file_size"


def test_it_refuses_other_types():
    assert refusal(b"%PDF-1.7", name="表.pdf").code == "file_type"


def test_it_gives_up_when_the_time_bound_is_spent():
    # The bound is checked between chunks of every part and every 1,000 CSV lines.
    data = crafted.too_many_rows(50)
    assert refusal(data, seconds=-1).code == "sheet_timeout"
    assert refusal(b"a\n" * 1001, name="表.csv", max_rows=2000, seconds=-1).code == (
        "sheet_timeout"
    )
