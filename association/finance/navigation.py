"""Finance's entries in the portal menu."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from association.accounts.roles import is_association_staff
from association.navigation import NavItem, user_facts

from .permissions import can_see_statements


def portal_nav(user, facts=None) -> list:
    if facts is None:
        facts = user_facts(user, portal_facts(user))
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
    if facts.get("own_dues") or facts.get("administered_dues"):
        items.append(
            NavItem(_("我的会费收据"), reverse("finance:my_dues"), 61, _("历年会费和收据编号。"))
        )
    return items


def portal_facts(user) -> dict:
    """Whether the user has dues records, as the member or as an admin of a unit member:
    asked on every page, so two EXISTS on the user's row, each reached through indexes only
    (the user's social-worker record or admin rows, the memberships by party, the dues by
    membership). An OR across the joins, as ``my_dues`` once had, the planner can only
    answer by reading every dues row."""
    from django.db.models import Exists, OuterRef

    from members.models import Dues, OrganisationAdmin

    own = Dues.objects.filter(membership__person__user=OuterRef("pk"))
    administered = Dues.objects.filter(
        membership__organisation__in=OrganisationAdmin.objects.filter(
            user=OuterRef(OuterRef("pk"))
        ).values("organisation")
    )
    return {"own_dues": Exists(own), "administered_dues": Exists(administered)}


def _has_dues(user) -> bool:
    """The menu's dues check alone (the benchmark's EXPLAIN runs it)."""
    if not user.is_authenticated:
        return False
    return any(user_facts(user, portal_facts(user)).values())
