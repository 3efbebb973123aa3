"""List filters of the stations portal (django-filter)."""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from association.regions.models import Region

from .choices import ReportStatus, StationStatus
from .models import ServiceReport, Station


class StationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("名称"))
    county = django_filters.ModelChoiceFilter(
        field_name="region__parent",
        # Counties with a station: an EXISTS a county through the stations' region index
        # (a DISTINCT over the join of every township and station took 8–10 ms at
        # province scale).
        queryset=Region.objects.counties().filter(
            Exists(Station.objects.filter(region__parent=OuterRef("pk")))
        ),
        label=_("县（市、区）"),
        empty_label=_("全部"),
    )
    current_status = django_filters.ChoiceFilter(
        choices=StationStatus.choices,
        label=_("状态"),
        empty_label=_("全部"),
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )

    class Meta:
        model = Station
        fields = ["q", "county", "current_status"]

    def __init__(self, data=None, queryset=None, **kwargs):
        super().__init__(data, queryset, **kwargs)
        if queryset is not None:
            # The counties of the stations the user sees: a station worker's own, not a
            # province's 159.
            self.filters["county"].queryset = Region.objects.counties().filter(
                Exists(queryset.order_by().filter(region__parent=OuterRef("pk")))
            )

    def county_options(self) -> list[tuple[str, str, bool]]:
        """The county filter's options as (value, name, selected), for the page to render in
        one loop: Django's widget built a model and rendered two templates an option, 13 ms
        for a province's 159 counties on every view of the list."""
        chosen = str(self.form["county"].value() or "")
        counties = self.filters["county"].queryset.values_list("pk", "name")
        return [(str(pk), name, str(pk) == chosen) for pk, name in counties]


class ReportFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        choices=ReportStatus.choices, label=_("状态"), empty_label=_("全部")
    )

    class Meta:
        model = ServiceReport
        fields = ["status"]
