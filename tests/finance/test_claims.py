"""Expense claims along the approval chain of the fund rules, at each threshold."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from association.finance.models import BudgetLine
from association.finance.selectors import budget_line_figures, required_steps
from association.finance.services import (
    claim_approve,
    claim_pay,
    claim_reject,
    claim_submit,
)
from tests.factories import UserFactory

from .factories import BudgetLineFactory, approver, claim, fund_rules


@pytest.fixture
def chain(cast):
    fund_rules()
    secretary = UserFactory(display_name="秘书长", roles=["协会负责人"])
    president = UserFactory(display_name="会长", roles=["协会负责人"])
    council = UserFactory(display_name="理事会秘书", roles=["协会工作人员"])
    approver(secretary, "secretary_general")
    approver(president, "president")
    approver(council, "council")
    return {"secretary_general": secretary, "president": president, "council": council}


@pytest.mark.parametrize(
    "amount, offices",
    [
        ("5000.00", ["secretary_general"]),
        ("5000.01", ["secretary_general", "president"]),
        ("50000.00", ["secretary_general", "president"]),
        ("50000.01", ["secretary_general", "president", "council"]),
    ],
)
def test_it_takes_the_chain_from_the_fund_rules_at_each_threshold(cast, chain, amount, offices):
    submitted = claim_submit(claim=claim(cast.staff, amount), by=cast.staff)
    assert [step.office for step in required_steps(submitted)] == offices
    for office in offices:
        assert submitted.status == "submitted"
        others = [user for name, user in chain.items() if name != office]
        for other in others:
            with pytest.raises(PermissionDenied):
                claim_approve(claim=submitted, by=other, resolution="决议")
        submitted = claim_approve(
            claim=submitted, by=chain[office], resolution="第一届理事会第三次会议决议"
        )
    assert submitted.status == "approved"
    assert [a.office for a in submitted.approvals.order_by("step")] == offices


def test_it_needs_the_council_resolution_above_fifty_thousand(cast, chain):
    submitted = claim_submit(claim=claim(cast.staff, "60000"), by=cast.staff)
    claim_approve(claim=submitted, by=chain["secretary_general"])
    claim_approve(claim=submitted, by=chain["president"])
    with pytest.raises(ValidationError, match="理事会决议"):
        claim_approve(claim=submitted, by=chain["council"])
    approved = claim_approve(claim=submitted, by=chain["council"], resolution="理事会〔2026〕2号")
    assert approved.approvals.get(step=3).resolution == "理事会〔2026〕2号"


def test_it_refuses_approvals_beyond_the_remaining_budget(cast, chain):
    line = BudgetLineFactory(amount=Decimal("6000"))
    first = claim_submit(claim=claim(cast.staff, "4000", budget_line=line), by=cast.staff)
    second = claim_submit(claim=claim(cast.staff, "3000", budget_line=line), by=cast.staff)
    claim_approve(claim=first, by=chain["secretary_general"])
    figures = budget_line_figures(BudgetLine.objects.filter(pk=line.pk)).get()
    assert (figures.actual, figures.committed, figures.remaining) == (0, 4000, 2000)
    with pytest.raises(ValidationError, match="余额不足"):
        claim_approve(claim=second, by=chain["secretary_general"])
    claim_pay(claim=first, by=cast.staff, paid_on=datetime.date(2026, 3, 5))
    figures = budget_line_figures(BudgetLine.objects.filter(pk=line.pk)).get()
    assert (figures.actual, figures.committed, figures.remaining) == (4000, 0, 2000)


def test_it_pays_an_approved_claim_with_a_posted_voucher(cast, chain):
    submitted = claim_submit(claim=claim(cast.staff, "1200"), by=cast.staff)
    with pytest.raises(ValidationError):
        claim_pay(claim=submitted, by=cast.staff)
    approved = claim_approve(claim=submitted, by=chain["secretary_general"])
    paid = claim_pay(claim=approved, by=cast.staff, paid_on=datetime.date(2026, 3, 5))
    assert paid.status == "paid"
    voucher = paid.voucher
    assert voucher.is_posted and voucher.source == "claim"
    lines = {(line.account.code, line.debit, line.credit) for line in voucher.lines.all()}
    assert lines == {("5201", Decimal("1200.00"), 0), ("1002", 0, Decimal("1200.00"))}
    with pytest.raises(ValidationError):
        claim_pay(claim=paid, by=cast.staff)


def test_it_keeps_claimants_from_approving_their_own_claims(cast, chain):
    own = claim_submit(
        claim=claim(chain["secretary_general"], "100"), by=chain["secretary_general"]
    )
    with pytest.raises(PermissionDenied, match="本人"):
        claim_approve(claim=own, by=chain["secretary_general"])


def test_it_records_a_rejection_with_its_reason(cast, chain):
    submitted = claim_submit(claim=claim(cast.staff, "300"), by=cast.staff)
    with pytest.raises(ValidationError, match="退回理由"):
        claim_reject(claim=submitted, by=chain["secretary_general"], reason=" ")
    rejected = claim_reject(claim=submitted, by=chain["secretary_general"], reason="缺发票")
    assert rejected.status == "rejected"
    assert not rejected.approvals.get().approved
    with pytest.raises(ValidationError):
        claim_approve(claim=rejected, by=chain["secretary_general"])


def test_the_claimant_withdraws_a_submitted_claim_from_its_page(cast, chain, client_for):
    from django.urls import reverse

    submitted = claim_submit(claim=claim(cast.staff, "800"), by=cast.staff)
    page = reverse("finance:claim_detail", args=[submitted.pk])
    withdraw = reverse("finance:claim_withdraw", args=[submitted.pk])

    # Only the claimant sees the button; another user's POST is refused with a message.
    assert "撤回报销单" not in client_for(chain["president"]).get(page).content.decode()
    client_for(chain["president"]).post(withdraw)
    submitted.refresh_from_db()
    assert submitted.status == "submitted"

    mine = client_for(cast.staff)
    assert "撤回报销单" in mine.get(page).content.decode()
    assert mine.post(withdraw).status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == "withdrawn"
    assert "撤回报销单" not in mine.get(page).content.decode()
