"""A station worker submits the month's report, the reviewer returns it, the worker fixes
and resubmits it, the reviewer approves it, and the dashboard counts it."""

import pytest
from django.test import Client

from stations.forms import format_month
from stations.selectors import last_month
from tests.stations.factories import AssignmentFactory, StationFactory

from .conftest import screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def log_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def test_it_takes_a_report_from_submission_to_the_dashboard(page, live_server, cast, settings):
    settings.STATIONS_LOCK_DAYS = 45  # whatever today is, last month is still open
    station = StationFactory(name="花都镇社会工作服务站")
    AssignmentFactory(station=station, worker__user=cast.station_worker, role="head")
    month = format_month(last_month())

    # The worker opens the station's reports and fills last month's.
    log_in(page, live_server, cast.station_worker)
    page.goto(f"/stations/{station.pk}/reports/")
    page.get_by_label("月份").fill(month)
    page.get_by_role("button", name="填报该月月报").click()
    page.get_by_label("社会救助·个案·次数").fill("3")
    page.get_by_label("社会救助·个案·人次").fill("30")
    page.locator("summary", has_text="养老服务").click()  # one service area at a time
    page.get_by_label("养老服务·入户走访·次数").fill("12")
    page.get_by_label("养老服务·入户走访·人次").fill("12")
    page.get_by_label("志愿者人次").fill("5")
    page.get_by_label("工作概述").fill("本月走访独居老人12户，跟进低保个案3个。")
    screenshot(page, "stations-report-edit")
    page.get_by_role("button", name="提交", exact=True).click()
    page.get_by_role("button", name="确认报送").click()
    assert page.locator("#report-status").inner_text() == "已报送"

    # The reviewer returns it with a comment.
    report_url = page.url
    log_in(page, live_server, cast.staff)
    page.goto(report_url)
    page.get_by_label("退回修改").check()
    page.get_by_label("审核意见").fill("个案人次请按台账核对")
    page.get_by_role("button", name="提交审核结论").click()
    assert page.locator("#report-status").inner_text() == "已退回"

    # The worker sees why, fixes the figure and submits again.
    log_in(page, live_server, cast.station_worker)
    page.goto(report_url)
    assert "个案人次请按台账核对" in page.content()
    page.get_by_role("link", name="修改月报").click()
    page.get_by_label("社会救助·个案·人次").fill("24")
    page.get_by_role("button", name="提交", exact=True).click()
    page.get_by_role("button", name="确认报送").click()
    assert page.locator("#report-status").inner_text() == "已报送"

    # The reviewer approves it.
    log_in(page, live_server, cast.staff)
    page.goto(report_url)
    page.get_by_label("审核通过").check()
    page.get_by_role("button", name="提交审核结论").click()
    assert page.locator("#report-status").inner_text() == "已审核通过"
    events = page.locator("#report-events").inner_text()
    assert events.count("报送") >= 2 and "退回" in events

    # The dashboard counts it: expected 1, received 1, approved 1, 36 person-times.
    page.goto(f"/stations/dashboard/?month={month}")
    totals = page.locator("#dashboard-totals").inner_text()
    assert "已报 1 / 应报 1" in totals and "已审核通过 1" in totals
    assert page.locator("#reporting-rate").inner_text() == "100.0%"
    volumes = page.locator("#volumes-table").inner_text()
    assert "24" in volumes and "12" in volumes  # person-times of the month's year, by area
    page.wait_for_function("document.querySelector('#chart-areas').width > 0")
    screenshot(page, "stations-dashboard")
