"""The regions loader refuses an oversized table (bytes, rows or columns) before reading
a row of it, in under a second, with the reason in Chinese; nothing is loaded."""

import pytest
from django.core.management import CommandError, call_command

from association.regions import services
from association.regions.models import Region
from association.regions.services import RegionFileError, regions_load
from tests import crafted

pytestmark = pytest.mark.django_db
HEADER = "code,name,county_code,county_name,city_code,city_name,kind\n"
ROW = "411002001,西大街街道,411002,魏都区,411000,许昌市,街道\n"

CASES = {
    "rows": (lambda: HEADER + ROW * (services.MAX_ROWS + 1), f"超过 {services.MAX_ROWS + 1} 行"),
    "columns": (
        lambda: HEADER + ROW.strip() + "," * services.MAX_COLS + "\n",
        f"超过 {services.MAX_COLS} 列",
    ),
    "size": (lambda: HEADER + ROW + " " * (services.MAX_MB * 1024 * 1024), "MB 的上限"),
}


@pytest.mark.parametrize("case", CASES)
def test_the_command_refuses_an_oversized_table(case, tmp_path):
    text, message = CASES[case][0](), CASES[case][1]
    path = tmp_path / "regions.csv"
    path.write_text(text, encoding="utf-8")
    with crafted.within(1), pytest.raises(CommandError) as error:
        call_command("load_regions", path)
    assert "未导入任何数据" in str(error.value) and message in str(error.value)
    assert not Region.objects.exists()


@pytest.mark.parametrize("case", CASES)
def test_the_service_refuses_an_oversized_table(case):
    text, message = CASES[case][0](), CASES[case][1]
    with crafted.within(1), pytest.raises(RegionFileError) as error:
        regions_load(text, source="test")
    assert message in error.value.errors[0]
    assert not Region.objects.exists()
