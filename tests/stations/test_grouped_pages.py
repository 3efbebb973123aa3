"""The station list counts staff only for the rows of its page (in the query that LIMITs,
never over every station before paginating), and the dashboard's figures come from a
fixed, small number of grouped queries."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from stations.models import StaffAssignment
from tests.conftest import assert_constant_queries

from .factories import AssignmentFactory, StationFactory

D = datetime.date


@pytest.fixture
def frozen():
    with time_machine.travel(datetime.datetime(2024, 4, 3, 10, 0), tick=False):
        yield


def test_it_counts_the_staff_on_the_page_today(cast, client_for, station_a, frozen):
    AssignmentFactory(station=station_a, worker__qualification="none")
    AssignmentFactory(station=station_a, starts_on=D(2021, 1, 1), ends_on=D(2023, 12, 31))
    AssignmentFactory(station=station_a, starts_on=D(2024, 5, 1))  # not yet
    staff = client_for(cast.staff)
    with CaptureQueriesContext(connection) as queries:
        response = staff.get(reverse("stations:station_list"))
    row = next(s for s in response.context["page"].object_list if s.pk == station_a.pk)
    assert (row.workers, row.certified) == (2, 1)
    table = StaffAssignment._meta.db_table
    page = [q["sql"] for q in queries.captured_queries if "LIMIT" in q["sql"] and table in q["sql"]]
    count = [q["sql"] for q in queries.captured_queries if "COUNT(*)" in q["sql"]]
    # The page's query counts staff in correlated subqueries (run for its 30 rows), with no
    # GROUP BY over every station; the paginator's count never touches the assignments.
    assert len(page) == 1 and "GROUP BY" not in page[0].split("FROM", 1)[0]
    assert all(table not in sql for sql in count)


def test_it_costs_the_staff_list_the_same_queries_for_10_and_100_stations(cast, client_for, frozen):
    staff = client_for(cast.staff)

    def grow(n):
        for _ in range(n):
            AssignmentFactory(station=StationFactory())

    count = assert_constant_queries(
        lambda: staff.get(reverse("stations:station_list")), grow, small=10, large=100
    )
    assert count <= 30


def test_it_draws_the_dashboard_from_a_fixed_number_of_grouped_queries(
    cast, client_for, station_a, frozen
):
    from stations import selectors

    with CaptureQueriesContext(connection) as queries:
        selectors.coverage_by_county(on=D(2024, 3, 1))
    assert len(queries) == 3  # the counties, the townships counted, the stations counted
    with CaptureQueriesContext(connection) as queries:
        selectors.reporting_rates_by_area(D(2024, 3, 1))
        selectors.reporting_rates(D(2024, 3, 1))
        selectors.operating_by_month(D(2021, 4, 1), D(2024, 3, 1))
    assert len(queries) == 2 + 1 + 2
