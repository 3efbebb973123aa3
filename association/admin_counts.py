"""The admin's change list counts, kept until their tables change.

A change list counts the rows its filters select on every page, for the paginator. Most
counts are cheap, but not the large lists' at province scale: the current memberships
(``?standing=current``) count the standing of 25,000 memberships through two joins to
their dues, 40–45 ms of the page's 110 (docs/performance.md, seventh round); the 149,000
monthly reports and 108,000 dues take 7 ms each. The same count is asked for again on
every page of the list, and by every member of staff, while the tables change a few times
an hour.

:class:`KeptCountPaginator` keeps each count with :func:`association.changes.
since_last_change`: under the generation of its topic's tables, keyed by the count's SQL
and parameters (the day of the standing rule is one), so it is counted again as soon as
any of those tables has a committed change. It keeps nothing when the query reads a table
outside the topic (a filter or a search that joins one) or reads the clock in SQL
(``CURRENT_DATE``, ``NOW()``), whose answer could change with no change to the tables.
"""

from __future__ import annotations

import re
from functools import cached_property

from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.db.models.query import QuerySet

from association import changes

# Every name after a FROM or a JOIN, subqueries included, quoted (as Django writes a table)
# or not (raw SQL); a name that is not a table of the topic (a function) keeps nothing.
_TABLES = re.compile(r'\b(?:FROM|JOIN)\s+"?([A-Za-z_][\w$]*)"?', re.IGNORECASE)
_CLOCK = re.compile(
    r"\b(?:CURRENT_DATE|CURRENT_TIME|CURRENT_TIMESTAMP|LOCALTIME|LOCALTIMESTAMP|NOW"
    r"|STATEMENT_TIMESTAMP|CLOCK_TIMESTAMP|TRANSACTION_TIMESTAMP|TIMEOFDAY|RANDOM)\b",
    re.IGNORECASE,
)

_counts = changes.memo(256)


def keepable(sql: str, topic: str) -> bool:
    """Whether a query's answer changes only with ``topic``'s tables."""
    tables = set(_TABLES.findall(sql))
    return bool(tables) and tables <= changes.TOPICS[topic] and not _CLOCK.search(sql)


def _counted(query):
    """``query`` as far as its count depends on it, for the key: without its ordering, its
    related rows and its columns, which Django's ``count()`` leaves out as well. Compiling
    the key took 1.2 ms of the current memberships' page with them, 0.5 without
    (docs/performance.md, the eighteenth round). A query whose rows depend on its columns
    or on a window (DISTINCT, GROUP BY, a combination, a slice, a window's filter) keeps
    them; the SQL is only a key, never run."""
    if (
        query.distinct
        or query.group_by is not None
        or query.combinator
        or query.is_sliced
        or query.where.contains_over_clause
    ):
        return query
    counted = query.clone()
    counted.clear_ordering(force=True)
    counted.select_related = False
    counted.clear_select_fields()
    counted.default_cols = False
    counted.set_annotation_mask(())
    counted.set_extra_mask(())
    return counted


class KeptCountPaginator(Paginator):
    """Django's paginator, its count kept until one of ``topic``'s tables changes."""

    topic = ""

    @cached_property
    def count(self):
        rows = self.object_list
        if not isinstance(rows, QuerySet):
            return super().count
        try:
            sql, params = _counted(rows.query).sql_with_params()
        except EmptyResultSet:  # .none(), or a filter that can match nothing: no query
            return rows.count()
        if not keepable(sql, self.topic):
            return rows.count()
        key = ("admin count", rows.db, sql, repr(params))
        return changes.since_last_change(self.topic, key, rows.count, memo=_counts)


def kept_count(topic: str) -> type[KeptCountPaginator]:
    """The paginator of a change list whose rows come from ``topic``'s tables."""
    if topic not in changes.TOPICS:
        raise ValueError(topic)
    return type(f"KeptCountPaginator[{topic}]", (KeptCountPaginator,), {"topic": topic})
