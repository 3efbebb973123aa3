"""Administrative divisions: (province →) city → county/district → township/street.

A provincial association's area is a province (``ASSOCIATION_REGION`` 410000): a region
of level province that its cities point at. The Ministry's township table has no province
column: the loader makes the province from the city code's first two digits (GB/T 2260,
``services.PROVINCES``) and keeps a city's parent once it has one. A municipality (北京
110000) is one region of city level with no parent: its own province."""

import pghistory
from django.conf import settings
from django.db import models
from django.db.models import Case, F, Q, When
from django.utils.translation import gettext_lazy as _

from association import changes

from .choices import Kind, Level


def code_variants(code: str) -> list[str]:
    """A division code as it may be stored: ``411000`` is also ``411000000`` and
    ``411000000000`` (the 9- and 12-digit forms of the statistical tables)."""
    code = (code or "").strip()
    if not code:
        return []
    if len(code) > 6 and set(code[6:]) == {"0"}:
        code = code[:6]
    if len(code) != 6:
        return [code]
    return [code, code + "000", code + "000000"]


class RegionQuerySet(models.QuerySet):
    """Every region filter is SQL: areas are subqueries, never lists of ids in Python."""

    def association_roots(self):
        """The association's own area (``settings.ASSOCIATION_REGION``): the region(s) of that
        code. Empty when it is not loaded."""
        return self.model.objects.filter(code__in=code_variants(settings.ASSOCIATION_REGION))

    def below(self, roots):
        """The ``roots`` (a queryset of regions) and everything below them; the code tree is
        at most four levels deep (province → city → county → township; a city may have its
        townships directly under it)."""
        ids = roots.order_by().values("pk")
        return self.filter(
            Q(pk__in=ids)
            | Q(parent__in=ids)
            | Q(parent__parent__in=ids)
            | Q(parent__parent__parent__in=ids)
        )

    def association_area(self):
        """The association's area and everything below it: what its dashboard, reports and
        public figures count, whatever else is loaded."""
        return self.below(self.association_roots())

    def townships(self):
        return self.filter(level=Level.TOWNSHIP)

    def counties(self):
        return self.filter(level=Level.COUNTY)

    def within(self, region):
        """The region and everything below it (the code tree is at most four levels deep)."""
        return self.filter(
            Q(pk=region.pk)
            | Q(parent=region)
            | Q(parent__parent=region)
            | Q(parent__parent__parent=region)
        )

    def areas_of(self, roots):
        """The rows of a breakdown of ``roots``: their children, i.e. the counties of a city
        together with any townships directly under it (东莞-type cities, a county-level
        city under the province), the townships of a county, or the cities of a province
        (with any county-level city directly under it, 济源)."""
        return self.filter(parent__in=roots.order_by().values("pk"))


def area_key(roots, prefix: str = "region__"):
    """The id of the breakdown row (see :meth:`RegionQuerySet.areas_of`) a township falls
    in, as an SQL expression on rows that point at the township through ``prefix``
    (``"region__"`` for stations; ``""`` for the regions themselves): its ancestor that is
    a child of ``roots``. The township itself when it sits directly under one of ``roots``
    (a county's townships), its parent when that one does (a city's counties, a
    province's 济源), else its grandparent (a province's cities). One ``CASE``, no query."""
    ids = roots.order_by().values("pk")
    own = F(prefix[:-2] + "_id") if prefix else F("pk")
    return Case(
        When(**{f"{prefix}parent__in": ids}, then=own),
        When(**{f"{prefix}parent__parent__in": ids}, then=F(f"{prefix}parent_id")),
        default=F(f"{prefix}parent__parent_id"),
    )


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
        # Figures read from this table are kept until it changes (association.changes).
        triggers = [changes.trigger("regions_region")]
        constraints = [
            models.CheckConstraint(
                condition=Q(level=Level.PROVINCE) | Q(parent__isnull=False) | Q(level=Level.CITY),
                name="regions_region_parent_required",
                violation_error_message=_("县级和乡镇级区划必须有上级区划。"),
            ),
        ]

    def __str__(self):
        return self.name
