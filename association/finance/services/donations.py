"""Donations received: recorded (and corrected) by the bookkeepers, for the annual work
report and the disclosure of donations. The voucher of the money is posted as any other
(``voucher_create_and_post``); this register says who gave what for which purpose."""

from __future__ import annotations

from association.services import service

from ..models import Donation
from ..permissions import require_books


@service
def donation_save(*, donation: Donation, by) -> Donation:
    require_books(by)
    donation.full_clean()
    donation.save()
    return donation


@service
def donation_delete(*, donation: Donation, by) -> None:
    require_books(by)
    donation.delete()
