"""The catalogues that reports are made of: service areas and kinds of work (data, not code)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from association import changes


class CatalogueEntry(models.Model):
    code = models.SlugField(_("代码"), max_length=30, unique=True)
    name = models.CharField(_("名称"), max_length=50, unique=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(
        _("启用"), default=True, help_text=_("停用后不再出现在新的月报中，历史数据保留。")
    )

    class Meta:
        abstract = True
        ordering = ["order", "id"]

    def __str__(self):
        return self.name


class ServiceArea(CatalogueEntry):
    """A service area (服务领域) such as 社会救助 or 养老服务."""

    class Meta(CatalogueEntry.Meta):
        # Figures read from this table are kept until it changes (association.changes).
        triggers = [changes.trigger("stations_servicearea")]
        verbose_name = _("服务领域")
        verbose_name_plural = _("服务领域")


class WorkKind(CatalogueEntry):
    """A kind of work (服务形式) counted in the monthly report: 个案，小组，社区活动…"""

    class Meta(CatalogueEntry.Meta):
        verbose_name = _("服务形式")
        verbose_name_plural = _("服务形式")
