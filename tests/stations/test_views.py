"""Portal pages: what each persona sees, the report form, reviews, and query budgets
(lists and the dashboard cost the same with 10 and 200 stations)."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from stations.choices import ReportStatus, StationStatus
from stations.models import ServiceArea, ServiceReport, WorkKind
from stations.services import rebuild_area_totals
from tests.conftest import assert_constant_queries
from tests.members.factories import township

from .factories import AssignmentFactory, ReportFactory, StationFactory, fill

D = datetime.date


@pytest.fixture
def frozen():
    with time_machine.travel(datetime.datetime(2024, 4, 3, 10, 0), tick=False):
        yield


def grid_data(activities=2, person_times=20, **extra):
    area, kind = ServiceArea.objects.first(), WorkKind.objects.first()
    data = {
        f"c_{a.pk}_{k.pk}_{s}": 0
        for a in ServiceArea.objects.all()
        for k in WorkKind.objects.all()
        for s in "np"
    }
    data[f"c_{area.pk}_{kind.pk}_n"] = activities
    data[f"c_{area.pk}_{kind.pk}_p"] = person_times
    data.update({"volunteers": 3, "narrative": "本月开展儿童关爱小组和入户走访。", **extra})
    return data


def test_it_lets_a_station_worker_fill_and_submit_the_month(cast, client_for, station_a, frozen):
    client = client_for(cast.station_worker)
    response = client.post(
        reverse("stations:report_start", args=[station_a.pk]), {"month": "2024-03"}
    )
    report = ServiceReport.objects.get(station=station_a, month=D(2024, 3, 1))
    assert response["Location"] == reverse("stations:report_edit", args=[report.pk])
    page = client.get(response["Location"])
    assert "社会救助" in page.content.decode() and "政策宣传" in page.content.decode()
    response = client.post(
        reverse("stations:report_edit", args=[report.pk]), grid_data(5, 3, submit="1")
    )
    assert "不能少于服务次数" in response.content.decode()  # rule shown, nothing saved
    client.post(reverse("stations:report_edit", args=[report.pk]), grid_data(submit="1"))
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED and report.total_person_times == 20
    detail = client.get(reverse("stations:report_detail", args=[report.pk])).content.decode()
    assert "按时报送" in detail and "已报送" in detail


def test_it_lets_the_reviewer_return_with_a_comment(cast, client_for, station_a, frozen):
    report = fill(ReportFactory(station=station_a, month=D(2024, 3, 1), status="submitted"))
    client = client_for(cast.staff)
    client.post(
        reverse("stations:report_review", args=[report.pk]), {"decision": "return", "comment": ""}
    )
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED  # a return needs a comment
    client.post(
        reverse("stations:report_review", args=[report.pk]),
        {"decision": "return", "comment": "请补充活动照片"},
    )
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED
    page = client_for(cast.station_worker).get(reverse("stations:report_detail", args=[report.pk]))
    assert "请补充活动照片" in page.content.decode()


def test_it_shows_officials_figures_but_no_people(cast, client_for, station_a, frozen):
    AssignmentFactory(station=station_a, worker__name="王秘密")
    response = client_for(cast.official).get(reverse("stations:dashboard"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "覆盖率" in html and station_a.region.parent.name in html
    assert "王秘密" not in html and station_a.operator.name not in html
    assert client_for(cast.official).get(reverse("stations:station_list")).status_code == 403
    county = client_for(cast.official).get(
        reverse("stations:dashboard"), {"region": station_a.region.parent.code, "month": "2024-03"}
    )
    assert station_a.region.name in county.content.decode()


def test_the_county_filter_offers_the_counties_of_the_users_stations(
    cast, client_for, station_a, station_b
):
    """An operator chooses among its own stations' counties, staff among every county with
    a station; the chosen county stays selected and filters the list."""
    import re

    def options(user, **query):
        html = client_for(user).get(reverse("stations:station_list"), query).content.decode()
        select = re.search(r'<select [^>]*name="county" id="id_county">(.*?)</select>', html, re.S)
        return re.findall(r'<option value="(\d*)"( selected)?>([^<]*)<', select.group(1)), html

    county_a, county_b = station_a.region.parent, station_b.region.parent
    found, _ = options(cast.org_admin_b)
    assert found == [("", " selected", "全部"), (str(county_b.pk), "", county_b.name)]
    found, html = options(cast.staff, county=county_b.pk)
    assert ("", "", "全部") in found and (str(county_b.pk), " selected", county_b.name) in found
    assert (str(county_a.pk), "", county_a.name) in found
    assert station_b.name in html and station_a.name not in html


def test_a_filter_that_leaves_no_station_is_not_a_refusal(cast, client_for, station_b):
    """The list's count says whether the user sees a station; a filter that leaves none
    shows the empty list, and a user who sees no station is refused whatever the filter."""
    url = reverse("stations:station_list")
    response = client_for(cast.org_admin_b).get(url, {"q": "没有这个站"})
    assert response.status_code == 200 and "没有符合条件的社工站" in response.content.decode()
    assert client_for(cast.official).get(url, {"q": "没有这个站"}).status_code == 403


def test_it_shows_an_operator_only_its_stations(cast, client_for, station_a, station_b):
    html = client_for(cast.org_admin_b).get(reverse("stations:station_list")).content.decode()
    assert station_b.name in html and station_a.name not in html
    response = client_for(cast.org_admin_b).get(
        reverse("stations:station_detail", args=[station_a.pk])
    )
    assert response.status_code == 404


def test_the_list_is_of_the_stations_the_user_sees_read_by_one_prepared_statement(
    cast, client_for, station_a, station_b, county_reviewer
):
    """A user who is not staff: the ids of the stations they see are read first, by a
    statement whose text is the same for every user (PostgreSQL plans it once a
    connection); the list is exactly ``visible_to``."""
    from stations.models import Station
    from stations.selectors import _visible_station_ids
    from tests.conftest import prepared_statements

    def prepared():
        return [g + c for g, c in prepared_statements("SELECT pk FROM ((SELECT ")]

    before = sum(prepared())
    users = [cast.station_worker, cast.org_admin_a, cast.org_admin_b, county_reviewer]
    for user in users:
        assert sorted(_visible_station_ids(user)) == sorted(
            Station.objects.visible_to(user).values_list("pk", flat=True)
        )
    assert sum(prepared()) == before + len(users) and len(prepared()) == 1
    assert _visible_station_ids(cast.official) == []

    html = client_for(cast.station_worker).get(reverse("stations:station_list")).content.decode()
    assert station_a.name in html and station_b.name not in html


def test_a_workers_pages_read_their_station_ids_by_a_statement_compiled_once_a_day(
    cast, client_for, station_a, station_b
):
    """The station, its reports and the list: each reads the ids of the worker's stations
    by the statement compiled once for the worker and the day, never the ids themselves
    kept: a new assignment shows on the next page."""
    from django.utils import timezone

    from stations import selectors

    selectors._ids_statements.clear()
    client = client_for(cast.station_worker)
    for url in [
        reverse("stations:station_detail", args=[station_a.pk]),
        reverse("stations:station_reports", args=[station_a.pk]),
        reverse("stations:station_list"),
    ]:
        assert client.get(url).status_code == 200, url
    assert list(selectors._ids_statements) == [(cast.station_worker.pk, timezone.localdate())]
    other = reverse("stations:station_detail", args=[station_b.pk])
    assert client.get(other).status_code == 404

    AssignmentFactory(station=station_b, worker=station_a.assignments.get().worker)
    assert client.get(other).status_code == 200
    html = client.get(reverse("stations:station_list")).content.decode()
    assert station_a.name in html and station_b.name in html


def many_stations(n, worker=None):
    county = township("基准镇").parent
    for i in range(n):
        region = township(
            f"规模镇{ServiceReport.objects.count()}-{i}-{StationFactory._meta.model.objects.count()}"
        )
        station = StationFactory(region=region, operator=worker)
        AssignmentFactory(station=station)
        fill(ReportFactory(station=station, month=D(2024, 3, 1), status="approved"))
    return county


def test_it_costs_the_same_queries_for_10_and_200_stations_on_the_dashboard(
    cast, client_for, frozen
):
    client = client_for(cast.official)
    url = reverse("stations:dashboard") + "?month=2024-03"
    count = assert_constant_queries(
        lambda: client.get(url), lambda n: many_stations(n), small=10, large=200
    )
    # Session, user, roles and every app's menu entries, plus the dashboard's own ~16:
    # coverage (5), rates by area (4), total rates (2), months (2), volumes (2), plan (1).
    assert count <= 40


def test_it_costs_the_same_queries_for_10_and_200_stations_on_the_lists(cast, client_for, frozen):
    from tests.members.factories import OrganisationAdminFactory, OrganisationFactory

    operator = OrganisationFactory()
    OrganisationAdminFactory(organisation=operator, user=cast.org_admin_a)
    client = client_for(cast.org_admin_a)

    def grow(n):
        many_stations(n, worker=operator)

    url = reverse("stations:station_list")
    assert_constant_queries(lambda: client.get(url), grow, small=10, large=200)
    staff = client_for(cast.staff)
    review = reverse("stations:review_list")
    ServiceReport.objects.update(status=ReportStatus.SUBMITTED)
    assert_constant_queries(
        lambda: staff.get(review),
        lambda n: [
            fill(ReportFactory(station=StationFactory(), month=D(2024, 3, 1), status="submitted"))
            for _ in range(n)
        ],
        small=10,
        large=60,
    )


def test_it_costs_the_same_queries_for_a_station_with_many_reports(
    cast, client_for, station_a, frozen
):
    client = client_for(cast.station_worker)
    url = reverse("stations:station_reports", args=[station_a.pk])
    months = iter(D(2020 - i // 12, 12 - i % 12, 1) for i in range(300))
    assert_constant_queries(
        lambda: client.get(url),
        lambda n: [fill(ReportFactory(station=station_a, month=next(months))) for _ in range(n)],
        small=10,
        large=60,
    )


def test_it_counts_approved_reports_on_the_dashboard(cast, client_for, station_a, frozen):
    report = fill(ReportFactory(station=station_a, month=D(2024, 3, 1)), 4, 44)
    ServiceReport.objects.filter(pk=report.pk).update(
        status=ReportStatus.APPROVED,
        first_submitted_at=datetime.datetime(2024, 4, 1, tzinfo=datetime.UTC),
    )
    rebuild_area_totals()  # approved by writing the status, past the service
    StationFactory(
        history=[(D(2024, 1, 1), StationStatus.OPERATING), (D(2024, 2, 1), StationStatus.CLOSED)]
    )
    html = (
        client_for(cast.staff)
        .get(reverse("stations:dashboard"), {"month": "2024-03"})
        .content.decode()
    )
    assert "已报 1 / 应报 1" in html
    assert "44" in html
