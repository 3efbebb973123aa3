"""A change list's page that reads the columns it shows, not every column of its rows.

A change list reads each row whole, with every related row its ``list_select_related``
names, though its page shows a few of their columns. At province scale the monthly
reports' page built 400 model instances a page (the reports, their stations, their
townships and counties: the export's joins) and parsed 700 timestamps through Django's
time-zone loader, which is psycopg's pure Python one (Django ticket #36960): about 6 ms of
a 35 ms page.

An admin with ``list_only`` reads its page's rows with ``only(*list_only)`` and joins only
the related rows those fields name. Only the page's rows: the actions, the export and the
change form read the change list's queryset as before (Django builds the actions' queryset
again from ``get_queryset``, and the export reads the change list's), so a service is
never handed a row with deferred fields. A field left out that a column reads would cost a
query a row: ``tests/test_admin_columns.py`` shows every such list with deferred loads
refused.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

from django.db.models.constants import LOOKUP_SEP


class ListedColumnsMixin:
    """``list_only``: the fields the change list's columns read, as ``only()`` takes them
    (a related row's as ``station__name``)."""

    list_only: Sequence[str] = ()

    def get_changelist(self, request, **kwargs):
        changelist = super().get_changelist(request, **kwargs)
        if not self.list_only:
            return changelist
        return listing(changelist, tuple(self.list_only))


@functools.cache
def listing(changelist: type, only: tuple[str, ...]) -> type:
    """``changelist`` whose page reads ``only`` those fields: made once a process for each
    change list and fields, not a new class on every page."""
    related = sorted({name.rsplit(LOOKUP_SEP, 1)[0] for name in only if LOOKUP_SEP in name})

    class ListedChangeList(changelist):
        def get_results(self, request):
            queryset = self.queryset
            listed = queryset.select_related(None)
            if related:  # select_related() with no names would follow every foreign key
                listed = listed.select_related(*related)
            self.queryset = listed.only(*only)
            try:
                super().get_results(request)
            finally:
                self.queryset = queryset

    return ListedChangeList
