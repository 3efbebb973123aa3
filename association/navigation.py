"""The portal's navigation, built from what exists and what the user may use.

Each app's ``AppConfig`` may define ``portal_nav(user, facts=None) -> list[NavItem]``; the
base template shows the items of every installed app, so a page appears in the menu when
its app is installed and the user may open it, and never as a placeholder.

What an app needs to know about the user from the database ("does the user administer an
organisation?", "has dues?") it declares as ``portal_facts(user) -> {name: expression}``:
expressions on the user's own row (``Exists(... OuterRef("pk") ...)``). The menu asks every
app's facts in one query (:func:`user_facts`), instead of one or two queries per app on every
portal page, and hands each app its own as ``facts``; called alone, ``portal_nav`` asks
its app's facts itself.
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


def user_facts(user, expressions: dict) -> dict:
    """The values of ``expressions``, annotations of the user's row, in one query."""
    if not expressions:
        return {}
    from association.accounts.models import User

    row = User.objects.filter(pk=user.pk).annotate(**expressions).values(*expressions).first()
    return row or dict.fromkeys(expressions)


def nav_items(user) -> list[NavItem]:
    items: list[NavItem] = []
    if not user.is_authenticated:
        return items
    from association.notifications.selectors import unread_count_of_row

    navs, expressions = [], {"unread": unread_count_of_row()}
    for config in apps.get_app_configs():
        portal_nav = getattr(config, "portal_nav", None)
        if portal_nav is None:
            continue
        declare = getattr(config, "portal_facts", None)
        names = {}
        for name, expression in (declare(user) if declare else {}).items():
            names[f"{config.label}_{name}"] = name
            expressions[f"{config.label}_{name}"] = expression
        navs.append((portal_nav, names))
    facts = user_facts(user, expressions)
    for portal_nav, names in navs:
        items.extend(portal_nav(user, {name: facts[key] for key, name in names.items()}))
    items.append(
        NavItem(
            _("我的通知"),
            reverse("notifications:inbox"),
            900,
            _("协会发给您的消息和提醒。"),
            badge=facts["unread"],
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
