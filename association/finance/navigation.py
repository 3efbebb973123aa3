"""Finance's entries in the portal menu."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from association.accounts.roles import is_association_staff
from association.navigation import NavItem

from .permissions import can_see_statements


def portal_nav(user) -> list:
    items = []
    if is_association_staff(user):
        items.append(
            NavItem(
                _("财务"), reverse("finance:index"), 60, _("凭证、资金、预算、报销和财务报表。")
            )
        )
    elif can_see_statements(user):  # officials of the whole area, not of a county
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
    """Whether the user has dues records (as the member, or as an admin of a unit member):
    asked on every page, so one query of two EXISTS, each reached through indexes only
    (the user's social-worker record or admin rows, the memberships by party, the dues by
    membership). An OR across the joins, as ``my_dues`` once had, the planner can only
    answer by reading every dues row."""
    if not user.is_authenticated:
        return False
    from django.db.models import Exists, OuterRef

    from association.accounts.models import User
    from members.models import Dues, OrganisationAdmin

    own = Dues.objects.filter(membership__person__user=OuterRef("pk"))
    administered = Dues.objects.filter(
        membership__organisation__in=OrganisationAdmin.objects.filter(
            user=OuterRef(OuterRef("pk"))
        ).values("organisation")
    )
    return User.objects.filter(pk=user.pk).filter(Exists(own) | Exists(administered)).exists()
