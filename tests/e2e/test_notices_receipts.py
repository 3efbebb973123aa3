"""Staff write and publish a notice with a deadline in the admin and send it to the stations
of one county (禹州市). A station worker reads it and replies with a file. Staff watch the
receipt table change on its own and download the replies as a zip with its index."""

import datetime
import io
import re
import zipfile

import pytest
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from content.models import Article, Delivery
from tests.members.factories import township
from tests.stations.factories import AssignmentFactory, StationFactory

from .conftest import screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _session(user, live_server) -> dict:
    client = Client()
    client.force_login(user)
    return {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}


def _context(browser, live_server, user):
    context = browser.new_context(locale="zh-CN", base_url=live_server.url)
    context.add_cookies([_session(user, live_server)])
    page = context.new_page()
    page.set_default_timeout(20_000)
    return context, page


def _action(admin, article, action):
    admin.goto("/admin/content/article/")
    admin.check(f"input[name=_selected_action][value='{article.pk}']")
    admin.select_option("select[name=action]", action)
    admin.click("button[name=index]")


def test_a_notice_goes_out_comes_back_with_a_reply_and_its_replies_download(
    browser, live_server, cast, tmp_path
):
    station = StationFactory(name="禹州市褚河镇社工站", region=township("褚河镇", "禹州市"))
    AssignmentFactory(station=station, worker__user=cast.station_worker, role="head")
    other = StationFactory(name="长葛市后河镇社工站", region=township("后河镇", "长葛市"))
    AssignmentFactory(station=other, role="head")  # not in 禹州市: never sent it
    deadline = timezone.localdate() + datetime.timedelta(days=10)

    # 1. Staff write the notice in the admin, submit it, publish it and send it.
    office, admin = _context(browser, live_server, cast.staff)
    admin.goto("/admin/content/article/add/")
    admin.select_option("#id_kind", "notice")
    admin.fill("#id_title", "关于报送社工站年度工作总结的通知")
    admin.fill("#id_body", "各社工站：请于截止日期前回复本通知，并上传年度工作总结。")
    admin.fill("#id_reply_by", deadline.isoformat())
    admin.click("input[name=_save]")
    admin.wait_for_selector(".messagelist .success")
    article = Article.objects.get(title="关于报送社工站年度工作总结的通知")
    assert article.reply_by == deadline
    _action(admin, article, "submit")
    admin.wait_for_selector(".messagelist .success")
    _action(admin, article, "publish")
    admin.wait_for_selector("#id_at")  # the publication time: left empty, so now
    admin.click("input[type=submit][value='确定']")  # now
    admin.wait_for_selector(".messagelist .success")
    _action(admin, article, "send")
    admin.select_option("#id_segment", "county_stations")
    admin.select_option("#id_county", label="禹州市")
    admin.click("input[type=submit][value='确定']")
    admin.wait_for_selector(".messagelist .success")
    assert list(Delivery.objects.values_list("user", flat=True)) == [cast.station_worker.pk]

    # Staff open the receipt table: sent 1 of 1, nobody has answered yet.
    admin.goto("/site/receipts/")
    admin.get_by_role("link", name="关于报送社工站年度工作总结的通知").click()
    admin.wait_for_url(f"**/site/receipts/{article.pk}/")
    live = admin.locator("#receipts-live")
    assert "已送达 1 / 1" in live.inner_text()
    totals = live.locator("tfoot tr")
    assert totals.inner_text().split() == ["合计", "1", "0", "0", "1"]

    # 2. The station worker finds it in the inbox, confirms it and replies with the file.
    station_context, worker = _context(browser, live_server, cast.station_worker)
    worker.goto("/site/inbox/")
    worker.get_by_role("link", name="关于报送社工站年度工作总结的通知").click()
    worker.wait_for_url("**/site/inbox/*/")
    assert f"{deadline.year}年{deadline.month}月{deadline.day}日" in worker.content()
    worker.get_by_role("button", name="确认已阅").click()
    worker.get_by_text("已确认阅读。").wait_for()
    summary = tmp_path / "褚河镇社工站年度工作总结.pdf"
    summary.write_bytes(PDF)
    worker.get_by_label("回复内容").fill("已按要求报送年度工作总结，请审阅。")
    worker.get_by_label("附件").set_input_files(str(summary))
    worker.get_by_role("button", name="提交回复").click()
    worker.get_by_text("回执已提交。").wait_for()
    screenshot(worker, "notice-reply")

    # 3. The staff's open page updates itself (htmx, no reload): one reply in the table...
    expect(admin.locator("#receipts-live tfoot tr")).to_have_text(
        re.compile(r"合计\s*1\s*1\s*0\s*0"), timeout=45_000
    )
    assert live.locator("tfoot tr").inner_text().split() == ["合计", "1", "1", "0", "0"]
    # ...and so does the list of recipients below it: the worker's row, with the reply.
    expect(admin.locator("#recipients-live tbody tr")).to_contain_text(
        "已按要求报送年度工作总结", timeout=45_000
    )
    screenshot(admin, "notice-receipts")

    # 4. Staff download the replies: the file and an index of every recipient.
    with admin.expect_download() as download_info:
        admin.get_by_role("link", name="导出回复（zip，含索引表）").click()
    with open(download_info.value.path(), "rb") as downloaded:
        archive = zipfile.ZipFile(io.BytesIO(downloaded.read()))
    names = archive.namelist()
    assert any(name.endswith(".xlsx") for name in names), names
    replies = [name for name in names if name.endswith(".pdf")]
    assert len(replies) == 1 and archive.read(replies[0]) == PDF, names
    for context in (office, station_context):
        context.close()
