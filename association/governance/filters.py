"""List filters of the governance pages (django-filter)."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import Attendee


class AttendeeFilter(django_filters.FilterSet):
    """The attendance desk's search: a name or an affiliation (``?q=``)."""

    q = django_filters.CharFilter(method="search", label=_("姓名或单位"))

    class Meta:
        model = Attendee
        fields = ["q"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(affiliation__icontains=value))
