"""List filters of the projects portal (django-filter): the GET names the pages' filter
forms already use (``kind``, ``status``, ``domain``); an unknown value filters nothing."""

import django_filters
from django.utils.translation import gettext_lazy as _

from .choices import ActivityKind, ApplicationStatus, ExpertDomain
from .models import Application, Expert, ServiceActivity


class ActivityFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        choices=ActivityKind.choices, label=_("服务形式"), empty_label=_("全部形式")
    )

    class Meta:
        model = ServiceActivity
        fields = ["kind"]


class ApplicationFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        choices=ApplicationStatus.choices, label=_("状态"), empty_label=_("全部状态")
    )

    class Meta:
        model = Application
        fields = ["status"]


class ExpertFilter(django_filters.FilterSet):
    domain = django_filters.ChoiceFilter(
        choices=ExpertDomain.choices, label=_("专业领域"), empty_label=_("全部领域")
    )

    class Meta:
        model = Expert
        fields = ["domain"]


def chosen(filterset, name: str) -> str:
    """The value a list is filtered by (valid), for the template's selected option."""
    if not filterset.is_valid():
        return ""
    return filterset.form.cleaned_data.get(name) or ""
