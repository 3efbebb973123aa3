"""Grants and contracts: government grants, purchase-of-service contracts, start-up
grants paid out; their tranches and milestones."""

import pghistory
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..choices import GrantDirection, GrantKind
from .ledger import MONEY


@pghistory.track()
class Grant(models.Model):
    """A grant or contract tied to a restricted fund."""

    kind = models.CharField(_("类型"), max_length=25, choices=GrantKind.choices)
    direction = models.CharField(
        _("方向"), max_length=10, choices=GrantDirection.choices, default=GrantDirection.RECEIVED
    )
    title = models.CharField(_("名称"), max_length=200)
    counterparty = models.CharField(_("对方单位"), max_length=100)
    contract_number = models.CharField(_("合同编号"), max_length=50, blank=True)
    fund = models.ForeignKey(
        "finance.Fund", verbose_name=_("资金"), on_delete=models.PROTECT, related_name="grants"
    )
    account = models.ForeignKey(
        "finance.Account",
        verbose_name=_("收入或费用科目"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    total = models.DecimalField(_("总金额"), **MONEY)
    signed_on = models.DateField(_("签订日期"))
    starts_on = models.DateField(_("起始日期"))
    ends_on = models.DateField(_("截止日期"))
    project_tag = models.CharField(_("项目"), max_length=100, blank=True)
    station_tag = models.CharField(_("社工站"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("资助与合同")
        verbose_name_plural = _("资助与合同")
        ordering = ["-signed_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(total__gt=0),
                name="finance_grant_total_positive",
                violation_error_message=_("总金额必须大于零。"),
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="finance_grant_dates_ordered",
                violation_error_message=_("截止日期不能早于起始日期。"),
            ),
        ]

    def __str__(self):
        return self.title


@pghistory.track()
class GrantTranche(models.Model):
    """A tranche (分期款) of a grant: due, then received or paid with a voucher."""

    grant = models.ForeignKey(
        Grant, verbose_name=_("资助与合同"), on_delete=models.CASCADE, related_name="tranches"
    )
    label = models.CharField(_("期次"), max_length=50)
    due_on = models.DateField(_("约定日期"))
    amount = models.DecimalField(_("金额"), **MONEY)
    settled_on = models.DateField(_("到账/支付日期"), null=True, blank=True)
    voucher = models.OneToOneField(
        "finance.Voucher",
        verbose_name=_("凭证"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tranche",
    )

    class Meta:
        verbose_name = _("分期款")
        verbose_name_plural = _("分期款")
        ordering = ["grant_id", "due_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="finance_tranche_amount_positive",
                violation_error_message=_("金额必须大于零。"),
            ),
            models.CheckConstraint(
                condition=Q(settled_on__isnull=True, voucher__isnull=True)
                | Q(settled_on__isnull=False, voucher__isnull=False),
                name="finance_tranche_settled_has_voucher",
                violation_error_message=_("已到账的分期款必须有凭证。"),
            ),
        ]

    def __str__(self):
        return self.label


@pghistory.track()
class Milestone(models.Model):
    """A milestone of a grant or contract (a deliverable, a report, an assessment)."""

    grant = models.ForeignKey(
        Grant, verbose_name=_("资助与合同"), on_delete=models.CASCADE, related_name="milestones"
    )
    title = models.CharField(_("事项"), max_length=200)
    due_on = models.DateField(_("约定日期"))
    done_on = models.DateField(_("完成日期"), null=True, blank=True)
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("里程碑")
        verbose_name_plural = _("里程碑")
        ordering = ["grant_id", "due_on", "id"]

    def __str__(self):
        return self.title
