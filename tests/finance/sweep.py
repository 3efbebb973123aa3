"""Authorization sweep cases for every finance URL."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.files.base import ContentFile

from tests.sweep import ALL_PERSONAS, Case, CountyCase

BOOKS = {"staff", "officer"}
STATEMENTS = {"staff", "officer", "official"}


def _chart():
    from association.finance.chart import chart_load

    chart_load()


def _voucher(cast, post=False):
    from association.finance.services import voucher_create, voucher_post

    _chart()
    voucher = voucher_create(
        by=cast.staff,
        date=datetime.date.today(),
        summary="扫描",
        lines=[{"account": "1002", "debit": 10}, {"account": "4201", "credit": 10}],
    )
    return voucher_post(voucher=voucher, by=cast.staff) if post else voucher


def _attachment(cast):
    from association.finance.models import VoucherAttachment

    voucher = _voucher(cast)
    attachment = VoucherAttachment(
        voucher=voucher, original_name="发票.pdf", uploaded_by=cast.staff
    )
    attachment.file.save("sweep.pdf", ContentFile(b"%PDF-1.4 sweep"), save=True)
    return {"pk": attachment.pk}


def _claim(cast, approved=False):
    from association.finance.services import claim_submit
    from tests.finance.factories import BudgetLineFactory, claim, fund_rules

    _chart()
    fund_rules()
    submitted = claim_submit(claim=claim(cast.staff, "100", BudgetLineFactory()), by=cast.staff)
    return submitted


def _claim_attachment(cast):
    from association.finance.models import ClaimAttachment

    claim = _claim(cast)
    attachment = ClaimAttachment(claim=claim, original_name="发票.pdf")
    attachment.file.save("sweep.pdf", ContentFile(b"%PDF-1.4 sweep"), save=True)
    return {"pk": attachment.pk}


def _period(cast):
    from association.finance.models import Period

    return {"pk": Period.objects.create(year=2020, month=1).pk}


def _budget(cast):
    from tests.finance.factories import BudgetLineFactory

    _chart()
    return {"pk": BudgetLineFactory().budget_id}


def _grant(cast):
    from association.finance.models import Account, Grant, GrantTranche
    from tests.finance.factories import FundFactory

    _chart()
    grant = Grant.objects.create(
        kind="purchase_of_service",
        title="社工站购买服务",
        counterparty="许昌市民政局",
        fund=FundFactory(),
        account=Account.objects.get(code="4301"),
        total=Decimal("1000"),
        signed_on=datetime.date(2026, 1, 1),
        starts_on=datetime.date(2026, 1, 1),
        ends_on=datetime.date(2026, 12, 31),
    )
    tranche = GrantTranche.objects.create(
        grant=grant, label="第一期", due_on=datetime.date(2026, 2, 1), amount=Decimal("500")
    )
    return grant, tranche


CASES = {
    "finance:index": Case(allowed=BOOKS),
    "finance:voucher_list": Case(allowed=BOOKS),
    "finance:voucher_create": Case(allowed=BOOKS),
    "finance:voucher_detail": Case(make=lambda c: {"pk": _voucher(c).pk}, allowed=BOOKS),
    "finance:voucher_post": Case(
        make=lambda c: {"pk": _voucher(c).pk}, allowed=BOOKS, method="post"
    ),
    "finance:voucher_reverse": Case(
        make=lambda c: {"pk": _voucher(c, post=True).pk}, allowed=BOOKS, method="post"
    ),
    # The officer (first in the walk) deletes the draft; for the staff member it is gone (404).
    "finance:voucher_delete": Case(
        make=lambda c: {"pk": _voucher(c).pk}, allowed={"officer"}, method="post"
    ),
    "finance:attachment_upload": Case(
        make=lambda c: {"pk": _voucher(c).pk}, allowed=BOOKS, method="post"
    ),
    "finance:attachment_download": Case(make=_attachment, allowed=BOOKS),
    "finance:period_list": Case(allowed=BOOKS),
    "finance:period_close": Case(make=_period, allowed=BOOKS, method="post"),
    "finance:year_close": Case(allowed=BOOKS, method="post"),
    "finance:opening_balances": Case(allowed=BOOKS),
    "finance:fund_list": Case(make=lambda c: (_chart(), {})[1], allowed=BOOKS),
    "finance:statement": Case(make=lambda c: (_chart(), {})[1], allowed=STATEMENTS),
    "finance:statement_xlsx": Case(make=lambda c: (_chart(), {})[1], allowed=STATEMENTS),
    "finance:statement_pdf": Case(make=lambda c: (_chart(), {})[1], allowed=STATEMENTS),
    "finance:claim_list": Case(allowed=BOOKS),
    "finance:claim_create": Case(allowed=BOOKS),
    "finance:claim_detail": Case(make=lambda c: {"pk": _claim(c).pk}, allowed=BOOKS),
    "finance:claim_approve": Case(
        make=lambda c: {"pk": _claim(c).pk}, allowed=BOOKS, method="post"
    ),
    "finance:claim_reject": Case(make=lambda c: {"pk": _claim(c).pk}, allowed=BOOKS, method="post"),
    "finance:claim_pay": Case(make=lambda c: {"pk": _claim(c).pk}, allowed=BOOKS, method="post"),
    # Those who see the claim reach it; only the claimant's withdrawal is taken (the service).
    "finance:claim_withdraw": Case(
        make=lambda c: {"pk": _claim(c).pk}, allowed=BOOKS, method="post"
    ),
    "finance:claim_attachment": Case(make=_claim_attachment, allowed=BOOKS),
    "finance:budget_list": Case(allowed=BOOKS),
    "finance:budget_detail": Case(make=_budget, allowed=BOOKS),
    "finance:grant_list": Case(allowed=BOOKS),
    "finance:grant_detail": Case(make=lambda c: {"pk": _grant(c)[0].pk}, allowed=BOOKS),
    "finance:tranche_settle": Case(
        make=lambda c: {"pk": _grant(c)[1].pk}, allowed=BOOKS, method="post"
    ),
    "finance:dues_disclosure": Case(allowed=ALL_PERSONAS),
    "finance:my_dues": Case(allowed=ALL_PERSONAS),
}


# The association's finances are the whole area's: an official limited to a county gets
# none of the statements (as the financial-statements report is not in their catalogue).
COUNTY_CASES = {
    name: CountyCase(make=lambda cast, official: (None, ((_chart(), {})[1], {})))
    for name in ("finance:statement", "finance:statement_xlsx", "finance:statement_pdf")
}
