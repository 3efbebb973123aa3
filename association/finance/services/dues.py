"""Paid dues (recorded by members) posted to the ledger: Dr 银行存款 / Cr 会费收入."""

from __future__ import annotations

from django.db import IntegrityError
from django.utils.translation import gettext as _

from association.services import service
from members.models import Dues

from .. import chart
from ..choices import VoucherSource
from ..models import DuesPosting, Fund
from .ledger import voucher_create_and_post


def dues_post(*, dues_id: int, by) -> DuesPosting | None:
    """Post one paid dues record in the general (unrestricted) fund. Idempotent: a
    record already posted returns its posting; an unpaid one returns None."""
    try:
        return _dues_post(dues_id=dues_id, by=by)
    except IntegrityError:  # posted by a parallel run in the meantime
        return DuesPosting.objects.get(dues_id=dues_id)


@service(action="finance.dues_post")
def _dues_post(*, dues_id: int, by) -> DuesPosting | None:
    dues = Dues.objects.select_for_update().select_related("membership").get(pk=dues_id)
    existing = DuesPosting.objects.filter(dues=dues).first()
    if existing is not None or dues.paid_on is None:
        return existing
    member = dues.membership.member_name if hasattr(dues.membership, "member_name") else ""
    fund = Fund.objects.get(is_general=True)
    voucher = voucher_create_and_post(
        by=by,
        date=dues.paid_on,
        summary=_("收 %(year)s 年度会费 收据 %(receipt)s")
        % {"year": dues.year, "receipt": dues.receipt_number},
        source=VoucherSource.DUES,
        lines=[
            {
                "account": chart.BANK,
                "fund": fund,
                "debit": dues.amount,
                "counterparty": member[:100],
                "description": dues.receipt_number,
            },
            {
                "account": chart.DUES_INCOME,
                "fund": fund,
                "credit": dues.amount,
                "counterparty": member[:100],
                "description": dues.receipt_number,
            },
        ],
    )
    return DuesPosting.objects.create(dues=dues, voucher=voucher)
