"""Figures kept between requests until their tables change, and never longer.

Some figures are counted over every row of a few tables: the members overview counts the
standing of every membership and the workers of every county (about 80 ms at province
scale, 25,000 memberships, against 19 ms for a city), the coverage dashboard every station,
staff assignment and report of its area (about 105 ms), and both are read far more often
than those tables change. :func:`since_last_change` keeps such figures in the process, keyed
by the *generation* of their topic, and computes them again once any of the topic's
tables has changed.

The generation comes from the database, not from the code that writes: a statement-level
trigger on each of a topic's tables (:func:`trigger`, in the models' ``Meta.triggers``)
adds a :class:`~association.models.TableChange` row in the writing statement's own
transaction, whatever wrote (a service, the admin, an import, ``COPY``, a migration).
The generation is the number of those rows that are committed, with the highest id: it
changes exactly when a change to the tables is committed. Writers only insert, so they
never wait on one another. :func:`generation` reads it in one query, before the figures
are computed, so kept figures are never older than the generation they are kept under.

Inside a transaction (``atomic``) nothing is kept or reused: the transaction sees its own
changes, which may be rolled back. Figures are kept per process (``MEMO_MAX`` at most), so
each gunicorn worker computes them once a generation.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TypeVar

import pgtrigger
from django.db import connection

from association.kept import Kept

T = TypeVar("T")

MEMO_MAX = 32
_memo = Kept(MEMO_MAX)
_other_memos: list[Kept] = []  # memo()'s, for forget()

# The tables each topic's figures are read from. Each table's trigger logs a change under
# every topic that reads it; tests/test_changes.py checks that the kept figures read no
# table outside their topic.
#
# A page whose figures fall into parts that read different tables keeps each part under a
# narrower topic, so that a change recounts only the parts that read it: a dues payment,
# the commonest change, recounts the members overview's standing but not its counts of the
# workers by county, and a monthly report recounts the coverage dashboard's reporting rates
# and volumes but not its coverage, staffing and build plan (:func:`since_last_changes`).
TOPICS = {
    "members": {
        "members_membership",
        "members_dues",
        "members_socialworker",
        "members_organisation",
        "regions_region",
    },
    "members.standing": {"members_membership", "members_dues"},
    "members.register": {"members_socialworker", "members_organisation", "regions_region"},
    # A worker's qualification reaches the coverage through their assignments, which keep it
    # (StaffAssignment.certified): a change to a worker recounts it only through them.
    "stations.coverage": {
        "stations_station",
        "stations_stationstatuschange",
        "stations_staffassignment",
        "stations_buildtarget",
        "regions_region",
    },
    "stations.reports": {
        "stations_servicereport",
        "stations_areayeartotal",
        "stations_servicearea",
        "stations_station",
        "stations_stationstatuschange",
        "regions_region",
    },
    "stations": {
        "stations_station",
        "stations_stationstatuschange",
        "stations_staffassignment",
        "stations_servicereport",
        "stations_areayeartotal",
        "stations_servicearea",
        "stations_buildtarget",
        "members_socialworker",
        "members_organisation",
        "regions_region",
    },
}


def trigger(table: str) -> pgtrigger.Trigger:
    """The statement-level trigger that logs a change of ``table`` under each topic that
    reads it (``TOPICS``): for the ``Meta.triggers`` of the table's model."""
    topics = sorted(topic for topic, tables in TOPICS.items() if table in tables)
    assert topics, f"{table} is in no topic of association.changes.TOPICS"
    # The topics are the constants above, never a user's value.
    values = ", ".join(f"('{topic}')" for topic in topics)
    return pgtrigger.Trigger(
        name=f"{table}_changes",
        level=pgtrigger.Statement,
        when=pgtrigger.After,
        operation=pgtrigger.Insert | pgtrigger.Update | pgtrigger.Delete | pgtrigger.Truncate,
        func=f"INSERT INTO association_tablechange (topic) VALUES {values}; RETURN NULL;",  # noqa: S608
    )


def generation(topic: str) -> tuple[int, int]:
    """The committed changes of ``topic``'s tables, as (how many, highest id)."""
    return generations([topic])[topic]


def generations(topics) -> dict[str, tuple[int, int]]:
    """:func:`generation` of each of ``topics``, in one query."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT t.topic,"
            " COALESCE(total.pruned, 0)"
            " + (SELECT COUNT(*) FROM association_tablechange c WHERE c.topic = t.topic),"
            " GREATEST(total.last_id,"
            " (SELECT MAX(id) FROM association_tablechange c WHERE c.topic = t.topic), 0)"
            " FROM unnest(%s::text[]) AS t (topic)"
            " LEFT JOIN association_tablechangetotal total ON total.topic = t.topic",
            [list(topics)],
        )
        return {topic: (int(count), int(last)) for topic, count, last in cursor.fetchall()}


def since_last_change(
    topic: str, key: Hashable, compute: Callable[[], T], memo: Kept | None = None
) -> T:
    """``compute()``, or what it returned for the same ``key`` if none of ``topic``'s
    tables has changed since. ``key`` holds everything else the figures depend on (the
    day, the rules); what ``compute`` returns is shared, so it must not be changed.
    ``memo`` keeps them elsewhere than with the pages' figures (the admin's counts, many
    and small, would push those out)."""
    return since_last_changes([(topic, key, compute)], memo=memo)[0]


def since_last_changes(
    parts: list[tuple[str, Hashable, Callable[[], object]]], memo: Kept | None = None
) -> list:
    """:func:`since_last_change` of each (topic, key, compute) of ``parts``, their
    generations read in one query: a page's figures in parts that read different tables,
    each counted again only when one of its own tables has changed."""
    if connection.in_atomic_block:
        return [compute() for _, _, compute in parts]
    current = generations({topic for topic, _, _ in parts})
    # The database's name too: a process that works on two (a test run, the benchmark)
    # could find the same generation in both.
    name = connection.settings_dict["NAME"]
    store = _memo if memo is None else memo
    return [store.get((name, topic, current[topic], key), compute) for topic, key, compute in parts]


def forget() -> None:
    """Drop every figure this process keeps (the tests, after a test that committed)."""
    _memo.clear()
    for memo in _other_memos:
        memo.clear()


def memo(size: int) -> Kept:
    """A store of its own for :func:`since_last_change`, cleared by :func:`forget` too."""
    kept = Kept(size)
    _other_memos.append(kept)
    return kept


def prune() -> int:
    """Fold every topic's logged changes into its total, in one statement a topic (so a
    reader sees the generation before or after, never between); returns the rows folded."""
    folded = 0
    with connection.cursor() as cursor:
        for topic in sorted(TOPICS):
            cursor.execute(
                "WITH gone AS (DELETE FROM association_tablechange WHERE topic = %s RETURNING id),"
                " total AS (INSERT INTO association_tablechangetotal (topic, pruned, last_id)"
                " SELECT %s, COUNT(*), COALESCE(MAX(id), 0) FROM gone"
                " ON CONFLICT (topic) DO UPDATE SET"
                " pruned = association_tablechangetotal.pruned + EXCLUDED.pruned,"
                " last_id = GREATEST(association_tablechangetotal.last_id, EXCLUDED.last_id))"
                " SELECT COUNT(*) FROM gone",
                [topic, topic],
            )
            folded += cursor.fetchone()[0]
    return folded
