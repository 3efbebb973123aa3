"""Bulk submission (all-or-nothing, errors by line), reminders (once each), assessments,
and import/export of stations."""

import datetime
import io
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from association.notifications.models import Notification
from stations import services
from stations.choices import Grade, ReportStatus
from stations.models import (
    AssessmentIndicator,
    AssessmentRound,
    CountyReviewer,
    SentReminder,
    ServiceReport,
)
from stations.resources import StationResource
from stations.services import report_reminders_send as send_reminders_now

from .factories import ReportFactory, fill

D = datetime.date


@pytest.fixture
def frozen():
    with time_machine.travel(datetime.datetime(2024, 4, 3, 10, 0), tick=False):
        yield


def template_rows(client):
    response = client.get(reverse("stations:bulk_template"))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    return book, book.worksheets[0]


def upload(client, book):
    buffer = io.BytesIO()
    book.save(buffer)
    file = SimpleUploadedFile("reports.xlsx", buffer.getvalue())
    return client.post(reverse("stations:bulk_upload"), {"file": file})


def test_it_submits_many_months_from_the_template_or_nothing(cast, client_for, station_a, frozen):
    client = client_for(cast.org_admin_a)
    services.month_unlock(station=station_a, month=D(2024, 2, 1), by=cast.staff, reason="补报")
    book, sheet = template_rows(client)
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    # The open months: March, and February that staff reopened (older months are locked).
    assert [row[2] for row in rows] == ["2024-02", "2024-03"]
    assert {row[0] for row in rows} == {station_a.region.code}
    # Fill two months correctly and one badly (person-times below activities).
    sheet.cell(4, 1, station_a.region.code)
    sheet.cell(4, 3, "2024-01")  # locked: refused
    for line, (activities, person_times) in ((2, (3, 30)), (3, (2, 25)), (4, (5, 1))):
        sheet.cell(line, 4, activities)
        sheet.cell(line, 5, person_times)
        sheet.cell(line, sheet.max_column - 1, 2)
        sheet.cell(line, sheet.max_column, "开展入户走访和政策宣传活动。")
    response = upload(client, book)
    html = response.content.decode()
    assert "第 4 行" in html and "不能少于服务次数" in html and "已锁定" in html
    assert not ServiceReport.objects.exists()  # nothing submitted
    sheet.delete_rows(4, 1)
    response = upload(client, book)
    assert response.status_code == 302
    assert ServiceReport.objects.filter(status=ReportStatus.SUBMITTED).count() == 2
    # The submitted months leave the template.
    _book, sheet = template_rows(client)
    assert sheet.max_row == 1


def test_it_rejects_rows_of_stations_the_operator_does_not_run(
    cast, client_for, station_a, station_b, frozen
):
    client = client_for(cast.org_admin_a)
    book, sheet = template_rows(client)
    sheet.delete_rows(3, 20)
    sheet.cell(2, 1, station_b.region.code)
    sheet.cell(2, 4, 1)
    sheet.cell(2, 5, 1)
    sheet.cell(2, sheet.max_column, "其他站点的月报数据。")
    html = upload(client, book).content.decode()
    assert "不是本单位运营的社工站" in html
    assert not ServiceReport.objects.exists()


def test_it_reminds_once_before_and_after_the_deadline(
    cast, station_a, station_b, django_capture_on_commit_callbacks
):
    def send_reminders(day):
        with django_capture_on_commit_callbacks(execute=True):
            return send_reminders_now(day)

    reviewer_b = CountyReviewer.objects.create(
        county=station_b.region.parent, user=cast.official
    ).user
    fill(ReportFactory(station=station_b, month=D(2024, 3, 1), status="submitted"))
    assert send_reminders(D(2024, 4, 1)) == {"due_soon": 0, "overdue": 0}  # too early
    assert send_reminders(D(2024, 4, 2)) == {"due_soon": 1, "overdue": 0}
    assert send_reminders(D(2024, 4, 3)) == {"due_soon": 0, "overdue": 0}  # idempotent
    worker_notes = Notification.objects.filter(
        user=cast.station_worker, kind="stations_reports_due_soon"
    )
    assert worker_notes.count() == 1 and station_a.name in worker_notes.get().body
    assert Notification.objects.filter(user=cast.org_admin_a).count() == 1
    assert not Notification.objects.filter(user=cast.org_admin_b).exists()  # B submitted
    # After the deadline: the operator's admin and the county's reviewer hear about A.
    CountyReviewer.objects.create(county=station_a.region.parent, user=cast.expert)
    assert send_reminders(D(2024, 4, 6)) == {"due_soon": 0, "overdue": 1}
    assert send_reminders(D(2024, 4, 7)) == {"due_soon": 0, "overdue": 0}
    assert Notification.objects.filter(user=cast.expert, kind="stations_reports_overdue").exists()
    assert not Notification.objects.filter(user=reviewer_b, kind="stations_reports_overdue")
    assert SentReminder.objects.count() == 2


def test_it_grades_an_assessment_by_the_thresholds(cast, station_a, client_for):
    round_ = AssessmentRound.objects.create(year=2024, title="2024年度社工站考核")
    service = AssessmentIndicator.objects.create(round=round_, name="服务成效", weight=60)
    rules = AssessmentIndicator.objects.create(round=round_, name="制度建设", weight=40, maximum=20)
    with pytest.raises(ValidationError, match="0 到 20"):
        services.assessment_score(
            round=round_,
            station=station_a,
            by=cast.staff,
            scores={service.pk: Decimal(9), rules.pk: Decimal(25)},
        )
    assessment = services.assessment_score(
        round=round_,
        station=station_a,
        by=cast.staff,
        scores={service.pk: Decimal(9), rules.pk: Decimal(16)},
    )
    # 9/10×60 + 16/20×40 = 54 + 32 = 86
    assert assessment.total == Decimal("86.00") and assessment.grade == Grade.GOOD
    url = reverse("stations:assessment_detail", args=[assessment.pk])
    assert client_for(cast.org_admin_a).get(url).status_code == 404  # not yet published
    services.assessment_publish(assessment=assessment, by=cast.staff)
    html = client_for(cast.org_admin_a).get(url).content.decode()
    assert "86.00" in html and "良好" in html


def test_it_imports_stations_all_or_nothing_and_exports_safely(cast, station_a):
    import tablib

    from tests.members.factories import township

    new = township("导入镇")
    dataset = tablib.Dataset(
        headers=[
            "乡镇代码",
            "站点名称",
            "运营机构统一社会信用代码",
            "站点地址",
            "联系人",
            "联系电话",
            "联系邮箱",
        ]
    )
    dataset.append([new.code, "导入镇社工站", "", "导入路1号", "张三", "0374-1", ""])
    dataset.append(["999999999", "不存在", "", "", "", "", ""])
    result = StationResource().import_data(
        dataset, dry_run=False, rollback_on_validation_errors=True, user=cast.staff
    )
    assert result.has_validation_errors() or result.has_errors()
    assert not new.stations.exists()
    dataset = tablib.Dataset(headers=dataset.headers)
    dataset.append([new.code, "导入镇社工站", "", "=HYPERLINK(1)", "张三", "0374-1", ""])
    result = StationResource().import_data(
        dataset, dry_run=False, rollback_on_validation_errors=True, user=cast.staff
    )
    assert result.has_validation_errors()  # a formula-like cell is refused
    dataset = tablib.Dataset(headers=dataset.headers)
    dataset.append([new.code, "导入镇社工站", "", "导入路1号", "张三", "0374-1", ""])
    result = StationResource().import_data(
        dataset, dry_run=False, rollback_on_validation_errors=True, user=cast.staff
    )
    assert not result.has_errors() and not result.has_validation_errors()
    station = new.stations.get()
    assert station.current_status == "planned" and station.status_changes.count() == 1
    station_a.name = "=cmd()"
    station_a.save()
    exported = StationResource().export()
    assert "'=cmd()" in exported.csv
