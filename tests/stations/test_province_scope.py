"""A provincial association's area (ASSOCIATION_REGION a province, 410000): the coverage
figures come out one row a city (province → city → county → township, and 济源 directly
under the province with its townships), each city's row the sum of its townships, in the
same number of queries however many cities."""

from __future__ import annotations

import datetime
import itertools

import pytest

from association.regions.choices import Kind, Level
from association.regions.models import Region
from association.regions.services import regions_load
from stations import selectors
from stations.choices import StationStatus
from tests.conftest import assert_constant_queries
from tests.members.factories import OrganisationFactory

from .factories import AssignmentFactory, StationFactory, city

pytestmark = pytest.mark.django_db
ON = datetime.date(2026, 6, 30)
FIGURES = ("townships", "stations", "operating", "workers", "certified", "understaffed")
_codes = itertools.count(1)


def region(code, name, level, parent=None, kind=Kind.OTHER):
    return Region.objects.create(
        code=code, name=name, level=level, kind=kind, parent=parent, source="测试"
    )


@pytest.fixture
def henan(settings):
    """河南省 with 郑州 (two counties), 开封 (one county) and 济源 (a county-level city
    directly under the province, its townships directly under it); stations on some
    townships, one closed, and some staff."""
    settings.ASSOCIATION_REGION = "410000"
    province = region("410000", "河南省", Level.PROVINCE)
    zhengzhou = region("410100", "郑州市", Level.CITY, province, Kind.CITY)
    kaifeng = region("410200", "开封市", Level.CITY, province, Kind.CITY)
    jiyuan = region("419001", "济源市", Level.CITY, province, Kind.CITY)
    counties = {
        "中原区": region("410102", "中原区", Level.COUNTY, zhengzhou, Kind.DISTRICT),
        "二七区": region("410103", "二七区", Level.COUNTY, zhengzhou, Kind.DISTRICT),
        "龙亭区": region("410202", "龙亭区", Level.COUNTY, kaifeng, Kind.DISTRICT),
    }
    townships = {}
    for parent, names in (
        (counties["中原区"], ["林山寨街道", "建设路街道", "沟赵乡"]),
        (counties["二七区"], ["淮河路街道"]),
        (counties["龙亭区"], ["北书店街道", "柳园口乡"]),
        (jiyuan, ["沁园街道", "克井镇"]),
    ):
        for i, name in enumerate(names, start=1):
            townships[name] = region(
                f"{parent.code}{i:03d}", name, Level.TOWNSHIP, parent, Kind.STREET
            )
    operator = OrganisationFactory(region=city())
    stations = {
        name: StationFactory(region=townships[name], operator=operator)
        for name in ("林山寨街道", "沟赵乡", "淮河路街道", "北书店街道", "沁园街道")
    }
    StationFactory(
        region=townships["克井镇"],
        operator=operator,
        history=[
            (datetime.date(2021, 1, 1), StationStatus.OPERATING),
            (datetime.date(2025, 1, 1), StationStatus.CLOSED),
        ],
    )
    for name, workers in (("林山寨街道", 3), ("淮河路街道", 1), ("沁园街道", 2)):
        for _i in range(workers):
            AssignmentFactory(station=stations[name])
    # another province's city beside it is not counted
    other = region("420100", "武汉市", Level.CITY, kind=Kind.CITY)
    county = region("420102", "江岸区", Level.COUNTY, other, Kind.DISTRICT)
    StationFactory(
        region=region("420102001", "大智街道", Level.TOWNSHIP, county), operator=operator
    )
    return province


def summed(rows):
    return {name: sum(getattr(row, name) for row in rows) for name in FIGURES}


def figures(row):
    return {name: getattr(row, name) for name in FIGURES}


def test_a_province_counts_one_row_a_city_each_the_sum_of_its_townships(henan):
    rows, total = selectors.coverage_by_county(on=ON)
    assert [row.region.name for row in rows] == ["郑州市", "开封市", "济源市"]
    by_county = selectors.coverage_by_township_of_counties(on=ON)
    # 济源's townships are its own (no county level)
    assert set(by_county) == set(
        Region.objects.filter(code__in=["410102", "410103", "410202", "419001"]).values_list(
            "pk", flat=True
        )
    )
    for row in rows:
        township_rows = [
            township_row
            for county_id, (county_rows, _total) in by_county.items()
            if county_id == row.region.pk
            or Region.objects.filter(pk=county_id, parent=row.region).exists()
            for township_row in county_rows
        ]
        assert figures(row) == summed(township_rows), row.region.name
    assert figures(total) == summed(rows)
    zhengzhou, kaifeng, jiyuan = rows
    assert (zhengzhou.townships, zhengzhou.operating, zhengzhou.workers) == (4, 3, 4)
    assert (kaifeng.townships, kaifeng.operating, kaifeng.workers) == (2, 1, 0)
    assert (jiyuan.townships, jiyuan.stations, jiyuan.operating) == (2, 1, 1)
    assert total.townships == 8 and total.operating == 5  # 武汉 not counted


def test_a_city_of_the_province_still_breaks_down_by_county(henan):
    zhengzhou = Region.objects.get(code="410100")
    rows, total = selectors.coverage_by_county(on=ON, region=zhengzhou)
    assert [row.region.name for row in rows] == ["中原区", "二七区"]
    assert [row.operating for row in rows] == [2, 1] and total.townships == 4
    assert selectors.stations_in(henan).count() == 6
    assert selectors.townships_in(henan).count() == 8
    assert Region.objects.association_area().townships().count() == 8


def test_the_province_report_prints_one_row_a_city(henan):
    from association.reports import catalogue
    from association.reports.services import build_document

    document = build_document(
        catalogue.get("station-coverage"), {"on": ON.isoformat(), "townships": "on"}
    )
    section = document.sections[0]
    table = section.tables()[0]
    assert table.caption == "按市"
    assert [row[0] for row in table.rows] == ["郑州市", "开封市", "济源市"]
    assert [row[3] for row in table.rows] == [3, 1, 1]  # operating


def test_the_figures_cost_the_same_queries_with_more_cities(henan):
    province = henan
    operator = OrganisationFactory(region=city())

    def grow(n):
        for _i in range(n):
            k = next(_codes)
            town = region(f"43{k:02d}00", f"测试市{k}", Level.CITY, province, Kind.CITY)
            county = region(f"43{k:02d}01", f"测试县{k}", Level.COUNTY, town, Kind.COUNTY)
            for t in (1, 2):
                township = region(f"43{k:02d}01{t:03d}", f"测试镇{k}-{t}", Level.TOWNSHIP, county)
                AssignmentFactory(station=StationFactory(region=township, operator=operator))

    class Fetched:
        status_code = 200

    def fetch():
        rows, total = selectors.coverage_by_county(on=ON)
        detail = selectors.coverage_by_township_of_counties(on=ON)
        assert all(row.townships for row in rows)  # no empty city row
        assert sum(len(r) for r, _t in detail.values()) == total.townships
        return Fetched()

    count = assert_constant_queries(fetch, grow, small=2, large=6)
    assert count <= 6  # coverage_by_county 3, coverage_by_township_of_counties 3
    assert Region.objects.filter(parent=province).count() == 3 + 6


def test_the_loader_puts_a_city_under_its_province_and_keeps_it_there():
    province = region("410000", "河南省", Level.PROVINCE)
    rows = [
        ["code", "name", "county_code", "county_name", "city_code", "city_name", "kind"],
        ["410102001", "林山寨街道", "410102", "中原区", "410100", "郑州市", "街道"],
        ["419001001", "沁园街道", "419001", "济源市", "", "", "街道"],
        ["420102001", "大智街道", "420102", "江岸区", "420100", "武汉市", "街道"],
    ]
    text = "".join(",".join(row) + "\n" for row in rows)
    regions_load(text, source="Xzqh20251231")
    parents = dict(Region.objects.filter(level=Level.CITY).values_list("code", "parent"))
    # The province added by hand is used; one not there (湖北) is made from GB/T 2260.
    hubei = Region.objects.get(level=Level.PROVINCE, code="420000")
    assert parents == {"410100": province.pk, "419001": province.pk, "420100": hubei.pk}
    assert Region.objects.filter(level=Level.PROVINCE).count() == 2
    regions_load(text.replace("林山寨街道", "林山寨新街道"), source="Xzqh20260101")
    assert Region.objects.get(code="410100").parent == province


def test_the_dashboard_opens_on_the_province_and_drills_down_to_a_city(henan, cast, client_for):
    from django.urls import reverse

    client = client_for(cast.staff)
    page = client.get(reverse("stations:dashboard"), {"month": "2026-05"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "郑州市" in html and "济源市" in html and "武汉市" not in html
    city = client.get(reverse("stations:dashboard"), {"region": "410100", "month": "2026-05"})
    assert city.status_code == 200 and "中原区" in city.content.decode()
    other = client.get(reverse("stations:dashboard"), {"region": "420100"})
    assert other.status_code == 404


def test_the_admins_region_filter_opens_the_tree_a_level_at_a_time(henan, client_for):
    """A province's cities first, a chosen city's counties, a chosen county's townships
    (济源's directly under it): never a flat list of every county."""
    from tests.factories import UserFactory

    root = client_for(UserFactory(is_staff=True, is_superuser=True))

    def offered(query=""):
        response = root.get("/admin/stations/station/" + query)
        assert response.status_code == 200
        spec = next(s for s in response.context["cl"].filter_specs if s.title == "区划")
        listed = {s.name for s in response.context["cl"].result_list}
        return [label for _code, label in spec.lookup_choices], listed

    top, every = offered()
    assert top == ["郑州市", "开封市", "济源市", "武汉市"]  # another province's station too
    assert len(every) == 7

    cities, zhengzhou = offered("?region=410100")
    assert cities == ["郑州市", "\u3000└ 中原区", "\u3000└ 二七区", "开封市", "济源市", "武汉市"]
    assert zhengzhou == {"林山寨街道社工站", "沟赵乡社工站", "淮河路街道社工站"}

    counties, zhongyuan = offered("?region=410102")
    assert counties[1:4] == ["\u3000└ 中原区", "\u3000\u3000└ 林山寨街道", "\u3000\u3000└ 沟赵乡"]
    assert zhongyuan == {"林山寨街道社工站", "沟赵乡社工站"}

    jiyuan, stations = offered("?region=419001")
    assert jiyuan[2:5] == ["济源市", "\u3000└ 沁园街道", "\u3000└ 克井镇"]
    assert stations == {"沁园街道社工站", "克井镇社工站"}

    township, one = offered("?region=419001002")
    assert township == jiyuan
    assert one == {"克井镇社工站"}
