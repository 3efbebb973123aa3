"""The services the demo and the admin go through: build targets, the checklist,
contracts, assessment rounds, station particulars, batch submission and approval; the
assignment admin and the imports call the services; 服务时间 is imported and exported."""

import datetime
from decimal import Decimal
from unittest import mock

import pytest
import tablib
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from stations import services
from stations.choices import ReportAction, ReportStatus, StaffRole
from stations.models import ReportEvent, ServiceArea, StaffAssignment, WorkKind
from stations.resources import StationResource
from tests.members.factories import SocialWorkerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(cast, client_for):
    TOTP.activate(cast.staff, generate_totp_secret())
    return client_for(cast.staff)


def test_the_plan_checklist_contracts_and_rounds_are_staff_work(cast, station_a):
    county = station_a.region.parent
    with pytest.raises(PermissionDenied):
        services.build_target_set(
            county=county, year=2024, due_on=datetime.date(2024, 12, 31), target_operating=3,
            by=cast.org_admin_a,
        )  # fmt: skip
    target = services.build_target_set(
        county=county, year=2024, due_on=datetime.date(2024, 12, 31), target_operating=3,
        by=cast.staff,
    )  # fmt: skip
    revised = services.build_target_set(
        county=county, year=2024, due_on=datetime.date(2024, 12, 31), target_operating=5,
        by=cast.staff,
    )  # fmt: skip
    assert revised.pk == target.pk and revised.target_operating == 5
    with pytest.raises(ValidationError):
        services.build_target_set(
            county=station_a.region, year=2024, due_on=datetime.date(2024, 12, 31),
            target_operating=1, by=cast.staff,
        )  # fmt: skip

    entries = services.checklist_record(
        station=station_a, results={"site": True, "staff": False}, by=cast.staff
    )
    assert [(e.item, e.is_met) for e in entries] == [("site", True), ("staff", False)]
    services.checklist_record(station=station_a, results={"staff": True}, by=cast.staff)
    assert station_a.checklist.get(item="staff").is_met
    with pytest.raises(PermissionDenied):
        services.checklist_record(station=station_a, results={"site": True}, by=cast.org_admin_a)

    contract = services.contract_record(
        station=station_a, year=2024, purchaser="魏都区民政局", amount=Decimal("200000"),
        starts_on=datetime.date(2024, 1, 1), ends_on=datetime.date(2024, 12, 31), by=cast.staff,
    )  # fmt: skip
    assert contract.pk
    with pytest.raises(ValidationError):
        services.contract_record(
            station=station_a, year=2024, purchaser="魏都区民政局", amount=Decimal("1"),
            starts_on=datetime.date(2024, 5, 1), ends_on=datetime.date(2024, 1, 1), by=cast.staff,
        )  # fmt: skip

    indicators = [
        ("服务成效", Decimal(60), Decimal(10), ""),
        ("满意度", Decimal(40), Decimal(10), ""),
    ]
    round_ = services.assessment_round_create(
        year=2024, title="2024年度考核", indicators=indicators, by=cast.staff
    )
    assert list(round_.indicators.values_list("name", flat=True)) == ["服务成效", "满意度"]
    with pytest.raises(ValidationError):  # one round a year
        services.assessment_round_create(
            year=2024, title="again", indicators=indicators, by=cast.staff
        )
    with pytest.raises(ValidationError):  # the weights add up to 100
        services.assessment_round_create(
            year=2025, title="2025", indicators=indicators[:1], by=cast.staff
        )


def test_station_update_changes_particulars_not_status(cast, station_a):
    area = ServiceArea.objects.first()
    station = services.station_update(
        station=station_a, by=cast.staff, service_hours="周一至周五 8:30—17:30",
        service_areas=[area],
    )  # fmt: skip
    assert station.service_hours == "周一至周五 8:30—17:30"
    assert list(station.service_areas.all()) == [area]
    with pytest.raises(ValidationError):
        services.station_update(station=station_a, by=cast.staff, current_status="closed")
    with pytest.raises(PermissionDenied):
        services.station_update(station=station_a, by=cast.org_admin_a, name="x")


def _row(station, month, activities=3, person_times=30):
    area, kind = ServiceArea.objects.first(), WorkKind.objects.first()
    return {
        "station": station,
        "month": month,
        "lines": {(area, kind): (activities, person_times)},
        "volunteers": 2,
        "narrative": "本月开展入户走访和社区活动，服务困难群众。",
    }


def test_a_batch_is_submitted_and_approved_whole_or_not_at_all(cast, station_a, station_b):
    from association.demo import demo_clock

    from .factories import StationFactory

    may = datetime.date(2024, 5, 1)
    other = StationFactory(operator=station_a.operator, name="丙镇社工站")
    with demo_clock(datetime.date(2024, 6, 3)):
        with pytest.raises(ValidationError) as refused:  # station B is not A's admin's
            services.reports_submit_many(
                rows=[_row(station_a, may), _row(station_b, may)], by=cast.org_admin_a
            )
        assert "乙镇社工站" in " ".join(refused.value.messages)
        assert not station_a.reports.exists()
        with pytest.raises(ValidationError):  # the figures follow the rules
            services.reports_submit_many(rows=[_row(station_a, may, 5, 1)], by=cast.org_admin_a)
        with pytest.raises(ValidationError):  # only months that are over
            services.reports_submit_many(
                rows=[_row(station_a, datetime.date(2024, 6, 1))], by=cast.org_admin_a
            )
        reports = services.reports_submit_many(
            rows=[_row(station_a, may), _row(other, may)], by=cast.org_admin_a
        )
        assert {r.status for r in reports} == {ReportStatus.SUBMITTED}
        assert reports[0].lines.get().person_times == 30
        assert ReportEvent.objects.get(report=reports[0]).action == ReportAction.SUBMIT
        with pytest.raises(ValidationError):  # submitted once
            services.reports_submit_many(rows=[_row(station_a, may)], by=cast.org_admin_a)
        with pytest.raises(PermissionDenied):
            services.reports_approve_many(reports=reports, by=cast.org_admin_a)
        approved = services.reports_approve_many(reports=reports, by=cast.staff)
        assert {r.status for r in approved} == {ReportStatus.APPROVED}
        with pytest.raises(ValidationError):  # approved once
            services.reports_approve_many(reports=reports, by=cast.staff)


def test_the_assignment_admin_starts_and_ends_through_the_services(staff_client, station_a):
    worker = SocialWorkerFactory()
    start, end = services.assignment_start, services.assignment_end
    with mock.patch.object(services, "assignment_start", wraps=start) as started:
        response = staff_client.post(
            reverse("admin:stations_staffassignment_add"),
            {
                "station": station_a.pk,
                "worker": worker.pk,
                "role": StaffRole.RESIDENT,
                "starts_on": "2024-01-02",
                "ends_on": "",
            },
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert started.called
    assignment = StaffAssignment.objects.get(worker=worker)
    with mock.patch.object(services, "assignment_end", wraps=end) as ended:
        response = staff_client.post(
            reverse("admin:stations_staffassignment_change", args=[assignment.pk]),
            {"ends_on": "2024-06-30", "role": StaffRole.HEAD},
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert ended.called
    assignment.refresh_from_db()
    assert assignment.ends_on == datetime.date(2024, 6, 30)
    assert assignment.role == StaffRole.RESIDENT  # what happened stays as it was


def test_the_station_admin_adds_through_station_create(staff_client, cast):
    from tests.members.factories import township

    region = township(name="新设镇")
    with mock.patch.object(services, "station_create", wraps=services.station_create) as created:
        response = staff_client.post(
            reverse("admin:stations_station_add"),
            {
                "region": region.pk,
                "name": "新设镇社工站",
                "service_hours": "周一至周五",
                **{
                    f"{prefix}-{key}": value
                    for prefix in ("status_changes", "assignments", "checklist", "contracts")
                    for key, value in (("TOTAL_FORMS", 0), ("INITIAL_FORMS", 0))
                },
            },
        )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert created.called
    station = region.stations.get()
    assert station.current_status == "planned" and station.service_hours == "周一至周五"


def test_service_hours_are_imported_and_exported(cast, station_a):
    from tests.members.factories import township

    new = township(name="开放镇")
    dataset = tablib.Dataset(headers=["乡镇代码", "站点名称", "服务时间"])
    dataset.append([new.code, "开放镇社工站", "周一至周五 8:30—17:30"])
    dataset.append([station_a.region.code, station_a.name, "周一至周六 9:00—17:00"])
    result = StationResource().import_data(
        dataset, dry_run=False, rollback_on_validation_errors=True, user=cast.staff
    )
    assert not result.has_errors() and not result.has_validation_errors()
    assert new.stations.get().service_hours == "周一至周五 8:30—17:30"
    station_a.refresh_from_db()
    assert station_a.service_hours == "周一至周六 9:00—17:00"
    exported = StationResource().export()
    assert "服务时间" in exported.headers
    assert "周一至周六 9:00—17:00" in exported.csv


def test_the_assignment_import_goes_through_assignment_start(cast, station_a):
    from stations.resources import StaffAssignmentResource
    from tests.members.factories import id_number

    number = id_number(778)
    worker = SocialWorkerFactory(id_number=number)
    worker.set_id_number(number)
    worker.save()
    dataset = tablib.Dataset(headers=["乡镇代码", "公民身份号码", "岗位", "到岗日期", "离岗日期"])
    dataset.append([station_a.region.code, number, "驻站社工", "2024-01-02", "2024-03-31"])
    with mock.patch.object(services, "assignment_start", wraps=services.assignment_start) as s:
        result = StaffAssignmentResource().import_data(
            dataset, dry_run=False, rollback_on_validation_errors=True, user=cast.staff
        )
    assert not result.has_errors() and not result.has_validation_errors()
    assert s.called
    assert StaffAssignment.objects.get(worker=worker).ends_on == datetime.date(2024, 3, 31)


def test_checklist_evidence_is_checked_kept_and_removed(cast, station_a, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    forged = SimpleUploadedFile("site.pdf", b"not a pdf")
    with pytest.raises(ValidationError):
        services.checklist_record(
            station=station_a, results={"site": True}, evidence={"site": forged}, by=cast.staff
        )
    assert not station_a.checklist.exists()
    scan = SimpleUploadedFile("site.pdf", b"%PDF-1.4 scan")
    (entry,) = services.checklist_record(
        station=station_a, results={"site": True}, evidence={"site": scan}, by=cast.staff
    )
    assert entry.evidence.name.endswith(".pdf")
    (entry,) = services.checklist_record(station=station_a, results={"site": True}, by=cast.staff)
    assert entry.evidence  # a check without a file keeps the one there
    (entry,) = services.checklist_record(
        station=station_a, results={"site": True}, evidence={"site": ""}, by=cast.staff
    )
    assert not entry.evidence
