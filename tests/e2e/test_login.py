"""The demo staff user signs in, enrols an authenticator through the e-mailed link, and
sees the Chinese home page."""

import re

import pytest
from allauth.mfa.totp.internal.auth import hotp_value, yield_hotp_counters_from_time
from django.core import mail

from association.accounts import demo

from .conftest import screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True), pytest.mark.real_mfa]


def test_it_signs_in_the_demo_staff_user_to_the_chinese_home_page(page, live_server):
    demo.seed()
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    page.get_by_role("link", name="登录").first.click()
    page.get_by_label("登录").fill("staff@demo.xcsw.org.cn")
    page.get_by_label("密码").fill(demo.DEMO_PASSWORD)
    page.locator("form button[type=submit]").last.click()

    # A password alone opens nothing: the staff member must set up a second factor, with a
    # link sent to the verified e-mail (a password thief does not have the mailbox).
    page.wait_for_url("**/accounts/2fa/enrol/**")
    screenshot(page, "mfa-enrol")
    page.get_by_role("button", name="发送启用链接").click()
    page.wait_for_load_state()
    link = re.search(r"http://\S+/accounts/2fa/enrol/\S+/", mail.outbox[-1].body).group(0)
    page.goto(link.replace("http://testserver", live_server.url))
    if "/accounts/reauthenticate/" in page.url:
        page.get_by_label("密码").fill(demo.DEMO_PASSWORD)
        page.locator("form button[type=submit]").last.click()
    page.wait_for_url("**/2fa/totp/activate/**")
    secret = page.locator("#authenticator_secret").input_value()
    code = f"{hotp_value(secret, next(yield_hotp_counters_from_time())):06d}"
    page.locator("input[name=code]").fill(code)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url("**/recovery-codes/**")

    page.goto("/")
    assert page.get_by_role("heading", level=1).inner_text().endswith("您好")
    assert "协会工作人员" in page.content()
    assert page.get_by_role("link", name="管理后台").first.is_visible()
    screenshot(page, "home-staff")
