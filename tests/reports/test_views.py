"""The officials' area: catalogue, request, live progress, history and download."""

import pytest
from django.urls import reverse

from association.accounts.choices import Role
from association.reports.choices import RunStatus
from association.reports.models import ReportRun
from tests.conftest import assert_constant_queries
from tests.factories import UserFactory

from .factories import RunFactory

pytestmark = pytest.mark.django_db


def test_it_lists_only_the_reports_open_to_an_official(cast, client_for):
    page = client_for(cast.official).get(reverse("reports:catalogue")).content.decode()
    assert "社工站覆盖与人员配备（按区县）" in page
    assert "会员名册统计" in page
    assert 'href="/reports/"' in page  # the menu entry


def test_it_runs_a_report_and_shows_the_finished_progress(
    cast, client_for, stations_data, django_capture_on_commit_callbacks
):
    client = client_for(cast.official)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reports:run_create", args=["station-coverage"]),
            {"on": "2025-11-15", "townships": "on", "format": "xlsx"},
        )
    run = ReportRun.objects.get()
    assert response["Location"] == reverse("reports:run_detail", args=[run.pk])
    page = client.get(response["Location"]).content.decode()
    assert "已完成" in page and 'id="download-link"' in page
    assert "hx-trigger" not in page  # finished: the page stops polling
    download = client.get(reverse("reports:run_download", args=[run.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert download["Cache-Control"] == "private, no-store"
    assert b"".join(download.streaming_content).startswith(b"PK")


def test_it_polls_while_the_run_is_being_built(cast, client_for):
    run = RunFactory(requested_by=cast.official, status=RunStatus.RUNNING, progress=42)
    partial = client_for(cast.official).get(reverse("reports:run_progress", args=[run.pk]))
    html = partial.content.decode()
    assert 'hx-trigger="every 1s"' in html and 'value="42"' in html
    assert "<html" not in html  # a fragment, swapped into the page


def test_it_shows_form_errors_in_chinese(cast, client_for):
    response = client_for(cast.official).post(
        reverse("reports:run_create", args=["station-monthly"]), {"month": "", "format": "pdf"}
    )
    assert "请选择月份" in response.content.decode()
    assert not ReportRun.objects.exists()


def test_nobody_downloads_another_users_private_run(cast, client_for):
    run = RunFactory(requested_by=cast.official)
    other_official = UserFactory(roles=[Role.OFFICIAL.value])
    for user in (other_official, cast.staff, cast.officer):
        response = client_for(user).get(reverse("reports:run_download", args=[run.pk]))
        assert response.status_code == 404


def test_an_official_downloads_a_shared_run_only_of_a_report_open_to_them(cast, client_for):
    shared = RunFactory(requested_by=None, audience_role=Role.OFFICIAL.value)
    client = client_for(cast.official)
    assert client.get(reverse("reports:run_download", args=[shared.pk])).status_code == 200
    # a report that is not open to officials (e.g. one with personal data) stays closed
    from association.reports.catalogue import STAFF_ROLES, Report, register, unregister

    @register
    class StaffOnly(Report):
        slug = "test-staff-only"
        title = "仅限协会工作人员"
        roles = STAFF_ROLES

    try:
        closed = RunFactory(
            requested_by=None, audience_role=Role.OFFICIAL.value, report="test-staff-only"
        )
        mine = RunFactory(requested_by=cast.official, report="test-staff-only")
        assert client.get(reverse("reports:run_download", args=[closed.pk])).status_code == 404
        assert client.get(reverse("reports:run_download", args=[mine.pk])).status_code == 404
        # an organisation admin cannot download the officials' shared run
        response = client_for(cast.org_admin_a).get(
            reverse("reports:run_download", args=[shared.pk])
        )
        assert response.status_code == 404
    finally:
        unregister("test-staff-only")


def test_a_report_with_personal_data_is_never_open_to_officials(cast):
    from association.reports.catalogue import OFFICIAL_ROLES, Report, all_reports

    class Named(Report):
        slug = "x"
        roles = OFFICIAL_ROLES
        personal_data = True

    assert not Named().may_run(cast.official) and Named().may_run(cast.staff)
    assert all(not r.personal_data for r in all_reports() if r.may_run(cast.official))


def test_it_does_not_download_an_expired_file(cast, client_for):
    run = RunFactory(requested_by=cast.official)
    ReportRun.objects.filter(pk=run.pk).update(expired=True, file="")
    client = client_for(cast.official)
    assert client.get(reverse("reports:run_download", args=[run.pk])).status_code == 404
    assert (
        "已超过保留期限"
        in client.get(reverse("reports:run_detail", args=[run.pk])).content.decode()
    )


def test_the_history_shows_own_and_shared_runs_and_staff_see_all(cast, client_for):
    RunFactory(requested_by=cast.official, title="我的报表")
    RunFactory(requested_by=None, audience_role=Role.OFFICIAL.value, title="定时报表甲")
    RunFactory(requested_by=cast.staff, title="工作人员的报表")
    official_page = client_for(cast.official).get(reverse("reports:run_list")).content.decode()
    assert "我的报表" in official_page and "定时报表甲" in official_page
    assert "工作人员的报表" not in official_page
    staff_page = client_for(cast.staff).get(reverse("reports:run_list")).content.decode()
    assert all(t in staff_page for t in ("我的报表", "定时报表甲", "工作人员的报表"))
    empty = client_for(cast.outsider).get(reverse("reports:run_list")).content.decode()
    assert "暂无生成记录" in empty


def test_the_history_costs_the_same_queries_from_5_to_50_runs(cast, client_for):
    client = client_for(cast.staff)

    def grow(n):
        for _ in range(n):
            RunFactory(
                requested_by=UserFactory(), with_file=False, status=RunStatus.QUEUED, progress=0
            )

    assert_constant_queries(lambda: client.get(reverse("reports:run_list")), grow)


def test_the_catalogue_costs_the_same_queries_with_more_runs(cast, client_for):
    client = client_for(cast.official)

    def grow(n):
        for _ in range(n):
            RunFactory(
                requested_by=cast.official, with_file=False, status=RunStatus.QUEUED, progress=0
            )

    assert_constant_queries(lambda: client.get(reverse("reports:catalogue")), grow)
