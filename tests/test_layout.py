"""The page frame (templates/base.html): a menu that collapses on phones, readable
contrast, no menu before the second factor, and the sign-in page's way to an account."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


def luminance(rgb):
    def channel(value):
        value /= 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(fg, bg):
    high, low = sorted((luminance(fg), luminance(bg)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_the_navbar_text_meets_wcag_aa_contrast_on_the_portal_green():
    css = (settings.BASE_DIR / "static" / "css" / "portal.css").read_text(encoding="utf-8")
    green = re.search(r"\.bg-portal \{ background-color: #(\w{6})", css).group(1)
    bg = tuple(int(green[i : i + 2], 16) for i in (0, 2, 4))
    r, g, b, alpha = re.search(
        r"--bs-navbar-color: rgba\((\d+), (\d+), (\d+), ([\d.]+)\)", css
    ).groups()
    fg = tuple(
        float(alpha) * int(c) + (1 - float(alpha)) * bc for c, bc in zip((r, g, b), bg, strict=True)
    )
    assert contrast(fg, bg) >= 4.5
    assert contrast((0x91, 0xB6, 0xAE), bg) < 4.5  # Bootstrap's dark navbar grey, replaced


def test_the_menu_collapses_behind_a_button_on_phones(cast, client_for):
    page = client_for(cast.staff).get(reverse("home")).content.decode()
    assert "navbar-expand-lg" in page and 'data-bs-target="#portal-menu"' in page
    assert 'class="collapse navbar-collapse" id="portal-menu"' in page
    assert "vendor/bootstrap/js/bootstrap.bundle.min.js" in page
    assert (settings.BASE_DIR / "node_modules/bootstrap/dist/js/bootstrap.bundle.min.js").exists()


@pytest.mark.real_mfa
def test_a_user_without_the_second_factor_sees_only_log_out(cast, client_for):
    client = client_for(cast.staff)  # a password alone: the second factor is still to do
    page = client.get(reverse("accounts:mfa_enrol"))
    assert page.status_code == 200
    text = page.content.decode()
    assert page.context["second_factor_pending"] is True
    assert 'class="navbar-nav' not in text
    assert reverse("admin:index") not in text and reverse("account_email") not in text
    assert reverse("account_logout") in text


def test_a_signed_in_user_has_the_menu(cast, client_for):
    text = client_for(cast.staff).get(reverse("home")).content.decode()
    assert 'class="navbar-nav' in text and reverse("admin:index") in text


def test_the_sign_in_page_leads_to_the_membership_application(client_for):
    text = client_for(None).get(reverse("account_login")).content.decode()
    assert f'href="{reverse("members:apply")}"' in text and "申请入会" in text
    assert reverse("account_signup") not in text
