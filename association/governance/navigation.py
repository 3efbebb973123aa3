"""The governance app's entries in the portal menu."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from association.accounts.roles import is_association_staff
from association.navigation import NavItem


def portal_nav(user) -> list:
    from .models import Attendee

    items = [
        NavItem(
            _("协会制度"), reverse("governance:document_list"), 60, _("章程、选举办法等现行文件。")
        ),
        NavItem(
            _("理事会与负责人"),
            reverse("governance:officers"),
            61,
            _("现任理事、会长、副会长、秘书长。"),
        ),
    ]
    if is_association_staff(user) or Attendee.objects.filter(user=user).exists():
        items.append(
            NavItem(
                _("会议"),
                reverse("governance:meeting_list"),
                62,
                _("会员代表大会、理事会与研讨会。"),
            )
        )
    return items
