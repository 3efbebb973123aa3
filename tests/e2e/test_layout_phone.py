"""At a phone's width (390×844) the menu folds behind a button that opens it; the sign-in
page and the verification page of an unknown code pass axe like every other page."""

import re

import pytest
from django.test import Client
from playwright.sync_api import expect

from association.accounts.choices import Role
from tests.factories import UserFactory

from .conftest import screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def login(page, user, live_server):
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def text_height_and_line(element):
    """The height of ``element``'s text (not of its box: a cell is as tall as its row) and
    its line height; the text is on one line when the first is under 1.5 times the second."""
    element.wait_for()
    return element.evaluate(
        """e => {
            const text = document.createRange();
            text.selectNodeContents(e);
            return [text.getBoundingClientRect().height,
                    parseFloat(getComputedStyle(e).lineHeight)];
        }"""
    )


def test_the_menu_folds_behind_a_button_on_a_phone(page, live_server):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/accounts/login/")
    page.get_by_role("link", name="申请入会").wait_for()

    page.goto("/verify/0000000000000000/")
    assert page.get_by_role("heading", name="未查到此会员证").is_visible()

    worker = UserFactory(display_name="张敏", roles=[Role.ORG_ADMIN])
    login(page, worker, live_server)
    page.goto("/")
    menu = page.locator("#portal-menu")
    toggle = page.get_by_role("button", name="展开菜单")
    assert toggle.is_visible() and not menu.is_visible()
    toggle.click()
    menu.get_by_role("link", name="我的通知").wait_for()
    assert toggle.get_attribute("aria-expanded") == "true"
    screenshot(page, "menu-phone")

    page.set_viewport_size({"width": 1280, "height": 800})
    assert not toggle.is_visible() and menu.is_visible()


def test_the_memberships_list_keeps_names_readable_on_a_phone(page, live_server):
    """At 390 px the list scrolls sideways inside its box; a member's name is not broken
    one character a line, nor is the page wider than the phone."""
    from tests.members.factories import MembershipFactory, OrganisationFactory, SocialWorkerFactory

    MembershipFactory(organisation=OrganisationFactory(name="许昌市魏都区阳光社会工作服务中心"))
    MembershipFactory(person=SocialWorkerFactory(name="欧阳明月"))
    login(page, UserFactory(is_staff=True, roles=[Role.STAFF]), live_server)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/members/memberships/")
    height, line = text_height_and_line(page.get_by_role("link", name="欧阳明月"))
    assert height < 1.5 * line  # one line
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # The box scrolls, so it takes the keyboard focus (static/js/portal.js); on a desktop
    # the table fits and adds no stop to the tab order.
    box = page.locator(".table-responsive")
    expect(box).to_have_attribute("tabindex", "0")
    screenshot(page, "memberships-phone")
    page.set_viewport_size({"width": 1280, "height": 800})
    # (expect polls from Playwright's side: a function polled in the page is an eval, which
    # the Content-Security-Policy refuses)
    expect(box).not_to_have_attribute("tabindex", re.compile(".*"))


def test_tables_keep_numbers_and_dates_on_a_line_and_fit_a_desktop(page, live_server):
    """At 1366 px a long summary took the room and the browser broke the voucher number and
    the date at their hyphens (记-2026- above 0311, 2026-11- above 29): each keeps a line. A
    long meeting title, one word to keep-all, still wraps: the meetings' list fits the page
    (it scrolled by 52 px once its times kept their line)."""
    import datetime

    from association.finance.chart import chart_load
    from tests.finance.factories import post

    chart_load()
    staff = UserFactory(display_name="王秘书", roles=[Role.STAFF], is_staff=True)
    summary = "拨付创业资助 胡梓远社区服务创业团队：首批服务对象签约，场地租赁与设备采购" * 2
    voucher = post(
        staff,
        datetime.date(2026, 11, 29),
        ("1002", "D", 2500),
        ("4201", "C", 2500),
        summary=summary,
    )
    login(page, staff, live_server)
    page.set_viewport_size({"width": 1366, "height": 800})
    page.goto("/finance/vouchers/")
    number = page.get_by_role("link", name=str(voucher))
    date = page.get_by_role("cell", name="2026-11-29")
    for element in (number, date):
        height, line = text_height_and_line(element)
        assert height < 1.5 * line  # one line
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366

    from tests.governance.factories import MeetingFactory

    MeetingFactory(
        title="许昌市社会工作行业协会成立大会暨第一届会员代表大会第一次会议",
        place="许昌市社会工作行业协会秘书处会议室",
    )
    page.goto("/governance/meetings/")
    box = page.locator(".table-responsive")
    box.wait_for()
    assert box.evaluate("e => e.scrollWidth <= e.clientWidth")
