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
    if _has_dues(user):
        items.append(
            NavItem(_("我的会费收据"), reverse("finance:my_dues"), 61, _("历年会费和收据编号。"))
        )
    return items


def _has_dues(user) -> bool:
    from .selectors import my_dues

    return my_dues(user=user).exists()
