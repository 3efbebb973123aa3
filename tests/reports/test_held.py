"""A report that fails its own checks says so, and a scheduled one is held from officials."""

import pytest
from django.urls import reverse

from association.accounts.choices import Role
from association.notifications.models import Notification
from association.reports.catalogue import Report, register, unregister
from association.reports.choices import RunStatus
from association.reports.documents import Document
from association.reports.models import ReportRun
from association.reports.tasks import run_scheduled

pytestmark = pytest.mark.django_db


class UnbalancedReport(Report):
    slug = "test-unbalanced"
    title = "勾稽不符的报表"
    roles = (Role.STAFF, Role.OFFICIAL)

    def build(self, params, progress):
        document = Document(self.title)
        document.section("一、数字").note("资产 100，负债和净资产 90")
        document.fail("资产负债表：资产总计 = 负债和净资产总计 不符（左方 100，右方 90）")
        return document


@pytest.fixture
def unbalanced():
    register(UnbalancedReport)
    yield
    unregister(UnbalancedReport.slug)


def test_a_scheduled_report_failing_its_checks_is_held_and_staff_are_told_why(
    cast, unbalanced, client_for, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        run_pk = run_scheduled(UnbalancedReport.slug, "xlsx", Role.OFFICIAL.value, "测试")
    run = ReportRun.objects.get(pk=run_pk)
    assert run.status == RunStatus.DONE and run.held
    assert "不符" in run.check_failures
    # Not sent to the officials, who do not see it either...
    assert not Notification.objects.filter(user=cast.official).exists()
    assert not ReportRun.objects.visible_to(cast.official).filter(pk=run_pk).exists()
    download = reverse("reports:run_download", args=[run_pk])
    assert client_for(cast.official).get(download).status_code in (403, 404)
    # ...while the staff hear of it, with the reason, and the run page shows it.
    held = Notification.objects.get(user=cast.staff, kind="reports_held")
    assert "左方 100" in held.body
    page = client_for(cast.staff).get(reverse("reports:run_detail", args=[run_pk]))
    assert "核对未通过" in page.content.decode() and "已暂停发送" in page.content.decode()


def test_a_statement_whose_tie_out_fails_is_a_failed_check(cast):
    import datetime

    from association.finance.chart import chart_load
    from association.finance.models import StatementLine
    from association.reports.library.finance import statements_sections
    from tests.finance.factories import post

    chart_load()
    post(cast.staff, "2026-01-05", ("1002", "D", 100), ("4201", "C", 100))
    post(cast.staff, "2026-02-05", ("1501", "D", 40), ("1002", "C", 40))
    start, end = datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)
    document = Document("年度财务报表")
    statements_sections(document, start, end)
    assert document.failures == []
    StatementLine.objects.get(layout__kind="balance_sheet", code="31").accounts.clear()
    document = Document("年度财务报表")
    statements_sections(document, start, end)
    assert document.failures and "不符" in document.failures[0]
