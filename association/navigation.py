"""The portal's navigation, built from what exists and what the user may use.

Each app's ``AppConfig`` may define ``portal_nav(user) -> list[NavItem]``; the base
template shows the items of every installed app, so a page appears in the menu when
its app is installed and the user may open it, and never as a placeholder.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    order: int = 100
    description: str = ""
    badge: int = 0


def nav_items(user) -> list[NavItem]:
    items: list[NavItem] = []
    if not user.is_authenticated:
        return items
    for config in apps.get_app_configs():
        portal_nav = getattr(config, "portal_nav", None)
        if portal_nav is not None:
            items.extend(portal_nav(user))
    from association.notifications.selectors import unread_count

    items.append(
        NavItem(
            _("我的通知"),
            reverse("notifications:inbox"),
            900,
            _("协会发给您的消息和提醒。"),
            badge=unread_count(user=user),
        )
    )
    if user.is_staff:
        items.append(
            NavItem(_("管理后台"), reverse("admin:index"), 950, _("审核、登记和维护协会数据。"))
        )
    return sorted(items, key=lambda item: item.order)


def context_processor(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    if getattr(request, "second_factor_pending", False):
        # Set by StaffMFAMiddleware: no menu of pages the user cannot open yet.
        return {"nav_items": [], "second_factor_pending": True}
    # Computed when a template shows the menu: the admin's pages do not, and skip its queries.
    return {"nav_items": SimpleLazyObject(lambda: nav_items(user))}
