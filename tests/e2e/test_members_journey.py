"""An organisation applies, staff approve it in the admin and record its dues, its admin
downloads the certificate, and the public verification page confirms it."""

from __future__ import annotations

import datetime
import os
from decimal import Decimal

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.conf import settings
from django.test import Client

from members.choices import MemberType
from members.models import Membership
from tests.factories import UserFactory
from tests.members.factories import DuesStandardFactory, credit_code, township

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

PDF = b"%PDF-1.4\n%e2e\n"


def _session_cookie(user, live_server):
    client = Client()
    client.force_login(user)
    return {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": live_server.url,
    }


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_it_takes_an_organisation_from_application_to_verified_certificate(
    browser, live_server, tmp_path, settings
):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    region = township(name="五一路街道")
    DuesStandardFactory(member_type=MemberType.UNIT, amount=Decimal("1000.00"))
    staff = UserFactory(email="secretary@example.org", is_staff=True, roles=["协会工作人员"])
    TOTP.activate(staff, generate_totp_secret())
    document = tmp_path / "证书.pdf"
    document.write_bytes(PDF)

    # 1. The organisation applies; the form creates its admin's account and signs it in.
    applicant = browser.new_context(locale="zh-CN", base_url=live_server.url, accept_downloads=True)
    page = applicant.new_page()
    page.set_default_timeout(20_000)
    page.goto("/members/apply/organisation/")
    page.fill("#id_account-email", "director@sunshine.example.org")
    page.fill("#id_account-display_name", "周主任")
    page.fill("#id_account-password1", "Zx9!quietRiver")
    page.fill("#id_account-password2", "Zx9!quietRiver")
    page.fill("#id_name", "许昌市阳光社会工作服务中心")
    page.fill("#id_credit_code", credit_code(4242))
    page.select_option("#id_kind", "social_work_agency")
    page.fill("#id_legal_representative", "周明")
    page.select_option("#id_region", str(region.pk))
    page.fill("#id_address", "许昌市魏都区文峰路88号")
    page.fill("#id_contact_name", "周明")
    page.fill("#id_contact_phone", "0374-5550000")
    page.set_input_files("#id_registration_certificate", str(document))
    page.set_input_files("#id_application_form", str(document))
    page.click("button[type=submit]:has-text('提交申请')")
    page.wait_for_url("**/members/memberships/*/")
    assert "正在办理" in page.content()
    membership = Membership.objects.get()

    # 2. Staff approve it in the admin (with the council's decision) and record the dues.
    office = browser.new_context(locale="zh-CN", base_url=live_server.url)
    office.add_cookies([_session_cookie(staff, live_server)])
    admin = office.new_page()
    admin.set_default_timeout(20_000)
    admin.goto("/admin/members/membership/")
    admin.check(f"input[name=_selected_action][value='{membership.pk}']")
    admin.select_option("select[name=action]", "approve")
    admin.click("button[name=index]")
    admin.fill("#id_decided_on", datetime.date.today().isoformat())
    admin.fill("#id_basis", "第二届理事会第五次会议决议")
    admin.click("input[type=submit][value='确定']")
    admin.wait_for_selector(".messagelist .success")
    membership.refresh_from_db()
    assert membership.number == "XCSW-D-0001"
    dues = membership.dues.get()
    admin.goto("/admin/members/dues/")
    admin.check(f"input[name=_selected_action][value='{dues.pk}']")
    admin.select_option("select[name=action]", "record_payment")
    admin.click("button[name=index]")
    admin.fill("#id_method", "银行转账")
    admin.click("input[type=submit][value='确定']")
    admin.wait_for_selector(".messagelist .success")

    # 3. The organisation's admin downloads the certificate.
    page.goto(f"/members/memberships/{membership.pk}/")
    with page.expect_download() as download_info:
        page.click("text=下载会员证")
    pdf_path = download_info.value.path()
    with open(pdf_path, "rb") as downloaded:
        assert downloaded.read(5) == b"%PDF-"

    # 4. Anyone can check it on the public page the QR code points to.
    public = browser.new_context(locale="zh-CN", base_url=live_server.url).new_page()
    membership.refresh_from_db()
    public.goto(f"/verify/{membership.verification_code}/")
    assert public.inner_text("#verify-result") == "有效会员"
    assert "许昌市阳光社会工作服务中心" in public.content()
    assert "XCSW-D-0001" in public.content()
    for context in (applicant, office, public.context):
        context.close()
