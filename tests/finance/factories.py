"""Factories and small helpers for the finance tests."""

from __future__ import annotations

import datetime
from decimal import Decimal

import factory

from association.finance.models import Account, Budget, BudgetLine, Fund
from association.finance.services import voucher_create_and_post


class FundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Fund

    code = factory.Sequence(lambda n: f"F{n:03d}")
    name = factory.Sequence(lambda n: f"限定性资金{n}")
    restriction = "restricted"
    purpose = "社工站运营"
    grantor = "许昌市民政局"


class BudgetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Budget

    fund = factory.LazyFunction(lambda: Fund.objects.get(is_general=True))
    year = 2026
    name = factory.Sequence(lambda n: f"预算{n}")


class BudgetLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BudgetLine

    budget = factory.SubFactory(BudgetFactory)
    label = "办公费"
    account = factory.LazyFunction(lambda: Account.objects.get(code="5201"))
    amount = Decimal("100000.00")


def general():
    return Fund.objects.get(is_general=True)


def post(by, date, *lines, summary="测试凭证"):
    """``post(user, date, ("1002", "D", 100), ("4201", "C", 100, fund))``."""
    rows = []
    for spec in lines:
        code, side, amount, *rest = spec
        fund = rest[0] if rest else general()
        rows.append(
            {
                "account": code,
                "fund": fund,
                "debit": Decimal(amount) if side == "D" else 0,
                "credit": Decimal(amount) if side == "C" else 0,
            }
        )
    if isinstance(date, str):
        date = datetime.date.fromisoformat(date)
    return voucher_create_and_post(by=by, date=date, summary=summary, lines=rows)


def fund_rules(adopted_on=datetime.date(2023, 7, 1)):
    """The founding congress's 《资金管理使用办法》 with its approval chain."""
    from association.finance.models import ApprovalRule, FundRules

    rules = FundRules.objects.create(
        name="资金管理使用办法",
        adopted_on=adopted_on,
        effective_from=adopted_on,
        adopted_by="第一次会员代表大会",
    )
    ApprovalRule.objects.bulk_create(
        [
            ApprovalRule(rules=rules, step=1, office="secretary_general", above_amount=0),
            ApprovalRule(rules=rules, step=2, office="president", above_amount=5000),
            ApprovalRule(
                rules=rules, step=3, office="council", above_amount=50000, needs_resolution=True
            ),
        ]
    )
    return rules


def approver(user, office):
    from association.finance.models import FinanceApprover

    return FinanceApprover.objects.create(
        user=user, office=office, starts_on=datetime.date(2023, 7, 1)
    )


def claim(by, amount, budget_line=None, fund=None):
    from association.finance.services import claim_create

    budget_line = budget_line or BudgetLineFactory()
    return claim_create(
        by=by,
        title="社工培训场地费",
        fund=fund or budget_line.budget.fund,
        budget_line=budget_line,
        payee="许昌市会议中心",
        items=[
            {
                "description": "场地租金",
                "account": budget_line.account,
                "amount": Decimal(amount),
                "spent_on": datetime.date(2026, 3, 1),
            }
        ],
    )
