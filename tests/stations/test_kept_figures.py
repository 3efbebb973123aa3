"""The coverage dashboard's figures are kept until one of their tables changes
(association/changes.py, stations/selectors.py ``dashboard_figures``)."""

import pytest

from stations import selectors
from tests.conftest import tables_logging_changes, tables_read

from .factories import AssignmentFactory, StationFactory


def test_every_table_the_dashboard_reads_logs_its_changes(station_a):
    """A table the kept figures read without a trigger would let them go stale."""
    AssignmentFactory(station=station_a)
    county = station_a.region.parent
    read = tables_read(lambda: selectors._dashboard_figures(None, selectors.last_month()))
    read |= tables_read(lambda: selectors._dashboard_figures(county, selectors.last_month()))
    assert {"stations_station", "stations_staffassignment", "stations_servicereport"} <= read
    assert read <= tables_logging_changes("stations"), read - tables_logging_changes("stations")


@pytest.mark.django_db(transaction=True)
def test_the_dashboard_is_kept_and_shows_a_new_station_at_once(station_a):
    month = selectors.last_month()
    first = selectors.dashboard_figures(None, month)
    assert selectors.dashboard_figures(None, month) is first  # kept: nothing changed
    StationFactory(name="乙镇社工站")
    after = selectors.dashboard_figures(None, month)
    assert after is not first
    assert after.total.stations == first.total.stations + 1


def test_inside_a_transaction_the_dashboard_is_computed(station_a):
    month = selectors.last_month()
    assert selectors.dashboard_figures(None, month) is not selectors.dashboard_figures(None, month)
