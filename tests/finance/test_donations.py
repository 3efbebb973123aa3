"""Donations received: kept by the bookkeepers through the services, summed by the
selector the annual report calls."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from association.finance.models import Donation
from association.finance.selectors import donations_received
from association.finance.services import donation_delete, donation_save

pytestmark = pytest.mark.django_db


def donation(**kwargs):
    values = {
        "donor": "许昌某某实业有限公司",
        "donor_kind": "organisation",
        "received_on": datetime.date(2025, 8, 1),
        "amount": Decimal("1000.00"),
    }
    return Donation(**{**values, **kwargs})


def test_donations_are_kept_by_the_bookkeepers_and_summed_by_year(cast):
    with pytest.raises(PermissionDenied):
        donation_save(donation=donation(), by=cast.official)
    with pytest.raises(ValidationError, match="捐赠金额须大于零"):
        donation_save(donation=donation(amount=Decimal("0")), by=cast.staff)
    donation_save(donation=donation(restricted=True), by=cast.staff)
    donation_save(donation=donation(form="in_kind", amount=Decimal("250.50")), by=cast.staff)
    last_year = donation_save(
        donation=donation(received_on=datetime.date(2024, 12, 31)), by=cast.staff
    )
    figures = donations_received(2025)
    assert figures["total"] == Decimal("1250.50")
    assert (figures["money"], figures["in_kind"]) == (Decimal("1000.00"), Decimal("250.50"))
    assert figures["restricted"] == Decimal("1000.00")
    assert len(figures["rows"]) == 2
    donation_delete(donation=last_year, by=cast.staff)
    assert donations_received(2024)["total"] == Decimal("0.00")
