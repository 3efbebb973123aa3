"""The membership certificate (会员证): a PDF with a QR code to the public verification page."""

from __future__ import annotations

import base64
import io

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from association.pdf import render_pdf

from .models import Membership
from .rules import GOOD_STANDING


def verification_url(membership: Membership) -> str:
    return settings.SITE_URL + reverse("verify", args=[membership.verification_code])


def qr_data_uri(text: str) -> str:
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=1)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def certificate_available(membership: Membership) -> bool:
    """A certificate is issued to a member in good standing (status annotated)."""
    return bool(membership.verification_code) and membership.status in GOOD_STANDING


def certificate_pdf(membership: Membership) -> bytes:
    """``membership`` comes from ``selectors.membership_get_for_user`` (status annotated)."""
    url = verification_url(membership)
    return render_pdf(
        "members/pdf/membership_certificate.html",
        {
            "membership": membership,
            "verification_url": url,
            "qr": qr_data_uri(url),
            "issued_on": timezone.localdate(),
        },
    )
