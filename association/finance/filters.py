"""List filters of the finance pages (django-filter): the same GET names as the pages'
filter forms (``?status=``)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from .choices import ClaimStatus, VoucherStatus
from .models import ExpenseClaim, Voucher


class VoucherFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        choices=VoucherStatus.choices, label=_("状态"), empty_label=_("全部状态")
    )

    class Meta:
        model = Voucher
        fields = ["status"]


class ClaimFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        choices=ClaimStatus.choices, label=_("状态"), empty_label=_("全部状态")
    )

    class Meta:
        model = ExpenseClaim
        fields = ["status"]
