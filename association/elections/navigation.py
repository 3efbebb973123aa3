"""The elections app's entries in the portal menu."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from association.accounts.roles import is_association_staff
from association.navigation import NavItem


def portal_nav(user) -> list:
    from .models import Election

    if is_association_staff(user) or Election.objects.visible_to(user).exists():
        return [
            NavItem(
                _("选举"), reverse("elections:election_list"), 63, _("投票、选票查验码与选举结果。")
            )
        ]
    return []
