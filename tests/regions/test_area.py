"""The association's own area (ASSOCIATION_REGION), townships directly under a city, the
loader's special cities, and an official limited to a county."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse

from association.regions.choices import Kind, Level
from association.regions.models import Region
from association.regions.services import regions_load

pytestmark = pytest.mark.django_db
HEADER = "code,name,county_code,county_name,city_code,city_name,kind\n"
XUCHANG = (
    HEADER
    + "411002001,西大街街道,411002,魏都区,411000,许昌市,街道\n"
    + "411002002,东大街街道,411002,魏都区,411000,许昌市,街道\n"
    + "411081001,颍川街道,411081,禹州市,411000,许昌市,街道\n"
    + "411081100,火龙镇,411081,禹州市,411000,许昌市,镇\n"
)
ZHENGZHOU = (
    HEADER
    + "410102001,林山寨街道,410102,中原区,410100,郑州市,街道\n"
    + "410102200,沟赵乡,410102,中原区,410100,郑州市,乡\n"
)


def load(text, source="Xzqh20251231"):
    return regions_load(text, source=source)


def operating_station(code):
    from tests.stations.factories import StationFactory

    return StationFactory(region=Region.objects.get(code=code))


# --- the loader ------------------------------------------------------------------------


def test_it_loads_dongguan_chongqing_and_ordinary_cities_from_one_file():
    load(
        HEADER
        # 东莞: no county level, the county columns empty or repeating the city
        + "441900003,东城街道,,,441900,东莞市,街道\n"
        + "441900101,石龙镇,441900,东莞市,441900,东莞市,镇\n"
        # 重庆: districts directly under the municipality (older tables: 市辖区 500100)
        + "500103001,七星岗街道,500103,渝中区,500000,重庆市,街道\n"
        + "500240200,黄水镇,500240,石柱土家族自治县,500200,县,镇\n"
        # an ordinary city, and the Ministry's other kinds (and an empty kind: the suffix)
        + "411002001,西大街街道,411002,魏都区,411000,许昌市,街道\n"
        + "150702200,鄂温克民族苏木,150702,扎赉诺尔区,150700,呼伦贝尔市,民族苏木\n"
        + "150702201,巴彦苏木,150702,扎赉诺尔区,150700,呼伦贝尔市,\n"
        + "419001001,沁园街道,419001,济源市,,,街道办事处\n"
    )
    dongguan = Region.objects.get(code="441900")
    assert dongguan.level == Level.CITY
    assert set(dongguan.children.values_list("code", "level")) == {
        ("441900003", Level.TOWNSHIP),
        ("441900101", Level.TOWNSHIP),
    }
    chongqing = Region.objects.get(code="500000")
    assert chongqing.name == "重庆市" and chongqing.level == Level.CITY
    assert Region.objects.get(code="500103").parent == chongqing
    assert Region.objects.get(code="500240").parent == chongqing
    assert not Region.objects.filter(code__in=["500100", "500200"]).exists()
    assert Region.objects.get(code="150702200").kind == Kind.ETHNIC_SUMU
    assert Region.objects.get(code="150702201").kind == Kind.SUMU
    assert Region.objects.get(code="419001001").kind == Kind.STREET


def test_it_still_names_a_bad_kind_and_a_township_outside_its_city(tmp_path):
    from django.core.management import CommandError

    bad = tmp_path / "bad.csv"
    bad.write_text(
        HEADER
        + "441900003,东城街道,,,441900,东莞市,村\n"
        + "442000003,外市街道,441900,东莞市,441900,东莞市,街道\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError) as error:
        call_command("load_regions", bad, stdout=io.StringIO())
    assert "类别“村”无效" in str(error.value)
    assert "第 3 行" in str(error.value) and "乡镇代码不属于该县" in str(error.value)
    assert not Region.objects.exists()


# --- townships directly under a city ---------------------------------------------------


def test_it_counts_townships_directly_under_the_city(settings, client_for, cast):
    from stations.selectors import coverage_by_county, reporting_rates_by_area

    settings.ASSOCIATION_REGION = "441900"
    load(
        HEADER
        + "441900003,东城街道,,,441900,东莞市,街道\n"
        + "441900101,石龙镇,,,441900,东莞市,镇\n"
        + "441900102,石排镇,,,441900,东莞市,镇\n"
    )
    operating_station("441900003")
    operating_station("441900101")
    rows, total = coverage_by_county()
    assert [(row.region.name, row.townships, row.operating) for row in rows] == [
        ("东城街道", 1, 1),
        ("石龙镇", 1, 1),
        ("石排镇", 1, 0),
    ]
    assert (total.townships, total.operating) == (3, 2)
    month = datetime.date.today().replace(day=1)
    rates = {area.name: r.expected for area, r in reporting_rates_by_area(month)}
    assert rates == {"东城街道": 1, "石龙镇": 1, "石排镇": 0}
    html = client_for(cast.official).get(reverse("stations:dashboard")).content.decode()
    assert "石排镇" in html and "2 / 3" in html


def test_it_shows_a_citys_own_townships_beside_its_counties(client_for, cast):
    load(XUCHANG + "411000001,直管街道,,,411000,许昌市,街道\n")
    operating_station("411000001")
    operating_station("411002001")
    from stations.selectors import coverage_by_county

    rows, total = coverage_by_county()
    assert [(row.region.name, row.townships, row.operating) for row in rows] == [
        ("直管街道", 1, 1),
        ("魏都区", 2, 1),
        ("禹州市", 2, 0),
    ]
    assert (total.townships, total.operating) == (5, 2)


# --- the association's own area --------------------------------------------------------


def figures(client, staff):
    from association.reports import catalogue
    from association.reports.services import build_document
    from content.selectors import key_figures
    from stations.selectors import coverage_by_county

    rows, total = coverage_by_county()
    key = key_figures()
    report = build_document(catalogue.get("station-coverage"), {"townships": "on"})
    dashboard = client.get(reverse("stations:dashboard")).content.decode()
    return (
        [(row.region.name, row.townships, row.operating) for row in rows],
        (total.townships, total.stations, total.operating),
        (key.townships, key.stations, key.operating),
        [(s.heading, [list(map(str, t.rows)) for t in s.tables()]) for s in report.sections],
        dashboard.split('id="coverage-table"')[1].split("</table>")[0],
    )


def test_loading_another_city_changes_none_of_the_associations_figures(cast, client_for):
    load(XUCHANG)
    operating_station("411002001")
    operating_station("411081100")
    client = client_for(cast.staff)
    before = figures(client, cast.staff)
    assert before[1] == (4, 2, 2)
    load(ZHENGZHOU)
    operating_station("410102001")
    operating_station("410102200")
    assert figures(client, cast.staff) == before
    # The other city is not reachable by drilling down either.
    other = client.get(reverse("stations:dashboard"), {"region": "410102"})
    assert other.status_code == 404
    assert client.get(reverse("stations:dashboard"), {"region": "411081"}).status_code == 200


def test_the_setting_chooses_the_area(settings, cast, client_for):
    from stations.selectors import coverage_by_county

    load(XUCHANG)
    load(ZHENGZHOU)
    settings.ASSOCIATION_REGION = "410100"
    rows, total = coverage_by_county()
    assert [row.region.name for row in rows] == ["中原区"] and total.townships == 2
    settings.ASSOCIATION_REGION = "411000000000"  # the 12-digit form names the same city
    assert coverage_by_county()[1].townships == 4


# --- an official limited to a county ---------------------------------------------------


@pytest.fixture
def county_official(cast):
    from association.accounts.services import user_set_region

    load(XUCHANG)
    load(ZHENGZHOU)
    operating_station("411002001")
    operating_station("411081001")
    user_set_region(user=cast.official, region=Region.objects.get(code="411081"), by=cast.staff)
    return cast.official


def test_only_staff_set_an_officials_region_within_the_area(cast):
    from association.accounts.services import user_set_region

    load(XUCHANG)
    load(ZHENGZHOU)
    with pytest.raises(PermissionDenied):
        user_set_region(
            user=cast.official, region=Region.objects.get(code="411081"), by=cast.official
        )
    with pytest.raises(ValidationError):
        user_set_region(user=cast.official, region=Region.objects.get(code="410102"), by=cast.staff)
    with pytest.raises(ValidationError):
        user_set_region(
            user=cast.official, region=Region.objects.get(code="411081001"), by=cast.staff
        )
    user_set_region(user=cast.official, region=Region.objects.get(code="411000"), by=cast.staff)
    cast.official.refresh_from_db()
    assert cast.official.region.code == "411000"


def test_a_county_official_sees_their_county_and_nothing_else(county_official, client_for):
    client = client_for(county_official)
    page = client.get(reverse("stations:dashboard"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "禹州市" in html and "颍川街道" in html
    assert "魏都区" not in html and "西大街街道" not in html
    assert "1 / 2" in html  # the county's townships, not the city's
    for code in ("411000", "411002", "410102", "410100"):
        response = client.get(reverse("stations:dashboard"), {"region": code})
        assert response.status_code == 404, code
    assert client.get(reverse("stations:dashboard"), {"region": "411081"}).status_code == 200
    # A city official (no region on the account) sees the whole city.
    from association.accounts.services import user_set_region
    from tests.factories import UserFactory

    staff = UserFactory(roles=["协会工作人员"])
    user_set_region(user=county_official, region=None, by=staff)
    html = client.get(reverse("stations:dashboard")).content.decode()
    assert "魏都区" in html and "禹州市" in html


def test_a_county_official_gets_reports_and_exports_of_their_county_only(
    county_official, cast, settings, tmp_path
):
    from openpyxl import load_workbook

    from association.reports import catalogue, services
    from association.reports.selectors import run_get_for_download

    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private")},
        },
    }
    slugs = {report.slug for report in catalogue.reports_for(county_official)}
    assert "station-coverage" in slugs
    # The association's own finances and register are the city bureau's, not the county's.
    assert "financial-statements" not in slugs and "annual-report" not in slugs

    def cells(run):
        run.refresh_from_db()
        assert run.status == "done", run.error
        with run.file.open("rb") as handle:
            book = load_workbook(io.BytesIO(handle.read()), read_only=True)
        return "\n".join(
            str(value)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for value in row
            if value is not None
        )

    report = catalogue.get("station-coverage")
    own = services.run_create(
        report=report, user=county_official, fmt="xlsx", params={"townships": "on"}
    )
    services.run_build(own.pk)
    text = cells(own)
    assert "统计范围：禹州市" in text and "颍川街道" in text
    assert "魏都区" not in text and "西大街街道" not in text and "许昌市；" not in text
    # The same report run by staff covers the city.
    theirs = services.run_create(report=report, user=cast.staff, fmt="xlsx", params={})
    services.run_build(theirs.pk)
    assert "魏都区" in cells(theirs)
    # A scheduled run (the whole area) is neither sent to nor downloadable by them.
    scheduled = services.run_create_scheduled(
        slug="station-coverage", fmt="xlsx", audience_role="民政部门"
    )
    assert county_official not in services._recipients(scheduled)
    from django.http import Http404

    services.run_build(scheduled.pk)
    with pytest.raises(Http404):
        run_get_for_download(user=county_official, pk=scheduled.pk)


def test_a_county_official_reads_the_completeness_grid_of_their_county_only(
    county_official, client_for
):
    from stations.models import Station

    client = client_for(county_official)
    page = client.get(reverse("stations:completeness"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "禹州市" in html and "魏都区" not in html
    assert client.get(reverse("stations:completeness"), {"region": "411002"}).status_code == 404
    own = Station.objects.get(region__code="411081001")
    other = Station.objects.get(region__code="411002001")
    assert client.get(reverse("stations:completeness_station", args=[own.pk])).status_code == 200
    assert client.get(reverse("stations:completeness_station", args=[other.pk])).status_code == 404
