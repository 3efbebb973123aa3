"""Hostile files sent to the member imports of the admin (organisations, social workers)
are refused by the import form in under a second, with the reason in Chinese, before
tablib or openpyxl reads a row; nothing is imported."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from members.models import Organisation, SocialWorker
from members.resources import (
    FORMATS,
    IMPORT_MAX_COLS,
    IMPORT_MAX_ROWS,
    CheckedXLSX,
    ChineseCSV,
)
from tests import crafted

XLSX = next(i for i, f in enumerate(FORMATS) if f is CheckedXLSX)
CSV = next(i for i, f in enumerate(FORMATS) if f is ChineseCSV)
URLS = ["admin:members_organisation_import", "admin:members_socialworker_import"]
MAX_ROWS = IMPORT_MAX_ROWS + 1  # the header is a line too

CASES = {
    "dimension": (
        lambda: crafted.crafted_dimension(["姓名"]),
        XLSX,
        "表格声明的范围为 A1:XFD1048576",
    ),
    "zip bomb": (crafted.zip_bomb, XLSX, "压缩比异常"),
    "named xlsx, not a zip": (lambda: crafted.NOT_A_ZIP, XLSX, "不是有效的 xlsx 表格"),
    "xlsx rows": (lambda: crafted.too_many_rows(MAX_ROWS + 1), XLSX, f"表格超过 {MAX_ROWS} 行"),
    "xlsx columns": (
        lambda: crafted.too_many_cols(IMPORT_MAX_COLS + 1),
        XLSX,
        f"表格超过 {IMPORT_MAX_COLS} 列",
    ),
    "csv rows": (lambda: "姓名\n张三\n".encode() * MAX_ROWS, CSV, f"表格超过 {MAX_ROWS} 行"),
    "csv columns": (
        lambda: ("," * IMPORT_MAX_COLS + "\n").encode(),
        CSV,
        f"表格超过 {IMPORT_MAX_COLS} 列",
    ),
}


@pytest.fixture
def staff_client(cast, client_for):
    TOTP.activate(cast.staff, generate_totp_secret())
    return client_for(cast.staff)


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("url", URLS)
def test_the_member_imports_refuse_a_hostile_file_in_under_a_second(case, url, staff_client):
    build, format_index, message = CASES[case]
    data = build()
    name = "会员.csv" if format_index == CSV else "会员.xlsx"
    assert staff_client.get(reverse(url)).status_code == 200  # warm
    with crafted.within(1):
        response = staff_client.post(
            reverse(url),
            {"import_file": SimpleUploadedFile(name, data), "format": format_index},
        )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Organisation.objects.exists() and not SocialWorker.objects.exists()


def test_the_csv_format_checks_the_file_whoever_calls_it():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        ChineseCSV().create_dataset(("," * IMPORT_MAX_COLS + "\n").encode("gbk"))
    assert error.value.code == "sheet_cols"
