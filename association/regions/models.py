"""Administrative divisions: (province →) city → county/district → township/street.

A provincial association's area is a province (``ASSOCIATION_REGION`` 410000): a region
of level province that its cities point at. The Ministry's township table has no province
column: the loader makes the province from the city code's first two digits (GB/T 2260,
``services.PROVINCES``) and keeps a city's parent once it has one. A municipality (北京
110000) is one region of city level with no parent: its own province."""

import pghistory
import pgtrigger
from django.conf import settings
from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import CharField, F, Func, IntegerField, Q, Value
from django.db.models.functions import Coalesce
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
    """Every region filter is SQL: areas are subqueries or constants, never lists of ids in
    Python. A region's area is read from its kept ``ancestry`` (the codes of its ancestors
    and its own), one array test, not the region tree's four ``OR``s over three joins."""

    def association_roots(self):
        """The association's own area (``settings.ASSOCIATION_REGION``): the region(s) of that
        code. Empty when it is not loaded."""
        return self.model.objects.filter(code__in=code_variants(settings.ASSOCIATION_REGION))

    def below(self, roots):
        """The ``roots`` (a queryset of regions) and everything below them."""
        return self.filter(ancestry__overlap=ArraySubquery(roots.order_by().values("code")))

    def association_area(self):
        """The association's area and everything below it: what its dashboard, reports and
        public figures count, whatever else is loaded. The codes are constants, so that
        PostgreSQL estimates the area from the column's statistics."""
        return self.filter(ancestry__overlap=code_variants(settings.ASSOCIATION_REGION))

    def townships(self):
        return self.filter(level=Level.TOWNSHIP)

    def counties(self):
        return self.filter(level=Level.COUNTY)

    def within(self, region):
        """The region and everything below it."""
        return self.filter(ancestry__contains=[region.code])

    def areas_of(self, roots):
        """The rows of a breakdown of ``roots``: their children, i.e. the counties of a city
        together with any townships directly under it (东莞-type cities, a county-level
        city under the province), the townships of a county, or the cities of a province
        (with any county-level city directly under it, 济源)."""
        return self.filter(parent__in=roots.order_by().values("pk"))


class ArrayElement(Func):
    """``array[index]``, counted from 1 as PostgreSQL does (NULL past the end)."""

    output_field = CharField()

    def as_sql(self, compiler, connection, **extra_context):
        array, index = self.get_source_expressions()
        array_sql, array_params = compiler.compile(array)
        index_sql, index_params = compiler.compile(index)
        return f"({array_sql})[{index_sql}]", (*array_params, *index_params)


def area_key(codes: list[str], prefix: str = "region__"):
    """The code of the breakdown row (see :meth:`RegionQuerySet.areas_of`) a region falls
    in, as an SQL expression on rows that point at it through ``prefix`` (``"region__"``
    for stations; ``""`` for the regions themselves): the code right after whichever of
    ``codes`` (the breakdown's region, or the code forms of the association's) its
    ancestry holds. A county's township is its own row, a city's township falls in its
    county (or is its own row when it sits directly under the city), a province's in its
    city (or in 济源). No join, no query."""
    ancestry = F(f"{prefix}ancestry")
    positions = [
        Func(ancestry, Value(code), function="array_position", output_field=IntegerField())
        for code in codes
    ]
    if not positions:
        return Value(None, output_field=CharField())
    position = Coalesce(*positions) if len(positions) > 1 else positions[0]
    return ArrayElement(ancestry, position + 1)


# A region's ancestry: its parent's, then its own code. Written by the database whenever a
# region is written, moved or recoded, so that whatever wrote (a service, the admin, the
# township loader's bulk writes, a migration) it is right; a value written by hand is put
# right. Parents are written before their children (the loader goes level by level).
ANCESTRY = (
    "NEW.ancestry := COALESCE("
    "(SELECT p.ancestry FROM regions_region p WHERE p.id = NEW.parent_id), '{}'"
    ") || NEW.code; RETURN NEW;"
)
# A region whose ancestry changed (moved, or its code corrected) passes it on to its
# children, whose own triggers pass it on to theirs (the tree is at most four deep).
ANCESTRY_PASSED_ON = (
    "UPDATE regions_region SET ancestry = NEW.ancestry || code WHERE parent_id = NEW.id;"
    " RETURN NULL;"
)


# The ancestry is worked out from the tree, not a fact of the region: a city that moves
# rewrites its townships' without making each one an event.
@pghistory.track(exclude=["ancestry"])
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
    # The codes of the region's ancestors and its own, from the top down (province, city,
    # county, township), kept by the database (``ANCESTRY``): "the region and everything
    # below it" is one array test, read from the GIN index for a small area.
    ancestry = ArrayField(
        models.CharField(max_length=12),
        verbose_name=_("区划代码路径"),
        default=list,
        editable=False,
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        ordering = ["code"]
        # Figures read from this table are kept until it changes (association.changes).
        triggers = [
            changes.trigger("regions_region"),
            pgtrigger.Trigger(
                name="regions_region_ancestry",
                when=pgtrigger.Before,
                operation=pgtrigger.Insert | pgtrigger.UpdateOf("code", "parent_id", "ancestry"),
                func=ANCESTRY,
            ),
            pgtrigger.Trigger(
                name="regions_region_ancestry_passed_on",
                when=pgtrigger.After,
                operation=pgtrigger.UpdateOf("code", "parent_id", "ancestry"),
                condition=pgtrigger.Condition("OLD.ancestry IS DISTINCT FROM NEW.ancestry"),
                func=ANCESTRY_PASSED_ON,
            ),
        ]
        indexes = [GinIndex(fields=["ancestry"], name="regions_region_ancestry")]
        constraints = [
            models.CheckConstraint(
                condition=Q(level=Level.PROVINCE) | Q(parent__isnull=False) | Q(level=Level.CITY),
                name="regions_region_parent_required",
                violation_error_message=_("县级和乡镇级区划必须有上级区划。"),
            ),
        ]

    def __str__(self):
        return self.name
