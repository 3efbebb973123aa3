"""The staff tool: admin pages open, the status action follows the rules, assignments import."""

import datetime

import pytest
import tablib
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.urls import reverse

from stations.models import StaffAssignment, Station
from stations.resources import StaffAssignmentResource
from tests.members.factories import SocialWorkerFactory

from .factories import ReportFactory, fill


@pytest.fixture
def staff_client(cast, client_for):
    TOTP.activate(cast.staff, generate_totp_secret())
    return client_for(cast.staff)


def test_it_opens_the_admin_pages(staff_client, station_a):
    fill(ReportFactory(station=station_a))
    for name in (
        "admin:stations_station_changelist",
        "admin:stations_servicereport_changelist",
        "admin:stations_staffassignment_changelist",
        "admin:stations_assessment_changelist",
        "admin:stations_station_import",
    ):
        assert staff_client.get(reverse(name)).status_code == 200, name
    url = reverse("admin:stations_station_change", args=[station_a.pk])
    assert staff_client.get(url).status_code == 200


def test_it_records_status_changes_from_the_admin_action(staff_client, station_a):
    url = reverse("admin:stations_station_changelist")
    data = {
        "action": "record_status",
        "_selected_action": [station_a.pk],
        "apply": "1",
        "status": "suspended",
        "effective_on": datetime.date.today().isoformat(),
        "note": "场地改造",
    }
    staff_client.post(url, data)
    station_a.refresh_from_db()
    assert station_a.current_status == "suspended"
    data["status"] = "building"  # suspended -> building is not allowed
    data["effective_on"] = (datetime.date.today()).isoformat()
    response = staff_client.post(url, data, follow=True)
    assert "不能从" in response.content.decode() or "晚于上一条" in response.content.decode()
    station_a.refresh_from_db()
    assert station_a.current_status == "suspended"


def test_it_imports_assignments_by_township_code_and_id_number(cast, station_a):
    from tests.members.factories import id_number

    number = id_number(777)
    worker = SocialWorkerFactory(id_number=number)
    worker.set_id_number(number)
    worker.save()
    dataset = tablib.Dataset(headers=["乡镇代码", "公民身份号码", "岗位", "到岗日期", "离岗日期"])
    dataset.append([station_a.region.code, number, "驻站社工", "2024-01-02", ""])
    dataset.append(["000000000", number, "驻站社工", "2024-01-02", ""])
    result = StaffAssignmentResource().import_data(
        dataset, dry_run=False, rollback_on_validation_errors=True, user=cast.staff
    )
    assert result.has_validation_errors()
    assert not StaffAssignment.objects.filter(worker=worker).exists()
    dataset = tablib.Dataset(headers=dataset.headers)
    dataset.append([station_a.region.code, number, "驻站社工", "2024-01-02", ""])
    result = StaffAssignmentResource().import_data(
        dataset, dry_run=False, rollback_on_validation_errors=True, user=cast.staff
    )
    assert not result.has_validation_errors() and not result.has_errors()
    assert StaffAssignment.objects.get(worker=worker).station == station_a
    exported = StaffAssignmentResource().export().csv
    assert number not in exported  # ID numbers are masked in exports
    assert Station.objects.count() == 1
