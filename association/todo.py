"""What each user has to do, for the top of their home page and the admin index.

Each app may have a ``todo.py`` module with

- ``todo_queries(user, today) -> {name: query}``: the queries its items are made of, each a
  ``values()`` queryset (:func:`one_row` for an aggregate) or :class:`RawRows`, wrapped in
  :class:`Shared` when it is the same for every user asked it; a fixed number of them,
  however much work is waiting;
- ``todo_items(user, today, rows) -> list[TodoItem]``: the work waiting for ``user`` in that
  app, from ``rows[name]`` (each query's rows as dicts), each item with a count, a deadline
  when the app's rules give one, and the URL of the page where the work is done;
- ``admin_pending() -> list[AdminPending]``: the pending work on the app's models, for the
  admin index (one query per model; the admin index shows a count only to a user who may
  view the model).

The home view collects the items of every installed app (:func:`todo_items`) and the
admin index their pending work (:func:`admin_pending_work`), as the menu collects
``portal_nav``; an app without work for the user contributes nothing.

Every app's queries run as **one statement**: each query a scalar subquery that returns its
rows as a JSON array, decoded by the types of its columns. The statement is compiled once
for each user, role set and day (Django's work of building thirteen querysets and their SQL
took half of a home page), kept for at most ``COMPILED_MAX`` users and forgotten when a
setting changes, and it runs as a prepared statement (``association.sql.dict_rows``), which
PostgreSQL plans once a connection for all users of a role set. So ``todo_queries`` may
depend on the user's id, e-mail address, roles and superuser flag, on the day and on
settings, and on nothing else: what it needs from the database is a subquery, never a value
read first. The rows always come from the database.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from importlib import import_module
from types import ModuleType

from django.apps import apps
from django.core.signals import setting_changed
from django.db import connection, models
from django.db.models import IntegerField, QuerySet, Value
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from association.accounts.roles import role_names
from association.kept import Kept
from association.sql import dict_rows


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


@dataclass(frozen=True)
class RawRows:
    """A to-do query written in SQL: its text (``%s`` for each parameter), its parameters,
    and the names of its columns in order; ``decoders`` turns a column's JSON value back
    into Python (``datetime.date.fromisoformat`` for a date, say)."""

    sql: str
    params: tuple
    columns: tuple[str, ...]
    decoders: dict[str, Callable] = field(default_factory=dict)


@dataclass(frozen=True)
class Shared:
    """A to-do query that is the same for every user who is asked it (staff's queues): its
    values are written into the statement's text instead of passed as parameters, so that
    the plan PostgreSQL keeps for the prepared statement knows them. A partial index on a
    status (``stations_report_submitted``) serves only a plan that knows the status: with
    the status a parameter, the kept plan would read every report, and PostgreSQL planned
    staff's statement again on every view (10 ms)."""

    query: object


def one_row(queryset: QuerySet, **aggregates) -> QuerySet:
    """``queryset.aggregate(**aggregates)`` as a query of one row, to be run with the other
    to-do queries: grouped by a constant, which Django leaves out of ``GROUP BY``."""
    return (
        queryset.order_by()
        .annotate(_all=Value(1, IntegerField()))
        .values("_all")
        .annotate(**aggregates)
        .values(*aggregates)
    )


def _decoder(output_field) -> Callable | None:
    kind = output_field.get_internal_type()
    if kind == "DateField":
        return datetime.date.fromisoformat
    if kind == "DateTimeField":
        return datetime.datetime.fromisoformat
    return None  # numbers (decimals as Decimal), text and booleans come as they are


def _part(query) -> tuple[str, tuple, tuple[str, ...], dict]:
    """A query's SQL, parameters, column names and decoders."""
    if isinstance(query, Shared):
        sql, params, names, decoders = _part(query.query)
        # Its values as literals (psycopg quotes them), and a literal % kept as one.
        return connection.ops.compose_sql(sql, params).replace("%", "%%"), (), names, decoders
    if isinstance(query, RawRows):
        return query.sql, tuple(query.params), query.columns, query.decoders
    compiler = query.query.get_compiler(using=query.db)
    sql, params = compiler.as_sql()
    inner = query.query
    if inner.selected:
        names = tuple(inner.selected)
    else:
        names = (*inner.extra_select, *inner.values_select, *inner.annotation_select)
    decoders = {}
    for name, (expression, _sql, _alias) in zip(names, compiler.select, strict=True):
        decoder = _decoder(expression.output_field)
        if decoder is not None:
            decoders[name] = decoder
    return sql, tuple(params), names, decoders


@dataclass(frozen=True)
class _Statement:
    modules: tuple  # (module, {name: (column, names, decoders)})
    sql: str
    params: tuple


def _statement(user, today: datetime.date) -> _Statement:
    """Every app's to-do queries for ``user`` on ``today`` as one statement of one row."""
    columns, params, modules = [], [], []
    for module in _modules():
        declare = getattr(module, "todo_queries", None)
        if declare is None:
            continue
        parts = {}
        for name, query in declare(user, today).items():
            sql, query_params, names, decoders = _part(query)
            column = f"t{len(columns)}"
            aliases = ", ".join(f"c{i}" for i in range(len(names)))
            values = ", ".join(f"q.c{i}" for i in range(len(names)))
            # The texts are Django's compiled queries and the apps' own SQL; every value is
            # a parameter, or quoted by psycopg (Shared).
            columns.append(
                f"(SELECT COALESCE(json_agg(json_build_array({values})), '[]')"  # noqa: S608
                f" FROM ({sql}) AS q({aliases}))::text AS {column}"
            )
            params.extend(query_params)
            parts[name] = (column, names, decoders)
        modules.append((module, parts))
    sql = "SELECT " + ", ".join(columns) if columns else ""
    return _Statement(tuple(modules), sql, tuple(params))


COMPILED_MAX = 512
_compiled = Kept(COMPILED_MAX)  # (user, e-mail, roles, superuser, day) → _Statement


@receiver(setting_changed)
def forget_statements(**kwargs) -> None:
    """The statements hold values of settings (deadlines, reminder windows)."""
    _compiled.clear()


def _compiled_statement(user, today: datetime.date) -> _Statement:
    key = (user.pk, user.email, role_names(user), user.is_superuser, today)
    return _compiled.get(key, lambda: _statement(user, today))


def _rows(text: str, names: tuple[str, ...], decoders: dict) -> list[dict]:
    rows = []
    for values in json.loads(text, parse_float=Decimal):
        row = dict(zip(names, values, strict=True))
        for name, decode in decoders.items():
            if row[name] is not None:
                row[name] = decode(row[name])
        rows.append(row)
    return rows


def todo_items(user) -> list[TodoItem]:
    """Every app's to-do items for ``user``, most urgent and earliest deadline first: one
    query, whatever the apps and the rows."""
    if not user.is_authenticated:
        return []
    today = timezone.localdate()
    statement = _compiled_statement(user, today)
    found = {}
    if statement.sql:
        found = dict_rows(statement.sql, statement.params, prepare=True)[0]
    items: list[TodoItem] = []
    for module, parts in statement.modules:
        rows = {
            name: _rows(found[column], names, decoders)
            for name, (column, names, decoders) in parts.items()
        }
        items.extend(item for item in module.todo_items(user, today, rows) if item.count)
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
