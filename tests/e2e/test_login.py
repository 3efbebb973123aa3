"""The demo staff user signs in and sees the Chinese home page."""

import pytest

from association.accounts import demo

from .conftest import screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_it_signs_in_the_demo_staff_user_to_the_chinese_home_page(page):
    demo.seed()
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    page.get_by_role("link", name="登录").first.click()
    page.get_by_label("登录").fill("staff@demo.xcsw.org.cn")
    page.get_by_label("密码").fill(demo.DEMO_PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url("**/")
    assert page.get_by_role("heading", level=1).inner_text().endswith("您好")
    assert "协会工作人员" in page.content()
    assert page.get_by_role("link", name="管理后台").first.is_visible()
    screenshot(page, "home-staff")
