"""Budgets, the fund rules' approval chain, approvers and expense claims."""

import pghistory
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..choices import ClaimStatus, Office
from .ledger import MONEY


@pghistory.track()
class Budget(models.Model):
    """The budget of a fund (or of a project within it) for one year."""

    fund = models.ForeignKey(
        "finance.Fund", verbose_name=_("资金"), on_delete=models.PROTECT, related_name="budgets"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    name = models.CharField(_("预算名称"), max_length=100)
    project_tag = models.CharField(_("项目"), max_length=100, blank=True)
    approved_on = models.DateField(_("批准日期"), null=True, blank=True)
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("预算")
        verbose_name_plural = _("预算")
        ordering = ["-year", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["fund", "year", "project_tag"],
                name="finance_budget_unique",
                violation_error_message=_("该资金（项目）本年度已有预算。"),
            )
        ]

    def __str__(self):
        return f"{self.year} {self.name}"


@pghistory.track()
class BudgetLine(models.Model):
    """One line of a budget: an expense account and the amount allowed."""

    budget = models.ForeignKey(
        Budget, verbose_name=_("预算"), on_delete=models.CASCADE, related_name="lines"
    )
    label = models.CharField(_("预算项目"), max_length=100)
    account = models.ForeignKey(
        "finance.Account", verbose_name=_("费用科目"), on_delete=models.PROTECT, related_name="+"
    )
    amount = models.DecimalField(_("预算金额"), **MONEY)

    class Meta:
        verbose_name = _("预算明细")
        verbose_name_plural = _("预算明细")
        ordering = ["budget_id", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="finance_budgetline_amount_positive",
                violation_error_message=_("预算金额不能为负数。"),
            )
        ]

    def __str__(self):
        return self.label


class FundRulesQuerySet(models.QuerySet):
    def in_force(self, day):
        """The versions in force on ``day``, the one that applies first."""
        return self.filter(effective_from__lte=day).order_by("-effective_from", "-id")


@pghistory.track()
class FundRules(models.Model):
    """One adopted version of the fund rules (《资金管理使用办法》): the document the approval
    chain comes from. The version that applies to a claim is the latest whose
    ``effective_from`` is on or before the day it is submitted; the claim keeps it
    (``ExpenseClaim.rules``), so a later version never changes a chain already started.
    A version is adopted by a passed motion (``motion_ref``, the governance motion's id,
    recorded by ``finance.services.fund_rules_adopt``)."""

    name = models.CharField(_("名称"), max_length=100)
    adopted_on = models.DateField(_("通过日期"))
    adopted_by = models.CharField(
        _("通过机构"), max_length=100, help_text=_("如：第一次会员代表大会。")
    )
    effective_from = models.DateField(_("生效日期"))
    motion_ref = models.PositiveIntegerField(
        _("通过该版本的议案编号"), null=True, blank=True, editable=False, db_index=True
    )
    text = models.TextField(_("条文"), blank=True)

    objects = FundRulesQuerySet.as_manager()

    class Meta:
        verbose_name = _("资金管理办法")
        verbose_name_plural = _("资金管理办法")
        ordering = ["-effective_from", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(effective_from__gte=models.F("adopted_on")),
                name="finance_fundrules_effective_after_adoption",
                violation_error_message=_("生效日期不能早于通过日期。"),
            )
        ]

    def __str__(self):
        return f"{self.name}（{self.effective_from:%Y-%m-%d}）"


@pghistory.track()
class ApprovalRule(models.Model):
    """A step of the approval chain: a claim above ``above_amount`` needs the approval of
    ``office``; steps run in ``step`` order."""

    rules = models.ForeignKey(
        FundRules, verbose_name=_("资金管理办法"), on_delete=models.CASCADE, related_name="steps"
    )
    step = models.PositiveSmallIntegerField(_("审批顺序"))
    office = models.CharField(_("审批人职务"), max_length=20, choices=Office.choices)
    above_amount = models.DecimalField(
        _("金额超过（元）"), help_text=_("报销金额超过此数时需要本级审批。"), **MONEY
    )
    article = models.CharField(_("条款"), max_length=100, blank=True)
    needs_resolution = models.BooleanField(
        _("须会议决议"), default=False, help_text=_("本级审批须记录理事会决议名称和文号。")
    )

    class Meta:
        verbose_name = _("审批规则")
        verbose_name_plural = _("审批规则")
        ordering = ["rules_id", "step"]
        constraints = [
            models.UniqueConstraint(
                fields=["rules", "step"],
                name="finance_approvalrule_step_unique",
                violation_error_message=_("审批顺序不能重复。"),
            ),
            models.CheckConstraint(
                condition=Q(above_amount__gte=0),
                name="finance_approvalrule_amount_positive",
                violation_error_message=_("金额不能为负数。"),
            ),
        ]

    def __str__(self):
        return f"{self.step}. {self.get_office_display()}"


@pghistory.track()
class FinanceApprover(models.Model):
    """A dated delegation of an approving office (a deputy while the 秘书长 is away, or
    the person who records the council's resolutions). The office holders themselves
    approve by their terms of office (governance), not by a row here."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        on_delete=models.PROTECT,
        related_name="finance_approver_roles",
    )
    office = models.CharField(_("职务"), max_length=20, choices=Office.choices)
    starts_on = models.DateField(_("起始日期"))
    ends_on = models.DateField(_("截止日期"), null=True, blank=True)
    basis = models.CharField(_("授权依据"), max_length=200)

    class Meta:
        verbose_name = _("审批授权")
        verbose_name_plural = _("审批授权")
        ordering = ["office", "-starts_on"]

    def __str__(self):
        return self.get_office_display()


class ClaimQuerySet(models.QuerySet):
    def committed(self):
        return self.filter(status=ClaimStatus.APPROVED)


@pghistory.track()
class ExpenseClaim(models.Model):
    """An expense claim (报销单): what was spent, from which fund and budget line; approved
    along the chain of the fund rules and paid with a voucher."""

    number = models.CharField(_("报销单号"), max_length=20, unique=True, null=True, blank=True)
    claimant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("报销人"),
        on_delete=models.PROTECT,
        related_name="expense_claims",
    )
    title = models.CharField(_("事由"), max_length=200)
    fund = models.ForeignKey(
        "finance.Fund", verbose_name=_("资金"), on_delete=models.PROTECT, related_name="claims"
    )
    budget_line = models.ForeignKey(
        BudgetLine, verbose_name=_("预算项目"), on_delete=models.PROTECT, related_name="claims"
    )
    payee = models.CharField(_("收款人"), max_length=100)
    amount = models.DecimalField(_("金额"), default=0, **MONEY)
    status = models.CharField(
        _("状态"), max_length=10, choices=ClaimStatus.choices, default=ClaimStatus.DRAFT
    )
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    rules = models.ForeignKey(
        FundRules,
        verbose_name=_("适用的资金管理办法"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="claims",
        help_text=_("提交时生效的版本；审批链按此版本，不因以后的新版本而改变。"),
    )
    decided_at = models.DateTimeField(_("审批完成时间"), null=True, blank=True)
    rejection_reason = models.TextField(_("退回理由"), blank=True)
    voucher = models.OneToOneField(
        "finance.Voucher",
        verbose_name=_("付款凭证"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="claim",
    )
    paid_on = models.DateField(_("付款日期"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = ClaimQuerySet.as_manager()

    class Meta:
        verbose_name = _("报销单")
        verbose_name_plural = _("报销单")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="finance_claim_amount_positive",
                violation_error_message=_("报销金额不能为负数。"),
            ),
            models.CheckConstraint(
                condition=~Q(status="paid") | Q(voucher__isnull=False, paid_on__isnull=False),
                name="finance_claim_paid_has_voucher",
                violation_error_message=_("已付款的报销单必须有付款凭证。"),
            ),
        ]

    def __str__(self):
        return self.number or self.title


class ClaimItem(models.Model):
    """A line of a claim: what was bought, charged to an expense account."""

    claim = models.ForeignKey(
        ExpenseClaim, verbose_name=_("报销单"), on_delete=models.CASCADE, related_name="items"
    )
    description = models.CharField(_("内容"), max_length=200)
    account = models.ForeignKey(
        "finance.Account", verbose_name=_("费用科目"), on_delete=models.PROTECT, related_name="+"
    )
    amount = models.DecimalField(_("金额"), **MONEY)
    spent_on = models.DateField(_("发生日期"))

    class Meta:
        verbose_name = _("报销明细")
        verbose_name_plural = _("报销明细")
        ordering = ["claim_id", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="finance_claimitem_amount_positive",
                violation_error_message=_("明细金额必须大于零。"),
            )
        ]

    def __str__(self):
        return self.description


class ClaimApproval(models.Model):
    """One recorded decision on a claim at one step of the chain."""

    claim = models.ForeignKey(
        ExpenseClaim, verbose_name=_("报销单"), on_delete=models.CASCADE, related_name="approvals"
    )
    step = models.PositiveSmallIntegerField(_("审批顺序"))
    office = models.CharField(_("职务"), max_length=20, choices=Office.choices)
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审批人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved = models.BooleanField(_("同意"))
    comment = models.TextField(_("意见"), blank=True)
    resolution = models.CharField(_("决议名称及文号"), max_length=200, blank=True)
    decided_at = models.DateTimeField(_("审批时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("审批记录")
        verbose_name_plural = _("审批记录")
        ordering = ["claim_id", "step", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["claim", "step"],
                condition=Q(approved=True),
                name="finance_claimapproval_step_once",
                violation_error_message=_("该审批步骤已经批准。"),
            )
        ]

    def __str__(self):
        return f"{self.step} {self.get_office_display()}"


# Removals are kept too: an attachment is evidence.
@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class ClaimAttachment(models.Model):
    """An invoice or receipt uploaded with a claim."""

    claim = models.ForeignKey(
        ExpenseClaim, verbose_name=_("报销单"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("文件"), upload_to="finance/claims/%Y/")
    original_name = models.CharField(_("原文件名"), max_length=200)
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("报销附件")
        verbose_name_plural = _("报销附件")
        ordering = ["claim_id", "id"]

    def __str__(self):
        return self.original_name
