"""The elections app's entries in the portal menu."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from association.accounts.roles import is_association_staff
from association.navigation import NavItem, user_facts


def portal_facts(user) -> dict:
    """Whether an election is open to the user (staff see every election)."""
    from django.db.models import Exists

    from .models import Election

    if is_association_staff(user):
        return {}
    return {"elections": Exists(Election.objects.visible_to(user))}


def portal_nav(user, facts=None) -> list:
    if facts is None:
        facts = user_facts(user, portal_facts(user))
    if is_association_staff(user) or facts.get("elections"):
        return [
            NavItem(
                _("选举"), reverse("elections:election_list"), 63, _("投票、选票查验码与选举结果。")
            )
        ]
    return []
