"""The monthly reports' township code (``ServiceReport.region_code``), the lists' order key,
kept by the database: whatever writes a report, moves a station or corrects a township's
code, the reports carry their station's township code, and the lists read a month by
township as they did when they joined the stations and regions."""

import datetime

import pytest
from django.db import connection

from association.regions.models import Region
from stations.models import ServiceReport, Station
from stations.selectors import report_list
from tests.members.factories import township

from .factories import ReportFactory, StationFactory

D = datetime.date
pytestmark = pytest.mark.django_db


def codes() -> dict[int, str]:
    return dict(ServiceReport.objects.values_list("pk", "region_code"))


def joined() -> dict[int, str]:
    """Each report's code as the lists read it before: through its station and region."""
    return dict(ServiceReport.objects.values_list("pk", "station__region__code"))


def test_a_new_report_takes_its_stations_township_code():
    report = ReportFactory()
    report.refresh_from_db()
    assert report.region_code == report.station.region.code != ""


def test_reports_written_in_bulk_take_their_codes():
    stations = [StationFactory() for _ in range(3)]
    ServiceReport.objects.bulk_create(
        ServiceReport(station=station, month=D(2024, month, 1))
        for station in stations
        for month in (1, 2)
    )
    assert codes() == joined()
    assert len(set(codes().values())) == 3


def test_a_code_written_by_hand_is_put_right():
    report = ReportFactory()
    ServiceReport.objects.filter(pk=report.pk).update(region_code="000000000000")
    assert codes() == joined()


def test_a_report_moved_to_another_station_takes_its_code():
    report, other = ReportFactory(), StationFactory()
    ServiceReport.objects.filter(pk=report.pk).update(station=other)
    report.refresh_from_db()
    assert report.region_code == other.region.code


def test_a_station_that_moves_takes_its_reports_codes_with_it_and_makes_no_history():
    station = StationFactory()
    for month in (1, 2, 3):
        ReportFactory(station=station, month=D(2024, month, 1))
    bystander = ReportFactory()
    events = ServiceReport.pgh_event_model.objects.count()
    elsewhere = township(name="新址镇", county="禹州市")

    # A correction made in SQL, as the service refuses it (the trigger serves any writer).
    Station.objects.filter(pk=station.pk).update(region=elsewhere)

    assert set(
        ServiceReport.objects.filter(station=station).values_list("region_code", flat=True)
    ) == {elsewhere.code}
    assert codes() == joined()
    assert ServiceReport.objects.get(pk=bystander.pk).region_code == bystander.station.region.code
    # The code is the list's order, not a fact of the report: no report became an event.
    assert ServiceReport.pgh_event_model.objects.count() == events


def test_a_station_saved_without_moving_leaves_its_reports_alone():
    report = ReportFactory()
    with connection.cursor() as cursor:
        cursor.execute("SELECT xmin::text FROM stations_servicereport WHERE id = %s", [report.pk])
        (before,) = cursor.fetchone()
        Station.objects.filter(pk=report.station_id).update(name="改名社工站")
        cursor.execute("SELECT xmin::text FROM stations_servicereport WHERE id = %s", [report.pk])
        (after,) = cursor.fetchone()
    assert before == after  # the report's row was not written again


def test_a_township_whose_code_is_corrected_gives_it_to_its_reports():
    report = ReportFactory()
    region = report.station.region
    Region.objects.filter(pk=region.pk).update(code="411099100000")
    assert ServiceReport.objects.get(pk=report.pk).region_code == "411099100000"
    assert codes() == joined()


def test_the_lists_read_a_month_by_township_as_before(cast, settings):
    stations = [StationFactory() for _ in range(5)]
    for station in reversed(stations):  # written in the opposite of the townships' order
        for month in (1, 2):
            ReportFactory(station=station, month=D(2024, month, 1))

    shown = list(report_list(user=cast.staff).values_list("pk", flat=True))
    before = list(
        ServiceReport.objects.order_by("-month", "station__region__code", "station_id").values_list(
            "pk", flat=True
        )
    )
    assert shown == before
    assert list(ServiceReport.objects.values_list("pk", flat=True)) == before  # Meta.ordering


def test_the_admin_list_adds_no_other_key_and_reads_the_order_from_its_index(client_for):
    """The order is total (a station has one report a month), so the change list takes it as
    it is, and a month's first page is read from the month's index in that order."""
    from django.test.utils import CaptureQueriesContext

    from tests.factories import UserFactory

    root = client_for(UserFactory(email="root@example.org", is_staff=True, is_superuser=True))
    for station in [StationFactory() for _ in range(3)]:
        ReportFactory(station=station, month=D(2024, 1, 1))
    with CaptureQueriesContext(connection) as queries:
        response = root.get("/admin/stations/servicereport/")
    assert response.status_code == 200
    (listed,) = [
        q["sql"] for q in queries if q["sql"].startswith('SELECT "stations_servicereport"."id"')
    ]
    assert listed[listed.index("ORDER BY") :] == (
        'ORDER BY "stations_servicereport"."month" DESC, "stations_servicereport"."region_code"'
        ' ASC, "stations_servicereport"."station_id" ASC'
    )

    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")  # a sort stays in the plan if it must
    plan = ServiceReport.objects.only("pk")[:100].explain()
    assert "stations_report_month" in plan
    assert "Sort" not in plan
