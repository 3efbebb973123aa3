"""A staff member submits a claim, the secretary-general approves it, it is paid and its
voucher appears in the ledger."""

import datetime

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from association.finance.chart import chart_load
from tests.factories import UserFactory
from tests.finance.factories import BudgetLineFactory, approver, fund_rules

from .conftest import screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def login(page, live_server, user):
    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def test_it_takes_a_claim_from_submission_to_the_ledger(page, live_server):
    chart_load()
    fund_rules()
    BudgetLineFactory(label="培训场地费")
    staff = UserFactory(display_name="王秘书", roles=["协会工作人员"], is_staff=True)
    secretary = UserFactory(display_name="秘书长", roles=["协会负责人"])
    approver(secretary, "secretary_general")

    login(page, live_server, staff)
    page.goto("/finance/claims/new/")
    page.get_by_label("事由").fill("社工督导培训场地费")
    page.get_by_label("预算项目").select_option(label="培训场地费")
    page.get_by_label("收款人").fill("许昌市会议中心")
    page.get_by_label("明细内容").fill("场地租金")
    page.get_by_label("费用科目").select_option(label="5201 管理费用")
    page.get_by_label("金额（元）").fill("1800")
    page.get_by_label("发生日期").fill(datetime.date.today().isoformat())
    page.get_by_role("button", name="提交审批").click()
    page.wait_for_url("**/finance/claims/*/")
    expect(page.locator("#claim-status")).to_have_text("审批中")
    claim_url = page.url

    login(page, live_server, secretary)
    page.goto(claim_url)
    page.get_by_role("button", name="同意").click()
    expect(page.locator("#claim-status")).to_have_text("已批准")

    login(page, live_server, staff)
    page.goto(claim_url)
    page.get_by_role("button", name="付款并记账").click()
    expect(page.locator("#claim-status")).to_have_text("已付款")
    number = f"记-{datetime.date.today().year}-0001"
    expect(page.get_by_role("link", name=number)).to_be_visible()

    page.goto("/finance/vouchers/")
    page.get_by_role("link", name=number).click()
    assert "5201 管理费用" in page.content()
    assert "1,800.00" in page.content() or "1800.00" in page.content()
    screenshot(page, "finance-claim-voucher")
