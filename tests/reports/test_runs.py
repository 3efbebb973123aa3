"""Report runs: built in the background once, failures in words, expiry, schedules."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from association.accounts.choices import Role
from association.notifications.models import Notification
from association.reports import catalogue, services
from association.reports.catalogue import Report, register, unregister
from association.reports.choices import RunStatus
from association.reports.documents import Document
from association.reports.models import ReportRun
from association.reports.tasks import build_report, delete_expired, run_scheduled

from .factories import RunFactory

pytestmark = pytest.mark.django_db


class BrokenReport(Report):
    slug = "test-broken"
    title = "总是失败的报表"
    roles = (Role.STAFF, Role.OFFICIAL)

    def build(self, params, progress):
        progress(30)
        raise RuntimeError("connection string postgres://secret@db")


class CountingReport(Report):
    slug = "test-counting"
    title = "计数报表"
    roles = (Role.STAFF, Role.OFFICIAL)
    builds = 0

    def build(self, params, progress):
        CountingReport.builds += 1
        document = Document(title=self.title)
        document.section("数字").figure("次数", CountingReport.builds)
        return document


@pytest.fixture
def test_reports():
    register(BrokenReport)
    register(CountingReport)
    CountingReport.builds = 0
    yield
    unregister(BrokenReport.slug)
    unregister(CountingReport.slug)


def test_it_builds_a_run_after_commit_and_keeps_the_file_for_the_retention_period(
    cast, stations_data, django_capture_on_commit_callbacks, settings
):
    settings.REPORTS_RETENTION_DAYS = 7
    with django_capture_on_commit_callbacks(execute=True):
        run = services.run_create(
            report=catalogue.get("station-coverage"),
            user=cast.official,
            fmt="pdf",
            params={"on": "2025-11-15", "townships": "True"},
        )
    run.refresh_from_db()
    assert run.status == RunStatus.DONE
    assert (run.progress, run.attempts) == (100, 1)
    assert run.file.read().startswith(b"%PDF-")
    assert run.expires_at - run.finished_at == datetime.timedelta(days=7)
    assert run.parameters_text.startswith("统计日期：2025-11-15")
    # the requester is told in the inbox
    assert Notification.objects.get(user=cast.official, kind="reports_ready").url.endswith(
        f"/reports/runs/{run.pk}/"
    )


def test_it_never_rebuilds_a_finished_run(cast, test_reports, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run = services.run_create(
            report=catalogue.get("test-counting"), user=cast.staff, fmt="xlsx", params={}
        )
    build_report(run.pk)  # delivered a second time
    services.run_build(run.pk)
    run.refresh_from_db()
    assert (run.status, run.attempts, CountingReport.builds) == (RunStatus.DONE, 1, 1)


def test_it_rebuilds_a_run_left_running_by_a_dead_worker(cast, test_reports):
    run = ReportRun.objects.create(
        report="test-counting",
        title="计数报表",
        format="xlsx",
        requested_by=cast.staff,
        status=RunStatus.RUNNING,
        attempts=1,
        progress=40,
    )
    services.run_build(run.pk)
    run.refresh_from_db()
    assert (run.status, run.attempts, run.progress) == (RunStatus.DONE, 2, 100)


def test_it_explains_a_failure_in_words_and_hides_the_technical_detail(
    cast, test_reports, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        run = services.run_create(
            report=catalogue.get("test-broken"), user=cast.official, fmt="pdf", params={}
        )
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED
    assert "内部错误" in run.error and "postgres" not in run.error
    assert not run.file
    notification = Notification.objects.get(user=cast.official, kind="reports_failed")
    assert "内部错误" in notification.body


def test_it_refuses_a_report_not_open_to_the_user(cast, members_data):
    with pytest.raises(PermissionDenied):
        services.run_create(
            report=catalogue.get("member-register"), user=cast.org_admin_a, fmt="xlsx", params={}
        )


def test_it_deletes_expired_files_but_keeps_the_history(cast):
    old = RunFactory(requested_by=cast.official)
    fresh = RunFactory(requested_by=cast.official)
    ReportRun.objects.filter(pk=old.pk).update(
        expires_at=timezone.now() - datetime.timedelta(days=1)
    )
    ReportRun.objects.filter(pk=fresh.pk).update(
        expires_at=timezone.now() + datetime.timedelta(days=1)
    )
    path = old.file.path
    assert delete_expired() == 1
    old.refresh_from_db()
    assert old.expired and not old.file and old.status == RunStatus.DONE
    import os

    assert not os.path.exists(path)
    fresh.refresh_from_db()
    assert fresh.downloadable
    assert delete_expired() == 0


def test_it_sends_a_scheduled_report_to_every_official(
    cast, stations_data, django_capture_on_commit_callbacks
):
    from tests.factories import UserFactory

    second = UserFactory(email="official2@example.org", roles=[Role.OFFICIAL.value])
    with django_capture_on_commit_callbacks(execute=True):
        run_pk = run_scheduled("station-monthly", "xlsx", Role.OFFICIAL.value, "每月10日")
    # the drain of the outbox runs after the commit of the notification (nested callbacks)
    from association.notifications.services import outbox_drain

    outbox_drain()
    run = ReportRun.objects.get(pk=run_pk)
    assert run.status == RunStatus.DONE and run.requested_by is None
    assert run.audience_role == Role.OFFICIAL
    expected_month = catalogue.previous_month(timezone.localdate()).strftime("%Y-%m")
    assert run.parameters == {"month": expected_month}
    recipients = set(
        Notification.objects.filter(kind="reports_ready").values_list("user__email", flat=True)
    )
    assert recipients == {cast.official.email, second.email}
    assert sorted(m.to[0] for m in mail.outbox) == sorted([cast.official.email, second.email])
    assert "社工站服务月报汇总" in mail.outbox[0].subject


def test_it_tells_the_recipients_why_a_scheduled_report_failed(
    cast, test_reports, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        run_scheduled("test-broken", "pdf", Role.OFFICIAL.value, "测试")
        run_scheduled("no-such-report", "pdf", Role.OFFICIAL.value, "测试")
    bodies = list(
        Notification.objects.filter(user=cast.official, kind="reports_failed").values_list(
            "body", flat=True
        )
    )
    assert len(bodies) == 2
    assert any("内部错误" in body for body in bodies)
    assert any("不存在或暂不可用" in body for body in bodies)


def test_the_schedules_are_rows_editable_in_the_admin():
    from importlib import import_module

    from django.apps import apps
    from django_celery_beat.models import PeriodicTask

    # The data migration's rows (created again here: a transactional test elsewhere in the
    # run may have flushed them); running it twice keeps one row each.
    migration = import_module("association.reports.migrations.0002_schedules")
    migration.create(apps, None)
    migration.create(apps, None)
    assert PeriodicTask.objects.filter(task="reports.run_scheduled").count() == 2

    tasks = PeriodicTask.objects.filter(task="reports.run_scheduled")
    kinds = {t.name: (t.crontab.day_of_month, t.crontab.month_of_year) for t in tasks}
    assert ("10", "*") in kinds.values() and ("1", "3") in kinds.values()


def test_it_enqueues_again_a_run_whose_enqueue_was_lost(cast, test_reports):
    from association.reports.tasks import requeue_stale

    old = ReportRun.objects.create(
        report="test-counting", title="计数报表", format="xlsx", requested_by=cast.staff
    )
    fresh = ReportRun.objects.create(
        report="test-counting", title="计数报表", format="xlsx", requested_by=cast.staff
    )
    ReportRun.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=10)
    )
    assert requeue_stale() == 1  # eager here: built at once
    old.refresh_from_db()
    fresh.refresh_from_db()
    assert (old.status, fresh.status) == (RunStatus.DONE, RunStatus.QUEUED)
    assert requeue_stale() == 0


def test_it_keeps_a_complete_table_of_run_states():
    from association.reports.choices import RUN_TRANSITIONS
    from association.workflow import check_table

    check_table(RUN_TRANSITIONS, RunStatus.values)


def test_it_rebuilds_the_selected_failed_runs_from_the_admin(
    cast, test_reports, client_for, django_capture_on_commit_callbacks
):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    TOTP.activate(cast.staff, generate_totp_secret())
    staff_client = client_for(cast.staff)
    failed = ReportRun.objects.create(
        report="test-counting",
        title="计数报表",
        format="xlsx",
        requested_by=cast.staff,
        status=RunStatus.FAILED,
    )
    gone = ReportRun.objects.create(
        report="test-no-longer-offered",
        title="已下线的报表",
        format="xlsx",
        requested_by=cast.staff,
        status=RunStatus.FAILED,
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            "/admin/reports/reportrun/",
            {"action": "rebuild_failed", "_selected_action": [failed.pk, gone.pk]},
            follow=True,
        )
    page = response.content.decode()
    assert "已重新排队 1 份报表" in page
    assert "该报表已不再提供" in page
    rebuilt = ReportRun.objects.exclude(pk__in=[failed.pk, gone.pk]).get()
    assert (rebuilt.report, rebuilt.requested_by, rebuilt.status) == (
        "test-counting",
        cast.staff,
        RunStatus.DONE,
    )
