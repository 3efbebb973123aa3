"""The chart of accounts, the statement layouts, funds, periods and the journal."""

import pghistory
import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..choices import (
    AccountClass,
    CashDirection,
    LineKind,
    PeriodStatus,
    Restriction,
    Side,
    StatementKind,
    TieOutKey,
    VoucherSource,
    VoucherStatus,
)

MONEY = {"max_digits": 14, "decimal_places": 2}


@pghistory.track()
class Account(models.Model):
    """A ledger account (会计科目) of the chart, seeded from 民间非营利组织会计制度."""

    code = models.CharField(_("科目编码"), max_length=20, unique=True)
    name = models.CharField(_("科目名称"), max_length=100)
    account_class = models.CharField(_("科目类别"), max_length=20, choices=AccountClass.choices)
    normal_side = models.CharField(_("余额方向"), max_length=6, choices=Side.choices)
    is_cash = models.BooleanField(
        _("现金及现金等价物"), default=False, help_text=_("计入现金流量表的货币资金科目。")
    )
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("会计科目")
        verbose_name_plural = _("会计科目")
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.name}"


@pghistory.track()
class StatementLayout(models.Model):
    """The layout of one statement (its lines), editable because the rules change."""

    kind = models.CharField(_("报表"), max_length=20, choices=StatementKind.choices, unique=True)
    form_code = models.CharField(_("表号"), max_length=20, blank=True)
    title = models.CharField(_("标题"), max_length=100)
    basis = models.CharField(_("依据"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("报表格式")
        verbose_name_plural = _("报表格式")
        ordering = ["kind"]

    def __str__(self):
        return self.title


@pghistory.track()
class StatementLine(models.Model):
    """One line of a statement: a heading, a sum of accounts or a formula of lines."""

    layout = models.ForeignKey(
        StatementLayout, verbose_name=_("报表"), on_delete=models.CASCADE, related_name="lines"
    )
    order = models.PositiveIntegerField(_("顺序"))
    code = models.CharField(
        _("行次"), max_length=10, blank=True, help_text=_("公式引用的行次，如 1、12。")
    )
    label = models.CharField(_("项目"), max_length=100)
    indent = models.PositiveSmallIntegerField(_("缩进"), default=0)
    kind = models.CharField(_("取数方式"), max_length=20, choices=LineKind.choices)
    side = models.CharField(
        _("取数方向"),
        max_length=6,
        choices=Side.choices,
        default=Side.DEBIT,
        help_text=_("借：借方减贷方；贷：贷方减借方。"),
    )
    accounts = models.ManyToManyField(
        Account, verbose_name=_("科目"), blank=True, related_name="statement_lines"
    )
    formula = models.CharField(
        _("公式"), max_length=200, blank=True, help_text=_("行次的加减，如 1+2-3。")
    )
    restriction = models.CharField(
        _("净资产类别"), max_length=15, choices=Restriction.choices, blank=True
    )
    all_unrestricted = models.BooleanField(
        _("全部列入非限定性"),
        default=False,
        help_text=_("费用：全部作为非限定性净资产的减少，限定性资金的支出另行转为非限定性。"),
    )
    direction = models.CharField(
        _("现金流向"), max_length=10, choices=CashDirection.choices, blank=True
    )
    key = models.CharField(
        _("勾稽标识"),
        max_length=30,
        choices=TieOutKey.choices,
        blank=True,
        help_text=_("用于勾稽检查的关键行。"),
    )

    class Meta:
        verbose_name = _("报表行")
        verbose_name_plural = _("报表行")
        ordering = ["layout_id", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["layout", "order"],
                name="finance_statementline_order_unique",
                violation_error_message=_("同一报表的行顺序不能重复。"),
            )
        ]

    def __str__(self):
        return self.label


@pghistory.track()
class Fund(models.Model):
    """A fund: the unrestricted general fund or a restricted one (a grant, a contract, a
    programme budget) with its purpose and period."""

    code = models.CharField(_("资金编号"), max_length=30, unique=True)
    name = models.CharField(_("资金名称"), max_length=100)
    restriction = models.CharField(_("限定性"), max_length=15, choices=Restriction.choices)
    is_general = models.BooleanField(_("一般资金"), default=False)
    purpose = models.TextField(_("限定用途"), blank=True)
    grantor = models.CharField(_("资金提供方"), max_length=100, blank=True)
    starts_on = models.DateField(_("起始日期"), null=True, blank=True)
    ends_on = models.DateField(_("截止日期"), null=True, blank=True)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("资金")
        verbose_name_plural = _("资金")
        ordering = ["-is_general", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_general"],
                condition=Q(is_general=True),
                name="finance_fund_one_general",
                violation_error_message=_("只能有一个一般（非限定性）资金。"),
            ),
            models.CheckConstraint(
                condition=Q(is_general=False) | Q(restriction="unrestricted"),
                name="finance_fund_general_unrestricted",
                violation_error_message=_("一般资金必须是非限定性的。"),
            ),
            models.CheckConstraint(
                condition=Q(restriction="unrestricted") | ~Q(purpose=""),
                name="finance_fund_restricted_has_purpose",
                violation_error_message=_("限定性资金必须写明限定用途。"),
            ),
        ]

    def __str__(self):
        return self.name


@pghistory.track()
class Period(models.Model):
    """A month of the books; once closed nothing is posted into it."""

    year = models.PositiveSmallIntegerField(_("年度"))
    month = models.PositiveSmallIntegerField(_("月份"))
    status = models.CharField(
        _("状态"), max_length=10, choices=PeriodStatus.choices, default=PeriodStatus.OPEN
    )
    closed_at = models.DateTimeField(_("结账时间"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("结账人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("会计期间")
        verbose_name_plural = _("会计期间")
        ordering = ["-year", "-month"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "month"],
                name="finance_period_unique",
                violation_error_message=_("该会计期间已存在。"),
            ),
            models.CheckConstraint(
                condition=Q(month__gte=1, month__lte=12),
                name="finance_period_month_valid",
                violation_error_message=_("月份应为 1 至 12。"),
            ),
            models.CheckConstraint(
                condition=Q(status="open") | Q(closed_at__isnull=False),
                name="finance_period_closed_has_time",
                violation_error_message=_("已结账的期间必须有结账时间。"),
            ),
        ]
        triggers = [
            pgtrigger.Protect(
                name="finance_period_closed_stays_closed",
                operation=pgtrigger.Update | pgtrigger.Delete,
                condition=pgtrigger.Q(old__status="closed"),
            )
        ]

    def __str__(self):
        return f"{self.year}-{self.month:02d}"


class VoucherSequence(models.Model):
    """The last voucher number of a year; locked while the next number is taken."""

    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    last = models.PositiveIntegerField(_("最后编号"), default=0)

    class Meta:
        verbose_name = _("凭证编号序列")
        verbose_name_plural = _("凭证编号序列")
        ordering = ["-year"]

    def __str__(self):
        return f"{self.year}: {self.last}"


class VoucherQuerySet(models.QuerySet):
    def posted(self):
        return self.filter(status=VoucherStatus.POSTED)


@pghistory.track()
class Voucher(models.Model):
    """A journal voucher (记账凭证). Numbered when posted (记-2026-0001, gapless per year);
    a posted voucher never changes: corrections are reversing vouchers."""

    date = models.DateField(_("记账日期"))
    summary = models.CharField(_("摘要"), max_length=200)
    status = models.CharField(
        _("状态"), max_length=10, choices=VoucherStatus.choices, default=VoucherStatus.DRAFT
    )
    source = models.CharField(
        _("来源"), max_length=10, choices=VoucherSource.choices, default=VoucherSource.MANUAL
    )
    year = models.PositiveSmallIntegerField(_("编号年度"), null=True, blank=True)
    sequence = models.PositiveIntegerField(_("顺序号"), null=True, blank=True)
    number = models.CharField(_("凭证号"), max_length=20, unique=True, null=True, blank=True)
    reverses = models.OneToOneField(
        "self",
        verbose_name=_("冲销的凭证"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversed_by",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("制单人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("制单时间"), auto_now_add=True)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("过账人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    posted_at = models.DateTimeField(_("过账时间"), null=True, blank=True)

    objects = VoucherQuerySet.as_manager()

    class Meta:
        verbose_name = _("记账凭证")
        verbose_name_plural = _("记账凭证")
        ordering = ["-date", "-sequence", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "sequence"],
                name="finance_voucher_sequence_unique",
                violation_error_message=_("凭证号重复。"),
            ),
            models.CheckConstraint(
                condition=Q(status="draft", number__isnull=True, posted_at__isnull=True)
                | Q(
                    status="posted",
                    number__isnull=False,
                    sequence__isnull=False,
                    year__isnull=False,
                    posted_at__isnull=False,
                ),
                name="finance_voucher_posted_numbered",
                violation_error_message=_("已过账的凭证必须有凭证号，草稿没有凭证号。"),
            ),
        ]
        indexes = [models.Index(fields=["status", "date"])]
        triggers = [
            pgtrigger.Protect(
                name="finance_voucher_posted_immutable",
                operation=pgtrigger.Update | pgtrigger.Delete,
                condition=pgtrigger.Q(old__status="posted"),
            )
        ]

    def __str__(self):
        return self.number or _("草稿凭证 #%(pk)s") % {"pk": self.pk}

    @property
    def is_posted(self) -> bool:
        return self.status == VoucherStatus.POSTED


POSTED_LINE_GUARD = """
    IF EXISTS (
        SELECT 1 FROM finance_voucher
        WHERE id = {ref}.voucher_id AND status = 'posted'
    ) THEN
        RAISE EXCEPTION 'finance: lines of a posted voucher cannot change (voucher %)',
            {ref}.voucher_id USING ERRCODE = 'integrity_constraint_violation';
    END IF;
"""


@pghistory.track()
class VoucherLine(models.Model):
    """One line of a voucher: an account, a fund, a debit or a credit, a counterparty and
    tags for the project or station it concerns."""

    voucher = models.ForeignKey(
        Voucher, verbose_name=_("凭证"), on_delete=models.CASCADE, related_name="lines"
    )
    line_no = models.PositiveSmallIntegerField(_("行号"))
    account = models.ForeignKey(
        Account, verbose_name=_("科目"), on_delete=models.PROTECT, related_name="lines"
    )
    fund = models.ForeignKey(
        Fund, verbose_name=_("资金"), on_delete=models.PROTECT, related_name="lines"
    )
    debit = models.DecimalField(_("借方金额"), default=0, **MONEY)
    credit = models.DecimalField(_("贷方金额"), default=0, **MONEY)
    description = models.CharField(_("摘要"), max_length=200, blank=True)
    counterparty = models.CharField(_("往来单位/个人"), max_length=100, blank=True)
    project_tag = models.CharField(_("项目"), max_length=100, blank=True)
    station_tag = models.CharField(_("社工站"), max_length=100, blank=True)
    budget_line = models.ForeignKey(
        "finance.BudgetLine",
        verbose_name=_("预算项目"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="voucher_lines",
    )

    class Meta:
        verbose_name = _("凭证分录")
        verbose_name_plural = _("凭证分录")
        ordering = ["voucher_id", "line_no"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(debit__gt=0) & Q(credit=0)) | (Q(credit__gt=0) & Q(debit=0)),
                name="finance_voucherline_one_side",
                violation_error_message=_("每行分录只能填借方或贷方中的一个正数金额。"),
            ),
            models.UniqueConstraint(
                fields=["voucher", "line_no"],
                name="finance_voucherline_line_no_unique",
                violation_error_message=_("分录行号重复。"),
            ),
        ]
        indexes = [models.Index(fields=["account", "fund"])]
        triggers = [
            pgtrigger.Trigger(
                name="finance_line_posted_immutable",
                when=pgtrigger.Before,
                operation=pgtrigger.Update | pgtrigger.Delete,
                func=POSTED_LINE_GUARD.format(ref="OLD") + "RETURN OLD;",
            ),
            pgtrigger.Trigger(
                name="finance_line_no_insert_into_posted",
                when=pgtrigger.Before,
                operation=pgtrigger.Insert,
                func=POSTED_LINE_GUARD.format(ref="NEW") + "RETURN NEW;",
            ),
        ]

    def __str__(self):
        return f"{self.line_no}"

    @property
    def amount(self):
        return self.debit or self.credit


# Removals are kept too: an attachment is evidence.
@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class VoucherAttachment(models.Model):
    """An invoice, receipt or contract scanned and attached to a voucher (served only
    through a view that checks permission)."""

    voucher = models.ForeignKey(
        Voucher, verbose_name=_("凭证"), on_delete=models.PROTECT, related_name="attachments"
    )
    file = models.FileField(_("文件"), upload_to="finance/vouchers/%Y/")
    original_name = models.CharField(_("原文件名"), max_length=200)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("凭证附件")
        verbose_name_plural = _("凭证附件")
        ordering = ["voucher_id", "id"]

    def __str__(self):
        return self.original_name


@pghistory.track()
class YearEnd(models.Model):
    """A year closed (年末结转): its income and expenses moved into net assets by the
    closing voucher (none when the year had neither), and every month of it closed."""

    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    voucher = models.OneToOneField(
        Voucher,
        verbose_name=_("结转凭证"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("结转时间"))
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("结转人"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("年末结转")
        verbose_name_plural = _("年末结转")
        ordering = ["-year"]
        triggers = [
            pgtrigger.Protect(
                name="finance_year_end_is_final",
                operation=pgtrigger.Update | pgtrigger.Delete,
            )
        ]

    def __str__(self):
        return str(_("%(year)s年") % {"year": self.year})
