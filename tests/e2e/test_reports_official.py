"""An official runs the station coverage report, watches the progress bar finish and
downloads the workbook.

Without REDIS_URL (as here) Celery runs the task in the request that queues it, so the
progress page opens on a finished run; with Redis the same page polls every second."""

from __future__ import annotations

import datetime
import io
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from openpyxl import load_workbook

from association.accounts.choices import Role
from association.reports.choices import RunStatus
from association.reports.models import ReportRun
from tests.factories import UserFactory
from tests.members.factories import township

from .conftest import screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _log_in(page, user, live_server):
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def test_an_official_runs_and_downloads_the_coverage_report(page, live_server, tmp_path, settings):
    from stations.choices import StationStatus
    from tests.stations.factories import AssignmentFactory, StationFactory

    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private")},
        },
    }
    opened = [(datetime.date(2022, 1, 1), StationStatus.OPERATING)]
    for name in ("五一路街道", "七里店街道"):
        station = StationFactory(region=township(name=name, county="魏都区"), history=opened)
        AssignmentFactory.create_batch(2, station=station)
    township(name="古桥乡", county="建安区")  # not covered yet
    official = UserFactory(email="minzheng@example.org", roles=[Role.OFFICIAL.value])
    _log_in(page, official, live_server)

    page.goto("/")
    page.get_by_role("link", name="统计报表").first.click()
    page.get_by_role("heading", name="社工站覆盖与人员配备（按区县）").wait_for()
    card = page.locator(".card", has_text="社工站覆盖与人员配备（按区县）")
    card.get_by_role("link", name="生成报表").click()
    page.get_by_label("统计日期").fill(datetime.date.today().isoformat())
    page.get_by_label("Excel 表格（xlsx）").check()
    page.get_by_role("button", name="开始生成").click()

    page.wait_for_url("**/reports/runs/*/")
    progress = page.locator("#run-progress")
    progress.get_by_text("已完成").wait_for()
    assert page.locator("progress").get_attribute("value") == "100"
    assert progress.get_attribute("hx-trigger") is None  # polling has stopped
    screenshot(page, "reports-official-progress")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="下载报表").click()
    download = download_info.value
    assert download.suggested_filename.startswith("许昌市社会工作行业协会_社工站覆盖与人员配备_")
    assert download.suggested_filename.endswith(".xlsx")
    workbook = load_workbook(io.BytesIO(Path(download.path()).read_bytes()), read_only=True)
    values = [v for row in workbook["一、覆盖与人员配备"].iter_rows(values_only=True) for v in row]
    assert values[values.index("运营中的社工站") + 1] == 2
    assert values[values.index("乡镇（街道）数") + 1] == 3

    run = ReportRun.objects.get()
    assert (run.status, run.requested_by_id) == (RunStatus.DONE, official.pk)
    page.goto("/reports/runs/")
    assert page.get_by_role("link", name="社工站覆盖与人员配备（按区县）").is_visible()


def test_the_progress_page_polls_until_the_run_finishes(page, live_server):
    """With a real worker the page starts on a running run and follows it to the end."""
    official = UserFactory(email="minzheng2@example.org", roles=[Role.OFFICIAL.value])
    run = ReportRun.objects.create(
        report="station-coverage",
        title="社工站覆盖与人员配备（按区县）",
        format="xlsx",
        requested_by=official,
        status=RunStatus.RUNNING,
        progress=35,
    )
    _log_in(page, official, live_server)
    page.goto(f"/reports/runs/{run.pk}/")
    assert page.locator("progress").get_attribute("value") == "35"
    # the worker moves on; the bar follows without a reload
    ReportRun.objects.filter(pk=run.pk).update(progress=80)
    page.locator('progress[value="80"]').wait_for()
    ReportRun.objects.filter(pk=run.pk).update(
        status=RunStatus.FAILED, error="数据库暂时不可用，报表未能生成，请稍后重试。"
    )
    page.get_by_text("报表未能生成：数据库暂时不可用").wait_for()
    assert page.locator("#run-progress").get_attribute("hx-trigger") is None
