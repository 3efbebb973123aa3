"""The coverage dashboard's figures are kept until one of their tables changes
(association/changes.py, stations/selectors.py ``dashboard_figures``)."""

import pytest

from stations import selectors
from stations.choices import ReportStatus
from tests.conftest import tables_logging_changes, tables_read

from .factories import AssignmentFactory, ReportFactory, StationFactory


def test_every_table_the_dashboard_reads_logs_its_changes(station_a):
    """A table the kept figures read without a trigger would let them go stale."""
    AssignmentFactory(station=station_a)
    county = station_a.region.parent
    read = set()
    for region in (None, county):
        read |= tables_read(lambda r=region: selectors._coverage_figures(r, selectors.last_month()))
        read |= tables_read(lambda r=region: selectors._report_figures(r, selectors.last_month()))
    assert {"stations_station", "stations_staffassignment", "stations_servicereport"} <= read
    assert read <= tables_logging_changes("stations"), read - tables_logging_changes("stations")


def test_each_part_of_the_dashboard_reads_only_its_topics_tables(station_a):
    """The dashboard keeps its figures in two parts, each under the tables it reads."""
    AssignmentFactory(station=station_a)
    month = selectors.last_month()
    for region in (None, station_a.region.parent):
        coverage = tables_read(lambda r=region: selectors._coverage_figures(r, month))
        assert coverage <= tables_logging_changes("stations.coverage")
        reports = tables_read(lambda r=region: selectors._report_figures(r, month))
        assert "stations_servicereport" in reports
        assert reports <= tables_logging_changes("stations.reports")


@pytest.mark.django_db(transaction=True)
def test_the_dashboard_is_kept_and_shows_a_new_station_at_once(station_a):
    month = selectors.last_month()
    first = selectors.dashboard_figures(None, month)
    again = selectors.dashboard_figures(None, month)
    assert again.rows is first.rows and again.volumes is first.volumes  # kept: nothing changed
    StationFactory(name="乙镇社工站")
    after = selectors.dashboard_figures(None, month)
    assert after.rows is not first.rows and after.volumes is not first.volumes
    assert after.total.stations == first.total.stations + 1


@pytest.mark.django_db(transaction=True)
def test_a_report_recounts_the_rates_and_keeps_the_coverage(station_a):
    """A monthly report changes the reporting rates at once; the coverage, staffing and
    build plan are not counted again for it."""
    month = selectors.last_month()
    first = selectors.dashboard_figures(None, month)
    ReportFactory(station=station_a, month=month, status=ReportStatus.SUBMITTED)
    after = selectors.dashboard_figures(None, month)
    assert after.rows is first.rows and after.series is first.series
    assert after.total_rates is not first.total_rates
    assert after.total_rates.received == first.total_rates.received + 1


def test_inside_a_transaction_the_dashboard_is_computed(station_a):
    month = selectors.last_month()
    assert selectors.dashboard_figures(None, month) is not selectors.dashboard_figures(None, month)
