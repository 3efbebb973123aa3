"""The monthly report on a phone (390×844), and offline: the form is usable, totals run,
every error is listed at once, submission is confirmed; typed without a connection, the
draft survives a reload (the page served by the service worker, the values by IndexedDB)
and reaches the server when the connection returns; a conflict is the worker's to resolve."""

import time

import pytest
from django.test import Client
from playwright.sync_api import expect

from stations import services
from stations.choices import ReportStatus
from stations.models import ServiceArea, ServiceReport, WorkKind
from stations.selectors import last_month
from tests.stations.factories import AssignmentFactory, ReportFactory, StationFactory

from .conftest import screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser, live_server):
    """A phone-sized page with service workers allowed (127.0.0.1 counts as secure)."""
    context = browser.new_context(
        locale="zh-CN",
        base_url=live_server.url,
        viewport=PHONE,
        is_mobile=True,
        has_touch=True,
        service_workers="allow",
    )
    context.add_init_script(NETWORK_CUT)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def worker_station(cast, settings):
    settings.STATIONS_LOCK_DAYS = 45  # whatever today is, last month is still open
    station = StationFactory(name="花都镇社会工作服务站")
    AssignmentFactory(station=station, worker__user=cast.station_worker, role="head")
    return station


def log_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def first_cell():
    return ServiceArea.objects.order_by("order").first(), WorkKind.objects.order_by("order").first()


def wait_for(page, script, arg=None, timeout=15):
    """Poll an async predicate in the page (``wait_for_function`` does not await promises)."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(script, arg):
        assert time.monotonic() < deadline, f"timed out waiting for: {script}"
        page.wait_for_timeout(100)


def wait_until_kept_offline(page, path):
    """The service worker controls the page and has a copy of it."""
    wait_for(
        page,
        """async (path) => {
            if (!navigator.serviceWorker.controller) return false;
            for (const name of await caches.keys()) {
                if (await (await caches.open(name)).match(path)) return true;
            }
            return false;
        }""",
        path,
    )


def wait_for_draft(page, report_pk, field, value):
    """The draft on the phone (IndexedDB) holds ``value`` in ``field``."""
    wait_for(
        page,
        """async ([pk, field, value]) => {
            const db = await idb.openDB("association-report-drafts", 1);
            const draft = await db.get("drafts", pk);
            return Boolean(draft && draft.values[field] === value);
        }""",
        [report_pk, field, value],
    )


# While the test has cut the network, the page's scripts see what a phone without a
# connection shows them from their first line on, reloads included: navigator.onLine false,
# and fetch failing as it does offline. Chromium's own offline mode (kept, so that the
# service worker serves the reloaded page) reaches a reloaded page's scripts a moment after
# they start, and a request from a page a service worker controls can pass Playwright's
# routes (microsoft/playwright#7588): through that gap the draft once reached the server
# while the test said it was offline.
NETWORK_CUT = """
(() => {
  if (typeof window === "undefined" || typeof sessionStorage === "undefined") return;
  const cut = () => sessionStorage.getItem("test-network-cut") === "1";
  const onLine = Object.getOwnPropertyDescriptor(Navigator.prototype, "onLine");
  Object.defineProperty(Navigator.prototype, "onLine", {
    configurable: true,
    get() {
      return cut() ? false : onLine.get.call(this);
    },
  });
  const fetch = window.fetch;
  window.fetch = function (...args) {
    return cut() ? Promise.reject(new TypeError("Failed to fetch")) : fetch.apply(this, args);
  };
})();
"""


def cut_network(page):
    page.evaluate("sessionStorage.setItem('test-network-cut', '1')")
    page.context.set_offline(True)


def restore_network(page):
    """The page sees the connection return (its "online" event) with fetch working again."""
    page.evaluate("sessionStorage.removeItem('test-network-cut')")
    page.context.set_offline(False)


def test_it_fills_and_submits_the_report_on_a_phone(phone, live_server, cast, worker_station):
    page = phone
    log_in(page, live_server, cast.station_worker)
    page.goto(f"/stations/{worker_station.pk}/reports/")
    page.get_by_label("月份").fill(f"{last_month():%Y-%m}")
    page.get_by_role("button", name="填报该月月报").click()

    # Inputs are large enough to read "28", one area at a time, the footer always in reach.
    cell = page.get_by_label("社会救助·个案·次数")
    assert cell.bounding_box()["width"] >= 60
    assert cell.get_attribute("inputmode") == "numeric"
    footer = page.locator(".report-footer")
    box = footer.bounding_box()
    assert box["y"] + box["height"] <= PHONE["height"] + 1
    assert page.get_by_label("养老服务·入户走访·次数").is_hidden()
    page.locator("summary", has_text="养老服务").click()
    assert page.get_by_label("社会救助·个案·次数").is_hidden()  # the open area closed
    page.locator("summary", has_text="社会救助").click()

    # Running totals per area and overall, while typing.
    cell.fill("3")
    page.get_by_label("社会救助·个案·人次").fill("28")
    page.get_by_label("社会救助·小组·次数").fill("2")
    page.get_by_label("社会救助·小组·人次").fill("1")  # fewer person-times than times
    area_total = page.locator("summary", has_text="社会救助").locator("[data-area-total]")
    assert area_total.inner_text() == "次数 5，人次 29"
    assert page.locator("#report-total").inner_text() == "合计：次数 5，人次 29"
    page.locator("summary", has_text="养老服务").click()
    page.get_by_label("养老服务·入户走访·人次").fill("12")  # person-times without times

    # Every error at once, at the top, focused, each linked to its cell.
    page.get_by_role("button", name="提交", exact=True).click()
    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    links = summary.get_by_role("link")
    assert links.count() == 3  # 小组 人次, 入户走访 次数, 工作概述
    screenshot(page, "stations-report-phone-errors")
    summary.get_by_role("link", name="社会救助·小组").click()
    fixed = page.get_by_label("社会救助·小组·人次")
    assert page.evaluate("document.activeElement.id") == fixed.get_attribute("id")
    assert fixed.get_attribute("aria-invalid") == "true"
    described = fixed.get_attribute("aria-describedby")
    assert "不能少于服务次数" in page.locator(f"#{described}").inner_text()
    fixed.fill("20")
    page.locator("summary", has_text="养老服务").click()
    page.get_by_label("养老服务·入户走访·次数").fill("12")
    page.get_by_label("志愿者人次").fill("5")
    page.get_by_label("工作概述").fill("本月走访独居老人12户，跟进低保个案3个。")

    # Submitting shows what will be submitted and asks to confirm.
    page.get_by_role("button", name="提交", exact=True).click()
    dialog = page.locator("#confirm-submit")
    expect(dialog).to_be_visible()
    expect(summary).to_be_hidden()
    assert dialog.locator("tfoot").inner_text().split() == ["合计", "17", "60"]
    assert "社会救助\t5\t48" in dialog.locator("tbody").inner_text()
    screenshot(page, "stations-report-phone-confirm")
    page.get_by_role("button", name="确认报送").click()
    assert page.locator("#report-status").inner_text() == "已报送"
    report = ServiceReport.objects.get(station=worker_station)
    assert (report.total_activities, report.total_person_times, report.volunteers) == (17, 60, 5)


def test_it_keeps_a_draft_typed_offline_and_saves_it_when_back_online(
    phone, live_server, cast, worker_station
):
    page = phone
    report = ReportFactory(station=worker_station, month=last_month(), narrative="")
    path = f"/stations/reports/{report.pk}/edit/"
    log_in(page, live_server, cast.station_worker)
    page.goto(path)
    wait_until_kept_offline(page, path)
    area, kind = first_cell()

    cut_network(page)
    page.get_by_label("社会救助·个案·次数").fill("4")
    page.get_by_label("社会救助·个案·人次").fill("40")
    expect(page.locator("#sync-badge")).to_have_text("未同步")
    wait_for_draft(page, report.pk, f"c_{area.pk}_{kind.pk}_p", "40")

    # Reload without a connection: the service worker serves the page, IndexedDB the values.
    response = page.reload()
    assert response.from_service_worker
    expect(page.get_by_label("社会救助·个案·次数")).to_have_value("4")
    expect(page.get_by_label("社会救助·个案·人次")).to_have_value("40")
    expect(page.locator("#sync-badge")).to_be_visible()
    expect(page.locator("#report-total")).to_have_text("合计：次数 4，人次 40")
    screenshot(page, "stations-report-phone-offline")
    # Saving offline keeps it on the phone and says so.
    page.get_by_role("button", name="保存草稿").click()
    expect(page.locator("#sync-status")).to_contain_text("联网后自动同步")
    report.refresh_from_db()
    assert report.total_activities == 0

    # The connection returns: the draft is saved to the server.
    restore_network(page)
    page.locator("#sync-badge").wait_for(state="hidden")
    expect(page.locator("#sync-status")).to_contain_text("草稿已保存到服务器")
    report.refresh_from_db()
    assert (report.total_activities, report.total_person_times) == (4, 40)
    assert report.status == ReportStatus.DRAFT


def test_it_lets_the_worker_resolve_a_conflict(phone, live_server, cast, worker_station):
    page = phone
    report = ReportFactory(station=worker_station, month=last_month(), narrative="")
    path = f"/stations/reports/{report.pk}/edit/"
    log_in(page, live_server, cast.station_worker)
    page.goto(path)
    wait_until_kept_offline(page, path)
    area, kind = first_cell()
    second_kind = WorkKind.objects.order_by("order")[1]

    cut_network(page)
    page.get_by_label("社会救助·个案·次数").fill("5")
    page.get_by_label("社会救助·个案·人次").fill("50")
    page.get_by_label("社会救助·小组·次数").fill("1")  # the server leaves this one alone
    page.get_by_label("社会救助·小组·人次").fill("9")
    wait_for_draft(page, report.pk, f"c_{area.pk}_{second_kind.pk}_p", "9")

    # Meanwhile the station's head saves other figures from the office computer.
    services.report_save(
        report=report,
        by=cast.station_worker,
        lines={(area, kind): (8, 80)},
        volunteers=0,
        narrative="",
    )

    restore_network(page)
    conflict = page.locator("#conflict")
    conflict.wait_for(state="visible")
    rows = conflict.locator("fieldset")
    assert rows.count() == 2  # only the cells the server changed
    times = rows.filter(has_text="社会救助·个案·次数")
    assert (
        times.get_by_label("本机：5").is_visible() and times.get_by_label("服务器：8").is_visible()
    )
    screenshot(page, "stations-report-phone-conflict")
    report.refresh_from_db()
    assert (report.total_activities, report.total_person_times) == (8, 80)  # not overwritten

    times.get_by_label("本机：5").check()
    rows.filter(has_text="社会救助·个案·人次").get_by_label("服务器：80").check()
    page.get_by_role("button", name="按所选保存").click()
    page.locator("#sync-badge").wait_for(state="hidden")
    expect(conflict).to_be_hidden()
    expect(page.get_by_label("社会救助·个案·人次")).to_have_value("80")
    lines = {
        (line.kind_id, line.activities, line.person_times)
        for line in ServiceReport.objects.get(pk=report.pk).lines.all()
    }
    assert lines == {(kind.pk, 5, 80), (second_kind.pk, 1, 9)}
