"""Expense claims: submitted by a claimant, approved along the chain of the fund rules
in force, paid with a posted voucher."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from association.accounts.roles import require
from association.services import service
from association.workflow import transition

from .. import chart
from ..choices import CLAIM_TRANSITIONS, AccountClass, ClaimStatus, VoucherSource
from ..models import (
    ApprovalRule,
    BudgetLine,
    ClaimApproval,
    ClaimItem,
    ExpenseClaim,
    Fund,
    FundRules,
)
from ..permissions import can_keep_books, require_books
from ..selectors import (
    approver_offices,
    budget_line_figures,
    next_step,
    required_steps,
    rules_in_force,
)
from .ledger import voucher_create_and_post


def _check_items(items: list[dict]) -> list[dict]:
    if not items:
        raise ValidationError(_("报销单至少要有一项明细。"))
    for item in items:
        if item["account"].account_class != AccountClass.EXPENSE:
            raise ValidationError(_("报销明细只能记入费用类科目。"))
        if Decimal(item["amount"]) <= 0:
            raise ValidationError(_("明细金额必须大于零。"))
    return items


@service
def claim_create(
    *, by, title: str, fund: Fund, budget_line: BudgetLine, payee: str, items: list[dict]
) -> ExpenseClaim:
    """A draft claim of the association's staff or officers; ``items`` are dicts of
    description, account, amount, spent_on."""
    require(can_keep_books(by), _("只有协会工作人员和负责人可以提交报销。"))
    _check_items(items)
    if budget_line.budget.fund_id != fund.pk:
        raise ValidationError(_("预算项目不属于所选资金。"))
    claim = ExpenseClaim.objects.create(
        claimant=by,
        title=title,
        fund=fund,
        budget_line=budget_line,
        payee=payee,
        amount=sum((Decimal(item["amount"]) for item in items), Decimal("0.00")),
    )
    ClaimItem.objects.bulk_create(
        [
            ClaimItem(
                claim=claim,
                description=item["description"],
                account=item["account"],
                amount=item["amount"],
                spent_on=item["spent_on"],
            )
            for item in items
        ]
    )
    return claim


def _check_budget(claim: ExpenseClaim) -> None:
    line = budget_line_figures(BudgetLine.objects.filter(pk=claim.budget_line_id)).get()
    committed_elsewhere = line.committed - (
        claim.amount if claim.status == ClaimStatus.APPROVED else Decimal("0.00")
    )
    remaining = line.amount - line.actual - committed_elsewhere
    if claim.amount > remaining:
        raise ValidationError(
            _("预算“%(line)s”余额不足：剩余 %(remaining)s 元，本次报销 %(amount)s 元。")
            % {"line": line.label, "remaining": remaining, "amount": claim.amount}
        )


@service
def claim_submit(*, claim: ExpenseClaim, by) -> ExpenseClaim:
    claim = ExpenseClaim.objects.select_for_update().get(pk=claim.pk)
    require(claim.claimant_id == by.pk, _("只有报销人本人可以提交。"))
    transition(claim, ClaimStatus.SUBMITTED, CLAIM_TRANSITIONS)
    # The chain is the one of the rules in force today, kept with the claim: a version
    # that takes effect while it is in flight does not change it.
    claim.rules = rules_in_force()
    if not required_steps(claim):
        raise ValidationError(_("资金管理办法没有适用于该金额的审批规则。"))
    _check_budget(claim)
    claim.submitted_at = timezone.now()
    claim.number = f"BX-{claim.created_at.year}-{claim.pk:05d}"
    claim.save()
    return claim


@service
def claim_withdraw(*, claim: ExpenseClaim, by) -> ExpenseClaim:
    claim = ExpenseClaim.objects.select_for_update().get(pk=claim.pk)
    require(claim.claimant_id == by.pk, _("只有报销人本人可以撤回。"))
    transition(claim, ClaimStatus.WITHDRAWN, CLAIM_TRANSITIONS)
    claim.save()
    return claim


def _check_approver(claim: ExpenseClaim, step: ApprovalRule | None, by) -> ApprovalRule:
    if claim.status != ClaimStatus.SUBMITTED or step is None:
        raise ValidationError(_("该报销单不在审批中。"))
    require(
        step.office in approver_offices(by),
        _("本步骤须由%(office)s审批。") % {"office": step.get_office_display()},
    )
    require(claim.claimant_id != by.pk, _("不能审批本人的报销。"))
    require(
        not claim.approvals.filter(approver=by).exists(),
        _("同一人不能审批同一报销单的两个步骤。"),
    )
    return step


@service
def claim_approve(
    *, claim: ExpenseClaim, by, comment: str = "", resolution: str = ""
) -> ExpenseClaim:
    """Approve the claim's next step; the last step makes it approved (committed
    against its budget line). The remaining budget is checked at each step."""
    claim = ExpenseClaim.objects.select_for_update().get(pk=claim.pk)
    BudgetLine.objects.select_for_update().get(pk=claim.budget_line_id)
    step = _check_approver(claim, next_step(claim), by)
    if step.needs_resolution and not resolution.strip():
        raise ValidationError(_("本级审批须填写理事会决议名称和文号。"))
    _check_budget(claim)
    ClaimApproval.objects.create(
        claim=claim,
        step=step.step,
        office=step.office,
        approver=by,
        approved=True,
        comment=comment,
        resolution=resolution.strip(),
    )
    if next_step(claim) is None:
        transition(claim, ClaimStatus.APPROVED, CLAIM_TRANSITIONS)
        claim.decided_at = timezone.now()
    claim.save()
    return claim


@service
def claim_reject(*, claim: ExpenseClaim, by, reason: str) -> ExpenseClaim:
    claim = ExpenseClaim.objects.select_for_update().get(pk=claim.pk)
    step = _check_approver(claim, next_step(claim), by)
    if not reason.strip():
        raise ValidationError(_("请填写退回理由。"))
    ClaimApproval.objects.create(
        claim=claim, step=step.step, office=step.office, approver=by, approved=False, comment=reason
    )
    transition(claim, ClaimStatus.REJECTED, CLAIM_TRANSITIONS)
    claim.rejection_reason = reason
    claim.decided_at = timezone.now()
    claim.save()
    return claim


@service
def claim_pay(*, claim: ExpenseClaim, by, paid_on: datetime.date | None = None) -> ExpenseClaim:
    """Pay an approved claim: post Dr the items' expense accounts / Cr 银行存款 in the
    claim's fund, charged to its budget line."""
    require_books(by)
    claim = ExpenseClaim.objects.select_for_update().get(pk=claim.pk)
    transition(claim, ClaimStatus.PAID, CLAIM_TRANSITIONS)
    paid_on = paid_on or timezone.localdate()
    common = {
        "fund": claim.fund,
        "counterparty": claim.payee,
        "project_tag": claim.budget_line.budget.project_tag,
    }
    lines = [
        {
            **common,
            "account": item.account,
            "debit": item.amount,
            "description": item.description,
            "budget_line": claim.budget_line,
        }
        for item in claim.items.select_related("account")
    ]
    lines.append({**common, "account": chart.BANK, "credit": claim.amount})
    claim.voucher = voucher_create_and_post(
        by=by,
        date=paid_on,
        summary=_("报销 %(number)s %(title)s") % {"number": claim.number, "title": claim.title},
        lines=lines,
        source=VoucherSource.CLAIM,
    )
    claim.paid_on = paid_on
    claim.save()
    return claim


# --- Fund rules ------------------------------------------------------------------------


@service
def fund_rules_adopt(
    *,
    motion,
    by,
    name: str,
    effective_from: datetime.date,
    steps: list[dict],
    text: str = "",
) -> FundRules:
    """Record a version of 《资金管理使用办法》 that a passed motion of the general meeting
    or the council adopted, with its approval chain (``steps``: dicts of step, office,
    above_amount and optionally article, needs_resolution). Claims submitted from
    ``effective_from`` follow it; claims already submitted keep their version."""
    from association.governance.choices import DocumentKind, MeetingKind
    from association.governance.services import require_adopting_motion

    require_books(by)
    motion = require_adopting_motion(motion, general_meeting=False, secret=False)
    meeting = motion.meeting
    if meeting.kind not in (MeetingKind.GENERAL, MeetingKind.COUNCIL):
        raise ValidationError(_("资金管理办法须由会员（代表）大会或理事会表决通过。"))
    version = motion.document_version
    if version is not None and version.document.kind != DocumentKind.FUND_RULES:
        raise ValidationError(_("该议案表决的不是资金管理办法。"))
    if not steps:
        raise ValidationError(_("资金管理办法至少要有一级审批。"))
    adopted_on = timezone.localdate(meeting.starts_at)
    rules = FundRules(
        name=name,
        adopted_on=adopted_on,
        adopted_by=meeting.title[:100],
        effective_from=effective_from,
        motion_ref=motion.pk,
        text=text or (version.text if version is not None else ""),
    )
    rules.full_clean()
    rules.save()
    rows = [
        ApprovalRule(
            rules=rules,
            step=row["step"],
            office=row["office"],
            above_amount=Decimal(row["above_amount"]),
            article=row.get("article", ""),
            needs_resolution=row.get("needs_resolution", False),
        )
        for row in steps
    ]
    for row in rows:
        row.full_clean(exclude=["rules"])
    if len({row.step for row in rows}) != len(rows):
        raise ValidationError(_("审批顺序不能重复。"))
    ApprovalRule.objects.bulk_create(rows)
    return rules
