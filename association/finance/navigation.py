"""Finance's entries in the portal menu."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from association.accounts.choices import Role
from association.accounts.roles import has_role, is_association_staff
from association.navigation import NavItem


def portal_nav(user) -> list:
    items = []
    if is_association_staff(user):
        items.append(
            NavItem(
                _("财务"), reverse("finance:index"), 60, _("凭证、资金、预算、报销和财务报表。")
            )
        )
    elif has_role(user, Role.OFFICIAL):
        items.append(
            NavItem(
                _("财务报表"),
                reverse("finance:statement"),
                60,
                _("资产负债表、业务活动表和现金流量表。"),
            )
        )
    return items
