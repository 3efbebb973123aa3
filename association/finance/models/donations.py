"""Donations received (接受捐赠): recorded for the annual work report and disclosure."""

import pghistory
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class DonorKind(models.TextChoices):
    ORGANISATION = "organisation", _("单位")
    INDIVIDUAL = "individual", _("个人")


class DonationForm(models.TextChoices):
    MONEY = "money", _("货币资金")
    IN_KIND = "in_kind", _("实物（按公允价值）")


@pghistory.track()
class Donation(models.Model):
    """One donation received; ``restricted`` when the donor limited its use."""

    donor = models.CharField(_("捐赠人"), max_length=200)
    donor_kind = models.CharField(_("捐赠人类别"), max_length=12, choices=DonorKind.choices)
    received_on = models.DateField(_("接收日期"))
    form = models.CharField(
        _("捐赠形式"), max_length=10, choices=DonationForm.choices, default=DonationForm.MONEY
    )
    amount = models.DecimalField(_("金额（元）"), max_digits=14, decimal_places=2)
    restricted = models.BooleanField(
        _("限定性"), default=False, help_text=_("捐赠人对用途有限定时勾选。")
    )
    purpose = models.CharField(_("用途"), max_length=300, blank=True)
    receipt_number = models.CharField(_("捐赠票据号"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("接受捐赠")
        verbose_name_plural = _("接受捐赠")
        ordering = ["-received_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="donation_amount_positive",
                violation_error_message=_("捐赠金额须大于零。"),
            ),
        ]

    def __str__(self):
        return f"{self.donor}：{self.amount}"
