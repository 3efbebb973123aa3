"""Dues payments posted to the ledger (members records them; finance posts them)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DuesPosting(models.Model):
    """The voucher of one paid dues record: one voucher per record, never two."""

    dues = models.OneToOneField(
        "members.Dues", verbose_name=_("会费"), on_delete=models.PROTECT, related_name="posting"
    )
    voucher = models.OneToOneField(
        "finance.Voucher", verbose_name=_("凭证"), on_delete=models.PROTECT, related_name="+"
    )
    posted_at = models.DateTimeField(_("入账时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("会费入账")
        verbose_name_plural = _("会费入账")
        ordering = ["-posted_at"]

    def __str__(self):
        return f"{self.dues_id}"
