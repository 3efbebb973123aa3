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

The facts' query is compiled once for each user, role set and day, and run on every page.
Its SQL depends on those alone: a fact is an expression on the user's row (``OuterRef("pk")``
or the user's own id), and ``portal_facts`` may look at nothing of the user but the roles
(``is_association_staff``), and at no time but the day (``timezone.localdate()``). The
answers always come from the database. What is kept is Django's work of turning fifteen
``Exists`` into SQL, which took 3–6 ms a page, as long as running the query; a process
keeps it for at most ``COMPILED_MAX`` users. The database's planning of it (2.5–4.6 ms, the
fifteen ``Exists`` through their joins) is kept too: the query runs as a prepared statement
on each connection (:func:`association.sql.dict_rows` with ``prepare``), planned once for
all users of a role set after its first executions.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from association.accounts.roles import role_names
from association.kept import Kept
from association.sql import dict_rows


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    order: int = 100
    description: str = ""
    badge: int = 0


def _facts_query(user, expressions: dict):
    from association.accounts.models import User

    return User.objects.filter(pk=user.pk).annotate(**expressions).values(*expressions).order_by()


def user_facts(user, expressions: dict) -> dict:
    """The values of ``expressions``, annotations of the user's row, in one query."""
    if not expressions:
        return {}
    row = _facts_query(user, expressions).first()
    return row or dict.fromkeys(expressions)


COMPILED_MAX = 512
_compiled = Kept(COMPILED_MAX)  # (user, roles, superuser, day) → (navs, sql, params)


def _menu_query(user) -> tuple[list, str, tuple]:
    """Each app's ``portal_nav`` with the names of its facts, and the facts' query."""
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
    sql, params = _facts_query(user, expressions).query.sql_with_params()
    return navs, sql, params


def _compiled_menu_query(user) -> tuple[list, str, tuple]:
    key = (user.pk, role_names(user), user.is_superuser, timezone.localdate())
    return _compiled.get(key, lambda: _menu_query(user))


def nav_items(user) -> list[NavItem]:
    items: list[NavItem] = []
    if not user.is_authenticated:
        return items
    navs, sql, params = _compiled_menu_query(user)
    facts = next(iter(dict_rows(sql, params, prepare=True)), {})
    for portal_nav, names in navs:
        items.extend(portal_nav(user, {name: facts.get(key) for key, name in names.items()}))
    items.append(
        NavItem(
            _("我的通知"),
            reverse("notifications:inbox"),
            900,
            _("协会发给您的消息和提醒。"),
            badge=facts.get("unread") or 0,
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
