"""The coverage dashboard's figures are kept until one of their tables changes
(association/changes.py, stations/selectors.py ``dashboard_figures``)."""

import datetime

import pytest
from django.utils import timezone

from association import changes
from stations import selectors
from tests.test_changes import _tables_logging, _tables_read

from .factories import AssignmentFactory, StationFactory


@pytest.fixture(autouse=True)
def _empty_memo():
    changes._memo.clear()
    yield
    changes._memo.clear()


def _last_month():
    return (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)


def test_every_table_the_dashboard_reads_logs_its_changes(station_a):
    """A table the kept figures read without a trigger would let them go stale."""
    AssignmentFactory(station=station_a)
    county = station_a.region.parent
    read = _tables_read(lambda: selectors._dashboard_figures(None, _last_month()))
    read |= _tables_read(lambda: selectors._dashboard_figures(county, _last_month()))
    assert {"stations_station", "stations_staffassignment", "stations_servicereport"} <= read
    assert read <= _tables_logging("stations"), read - _tables_logging("stations")


@pytest.mark.django_db(transaction=True)
def test_the_dashboard_is_kept_and_shows_a_new_station_at_once(station_a):
    month = _last_month()
    first = selectors.dashboard_figures(None, month)
    assert selectors.dashboard_figures(None, month) is first  # kept: nothing changed
    StationFactory(name="乙镇社工站")
    after = selectors.dashboard_figures(None, month)
    assert after is not first
    assert after.total.stations == first.total.stations + 1


def test_inside_a_transaction_the_dashboard_is_computed(station_a):
    month = _last_month()
    assert selectors.dashboard_figures(None, month) is not selectors.dashboard_figures(None, month)
