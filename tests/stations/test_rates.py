"""Reporting and on-time rates: expected reports follow the dated status history
(opening, suspending and closing mid-period), and no rate ever exceeds 100 %."""

import datetime
from decimal import Decimal

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone

from stations.choices import ReportStatus, StationStatus
from stations.selectors import (
    StatusHistory,
    coverage_by_county,
    month_range,
    operating_by_month,
    reporting_rates,
    reporting_rates_by_area,
)
from tests.members.factories import township

from .factories import AssignmentFactory, ReportFactory, StationFactory

D = datetime.date
OP, SUS, CLOSED, BUILD = (
    StationStatus.OPERATING,
    StationStatus.SUSPENDED,
    StationStatus.CLOSED,
    StationStatus.BUILDING,
)


def at(day: datetime.date, hour=10):
    return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, hour))


def submitted(station, month, on, status=ReportStatus.SUBMITTED):
    return ReportFactory(station=station, month=month, status=status, first_submitted_at=at(on))


@pytest.fixture
def stations(db):
    """Five stations with different lives in 2024."""
    return {
        "always": StationFactory(history=[(D(2021, 1, 1), OP)]),
        # building until it opens on 20 March 2024
        "opens": StationFactory(history=[(D(2023, 6, 1), BUILD), (D(2024, 3, 20), OP)]),
        # suspended for the whole of April and May 2024, reopened on 1 June
        "suspends": StationFactory(
            history=[(D(2021, 1, 1), OP), (D(2024, 4, 1), SUS), (D(2024, 6, 1), OP)]
        ),
        # closed on 15 March 2024
        "closes": StationFactory(history=[(D(2021, 1, 1), OP), (D(2024, 3, 15), CLOSED)]),
        # planned, never opened
        "never": StationFactory(history=[(D(2023, 1, 1), StationStatus.PLANNED)]),
    }


def test_it_expects_exactly_the_stations_operating_in_the_month(stations):
    ids = {name: s.pk for name, s in stations.items()}
    history = StatusHistory.for_stations([s.pk for s in stations.values()])
    assert history.expected_ids(D(2024, 2, 1)) == {ids["always"], ids["suspends"], ids["closes"]}
    # March: "opens" opened on the 20th, "closes" closed on the 15th: both were operating.
    assert history.expected_ids(D(2024, 3, 1)) == {
        ids["always"],
        ids["opens"],
        ids["suspends"],
        ids["closes"],
    }
    # April: "suspends" suspended all month, "closes" closed.
    assert history.expected_ids(D(2024, 4, 1)) == {ids["always"], ids["opens"]}
    assert history.expected_ids(D(2024, 6, 1)) == {ids["always"], ids["opens"], ids["suspends"]}


def test_it_never_counts_reports_of_stations_not_expected(stations):
    april = D(2024, 4, 1)
    # Everybody sends something for April, even the suspended and the closed station.
    for station in stations.values():
        submitted(station, april, D(2024, 5, 3), ReportStatus.APPROVED)
    rates = reporting_rates(april)
    assert rates.expected == 2
    assert rates.received == 2
    assert rates.approved == 2
    assert rates.rate == Decimal("100.0")
    assert rates.on_time_rate == Decimal("100.0")


def test_it_counts_on_time_by_the_first_submission_and_the_deadline(stations, settings):
    march = D(2024, 3, 1)
    submitted(stations["always"], march, D(2024, 4, 5))  # on the deadline day: on time
    submitted(stations["opens"], march, D(2024, 4, 6))  # a day late
    returned = submitted(stations["suspends"], march, D(2024, 4, 2), ReportStatus.RETURNED)
    ReportFactory(station=stations["closes"], month=march)  # a draft: not received
    rates = reporting_rates(march)
    assert (rates.expected, rates.received, rates.on_time, rates.returned) == (4, 3, 2, 1)
    assert rates.rate == Decimal("75.0")
    assert rates.on_time_rate == Decimal("50.0")
    # A returned report resubmitted after the deadline stays on time (first submission).
    returned.status = ReportStatus.SUBMITTED
    returned.submitted_at = at(D(2024, 4, 20))
    returned.save()
    assert reporting_rates(march).on_time == 2
    # The deadline is a setting.
    settings.STATIONS_REPORT_DEADLINE_DAY = 10
    assert reporting_rates(march).on_time == 3


def test_it_keeps_every_rate_at_most_100_percent_over_a_year(stations):
    months = month_range(D(2024, 1, 1), D(2024, 12, 1))
    for station in stations.values():
        for month in months:
            submitted(station, month, month + relativedelta(months=1), ReportStatus.APPROVED)
    for month in months:
        rates = reporting_rates(month)
        assert rates.received <= rates.expected
        assert rates.on_time <= rates.received
        assert rates.rate in (None, Decimal("100.0"))
    by_month = {m: n for m, n, _plan in operating_by_month(months[0], months[-1])}
    assert by_month[D(2024, 2, 1)] == 3
    assert by_month[D(2024, 3, 1)] == 4
    assert by_month[D(2024, 4, 1)] == 2


def test_it_has_no_rate_when_nothing_is_expected(db):
    StationFactory(history=[(D(2023, 1, 1), StationStatus.PLANNED)])
    rates = reporting_rates(D(2024, 1, 1))
    assert rates.expected == 0
    assert rates.rate is None and rates.on_time_rate is None


def test_it_breaks_rates_down_by_county_and_scopes_them(db):
    a1 = StationFactory(region=township("甲一镇", "魏都区"))
    StationFactory(region=township("甲二镇", "魏都区"))
    b1 = StationFactory(region=township("乙一镇", "禹州市"))
    month = D(2024, 3, 1)
    submitted(a1, month, D(2024, 4, 1))
    submitted(b1, month, D(2024, 4, 9))
    rows = {county.name: rates for county, rates in reporting_rates_by_area(month)}
    assert (rows["魏都区"].expected, rows["魏都区"].received, rows["魏都区"].on_time) == (2, 1, 1)
    assert (rows["禹州市"].expected, rows["禹州市"].received, rows["禹州市"].on_time) == (1, 1, 0)
    county = a1.region.parent
    assert reporting_rates(month, region=county).expected == 2
    townships = {t.name: r for t, r in reporting_rates_by_area(month, region=county)}
    assert townships["甲一镇"].received == 1 and townships["甲二镇"].received == 0


def test_it_measures_coverage_and_flags_understaffed_stations(db, settings):
    wei = township("一镇", "魏都区")
    township("二镇", "魏都区")  # a township without a station
    full = StationFactory(region=wei)
    AssignmentFactory(station=full, role="head")
    AssignmentFactory(station=full, worker__qualification="none", worker__certificate_number="")
    lonely = StationFactory(region=township("三镇", "禹州市"))
    AssignmentFactory(station=lonely)
    rows, total = coverage_by_county(on=D(2025, 1, 1))
    by_name = {row.region.name: row for row in rows}
    assert (by_name["魏都区"].townships, by_name["魏都区"].operating) == (2, 1)
    assert by_name["魏都区"].coverage == Decimal("50.0")
    assert (by_name["魏都区"].workers, by_name["魏都区"].certified) == (2, 1)
    # 1 of 2 certified is below 60 %; one worker is below 2.
    assert by_name["魏都区"].understaffed == 1 and by_name["禹州市"].understaffed == 1
    assert (total.townships, total.operating, total.workers) == (3, 2, 3)
    settings.STATIONS_MIN_CERTIFIED_RATIO = "0.5"
    settings.STATIONS_MIN_WORKERS = 1
    rows, total = coverage_by_county(on=D(2025, 1, 1))
    assert total.understaffed == 0
