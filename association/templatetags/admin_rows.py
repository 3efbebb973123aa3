"""The admin change list's rows, the same HTML as Django's, written once per column plan.

Django's ``result_list`` tag builds each cell from scratch (``items_for_result``): it looks
the column's field up again, raising and catching ``FieldDoesNotExist`` for a method of the
admin, rebuilds a choices field's label dictionary, localises every date through the
format machinery, reverses the change URL and parses it again for the preserved filters,
and the template then renders each cell through a loop of its own. At province scale that
is 20–45 ms of a 100-row list's 70–110 ms (docs/performance.md, seventh round).

:func:`fast_result_list` decides, once a page, what each column is (a field of the row,
a method of the admin, or anything else) and keeps what does not change from row to row:
the cell's classes, a field's choices, the rendering of a repeated value (a state, a
date), the change URL around an integer key (reversed once, not for each row's link) and
the preserved filters' query string of the change links. A date's rendering is kept in
the process as well, by language (``_dates``). A row is then one string.
Anything it does not plan for (``list_editable`` forms, a column that is a model
property, a related lookup) goes to Django's own code, cell by cell or list by list.

tests/test_demo_instance.py renders every change list of the project on the demo both ways
and compares the HTML, and tests/test_admin_lists.py each kind of value and link, so an
upgrade of Django that changes a cell shows there.
"""

from __future__ import annotations

import datetime
import decimal
from types import SimpleNamespace

from django import template
from django.contrib.admin.templatetags import admin_list
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.templatetags.base import InclusionAdminNode
from django.contrib.admin.utils import (
    FieldIsAForeignKeyColumnName,
    _get_non_gfk_field,
    display_for_field,
    display_for_value,
    lookup_field,
)
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.db import models
from django.urls import NoReverseMatch
from django.utils import formats
from django.utils.functional import Promise
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from association.kept import Kept

register = template.Library()

# The key a change URL is reversed with once a page, to be replaced by each row's.
_STAND_IN = 918273645546372819

# Values whose rendering depends on nothing but the value, the column and the request's
# language and time zone (fixed for the page): rendered once a page and column.
_KEPT = (type(None), bool, int, decimal.Decimal, datetime.date, datetime.datetime, datetime.time)
# A choice field's values, whose label is looked up from the value alone.
_CHOICE_KEYS = frozenset({str, int})


# A date's rendering (Django's ``formats.localize``: 23 µs each, a hundred or two on a list
# of dated rows) depends on the language alone: kept in the process, the most recent ones.
DATES_MAX = 8192
_dates = Kept(DATES_MAX)  # (language, date) → the escaped rendering


def _key(value):
    # Decimal("1.0") == Decimal("1.00"), but they print differently
    return (type(value), str(value) if type(value) is decimal.Decimal else value)


class _Column:
    """What a column's cells share: set up from the column's name, its field or attribute."""

    def __init__(self, cl, index, name, link, tag):
        self.name = name
        self.link = link
        self.tag = tag
        self.empty = cl.model_admin.get_empty_value_display()
        self.classes = f"field-{admin_list._coerce_field_name(name, index)}"
        self.field = None
        self.method = None  # an admin method: value = method(obj)
        self.general = True  # Django's lookup_field for every row
        self.boolean = False
        self.plain_dates = True  # an admin method's date: display_for_value localizes it
        self.choices = False  # a field with choices: its label depends on the value alone
        self.kept = {}
        self.labels = {}  # id(a lazy label) → (the label, its rendering)
        self.language = get_language()
        try:
            field = _get_non_gfk_field(cl.lookup_opts, name)
        except (FieldDoesNotExist, FieldIsAForeignKeyColumnName):
            if not callable(name) and name != "__str__" and hasattr(cl.model_admin, name):
                self.method = getattr(cl.model_admin, name)
                self.general = False
                self.empty = getattr(self.method, "empty_value_display", self.empty)
                self.boolean = _boolean(self.method)
                self.plain_dates = not self.boolean  # a boolean column shows an icon
        else:
            if not field.auto_created:
                self.field = field
                self.general = False
                self.foreign = isinstance(field.remote_field, models.ManyToOneRel)
                # Django renders a date of any other field as formats.localize does.
                self.choices = bool(field.flatchoices)
                self.plain_dates = not (self.choices or isinstance(field, models.BooleanField))
                if isinstance(field, _NOWRAP_FIELDS):
                    self.classes += " nowrap"

    def _kept(self, value, render):
        """``render(value)`` escaped, once a page for a value of an immutable type (and for
        a choice's value: a state's label, the same on many rows)."""
        if type(value) not in _KEPT and not (self.choices and type(value) in _CHOICE_KEYS):
            return render(value)
        key = _key(value)
        shown = self.kept.get(key)
        if shown is None:
            if type(value) is datetime.date and self.plain_dates:
                shown = _dates.get(
                    (self.language, value), lambda: conditional_escape(formats.localize(value))
                )
            else:
                shown = conditional_escape(render(value))
            self.kept[key] = shown
        return shown

    def cell(self, cl, obj):
        """The cell's classes and its content, as ``items_for_result`` makes them."""
        if self.general:
            return self._general(cl, obj)
        if self.field is not None:
            value = getattr(obj, self.field.name)
            if self.foreign:
                return self.classes, (self.empty if value is None else value)
            return self.classes, self._kept(_blank(value), self._field_shown)
        value = self.method(obj)
        if isinstance(value, Promise):
            return self.classes, self._label(value)
        value = _blank(value)
        classes = "action-checkbox" if self.name == "action_checkbox" else self.classes
        if isinstance(value, datetime.date | datetime.time):
            classes += " nowrap"
        return classes, self._kept(value, self._value_shown)

    def _label(self, value):
        """A lazy label's rendering, once a page for each label: a method that returns one
        returns the same few objects (a status's label) on every row. Kept by identity,
        with the label itself, so that an id is not taken for another object's."""
        kept = self.labels.get(id(value))
        if kept is not None and kept[0] is value:
            return kept[1]
        # translated once here, not at each of display_for_value's five comparisons with
        # the empty values (the text is the same)
        shown = conditional_escape(self._value_shown(_blank(str(value))))
        self.labels[id(value)] = (value, shown)
        return shown

    def _field_shown(self, value):
        return display_for_field(value, self.field, self.empty, avoid_link=self.link)

    def _value_shown(self, value):
        return display_for_value(value, self.empty, self.boolean)

    def _general(self, cl, obj):
        classes = [self.classes]
        try:
            field, attr, value = lookup_field(self.name, obj, cl.model_admin)
        except ObjectDoesNotExist:
            return self.classes, self.empty
        empty = getattr(attr, "empty_value_display", self.empty)
        value = _blank(value)
        if field is None or field.auto_created:
            if self.name == "action_checkbox":
                classes = ["action-checkbox"]
            shown = display_for_value(value, empty, _boolean(attr))
            if isinstance(value, datetime.date | datetime.time):
                classes.append("nowrap")
        else:
            if isinstance(field.remote_field, models.ManyToOneRel):
                related = getattr(obj, field.name)
                shown = empty if related is None else related
            else:
                shown = display_for_field(value, field, empty, avoid_link=self.link)
            if isinstance(field, _NOWRAP_FIELDS):
                classes.append("nowrap")
        return " ".join(classes), shown


_NOWRAP_FIELDS = (models.DateField, models.TimeField, models.ForeignKey)


def _blank(value):
    return "" if isinstance(value, str) and value.strip() == "" else value


def _boolean(attr):
    """Whether a column's attribute asks for Django's boolean icons."""
    if isinstance(attr, property) and hasattr(attr, "fget"):
        return getattr(attr.fget, "boolean", False)
    return getattr(attr, "boolean", False)


class Rows:
    """A change list's rows, each as one string of cells."""

    def __init__(self, cl):
        self.cl = cl
        links = cl.list_display_links
        self.columns = []
        first = True
        for index, name in enumerate(cl.list_display):
            if links is None:
                link = False
            elif first and not links:
                link = True
            else:
                link = name in links
            tag = "th" if link and first else "td"  # the first link is the row's header
            if link:
                first = False
            self.columns.append(_Column(cl, index, name, link, tag))
        self.filters = {"preserved_filters": cl.preserved_filters, "opts": cl.opts}
        self.suffix = None  # the preserved filters' query string, the same on every row
        self.url_around = None  # the change URL around an integer key, or False
        pk = cl.lookup_opts.pk.attname
        self.js_attr = str(cl.to_field) if cl.to_field else pk

    def _change_url(self, obj) -> str:
        """Django's ``url_for_result``: for an integer key, reversed once a page (20 µs a
        reverse) with a stand-in key, and the row's key put in its place."""
        cl = self.cl
        pk = getattr(obj, cl.pk_attname)
        if self.url_around is None:
            self.url_around = False
            if type(pk) is int and type(cl).url_for_result is ChangeList.url_for_result:
                url = cl.url_for_result(SimpleNamespace(**{cl.pk_attname: _STAND_IN}))
                before, found, after = url.rpartition(str(_STAND_IN))
                if found and str(_STAND_IN) not in before:
                    self.url_around = (before, after)
        if self.url_around and type(pk) is int:
            before, after = self.url_around
            return f"{before}{pk}{after}"
        return cl.url_for_result(obj)

    def _link(self, obj, shown):
        cl = self.cl
        try:
            url = self._change_url(obj)
        except NoReverseMatch:
            return shown
        if self.suffix is None:
            full = add_preserved_filters(self.filters, url)
            plain = "?" not in url and "#" not in url and full.startswith(url)
            self.suffix = full[len(url) :] if plain else False
            url = full
        elif self.suffix is False or "?" in url or "#" in url:
            url = add_preserved_filters(self.filters, url)
        else:
            url += self.suffix
        opener = (
            format_html(' data-popup-opener="{}"', obj.serializable_value(self.js_attr))
            if cl.is_popup
            else ""
        )
        # format_html's output, with its escaping written out (it parses its format each row)
        return SafeString(f'<a href="{escape(url)}"{opener}>{conditional_escape(shown)}</a>')

    def row(self, obj):
        parts = []
        for column in self.columns:
            classes, shown = column.cell(self.cl, obj)
            if column.link:
                shown = self._link(obj, shown)
            tag = column.tag
            parts.append(f'<{tag} class="{classes}">{conditional_escape(shown)}</{tag}>')
        return SafeString("".join(parts))


def rows(cl):
    """Django's rows for a list with forms in it (``list_editable``); ours otherwise."""
    if cl.formset:
        return list(admin_list.results(cl))
    planned = Rows(cl)
    return [admin_list.ResultList(None, [planned.row(obj)]) for obj in cl.result_list]


def fast_result_list(cl):
    """Django's ``result_list`` context, with the rows from :func:`rows`."""
    headers = list(admin_list.result_headers(cl))
    return {
        "cl": cl,
        "result_hidden_fields": list(admin_list.result_hidden_fields(cl)),
        "result_headers": headers,
        "num_sorted_fields": sum(1 for h in headers if h["sortable"] and h["sorted"]),
        "results": rows(cl),
    }


@register.tag(name="fast_result_list")
def fast_result_list_tag(parser, token):
    return InclusionAdminNode(
        parser,
        token,
        func=fast_result_list,
        template_name="change_list_results.html",
        takes_context=False,
    )


__all__ = ["Rows", "fast_result_list", "rows"]
