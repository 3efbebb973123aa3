"""Administrative divisions: city → county/district → township/street."""

import pghistory
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .choices import Kind, Level


class RegionQuerySet(models.QuerySet):
    def townships(self):
        return self.filter(level=Level.TOWNSHIP)

    def counties(self):
        return self.filter(level=Level.COUNTY)

    def within(self, region):
        """The region and everything below it (the code tree is at most three levels deep)."""
        return self.filter(Q(pk=region.pk) | Q(parent=region) | Q(parent__parent=region))


@pghistory.track()
class Region(models.Model):
    """A division (区划) with its code from the Ministry's table, or added by hand."""

    code = models.CharField(_("区划代码"), max_length=12, unique=True)
    name = models.CharField(_("名称"), max_length=50)
    level = models.CharField(_("层级"), max_length=10, choices=Level.choices)
    kind = models.CharField(_("类别"), max_length=10, choices=Kind.choices, default=Kind.OTHER)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级区划"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    source = models.CharField(
        _("来源"),
        max_length=100,
        help_text=_("代码来源的表名，如 Xzqh20251231；手工添加的单位写明“手工添加”。"),
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(level=Level.PROVINCE) | Q(parent__isnull=False) | Q(level=Level.CITY),
                name="regions_region_parent_required",
                violation_error_message=_("县级和乡镇级区划必须有上级区划。"),
            ),
        ]

    def __str__(self):
        return self.name
