"""Reporting completeness: the station × month grid of a county (已审核，已报送，逾期，退回，
未报，不在运营 and months not yet due), its rates by month, the counties' overview, who
may see it, its fixed query count and its colours' contrast."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from stations import selectors
from stations.choices import ReportStatus, StationStatus
from stations.selectors import CellStatus
from tests.conftest import assert_constant_queries
from tests.members.factories import township

from .factories import ReportFactory, StationFactory

pytestmark = pytest.mark.django_db

D = datetime.date
OPERATING = [(D(2021, 1, 1), StationStatus.OPERATING)]


@pytest.fixture
def frozen():
    with time_machine.travel(datetime.datetime(2025, 5, 20, 10, 0), tick=False):
        yield


def at(day: D) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, 10))


@pytest.fixture
def county(frozen):
    """魏都区 in 2025 (today 2025-05-20; a month's report is due on the 5th of the next):
    A reports Jan on time (approved), Feb on time (submitted), Mar late (approved),
    nothing for Apr; B's Jan was returned, first sent on time; C was suspended from
    1 February and reported nothing."""
    a = StationFactory(name="甲站", region=township("甲街道", "魏都区"), history=OPERATING)
    b = StationFactory(name="乙站", region=township("乙街道", "魏都区"), history=OPERATING)
    c = StationFactory(
        name="丙站",
        region=township("丙街道", "魏都区"),
        history=[*OPERATING, (D(2025, 2, 1), StationStatus.SUSPENDED)],
    )
    for month, status, sent in (
        (D(2025, 1, 1), ReportStatus.APPROVED, D(2025, 2, 3)),
        (D(2025, 2, 1), ReportStatus.SUBMITTED, D(2025, 3, 5)),
        (D(2025, 3, 1), ReportStatus.APPROVED, D(2025, 4, 10)),
    ):
        ReportFactory(station=a, month=month, status=status, first_submitted_at=at(sent))
    ReportFactory(
        station=b,
        month=D(2025, 1, 1),
        status=ReportStatus.RETURNED,
        first_submitted_at=at(D(2025, 2, 4)),
    )
    ReportFactory(station=b, month=D(2025, 2, 1), status=ReportStatus.DRAFT)
    return {"a": a, "b": b, "c": c, "county": a.region.parent}


def statuses(rows, name, months=5):
    row = next(r for r in rows if r.station.name == name)
    return [cell.status for cell in row.cells[:months]]


def test_each_cell_has_the_state_of_its_month(county):
    months, rows = selectors.reporting_grid(county["county"], 2025)
    assert len(months) == 12 and [r.station.name for r in rows] == ["甲站", "乙站", "丙站"]
    assert statuses(rows, "甲站") == [
        CellStatus.APPROVED,
        CellStatus.SUBMITTED,
        CellStatus.LATE,  # first sent 10 April, after the 5 April deadline
        CellStatus.MISSING,  # April: due 5 May, nothing sent: 未报, not absent
        CellStatus.NOT_DUE,  # May: due 5 June
    ]
    late = next(r for r in rows if r.station.name == "甲站").cells[2]
    assert late.late and late.report_status == ReportStatus.APPROVED
    assert statuses(rows, "乙站") == [
        CellStatus.RETURNED,
        CellStatus.MISSING,  # a draft is not a report received
        CellStatus.MISSING,
        CellStatus.MISSING,
        CellStatus.NOT_DUE,
    ]
    assert statuses(rows, "丙站") == [
        CellStatus.MISSING,  # operating in January
        CellStatus.INACTIVE,  # suspended for the whole of February on
        CellStatus.INACTIVE,
        CellStatus.INACTIVE,
        CellStatus.INACTIVE,
    ]
    assert statuses(rows, "丙站", 12)[5:] == [CellStatus.INACTIVE] * 7


def test_the_grid_rates_follow_the_dashboards_rule(county):
    months, rows = selectors.reporting_grid(county["county"], 2025)
    rates = selectors.grid_rates(months, rows)
    january, february, march, april, may = rates[:5]
    assert (january.expected, january.received, january.on_time) == (3, 2, 2)
    assert (february.expected, february.received, february.on_time) == (2, 1, 1)
    assert (march.expected, march.received, march.on_time) == (2, 1, 0)
    assert (april.expected, april.received) == (2, 0) and str(april.rate) == "0.0"
    assert may.rate is None and may.on_time_rate is None  # not due yet
    # the same figures as the dashboard's reporting_rates, month by month
    for figures in rates[:4]:
        official = selectors.reporting_rates(figures.month, county["county"])
        assert (figures.expected, figures.received, figures.on_time) == (
            official.expected,
            official.received,
            official.on_time,
        )


def test_the_counties_overview_counts_as_the_grid(county):
    _months, counties = selectors.reporting_rates_by_county_and_month(2025)
    by_name = {c.name: r for c, r in counties}
    assert [(r.expected, r.received, r.on_time) for r in by_name["魏都区"][:3]] == [
        (3, 2, 2),
        (2, 1, 1),
        (2, 1, 0),
    ]


def test_staff_see_the_grid_with_a_legend_and_links_to_the_reports(county, cast, client_for):
    url = reverse("stations:completeness") + f"?region={county['county'].code}&year=2025"
    response = client_for(cast.staff).get(url)
    assert response.status_code == 200
    html = response.content.decode()
    for label in ("已审核", "已报送", "逾期", "退回", "未报", "不在运营"):
        assert label in html
    assert 'class="table-responsive' in html
    grid = html.split('id="completeness-grid"', 1)[1].split("</table>", 1)[0]
    assert grid.count('data-status="missing"') == 5  # A: April; B: February–April; C: January
    assert grid.count('data-status="inactive"') == 11  # C from February
    report = county["a"].reports.get(month=D(2025, 1, 1))
    assert reverse("stations:report_detail", args=[report.pk]) in grid


def test_officials_read_the_grid_without_links_to_reports(county, cast, client_for):
    official = client_for(cast.official)
    url = reverse("stations:completeness") + f"?region={county['county'].code}&year=2025"
    html = official.get(url).content.decode()
    assert "甲站" in html and "/stations/reports/" not in html
    station = official.get(
        reverse("stations:completeness_station", args=[county["a"].pk]) + "?year=2025"
    )
    assert station.status_code == 200
    text = station.content.decode()
    assert "逾期" in text and "2025-04-05" in text  # March's deadline, and it was late
    overview = official.get(reverse("stations:completeness") + "?year=2025")
    assert overview.status_code == 200
    assert f"?region={county['county'].code}&amp;year=2025" in overview.content.decode()


def test_a_wrong_year_is_said_in_chinese(county, cast, client_for):
    response = client_for(cast.staff).get(reverse("stations:completeness") + "?year=abc")
    assert response.status_code == 200
    assert "年度须为四位数字" in response.content.decode()


def test_people_without_the_dashboard_cannot_see_it(county, cast, client_for):
    for persona in ("station_worker", "org_admin_a", "outsider"):
        client = client_for(getattr(cast, persona))
        assert client.get(reverse("stations:completeness")).status_code in (403, 404)
        url = reverse("stations:completeness_station", args=[county["a"].pk])
        assert client.get(url).status_code in (403, 404)


def test_the_grid_costs_the_same_queries_for_5_and_40_stations(county, cast, client_for):
    staff = client_for(cast.staff)
    code = county["county"].code
    url = reverse("stations:completeness") + f"?region={code}&year=2025"

    def grow(n):
        for i in range(n):
            station = StationFactory(region=township(f"新{i}街道{n}", "魏都区"))
            ReportFactory(
                station=station,
                month=D(2025, 1, 1),
                status=ReportStatus.APPROVED,
                first_submitted_at=at(D(2025, 2, 1)),
            )

    assert_constant_queries(lambda: staff.get(url), grow, small=5, large=40)

    def grow_counties(n):
        for i in range(n):
            StationFactory(region=township(f"另{i}镇{n}", f"测试{i % 7}县"))

    overview = reverse("stations:completeness") + "?year=2025"
    assert_constant_queries(lambda: staff.get(overview), grow_counties, small=5, large=40)


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_every_state_has_its_own_colour_with_text_contrast_of_at_least_4_5():
    css = Path(settings.BASE_DIR, "stations", "static", "stations", "completeness.css").read_text()
    rules = {
        name: (background, colour)
        for name, background, colour in re.findall(
            r"\.cs-(\w+) \{ background: (#[0-9a-f]{6}); color: (#[0-9a-f]{6}); \}", css
        )
    }
    assert set(CellStatus.ORDER) <= set(rules)
    backgrounds = [rules[status][0] for status in CellStatus.ORDER]
    assert len(set(backgrounds)) == len(backgrounds)  # distinct colours
    for _name, (background, colour) in rules.items():
        light, dark = sorted([_luminance(background), _luminance(colour)], reverse=True)
        assert (light + 0.05) / (dark + 0.05) >= 4.5, _name
    labels = CellStatus.labels()
    assert len({short for _label, short in labels.values()}) == len(labels)  # text, not colour
