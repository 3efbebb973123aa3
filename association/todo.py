"""What each user has to do, for the top of their home page and the admin index.

Each app may have a ``todo.py`` module with

- ``items_for(user) -> list[TodoItem]``: the work waiting for ``user`` in that app, each
  item with a count, a deadline when the app's rules give one, and the URL of the page
  where the work is done; computed with a fixed number of aggregate queries, however much
  work is waiting;
- ``admin_pending() -> list[AdminPending]``: the pending work on the app's models, for the
  admin index (one query per model; the admin index shows a count only to a user who may
  view the model).

The home view collects the items of every installed app (:func:`todo_items`) and the
admin index their pending work (:func:`admin_pending_work`), as the menu collects
``portal_nav``; an app without work for the user contributes nothing.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import cache
from importlib import import_module
from types import ModuleType

from django.apps import apps
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Urgency(models.TextChoices):
    """How pressing an item is; the home page sorts by it and colours its badge."""

    OVERDUE = "overdue", _("已逾期")
    SOON = "soon", _("即将到期")
    NORMAL = "normal", _("待办")
    INFO = "info", _("进度")


URGENCY_ORDER = {Urgency.OVERDUE: 0, Urgency.SOON: 1, Urgency.NORMAL: 2, Urgency.INFO: 3}


@dataclass(frozen=True)
class TodoItem:
    """One line of a to-do list: ``label`` says what (“11月月报”), ``count`` how many,
    ``deadline`` by when, ``status`` the state it is in (“未填”), ``url`` where it is done."""

    label: str
    url: str
    count: int = 1
    deadline: datetime.date | None = None
    urgency: str = Urgency.NORMAL
    status: str = ""

    @property
    def urgency_label(self) -> str:
        return Urgency(self.urgency).label

    @property
    def sort_key(self):
        return (URGENCY_ORDER[self.urgency], self.deadline or datetime.date.max, str(self.label))


@dataclass(frozen=True)
class AdminPending:
    """Pending work on one model for the admin index: ``count`` rows at ``url`` (the
    model's changelist, filtered to them)."""

    label: str
    count: int
    url: str
    permission: str  # "app_label.view_model": only users who may view the rows see it


def urgency_of(
    deadline: datetime.date | None, *, soon_days: int, today: datetime.date | None = None
) -> str:
    """Overdue after the deadline, due soon within ``soon_days`` of it, else normal."""
    if deadline is None:
        return Urgency.NORMAL
    today = today or timezone.localdate()
    if today > deadline:
        return Urgency.OVERDUE
    if (deadline - today).days <= soon_days:
        return Urgency.SOON
    return Urgency.NORMAL


@cache
def _modules() -> tuple[ModuleType, ...]:
    found = []
    for config in apps.get_app_configs():
        if config.name == "association":
            continue  # this module: the collector, not a contributor
        try:
            found.append(import_module(f"{config.name}.todo"))
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.todo":
                raise
    return tuple(found)


def todo_items(user) -> list[TodoItem]:
    """Every app's to-do items for ``user``, most urgent and earliest deadline first."""
    if not user.is_authenticated:
        return []
    items: list[TodoItem] = []
    for module in _modules():
        items_for = getattr(module, "items_for", None)
        if items_for is not None:
            items.extend(item for item in items_for(user) if item.count)
    return sorted(items, key=lambda item: item.sort_key)


def admin_pending_work(user) -> list[AdminPending]:
    """The admin index's counts of pending work, only on models ``user`` may view, and
    only where there is some."""
    rows: list[AdminPending] = []
    for module in _modules():
        pending = getattr(module, "admin_pending", None)
        if pending is None:
            continue
        rows.extend(row for row in pending(user) if row.count and user.has_perm(row.permission))
    return rows
