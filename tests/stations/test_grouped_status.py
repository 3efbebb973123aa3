"""The SQL forms of the status-at-date rules equal their Python spec (``StatusHistory``)
on generated histories: status on a day, operating on a day, existing on a day, expected
in a month, and the months' counts of :func:`operating_counts` (the window-function form)."""

import datetime

import pytest
from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.db.models import BooleanField, ExpressionWrapper
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
            # As columns, the way the grouped counts read them (a hashed pass over the
            # spans, or a probe a station: the planner's choice, the same answer).
            columns = stations.annotate(
                operating=ExpressionWrapper(operating_on_q(day), output_field=BooleanField()),
                active=ExpressionWrapper(active_on_q(day), output_field=BooleanField()),
            )
            for pk, is_operating, is_active in columns.values_list("pk", "operating", "active"):
                assert is_operating == (pk in operating)
                assert is_active == (pk in active)

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


# --- The spans the database keeps ------------------------------------------------------------


def _spans_as_they_should_be(station_ids):
    """Each change's day and the next change's day (None for the last), by station."""
    expected, kept = {}, {}
    for change in StationStatusChange.objects.filter(station_id__in=station_ids).order_by(
        "station_id", "effective_on"
    ):
        expected.setdefault(change.station_id, []).append(change.effective_on)
        kept.setdefault(change.station_id, []).append((change.effective_on, change.ends_on))
    return {
        station: list(zip(days, [*days[1:], None], strict=True))
        for station, days in expected.items()
    }, kept


@SETTINGS
@given(
    generated=histories,
    removed=st.lists(st.integers(min_value=0, max_value=30), max_size=3),
    moved=st.lists(st.tuples(st.integers(min_value=0, max_value=30), days), max_size=3),
)
def test_the_database_ends_each_change_on_the_next_one_whatever_writes_it(
    townships, generated, removed, moved
):
    """Changes added in any order, in one statement, then some taken away and some moved
    to another day: each ends on its station's next change, the last is open."""

    def check(ids, spec, stations):
        changes = list(StationStatusChange.objects.filter(station_id__in=ids).order_by("id"))
        for index in removed:
            if changes:
                changes.pop(index % len(changes)).delete()
        for index, day in moved:
            if changes:
                change = changes[index % len(changes)]
                taken = StationStatusChange.objects.filter(
                    station_id=change.station_id, effective_on=day
                ).exists()
                if not taken:
                    StationStatusChange.objects.filter(pk=change.pk).update(effective_on=day)
        expected, kept = _spans_as_they_should_be(ids)
        assert kept == expected

    _run(townships, generated, check)


def test_a_recorded_change_ends_the_one_before_it_without_an_event_of_its_own(cast):
    from stations.services import station_status_record

    station = StationFactory(history=[(D(2024, 1, 1), StationStatus.BUILDING)])
    first = station.status_changes.get()
    events = first.events.count()
    station_status_record(
        station=station, status=StationStatus.OPERATING, effective_on=D(2024, 3, 1), by=cast.staff
    )
    first.refresh_from_db()
    assert first.ends_on == D(2024, 3, 1)
    assert station.status_changes.get(effective_on=D(2024, 3, 1)).ends_on is None
    assert first.events.count() == events  # the span's end is derived, not a change
