"""The monthly report's workflow, validation rules, month locking and the status history."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from stations import selectors, services
from stations.choices import ReportStatus, StationStatus
from stations.models import MonthUnlock, ReportEvent, ServiceArea, WorkKind

from .factories import ReportFactory, StationFactory, fill

D = datetime.date


def lines(activities, person_times):
    return {(ServiceArea.objects.first(), WorkKind.objects.first()): (activities, person_times)}


@pytest.fixture
def frozen():
    with time_machine.travel(datetime.datetime(2024, 4, 3, 10, 0), tick=False):
        yield


def test_it_runs_submit_return_resubmit_approve(cast, station_a, frozen):
    report = services.report_start(station=station_a, month=D(2024, 3, 1), by=cast.station_worker)
    services.report_save(
        report=report,
        by=cast.station_worker,
        lines=lines(4, 40),
        volunteers=5,
        narrative="本月走访独居老人并开展社区活动。",
    )
    report = services.report_submit(report=report, by=cast.station_worker)
    assert report.status == ReportStatus.SUBMITTED and report.first_submitted_at
    first = report.first_submitted_at
    with pytest.raises(ValidationError):  # submitted: the station cannot edit it
        services.report_save(
            report=report, by=cast.station_worker, lines=lines(1, 1), volunteers=0, narrative=""
        )
    with pytest.raises(ValidationError, match="退回意见"):
        services.report_return(report=report, by=cast.staff, comment=" ")
    report = services.report_return(report=report, by=cast.staff, comment="人次与台账不符")
    assert report.status == ReportStatus.RETURNED and report.review_comment == "人次与台账不符"
    services.report_save(
        report=report,
        by=cast.station_worker,
        lines=lines(4, 36),
        volunteers=5,
        narrative="本月走访独居老人并开展社区活动。",
    )
    report = services.report_submit(report=report, by=cast.station_worker)
    assert report.first_submitted_at == first
    report = services.report_approve(report=report, by=cast.staff)
    assert report.status == ReportStatus.APPROVED and report.total_person_times == 36
    actions = list(ReportEvent.objects.filter(report=report).values_list("action", flat=True))
    assert actions == ["submit", "return", "submit", "approve"]
    with pytest.raises(ValidationError):  # approved is final
        services.report_return(report=report, by=cast.staff, comment="再看看")


def test_it_lets_only_reviewers_review_and_only_the_station_write(
    cast, station_a, station_b, county_reviewer, frozen
):
    report = fill(ReportFactory(station=station_a, month=D(2024, 3, 1)))
    for outsider in (cast.station_worker, cast.org_admin_b, cast.official, cast.outsider):
        report.refresh_from_db()
        if outsider is not cast.station_worker:
            with pytest.raises(PermissionDenied):
                services.report_submit(report=report, by=outsider)
    services.report_submit(report=report, by=cast.org_admin_a)  # the operator may submit
    for not_reviewer in (cast.station_worker, cast.org_admin_a, cast.official):
        with pytest.raises(PermissionDenied):
            services.report_approve(report=report, by=not_reviewer)
    services.report_approve(report=report, by=county_reviewer)  # the county's reviewer may
    other = fill(ReportFactory(station=station_b, month=D(2024, 3, 1)))
    services.report_submit(report=other, by=cast.org_admin_b)
    with pytest.raises(PermissionDenied):  # ...but not another county's reports
        services.report_approve(report=other, by=county_reviewer)


def test_it_applies_the_validation_rules(cast, station_a, frozen):
    report = services.report_start(station=station_a, month=D(2024, 3, 1), by=cast.station_worker)
    with pytest.raises(ValidationError) as error:
        services.report_save(
            report=report, by=cast.station_worker, lines=lines(5, 3), volunteers=0, narrative=""
        )
    assert "不能少于服务次数" in str(error.value)
    with pytest.raises(ValidationError, match="服务次数为0"):
        services.report_save(
            report=report, by=cast.station_worker, lines=lines(0, 3), volunteers=0, narrative=""
        )
    with pytest.raises(ValidationError) as error:  # empty report, no narrative
        services.report_submit(report=report, by=cast.station_worker)
    assert "没有任何服务数据" in str(error.value) and "工作概述" in str(error.value)


def test_it_refuses_reports_for_months_the_station_did_not_operate(cast, frozen):
    station = StationFactory(
        history=[(D(2023, 1, 1), StationStatus.BUILDING), (D(2024, 3, 20), StationStatus.OPERATING)]
    )
    from tests.members.factories import OrganisationAdminFactory

    OrganisationAdminFactory(organisation=station.operator, user=cast.org_admin_a)
    with pytest.raises(ValidationError, match="不在运营状态"):
        services.report_start(station=station, month=D(2024, 2, 1), by=cast.org_admin_a)
    assert services.report_start(station=station, month=D(2024, 3, 1), by=cast.org_admin_a).pk
    with pytest.raises(ValidationError, match="未来月份"):
        services.report_start(station=station, month=D(2024, 5, 1), by=cast.org_admin_a)


def test_it_flags_outliers_against_the_stations_own_history(cast, station_a, frozen):
    for month in (D(2023, 12, 1), D(2024, 1, 1), D(2024, 2, 1)):
        fill(ReportFactory(station=station_a, month=month, status="approved"), 5, 50)
    report = fill(ReportFactory(station=station_a, month=D(2024, 3, 1)), 20, 400)
    report = services.report_submit(report=report, by=cast.station_worker)
    assert report.is_outlier and "中位数" in report.outlier_note


def test_it_locks_the_month_and_only_staff_unlock_it_with_a_reason(cast, station_a, settings):
    settings.STATIONS_LOCK_DAYS = 20
    report = fill(ReportFactory(station=station_a, month=D(2024, 3, 1)))
    with time_machine.travel(datetime.datetime(2024, 4, 20, 12), tick=False):
        assert not selectors.month_is_locked(station_a, D(2024, 3, 1))
        with pytest.raises(ValidationError, match="尚未锁定"):
            services.month_unlock(station=station_a, month=D(2024, 3, 1), by=cast.staff, reason="x")
    with time_machine.travel(datetime.datetime(2024, 4, 21, 12), tick=False):
        assert selectors.month_is_locked(station_a, D(2024, 3, 1))
        with pytest.raises(ValidationError, match="已锁定"):
            services.report_submit(report=report, by=cast.station_worker)
        for not_staff in (cast.station_worker, cast.org_admin_a, cast.official):
            with pytest.raises(PermissionDenied):
                services.month_unlock(
                    station=station_a, month=D(2024, 3, 1), by=not_staff, reason="补报"
                )
        with pytest.raises(ValidationError, match="解锁原因"):
            services.month_unlock(station=station_a, month=D(2024, 3, 1), by=cast.staff, reason="")
        services.month_unlock(
            station=station_a, month=D(2024, 3, 1), by=cast.staff, reason="站长住院，同意补报"
        )
        assert MonthUnlock.objects.get().reason == "站长住院，同意补报"
        report = services.report_submit(report=report, by=cast.station_worker)
        assert report.status == ReportStatus.SUBMITTED
    with time_machine.travel(datetime.datetime(2024, 5, 20, 12), tick=False):  # reopening expired
        assert selectors.month_is_locked(station_a, D(2024, 3, 1))


def test_it_records_the_status_history_by_the_transition_table(cast, frozen):
    from tests.members.factories import township

    station = services.station_create(
        region=township("新镇"),
        name="新镇社工站",
        by=cast.staff,
        status=StationStatus.BUILDING,
        effective_on=D(2023, 5, 1),
    )
    with pytest.raises(ValidationError, match="不能从"):
        services.station_status_record(
            station=station,
            status=StationStatus.SUSPENDED,
            by=cast.staff,
            effective_on=D(2023, 6, 1),
        )
    with pytest.raises(ValidationError, match="晚于上一条"):
        services.station_status_record(
            station=station,
            status=StationStatus.OPERATING,
            by=cast.staff,
            effective_on=D(2023, 4, 1),
        )
    with pytest.raises(ValidationError, match="不能晚于今天"):
        services.station_status_record(
            station=station,
            status=StationStatus.OPERATING,
            by=cast.staff,
            effective_on=D(2025, 1, 1),
        )
    with pytest.raises(PermissionDenied):
        services.station_status_record(
            station=station, status=StationStatus.OPERATING, by=cast.org_admin_a
        )
    services.station_status_record(
        station=station, status=StationStatus.OPERATING, by=cast.staff, effective_on=D(2023, 9, 1)
    )
    services.station_status_record(
        station=station, status=StationStatus.CLOSED, by=cast.staff, effective_on=D(2024, 1, 1)
    )
    station.refresh_from_db()
    assert station.current_status == StationStatus.CLOSED and station.closed_on == D(2024, 1, 1)
    assert station.opened_on == D(2023, 9, 1)
    # The township may now have a new station (unique only while active).
    again = services.station_create(region=station.region, name="新镇社工站（新）", by=cast.staff)
    assert again.current_status == StationStatus.PLANNED
    with pytest.raises(ValidationError):
        services.station_create(region=station.region, name="重复", by=cast.staff)
