"""The sync endpoint of drafts kept on a phone: saved when the report is still the version
the draft was based on, a 409 with the server's values when it changed in between (never
a silent overwrite), every error at once, only for the station's own writers."""

import datetime
import json

import pytest
import time_machine
from django.urls import reverse
from pghistory.models import Context

from stations import services
from stations.choices import ReportStatus
from stations.models import ServiceArea, ServiceReport, WorkKind

from .factories import ReportFactory

D = datetime.date


@pytest.fixture
def frozen():
    with time_machine.travel(datetime.datetime(2024, 4, 3, 10, 0), tick=True):
        yield


@pytest.fixture
def report(station_a, frozen):
    return ReportFactory(station=station_a, month=D(2024, 3, 1))


def cell(suffix="n", area=None, kind=None):
    area = area or ServiceArea.objects.order_by("order").first()
    kind = kind or WorkKind.objects.order_by("order").first()
    return f"c_{area.pk}_{kind.pk}_{suffix}"


def post(client, report, values, version=None):
    version = services.report_version(report) if version is None else version
    return client.post(
        reverse("stations:report_sync", args=[report.pk]),
        json.dumps({"version": version, "values": {"volunteers": "0", **values}}),
        content_type="application/json",
    )


def test_it_saves_a_draft_based_on_the_current_version(cast, client_for, report):
    client = client_for(cast.station_worker)
    response = post(
        client, report, {cell("n"): "3", cell("p"): "３０", "volunteers": 2, "narrative": "走访"}
    )
    assert response.status_code == 200
    report.refresh_from_db()
    assert response.json() == {"version": services.report_version(report)}
    assert (report.total_activities, report.total_person_times, report.volunteers) == (3, 30, 2)
    assert report.narrative == "走访" and report.status == ReportStatus.DRAFT
    # audited as every save: the worker, through the versioned draft save
    event = ServiceReport.pgh_event_model.objects.filter(pgh_obj=report).latest("pgh_id")
    metadata = Context.objects.get(pk=event.pgh_context_id).metadata
    assert metadata["user"] == cast.station_worker.pk
    assert "stations.report_save_draft" in {metadata["action"], *metadata.get("services", [])}


def test_it_answers_409_with_the_servers_values_when_the_report_changed(cast, client_for, report):
    old_version = services.report_version(report)
    area, kind = (
        ServiceArea.objects.order_by("order").first(),
        WorkKind.objects.order_by("order").first(),
    )
    services.report_save(  # another device saves in between
        report=report,
        by=cast.org_admin_a,
        lines={(area, kind): (4, 40)},
        volunteers=1,
        narrative="",
    )
    report.refresh_from_db()
    response = post(
        client_for(cast.station_worker), report, {cell("n"): "9", cell("p"): "90"}, old_version
    )
    assert response.status_code == 409
    data = response.json()
    assert data["version"] == services.report_version(report) != old_version
    assert data["values"][cell("n")] == 4 and data["values"][cell("p")] == 40
    assert data["editable"] is True and data["status"] == ReportStatus.DRAFT
    report.refresh_from_db()
    assert report.total_activities == 4  # nothing overwritten


def test_it_answers_409_not_editable_when_the_report_was_submitted(cast, client_for, report):
    version = services.report_version(report)
    ServiceReport.objects.filter(pk=report.pk).update(status=ReportStatus.SUBMITTED)
    response = post(
        client_for(cast.station_worker), report, {cell("n"): "1", cell("p"): "1"}, version
    )
    assert response.status_code == 409
    assert response.json()["editable"] is False
    assert response.json()["status_label"] == "已报送"


def test_it_lists_every_error_at_once_with_its_field(cast, client_for, report):
    second_area = ServiceArea.objects.order_by("order")[1]
    response = post(
        client_for(cast.station_worker),
        report,
        {
            cell("n"): "5",
            cell("p"): "3",  # fewer person-times than times
            cell("n", area=second_area): "abc",  # not a number
            cell("p", area=second_area): "-1",  # negative
            "volunteers": "x",
        },
    )
    assert response.status_code == 400
    errors = {error["field"]: error["message"] for error in response.json()["errors"]}
    assert set(errors) == {
        cell("p"),
        cell("n", area=second_area),
        cell("p", area=second_area),
        "volunteers",
    }
    assert "不能少于服务次数" in errors[cell("p")]
    assert "请填写整数" in errors[cell("n", area=second_area)]
    assert "不能为负数" in errors[cell("p", area=second_area)]
    report.refresh_from_db()
    assert report.total_activities == 0


def test_it_refuses_a_body_that_is_not_a_draft(cast, client_for, report):
    response = client_for(cast.station_worker).post(
        reverse("stations:report_sync", args=[report.pk]), "[1, 2", content_type="application/json"
    )
    assert response.status_code == 400


def test_it_keeps_out_other_stations_and_readers(cast, client_for, report, station_b):
    # The admin of another organisation does not see the report; staff see it but may not write.
    assert post(client_for(cast.org_admin_b), report, {cell("n"): "1"}).status_code == 404
    assert post(client_for(cast.staff), report, {cell("n"): "1"}).status_code == 403
    other = ReportFactory(station=station_b, month=D(2024, 3, 1))
    assert post(client_for(cast.station_worker), other, {cell("n"): "1"}).status_code == 404
    report.refresh_from_db()
    other.refresh_from_db()
    assert report.total_activities == other.total_activities == 0


def test_it_needs_the_csrf_token(cast, report):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.station_worker)
    response = post(client, report, {cell("n"): "1"})
    assert response.status_code == 403


def test_it_refuses_a_locked_month(cast, client_for, station_a):
    with time_machine.travel(datetime.datetime(2024, 6, 3, 10, 0)):
        report = ReportFactory(station=station_a, month=D(2024, 3, 1))
        response = post(client_for(cast.station_worker), report, {cell("n"): "1", cell("p"): "1"})
    assert response.status_code == 400
    assert "已锁定" in response.json()["errors"][0]["message"]


def test_it_serves_the_service_worker_with_the_report_pages_files(client):
    response = client.get(reverse("stations:service_worker"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    body = response.content.decode()
    assert body.startswith("self.SW_CONFIG = ")
    config = json.loads(body.split("\n", 1)[0].removeprefix("self.SW_CONFIG = ").rstrip(";"))
    assert "/static/js/report.js" in config["assets"]
    assert "/static/vendor/idb/umd.js" in config["assets"]
    assert 'addEventListener("fetch"' in body


def test_the_form_lists_every_error_and_links_each_cell(cast, client_for, report):
    second_area = ServiceArea.objects.order_by("order")[1]
    data = {cell("n"): "5", cell("p"): "3", cell("n", area=second_area): "-2", "volunteers": "0"}
    page = client_for(cast.station_worker).post(
        reverse("stations:report_edit", args=[report.pk]), {**data, "submit": "1"}
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="error-summary"' in html and 'role="alert"' in html
    assert f'href="#id_{cell("p")}"' in html
    assert f'href="#id_{cell("n", area=second_area)}"' in html
    assert 'href="#id_narrative"' in html  # the submission's rule, listed with the rest
    assert f'aria-describedby="id_{cell("p")}_error"' in html
    assert 'aria-invalid="true"' in html and "is-invalid" in html
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT and report.total_activities == 0
