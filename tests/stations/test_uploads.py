"""Hostile xlsx files sent to the stations' upload paths (the bulk monthly reports, the
station and staff imports of the admin) are refused in under a second, with the reason
in Chinese, and nothing is saved.

On the old code the crafted dimension kept the bulk upload busy for about 106 s: the test
interrupts it after 10 s and fails."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from members.resources import IMPORT_MAX_COLS, IMPORT_MAX_ROWS, CheckedXLSX
from stations.bulk import EXTRA_COLS, MAX_ROWS, Columns
from stations.models import ServiceReport, StaffAssignment, Station
from stations.resources import FORMATS
from tests import crafted

XLSX = next(i for i, f in enumerate(FORMATS) if f is CheckedXLSX)


def hostile(case: str, *, header: list, max_rows: int, max_cols: int) -> tuple[bytes, str]:
    """The file of ``case`` and a phrase of the message that refuses it."""
    if case == "dimension":
        return crafted.crafted_dimension(header), "表格声明的范围为 A1:XFD1048576"
    if case == "zip bomb":
        return crafted.zip_bomb(), "压缩比异常"
    if case == "not a zip":
        return crafted.BROKEN_ZIP, "无法读取该 xlsx 文件"
    if case == "rows":
        return crafted.too_many_rows(max_rows + 1, header), f"表格超过 {max_rows} 行"
    return crafted.too_many_cols(max_cols + 1), f"表格超过 {max_cols} 列"


CASES = ["dimension", "zip bomb", "not a zip", "rows", "cols"]


@pytest.mark.parametrize("case", CASES)
def test_the_bulk_upload_refuses_a_hostile_file_in_under_a_second(
    case, cast, client_for, station_a
):
    header = Columns.current().headers()
    data, message = hostile(
        case, header=header, max_rows=MAX_ROWS + 1, max_cols=len(header) + EXTRA_COLS
    )
    client = client_for(cast.org_admin_a)
    assert client.get(reverse("stations:bulk_upload")).status_code == 200  # warm
    with crafted.within(1):
        response = client.post(
            reverse("stations:bulk_upload"), {"file": SimpleUploadedFile("月报.xlsx", data)}
        )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ServiceReport.objects.exists()


def test_the_bulk_upload_refuses_a_file_named_xlsx_that_is_not_a_zip(cast, client_for, station_a):
    client = client_for(cast.org_admin_a)
    response = client.post(
        reverse("stations:bulk_upload"),
        {"file": SimpleUploadedFile("月报.xlsx", crafted.NOT_A_ZIP)},
    )
    assert "不符" in response.content.decode()  # the extension check, before the parser


@pytest.fixture
def staff_client(cast, client_for):
    TOTP.activate(cast.staff, generate_totp_secret())
    return client_for(cast.staff)


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize(
    ("url", "model"),
    [("admin:stations_station_import", Station), ("admin:stations_staffassignment_import", None)],
)
def test_the_admin_imports_refuse_a_hostile_file_in_under_a_second(
    case, url, model, staff_client, station_a
):
    data, message = hostile(
        case, header=["乡镇代码"], max_rows=IMPORT_MAX_ROWS + 1, max_cols=IMPORT_MAX_COLS
    )
    before = (Station.objects.count(), StaffAssignment.objects.count())
    assert staff_client.get(reverse(url)).status_code == 200  # warm
    with crafted.within(1):
        response = staff_client.post(
            reverse(url), {"import_file": SimpleUploadedFile("站点.xlsx", data), "format": XLSX}
        )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert (Station.objects.count(), StaffAssignment.objects.count()) == before


def test_the_xlsx_format_checks_the_file_whoever_calls_it():
    # The admin's confirm step reads the stored file through the format again.
    from django.core.exceptions import ValidationError

    with crafted.within(1), pytest.raises(ValidationError) as error:
        CheckedXLSX().create_dataset(crafted.crafted_dimension())
    assert error.value.code == "sheet_dimension"
