"""The SQL forms of the status-at-date rules equal their Python spec (``StatusHistory``)
on generated histories: status on a day, operating on a day, existing on a day, expected
in a month, and the months' counts of :func:`operating_counts` (the window-function form)."""

import datetime

import pytest
from dateutil.relativedelta import relativedelta
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stations.choices import StationStatus
from stations.models import Station, StationStatusChange
from stations.selectors import (
    StatusHistory,
    active_on_q,
    expected_q,
    month_range,
    operating_counts,
    operating_on_q,
    status_on_sql,
)
from tests.members.factories import township

from .factories import StationFactory

D = datetime.date
FIRST = D(2023, 1, 1)
MONTHS = month_range(D(2023, 1, 1), D(2024, 6, 1))

# A history: up to six changes on distinct days (the database allows one a day), any
# statuses (the SQL must agree with the spec even off the workflow's paths).
days = st.integers(min_value=0, max_value=540).map(lambda n: FIRST + datetime.timedelta(days=n))
history = st.lists(
    st.tuples(days, st.sampled_from(list(StationStatus))),
    max_size=6,
    unique_by=lambda change: change[0],
)
histories = st.lists(history, min_size=1, max_size=5)
probe_days = st.lists(days, min_size=1, max_size=4)


class Rollback(Exception):
    """Raised to undo one example's rows."""


@pytest.fixture
def townships(db):
    """Five townships for the generated stations (one open station a township)."""
    return [township(name=f"生成镇{n}") for n in range(5)]


def _run(townships, generated, check):
    try:
        with transaction.atomic():
            stations = []
            for place, changes in zip(townships, generated, strict=False):
                station = Station.objects.create(region=place, name=f"{place.name}社工站")
                StationStatusChange.objects.bulk_create(
                    StationStatusChange(station=station, effective_on=day, status=status)
                    for day, status in changes
                )
                stations.append(station)
            ids = [s.pk for s in stations]
            check(ids, StatusHistory.for_stations(ids), Station.objects.filter(pk__in=ids))
            raise Rollback
    except Rollback:
        pass


SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@SETTINGS
@given(generated=histories, probes=probe_days)
def test_it_finds_the_status_on_a_day_as_the_python_rule_does(townships, generated, probes):
    def check(ids, spec, stations):
        for day in probes:
            in_sql = dict(stations.annotate(then=status_on_sql(day)).values_list("pk", "then"))
            assert in_sql == {pk: spec.status_on(pk, day) for pk in ids}
            operating = set(stations.filter(operating_on_q(day)).values_list("pk", flat=True))
            assert operating == set(spec.operating_ids_on(day))
            active = set(stations.filter(active_on_q(day)).values_list("pk", flat=True))
            assert active == set(spec.active_ids_on(day))

    _run(townships, generated, check)


@SETTINGS
@given(generated=histories, probes=probe_days)
def test_it_expects_the_stations_the_python_rule_expects(townships, generated, probes):
    def check(ids, spec, stations):
        for day in probes:
            month = day.replace(day=1)
            expected = set(stations.filter(expected_q(month)).values_list("pk", flat=True))
            assert expected == spec.expected_ids(month)

    _run(townships, generated, check)


@SETTINGS
@given(generated=histories)
def test_it_counts_each_month_as_the_python_rule_does(townships, generated):
    def check(ids, spec, stations):
        assert operating_counts(stations, MONTHS) == [
            len(spec.expected_ids(month)) for month in MONTHS
        ]

    _run(townships, generated, check)


def test_it_counts_a_station_that_opens_on_the_last_day_of_a_month(townships):
    station = StationFactory(
        history=[(D(2024, 1, 31), StationStatus.OPERATING), (D(2024, 2, 1), "suspended")]
    )
    stations = Station.objects.filter(pk=station.pk)
    assert operating_counts(stations, month_range(D(2023, 12, 1), D(2024, 2, 1))) == [0, 1, 0]
    assert stations.filter(expected_q(D(2024, 1, 1))).exists()
    assert not stations.filter(expected_q(D(2024, 1, 1) + relativedelta(months=1))).exists()
