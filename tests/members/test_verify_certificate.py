"""The public verification page for a code that names nobody, and the certificate PDF."""

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from .factories import DuesFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("code", ["0000000000000000", "abc", "x" * 200, "不是验证码", "a%20b"])
def test_it_says_what_to_check_for_a_code_that_names_no_member(client_for, code, settings):
    settings.DEBUG = True  # even then: the page of the portal, not Django's debug page
    response = client_for(None).get(f"/verify/{code}/")
    assert response.status_code == 404
    text = response.content.decode()
    assert "未查到此会员证" in text
    assert "验证码是否与会员证上" in text and "协会秘书处" in text
    assert "Traceback" not in text and "Page not found" not in text


def test_it_verifies_a_code_typed_in_capitals(client_for, org_a):
    membership = org_a.memberships.get()
    code = membership.verification_code.upper()
    page = client_for(None).get(reverse("verify", args=[code]))
    assert page.status_code == 200 and membership.number in page.content.decode()


def test_the_certificate_links_to_site_url_has_a_seal_area_and_no_page_footer(
    cast, client_for, org_a, settings
):
    settings.SITE_URL = "https://portal.example.org.cn"
    membership = org_a.memberships.get()
    today = timezone.localdate()
    DuesFactory(membership=membership, year=today.year, paid_on=today, receipt_number="HF-X-2")
    response = client_for(cast.org_admin_a).get(
        reverse("members:membership_certificate", args=[membership.pk])
    )
    assert response.status_code == 200
    pdf = PdfReader(io.BytesIO(response.content))
    assert len(pdf.pages) == 1
    text = "".join(pdf.pages[0].extract_text().split())
    assert f"https://portal.example.org.cn/verify/{membership.verification_code}/" in text
    assert "协会印章" in text
    assert "1/1" not in text
