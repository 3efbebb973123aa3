"""The report catalogue: every report the association can produce, as a class.

A report has a ``slug``, a ``title``, a parameters form, the roles that may run it and
``build(params, progress)`` which returns a :class:`~association.reports.documents.Document`.
Every figure comes from the selectors of the app that owns the data (the same functions
its dashboards call), so a report and a screen never disagree.

Reports register themselves with :func:`register`; :func:`load` imports the library
modules (and any listed in ``settings.REPORTS_EXTRA_MODULES``) when the app is ready.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from importlib import import_module

from django import forms
from django.apps import apps
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from association.accounts.choices import Role
from association.accounts.roles import has_role

from .documents import Document

Progress = Callable[[int], None]

LIBRARY = [
    "association.reports.library.members",
    "association.reports.library.stations",
    "association.reports.library.projects",
    "association.reports.library.finance",
    "association.reports.library.annual",
    "association.reports.library.statistics",
    "association.reports.library.member_list",
]

STAFF_ROLES = (Role.STAFF, Role.OFFICER)
OFFICIAL_ROLES = (Role.STAFF, Role.OFFICER, Role.OFFICIAL)


class Report:
    slug: str = ""
    title: str = ""
    description: str = ""
    roles: tuple = STAFF_ROLES
    # A report holding names or ID numbers of individuals is never open to officials.
    personal_data: bool = False
    # Counts by region, built for the requester's region (association/regions/scope.py): the
    # only reports an official limited to a county may run.
    regional: bool = False
    # Apps the report reads; it is listed only when all of them are installed.
    requires: tuple[str, ...] = ()
    # Selectors (dotted paths) it needs that may not exist yet in those apps.
    needs: tuple[str, ...] = ()
    form_class: type[forms.Form] = forms.Form
    order: int = 100
    # The formats it can be built in.
    formats: tuple[str, ...] = ("xlsx", "pdf")
    # A report too long for a Document in memory (one row per monthly report: 150,000 in
    # a province) writes its file itself with ``write``, streaming rows from the database.
    streams: bool = False

    def available(self) -> bool:
        return all(apps.is_installed(name) for name in self.requires) and all(
            exists(path) for path in self.needs
        )

    def open_to(self, role) -> bool:
        if self.personal_data and role == Role.OFFICIAL:
            return False
        return role in self.roles

    def may_run(self, user) -> bool:
        if not user.is_authenticated or not user.is_active or not self.available():
            return False
        if user.is_superuser:
            return True
        if not self.regional and limited_area(user) is not None:
            return False
        return any(has_role(user, role) and self.open_to(role) for role in self.roles)

    def form(self, data=None, **kwargs) -> forms.Form:
        form = self.form_class(data=data, **kwargs)
        for field in form.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")
        return form

    def clean(self, raw: dict) -> dict:
        """The typed parameters from their text form (the same for web, task and command)."""
        form = self.form(data=raw or {})
        if not form.is_valid():
            messages = [
                f"{form.fields[name].label if name in form.fields else name}: {err}"
                for name, errors in form.errors.items()
                for err in errors
            ]
            raise ValidationError(_("参数有误：%(errors)s") % {"errors": ";".join(messages)})
        return form.cleaned_data

    def describe(self, params: dict) -> str:
        """The parameters in words, for the history list."""
        form = self.form()
        parts = []
        for name, value in params.items():
            field = form.fields.get(name)
            if field is None or value in (None, ""):
                continue
            if isinstance(field, forms.BooleanField):
                value = _("是") if field.to_python(value) else _("否")
            elif isinstance(field, forms.ChoiceField):
                value = dict(field.choices).get(value, value)
            parts.append(f"{field.label}：{value}")  # full-width after a Chinese label
        return "；".join(str(p) for p in parts)[:500]

    def scheduled_params(self, today: datetime.date) -> dict:
        """Parameters of a scheduled run on ``today`` (text values, as a form would post)."""
        return {}

    def build(self, params: dict, progress: Progress) -> Document:
        raise NotImplementedError

    def write(self, params: dict, fmt: str, path, progress: Progress) -> None:
        """Write the file to ``path`` row by row (only for ``streams = True``)."""
        raise NotImplementedError


def limited_area(user):
    """The region an official is limited to (a county), or None for the association's area."""
    from association.accounts.roles import is_association_staff
    from association.regions.scope import region_of

    if is_association_staff(user):
        return None
    return region_of(user)


def exists(path: str) -> bool:
    """Whether ``package.module.name`` can be imported (a selector an app may add later)."""
    module, _dot, name = path.rpartition(".")
    try:
        return hasattr(import_module(module), name)
    except ImportError:
        return False


_CATALOGUE: dict[str, Report] = {}


def register(cls: type[Report]) -> type[Report]:
    if not cls.slug:
        raise ValueError(f"{cls.__name__} has no slug")
    _CATALOGUE[cls.slug] = cls()
    return cls


def unregister(slug: str) -> None:
    _CATALOGUE.pop(slug, None)


def load() -> None:
    from .conf import extra_modules

    for module in [*LIBRARY, *extra_modules()]:
        import_module(module)


def get(slug: str) -> Report | None:
    report = _CATALOGUE.get(slug)
    if report is None or not report.available():
        return None
    return report


def all_reports() -> list[Report]:
    return sorted(
        (r for r in _CATALOGUE.values() if r.available()), key=lambda r: (r.order, r.slug)
    )


def reports_for(user) -> list[Report]:
    return [report for report in all_reports() if report.may_run(user)]


# --- Parameter fields shared by several reports ------------------------------------------


def year_field(label=None, **kwargs) -> forms.IntegerField:
    return forms.IntegerField(
        label=label or _("年度"),
        min_value=2000,
        max_value=2100,
        error_messages={"required": _("请填写年度。"), "invalid": _("年度须为四位数字。")},
        **kwargs,
    )


class MonthField(forms.Field):
    """A month as ``YYYY-MM`` (the browser's month picker), cleaned to its first day."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("月份"))
        kwargs.setdefault("help_text", _("格式：2025-03"))
        kwargs.setdefault("widget", forms.TextInput(attrs={"type": "month"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, datetime.date):
            return value.replace(day=1)
        if value in self.empty_values:
            return None
        try:
            year, month = (int(part) for part in str(value).strip().split("-"))
            if not 2000 <= year <= 2100:
                raise ValueError
            return datetime.date(year, month, 1)
        except ValueError as exc:
            raise ValidationError(_("月份格式应为 2025-03。"), code="invalid") from exc


def previous_month(today: datetime.date) -> datetime.date:
    first = today.replace(day=1)
    return (first - datetime.timedelta(days=1)).replace(day=1)
