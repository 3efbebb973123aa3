"""Every month a station was operating, with its report or 未报，in one query."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from stations.choices import ReportStatus, StationStatus
from stations.months import format_month_cn, months_of, station_months
from tests.conftest import assert_constant_queries

from .factories import ReportFactory, StationFactory

D = datetime.date
# 2024-04-03: March's report is due on 04-05; February's was due on 03-05.
TODAY = D(2024, 4, 3)


@pytest.fixture
def frozen():
    with time_machine.travel(datetime.datetime(2024, 4, 3, 10, 0), tick=False):
        yield


def submitted(station, month, on: datetime.datetime, status=ReportStatus.SUBMITTED):
    at = timezone.make_aware(on)
    return ReportFactory(
        station=station, month=month, status=status, first_submitted_at=at, submitted_at=at
    )


def test_it_lists_every_operating_month_with_missing_ones(db, frozen):
    station = StationFactory(
        history=[
            (D(2023, 9, 20), StationStatus.BUILDING),
            (D(2023, 10, 20), StationStatus.OPERATING),  # operating from late October
            (D(2023, 12, 10), StationStatus.SUSPENDED),  # December counts (10 days)
            (D(2024, 2, 1), StationStatus.OPERATING),  # January: suspended all month
        ]
    )
    submitted(station, D(2023, 10, 1), datetime.datetime(2023, 11, 4, 9))  # on time
    submitted(station, D(2023, 11, 1), datetime.datetime(2023, 12, 6, 9))  # a day late
    ReportFactory(station=station, month=D(2024, 3, 1))  # a draft of the month due now

    rows = station_months(station, today=TODAY)

    assert [row.month for row in rows] == [
        D(2024, 3, 1),
        D(2024, 2, 1),
        D(2023, 12, 1),
        D(2023, 11, 1),
        D(2023, 10, 1),
    ]
    by_month = {row.month: row for row in rows}
    assert by_month[D(2024, 2, 1)].missing and str(by_month[D(2024, 2, 1)].status_label) == "未报"
    assert by_month[D(2024, 2, 1)].overdue  # due 03-05, nothing received
    assert by_month[D(2023, 12, 1)].missing
    assert not by_month[D(2023, 10, 1)].late and not by_month[D(2023, 10, 1)].missing
    assert by_month[D(2023, 11, 1)].late
    march = by_month[D(2024, 3, 1)]
    assert not march.missing and march.status == ReportStatus.DRAFT
    assert not march.overdue and march.deadline == D(2024, 4, 5)


def test_a_report_outside_the_operating_period_is_still_listed(db, frozen):
    station = StationFactory(history=[(D(2024, 2, 15), StationStatus.OPERATING)])
    ReportFactory(station=station, month=D(2024, 1, 1))
    rows = station_months(station, today=TODAY)
    assert [(row.month, row.expected) for row in rows] == [
        (D(2024, 3, 1), True),
        (D(2024, 2, 1), True),
        (D(2024, 1, 1), False),
    ]


def test_a_closed_station_stops_expecting_reports(db, frozen):
    station = StationFactory(
        history=[(D(2023, 11, 1), StationStatus.OPERATING), (D(2024, 1, 1), StationStatus.CLOSED)]
    )
    assert [row.month for row in station_months(station, today=TODAY)] == [
        D(2023, 12, 1),
        D(2023, 11, 1),
    ]


def test_it_answers_for_many_stations_in_one_query(db, frozen, django_assert_num_queries):
    stations = [StationFactory(history=[(D(2024, 1, 1), StationStatus.OPERATING)]) for _ in "abc"]
    with django_assert_num_queries(1):
        rows = months_of([s.pk for s in stations], first=D(2024, 2, 1), today=TODAY)
    assert len(rows) == 6 and all(row.missing for row in rows)


def test_the_month_reads_as_people_write_it():
    assert format_month_cn(D(2026, 11, 1)) == "2026年11月"


def test_the_report_list_shows_missing_and_late_months(cast, station_a, client_for, frozen):
    submitted(station_a, D(2024, 2, 1), datetime.datetime(2024, 3, 7, 9))  # late
    response = client_for(cast.station_worker).get(
        reverse("stations:station_reports", args=[station_a.pk])
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "2024-03" in page and "未报" in page  # March: no report yet
    assert "迟报" in page  # February was late
    # operating since 2021-01: every month from then to March 2024, 30 to a page
    assert response.context["page"].paginator.count == 39


def test_the_report_list_costs_the_same_however_many_months(cast, station_a, client_for, frozen):
    client = client_for(cast.station_worker)
    url = reverse("stations:station_reports", args=[station_a.pk])
    months = iter(D(2023 - i // 12, 12 - i % 12, 1) for i in range(60))

    def grow(n):
        for _ in range(n):
            ReportFactory(station=station_a, month=next(months))

    assert_constant_queries(lambda: client.get(url), grow)


def test_the_missing_months_are_the_same_from_the_history_the_page_has(db, frozen):
    """The station page passes the status changes it has read; the months missing are those
    found by reading them again, with one query fewer."""
    from stations.selectors import station_months_missing

    station = StationFactory(
        history=[
            (D(2023, 9, 20), StationStatus.BUILDING),
            (D(2023, 10, 20), StationStatus.OPERATING),
            (D(2023, 12, 10), StationStatus.SUSPENDED),
            (D(2024, 2, 1), StationStatus.OPERATING),
        ]
    )
    submitted(station, D(2023, 10, 1), datetime.datetime(2023, 11, 4, 9))
    newest_first = list(station.status_changes.order_by("-effective_on", "-id"))

    read_again = station_months_missing(station, today=TODAY)
    from_page = station_months_missing(station, today=TODAY, history=newest_first)

    assert from_page == read_again == [D(2024, 3, 1), D(2024, 2, 1), D(2023, 12, 1), D(2023, 11, 1)]
