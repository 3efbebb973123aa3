"""The access log: every read of a sensitive record, with who, when and why.

Changes to governed models are kept by django-pghistory's triggers (``@pghistory.track``
on the model), so ``update()`` and ``bulk_create()`` are recorded too; this model covers
what triggers cannot see: reads.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AccessLog(models.Model):
    """One read of a sensitive record (an ID number revealed, a sealed case opened)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    action = models.CharField(_("操作"), max_length=64)
    object_type = models.CharField(_("对象类型"), max_length=100)
    object_id = models.CharField(_("对象编号"), max_length=64)
    object_repr = models.CharField(_("对象"), max_length=200, blank=True)
    reason = models.TextField(_("事由"), blank=True)
    path = models.CharField(_("页面"), max_length=500, blank=True)
    ip = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)

    class Meta:
        verbose_name = _("敏感信息访问记录")
        verbose_name_plural = _("敏感信息访问记录")
        ordering = ["-at"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self):
        return f"{self.action} {self.object_type}#{self.object_id}"
