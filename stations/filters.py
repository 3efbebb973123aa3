"""List filters of the stations portal (django-filter)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from association.regions.models import Region

from .choices import ReportStatus, StationStatus
from .models import ServiceReport, Station


class StationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("名称"))
    county = django_filters.ModelChoiceFilter(
        field_name="region__parent",
        queryset=Region.objects.counties().filter(children__stations__isnull=False).distinct(),
        label=_("县（市、区）"),
        empty_label=_("全部"),
    )
    current_status = django_filters.ChoiceFilter(
        choices=StationStatus.choices, label=_("状态"), empty_label=_("全部")
    )

    class Meta:
        model = Station
        fields = ["q", "county", "current_status"]


class ReportFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        choices=ReportStatus.choices, label=_("状态"), empty_label=_("全部")
    )

    class Meta:
        model = ServiceReport
        fields = ["status"]
