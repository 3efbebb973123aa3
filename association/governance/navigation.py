"""The governance app's entries in the portal menu."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from association.accounts.roles import is_association_staff
from association.navigation import NavItem, user_facts


def portal_facts(user) -> dict:
    """Whether a member is on a meeting's roll (staff see every meeting)."""
    from django.db.models import Exists, OuterRef

    from .models import Attendee

    if is_association_staff(user):
        return {}
    return {"attends": Exists(Attendee.objects.filter(user=OuterRef("pk")))}


def portal_nav(user, facts=None) -> list:
    if facts is None:
        facts = user_facts(user, portal_facts(user))
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
    if is_association_staff(user) or facts.get("attends"):
        items.append(
            NavItem(
                _("会议"),
                reverse("governance:meeting_list"),
                62,
                _("会员代表大会、理事会与研讨会。"),
            )
        )
    return items
