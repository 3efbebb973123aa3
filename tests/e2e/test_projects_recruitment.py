"""A graduate applies, staff select them, the graduate accepts and the team page shows them;
staff then record the signed agreement, take a training session's attendance by ticking,
and complete the graduate, who downloads the certificate."""

import datetime
import tempfile
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone

from association.accounts.choices import Role
from projects.models import Application
from tests.factories import UserFactory
from tests.projects.factories import PDF, QuotaFactory

from .conftest import screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _login_cookie(browser, live_server, user):
    client = Client()
    client.force_login(user)
    context = browser.new_context(locale="zh-CN", base_url=live_server.url)
    context.add_cookies(
        [
            {
                "name": "sessionid",
                "value": client.cookies["sessionid"].value,
                "url": live_server.url,
            }
        ]
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


def test_it_takes_a_graduate_from_the_form_into_the_team(page, browser, live_server, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tempfile.mkdtemp()},
        },
    }
    quota = QuotaFactory(seats=1, project__name="幸福颐养·独居老人关爱")
    resume = Path(tempfile.mkdtemp()) / "简历.pdf"
    resume.write_bytes(PDF)

    # 1. The graduate applies on the public form, which creates the account.
    page.goto("/projects/rounds/")
    page.get_by_role("link", name="我要报名").click()
    page.locator("#id_account-email").fill("graduate@example.org")
    page.locator("#id_account-display_name").fill("周晓雨")
    page.locator("#id_account-password1").fill("Graduate-pass-2026")
    page.locator("#id_account-password2").fill("Graduate-pass-2026")
    page.locator("#id_name").fill("周晓雨")
    page.locator("#id_gender").select_option("female")
    page.locator("#id_mobile").fill("13800138123")
    page.locator("#id_university").fill("许昌学院")
    page.locator("#id_major").fill("社会工作")
    page.locator("#id_degree").select_option("bachelor")
    page.locator("#id_graduation_year").fill("2026")
    page.locator("#id_resume").set_input_files(str(resume))
    page.locator("#id_first_choice").select_option(str(quota.project.pk))
    page.get_by_role("button", name="提交报名").click()
    page.wait_for_url("**/projects/applications/*/")
    assert "报名已提交" in page.content()
    application = Application.objects.get(applicant__email="graduate@example.org")

    # 2. Staff screen, score and select the graduate on the portal.
    staff = UserFactory(is_staff=True, roles=[Role.STAFF.value])
    context, staff_page = _login_cookie(browser, live_server, staff)
    staff_page.goto(f"/projects/applications/{application.pk}/")
    staff_page.get_by_role("button", name="资格审查通过").click()
    staff_page.locator("#id_score").fill("91")
    staff_page.get_by_role("button", name="录入面试成绩").click()
    staff_page.locator("#id_project").select_option(str(quota.project.pk))
    staff_page.get_by_role("button", name="录取", exact=True).click()
    assert "已录取，等待申请人确认" in staff_page.content()
    screenshot(staff_page, "projects-staff-offer")
    context.close()

    # 3. The graduate accepts the offer; the team page shows them.
    page.goto(f"/projects/applications/{application.pk}/")
    page.get_by_role("button", name="接受录取").click()
    assert "欢迎加入项目团队" in page.content()
    page.get_by_role("link", name="幸福颐养·独居老人关爱").click()
    team = page.locator("#team")
    assert "周晓雨" in team.inner_text()
    assert "团队成员" in team.inner_text()
    screenshot(page, "projects-team")

    # 4. The graduate's page shows the pipeline: the agreement is next.
    page.goto(f"/projects/applications/{application.pk}/")
    current = page.locator('#pipeline [aria-current="step"]')
    assert "协议" in current.inner_text()
    assert "签署服务协议" in page.locator("#next-step").inner_text()
    screenshot(page, "projects-pipeline-accepted")

    # 5. Staff record the signed agreement (upload, dates, stipend): the graduate serves.
    today = timezone.localdate()
    agreement = Path(tempfile.mkdtemp()) / "服务协议.pdf"
    agreement.write_bytes(PDF)
    context, staff_page = _login_cookie(browser, live_server, staff)
    staff_page.goto(f"/projects/applications/{application.pk}/")
    staff_page.get_by_role("link", name="登记服务协议").click()
    staff_page.locator("#id_signed_on").fill(today.isoformat())
    staff_page.locator("#id_starts_on").fill(today.isoformat())
    staff_page.locator("#id_ends_on").fill((today + datetime.timedelta(days=365)).isoformat())
    staff_page.locator("#id_monthly_stipend").fill("2500")
    staff_page.locator("#id_signed_file").set_input_files(str(agreement))
    staff_page.get_by_role("button", name="登记协议").click()
    assert "毕业生进入服务期" in staff_page.content()

    # 6. A training session, and its attendance taken by ticking the graduate.
    staff_page.get_by_role("link", name="培训与出勤").click()
    staff_page.locator("#id_title").fill("社会工作伦理与实务")
    staff_page.locator("#id_date").fill(today.isoformat())
    staff_page.locator("#id_hours").fill("6")
    staff_page.get_by_role("button", name="登记培训").click()
    staff_page.get_by_label("周晓雨").check()
    staff_page.get_by_role("button", name="登记出勤").click()
    assert "已登记 1 人出勤" in staff_page.content()
    screenshot(staff_page, "projects-attendance")

    # 7. Completion: the certificate is numbered and the graduate downloads it.
    staff_page.goto(f"/projects/applications/{application.pk}/")
    staff_page.get_by_role("button", name="办理结业").click()
    assert "已办理结业" in staff_page.content()
    context.close()
    page.goto(f"/projects/applications/{application.pk}/")
    assert "跟踪" in page.locator('#pipeline [aria-current="step"]').inner_text()
    with page.expect_download() as download:
        page.get_by_role("link", name="下载结业证书").click()
    assert download.value.suggested_filename.endswith(".pdf")
    screenshot(page, "projects-completed")
