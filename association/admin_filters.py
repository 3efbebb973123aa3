"""List filters for the admin's large change lists.

Django's filter of a field's values (``list_filter = ["year"]``) and its ``date_hierarchy``
read every row of the table for a ``DISTINCT`` each time the list is shown: 41 ms for the
108,000 dues and 70 ms for the 149,000 monthly reports at province scale
(docs/performance.md). :class:`YearFilter` offers the years between the first and the last
row's instead, from ``MIN`` and ``MAX``, which an index on the field answers by reading its
two ends.
"""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Max, Min
from django.utils.translation import gettext_lazy as _


class YearFilter(admin.SimpleListFilter):
    """By year of ``field``: an integer year, or a date when ``of_date`` is set. Newest first.
    A subclass names the field; the parameter is ``year`` unless it says otherwise."""

    title = _("年度")
    parameter_name = "year"
    field = "year"
    of_date = False

    def lookups(self, request, model_admin):
        bounds = model_admin.model._default_manager.aggregate(
            first=Min(self.field), last=Max(self.field)
        )
        if bounds["first"] is None:
            return []
        first, last = bounds["first"], bounds["last"]
        if self.of_date:
            first, last = first.year, last.year
        return [(str(year), str(year)) for year in range(last, first - 1, -1)]

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        try:
            year = int(value)
        except ValueError:
            return queryset.none()
        lookup = f"{self.field}__year" if self.of_date else self.field
        return queryset.filter(**{lookup: year})


class RelatedNameFilter(admin.RelatedFieldListFilter):
    """Django's filter by a related row, its choices read as two values a row: the key and
    ``label`` (the field the row's ``__str__`` returns), in the related admin's order.
    Django's reads every related row as a model instance and calls ``str()`` on it: 6 ms
    a page for 174 organisations at province scale, more with each one the city adds."""

    label = "name"

    def field_choices(self, field, request, model_admin):
        ordering = self.field_admin_ordering(field, request, model_admin)
        related = field.remote_field
        rows = related.model._default_manager.complex_filter(field.get_limit_choices_to())
        if ordering:
            rows = rows.order_by(*ordering)
        key = related.get_related_field().attname
        return list(rows.values_list(key, self.label))
