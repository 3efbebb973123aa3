from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from association.regions.choices import Level
from association.regions.models import Region

pytestmark = pytest.mark.django_db
DATA = settings.BASE_DIR / "association" / "regions" / "data"
HEADER = "code,name,county_code,county_name,city_code,city_name,kind\n"


def load(path, source="Xzqh20251231"):
    out = StringIO()
    call_command("load_regions", path, source=source, stdout=out)
    return out.getvalue()


def test_it_loads_the_103_townships_of_xuchang_in_6_counties():
    output = load(DATA / "xuchang_townships.csv")
    assert Region.objects.townships().count() == 103
    assert Region.objects.counties().count() == 6
    city = Region.objects.get(code="411000")
    assert city.name == "许昌市" and city.level == Level.CITY
    weidu = Region.objects.get(name="魏都区")
    assert Region.objects.townships().filter(parent=weidu).count() == 15
    assert Region.objects.townships().filter(parent__parent=city).count() == 103
    assert Region.objects.get(code="411002001").source == "Xzqh20251231"
    assert "新建 110" in output


def test_it_adds_the_functional_zones_to_reach_106():
    load(DATA / "xuchang_townships.csv")
    load(DATA / "xuchang_functional_zones.csv", source="手工添加")
    assert Region.objects.townships().count() == 106
    assert Region.objects.get(name="龙湖街道").source == "手工添加"


def test_it_is_idempotent_and_reports_renamed_units(tmp_path):
    load(DATA / "xuchang_townships.csv")
    assert "新建 0，更名 0，未变 110" in load(DATA / "xuchang_townships.csv")
    renamed = tmp_path / "renamed.csv"
    renamed.write_text(
        HEADER + "411002001,西大街新街道,411002,魏都区,411000,许昌市,街道\n", encoding="utf-8"
    )
    output = load(renamed, source="Xzqh20261231")
    assert "更名 1" in output and "西大街街道 → 西大街新街道" in output
    region = Region.objects.get(code="411002001")
    assert (region.name, region.source) == ("西大街新街道", "Xzqh20261231")


def test_it_imports_nothing_when_a_row_is_bad_and_names_each_line(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(
        HEADER
        + "411002001,西大街街道,411002,魏都区,411000,许昌市,街道\n"
        + "41100200X,坏代码,411002,魏都区,411000,许昌市,街道\n"
        + "411002001,重复,411002,魏都区,411000,许昌市,街道\n"
        + "412002003,外县,411002,魏都区,411000,许昌市,村\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError) as error:
        load(bad)
    message = str(error.value)
    assert "第 3 行" in message and "乡镇代码应为9位或12位数字" in message
    assert "第 4 行" in message and "代码与第 2 行重复" in message
    assert "第 5 行" in message and "乡镇代码不属于该县" in message and "类别“村”无效" in message
    assert not Region.objects.exists()


def test_it_reads_gbk_files(tmp_path):
    gbk = tmp_path / "gbk.csv"
    gbk.write_bytes(
        (HEADER + "411002001,西大街街道,411002,魏都区,411000,许昌市,街道\n").encode("gbk")
    )
    load(gbk)
    assert Region.objects.get(code="411002001").name == "西大街街道"


def test_the_new_regions_go_in_as_a_save_would_put_them():
    """New regions are written with COPY: keys from the sequence, the date, the ancestry
    the database's trigger writes, and the next region saved gets a fresh key."""
    load(DATA / "xuchang_townships.csv")
    street = Region.objects.get(code="411002001")
    assert street.ancestry == ["410000", "411000", "411002", "411002001"]
    assert street.updated_at and street.source == "Xzqh20251231"
    assert street.parent.parent == Region.objects.get(code="411000")
    added = Region.objects.create(
        code="411002999", name="新街道", level=Level.TOWNSHIP, parent=street.parent
    )
    assert added.pk > max(Region.objects.exclude(pk=added.pk).values_list("pk", flat=True))


def test_it_refuses_a_file_with_the_wrong_header(tmp_path):
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("代码,名称\n1,2\n", encoding="utf-8")
    with pytest.raises(CommandError, match="表头应为"):
        load(wrong)


def test_it_records_region_changes_in_the_history():
    from pghistory.models import Events

    load(DATA / "xuchang_functional_zones.csv", source="手工添加")
    region = Region.objects.get(name="龙湖街道")
    region.name = "龙湖新街道"
    region.save()
    labels = list(Events.objects.tracks(region).values_list("pgh_label", flat=True))
    assert labels == ["insert", "update"]


def test_it_loads_a_county_level_city_under_the_province_directly(tmp_path):
    jiyuan = tmp_path / "jiyuan.csv"
    jiyuan.write_text(HEADER + "419001001,沁园街道,419001,济源市,,,街道\n", encoding="utf-8")
    load(jiyuan)
    street = Region.objects.get(code="419001001")
    assert street.parent.name == "济源市" and street.parent.level == Level.CITY
    # 省直辖县级市: directly under the province, which the loader made.
    assert (street.parent.parent.code, street.parent.parent.level) == ("410000", Level.PROVINCE)


# --- the province above the cities (GB/T 2260) ------------------------------------------


def test_it_makes_the_province_of_the_cities_once():
    output = load(DATA / "xuchang_townships.csv")
    assert "新建 110，" in output  # the file's rows; the province on a line of its own
    assert "新建省级区划（GB/T 2260）：410000 河南省" in output
    province = Region.objects.get(level=Level.PROVINCE)
    assert (province.code, province.name, province.source) == ("410000", "河南省", "GB/T 2260")
    assert province.parent is None
    assert Region.objects.get(code="411000").parent == province
    again = load(DATA / "xuchang_townships.csv")
    assert "新建 0，更名 0，未变 110" in again and "省级区划" not in again
    assert Region.objects.filter(level=Level.PROVINCE).count() == 1


def test_a_province_there_already_is_used_whatever_its_code_form():
    by_hand = Region.objects.create(
        code="410000000000", name="河南省", level=Level.PROVINCE, source="手工添加"
    )
    assert "省级区划" not in load(DATA / "xuchang_townships.csv")
    assert Region.objects.get(code="411000").parent == by_hand
    assert Region.objects.filter(level=Level.PROVINCE).count() == 1


def test_a_city_association_counts_the_same_with_its_province_above(settings):
    settings.ASSOCIATION_REGION = "411000"
    load(DATA / "xuchang_townships.csv")
    area = Region.objects.association_area()
    assert area.count() == 110  # the city, 6 counties, 103 townships: not the province
    assert not area.filter(level=Level.PROVINCE).exists()
    roots = Region.objects.association_roots()
    assert set(Region.objects.areas_of(roots).values_list("level", flat=True)) == {Level.COUNTY}


def test_a_provincial_association_works_after_one_load(settings, tmp_path):
    settings.ASSOCIATION_REGION = "410000"
    zhengzhou = tmp_path / "zhengzhou.csv"
    zhengzhou.write_text(
        HEADER
        + "410102001,林山寨街道,410102,中原区,410100,郑州市,街道\n"
        + "419001001,沁园街道,419001,济源市,,,街道\n"
        + "420102001,大智街道,420102,江岸区,420100,武汉市,街道\n",
        encoding="utf-8",
    )
    load(DATA / "xuchang_townships.csv")
    output = load(zhengzhou)
    assert "420000 湖北省" in output and "河南省" not in output  # made by the first load
    roots = Region.objects.association_roots()
    assert list(roots.values_list("name", flat=True)) == ["河南省"]
    assert list(Region.objects.areas_of(roots).order_by("code").values_list("name", flat=True)) == [
        "郑州市",
        "许昌市",
        "济源市",
    ]
    townships = Region.objects.association_area().townships()
    assert townships.count() == 103 + 2 and not townships.filter(name="大智街道").exists()
    assert Region.objects.get(code="420100").parent.name == "湖北省"


def test_a_municipality_is_its_own_province_and_other_codes_stay_at_the_top(tmp_path):
    rows = tmp_path / "rows.csv"
    rows.write_text(
        HEADER
        + "110101001,东华门街道,110101,东城区,110100,市辖区,街道\n"
        + "500240200,黄水镇,500240,石柱土家族自治县,500200,县,镇\n"
        + "900101001,测试镇,900101,测试县,900100,测试市,镇\n",
        encoding="utf-8",
    )
    output = load(rows)
    assert "省级区划" not in output
    assert not Region.objects.filter(level=Level.PROVINCE).exists()
    for code in ("110000", "500000", "900100"):
        city = Region.objects.get(code=code)
        assert city.level == Level.CITY and city.parent is None


def test_a_city_loaded_before_goes_under_its_province_on_the_next_load():
    load(DATA / "xuchang_townships.csv")
    # As loaded before the loader made provinces: the city at the top, no province.
    Region.objects.filter(code="411000").update(parent=None)
    Region.objects.filter(level=Level.PROVINCE).delete()
    output = load(DATA / "xuchang_townships.csv")
    assert "410000 河南省" in output and "更名 1" in output
    assert Region.objects.get(code="411000").parent.code == "410000"
    assert "新建 0，更名 0，未变 110" in load(DATA / "xuchang_townships.csv")
