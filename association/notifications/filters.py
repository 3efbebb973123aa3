"""The inbox's filter (django-filter): ``?unread=1`` shows only what is unread."""

import django_filters
from django.utils.translation import gettext_lazy as _

from .models import Notification


class NotificationFilter(django_filters.FilterSet):
    # any non-empty value, as the inbox's "只看未读" link sends ``unread=1``
    unread = django_filters.CharFilter(method="filter_unread", label=_("只看未读"))

    class Meta:
        model = Notification
        fields = ["unread"]

    def filter_unread(self, queryset, name, value):
        return queryset.unread()
