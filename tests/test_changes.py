"""Figures kept until their tables change (association/changes.py): the generation is the
database's count of committed changes, whoever wrote them, and kept figures are never
older than it.

These tests commit (``transaction=True``): kept figures are used only outside a
transaction, and a change is counted only once it is committed."""

from __future__ import annotations

import re

import psycopg
import pytest
from django.db import connection, transaction
from django.utils import timezone

from association import changes
from tests.conftest import tables_logging_changes, tables_read

pytestmark = pytest.mark.django_db(transaction=True)

TABLES = [
    "members_membership",
    "members_dues",
    "members_socialworker",
    "members_organisation",
    "regions_region",
]


def _generation_elsewhere():
    """The generation as another connection (another gunicorn worker) reads it."""
    with psycopg.connect(**connection.get_connection_params()) as other:
        return other.execute(
            "SELECT COALESCE((SELECT pruned FROM association_tablechangetotal"
            " WHERE topic = 'members'), 0)"
            " + (SELECT COUNT(*) FROM association_tablechange WHERE topic = 'members')"
        ).fetchone()[0]


@pytest.mark.parametrize("table", TABLES)
def test_any_statement_on_a_members_table_is_a_new_generation(table):
    before = changes.generation("members")
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET id = id WHERE id < 0")  # noqa: S608 (a constant)
    after = changes.generation("members")
    assert after[0] == before[0] + 1
    assert after[1] > before[1]


def test_a_change_counts_once_it_is_committed_and_not_if_rolled_back():
    before = _generation_elsewhere()
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("UPDATE members_dues SET id = id WHERE id < 0")
        assert _generation_elsewhere() == before  # not committed yet
    assert _generation_elsewhere() == before + 1
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("UPDATE members_dues SET id = id WHERE id < 0")
            raise RuntimeError("rolled back")
    except RuntimeError:
        pass
    assert _generation_elsewhere() == before + 1


def test_figures_are_kept_until_a_table_changes():
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    assert changes.since_last_change("members", "k", compute) == 1
    assert changes.since_last_change("members", "k", compute) == 1
    assert changes.since_last_change("members", "other key", compute) == 2
    with connection.cursor() as cursor:
        cursor.execute("UPDATE members_membership SET id = id WHERE id < 0")
    assert changes.since_last_change("members", "k", compute) == 3


def test_inside_a_transaction_figures_are_computed_and_not_kept():
    calls = []
    with transaction.atomic():
        assert changes.since_last_change("members", "k", lambda: calls.append(1) or 1) == 1
        assert changes.since_last_change("members", "k", lambda: calls.append(1) or 2) == 2
    assert list(changes._memo) == []


def test_the_kept_figures_are_bounded(monkeypatch):
    monkeypatch.setattr(changes._memo, "size", 2)
    for key in ["a", "b", "c"]:
        changes.since_last_change("members", key, lambda: 0)
    assert [full_key[-1] for full_key in changes._memo] == ["b", "c"]


def test_pruning_folds_the_log_and_keeps_the_generation():
    with connection.cursor() as cursor:
        for _ in range(3):
            cursor.execute("UPDATE members_dues SET id = id WHERE id < 0")
    before = changes.generation("members")
    assert changes.prune() >= 3
    assert changes.generation("members") == before
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM association_tablechange")
        assert cursor.fetchone()[0] == 0
        cursor.execute("UPDATE members_dues SET id = id WHERE id < 0")
    after = changes.generation("members")
    assert after[0] == before[0] + 1 and after[1] > before[1]
    assert changes.prune() == 2  # logged under "members" and "members.standing"
    assert changes.generation("members") == after


def test_the_overview_shows_a_change_at_once():
    """The overview's figures are kept between views, and a change to a membership shows
    on the next view: no figure older than the database."""
    from members.choices import MembershipStatus
    from members.models import Membership
    from members.selectors import members_overview
    from members.standing import filter_standing
    from tests.members.factories import bulk_memberships

    today = timezone.localdate()
    bulk_memberships(30, today=today, seed=5)

    def individual():
        return dict(members_overview(today=today).by_status["个人会员"])

    def logged():
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM association_tablechange")
            return cursor.fetchone()[0]

    first, log = individual(), logged()
    assert individual() == first and logged() == log  # kept, and reading changed nothing
    member = filter_standing(
        Membership.objects.with_standing(today), MembershipStatus.CURRENT, today
    ).first()
    Membership.objects.filter(pk=member.pk).update(state="suspended")
    after = individual()
    assert after["有效"] == first["有效"] - 1
    assert after["暂停资格"] == first["暂停资格"] + 1


def test_beat_prunes_the_log_every_night():
    from association.celery import app
    from association.tasks import prune_changes_task

    entry = app.conf.beat_schedule["association-prune-changes"]
    assert entry["task"] == prune_changes_task.name
    with connection.cursor() as cursor:
        cursor.execute("UPDATE members_dues SET id = id WHERE id < 0")
    before = changes.generation("members")
    assert prune_changes_task() >= 1
    assert changes.generation("members") == before


def test_the_overview_page_kept_costs_one_query_for_its_figures(cast, client_for):
    """Viewed again with nothing changed, the overview asks only the generation for its
    figures (and the session, user, roles and menu as every page)."""
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from tests.members.factories import bulk_memberships

    bulk_memberships(20, today=timezone.localdate(), seed=7)
    client = client_for(cast.staff)
    first = client.get(reverse("members:overview"))
    assert first.status_code == 200
    with CaptureQueriesContext(connection) as queries:
        again = client.get(reverse("members:overview"))
    main = re.compile(rb"<main.*</main>", re.DOTALL)  # the figures (not the CSRF token)
    assert main.search(again.content).group() == main.search(first.content).group()
    menu = '"unread"'  # the menu's facts, which ask about the user's memberships too
    figures = [
        q["sql"]
        for q in queries.captured_queries
        if "members_" in q["sql"] and menu not in q["sql"]
    ]
    assert figures == [], figures
    assert sum("association_tablechange" in q["sql"] for q in queries.captured_queries) == 1
    assert len(queries) == 5  # session, user, roles, generation, menu


def test_every_table_the_overview_reads_logs_its_changes():
    """A table the kept figures read without a trigger would let them go stale: every
    table each part of the overview reads logs its changes under that part's topic."""
    from members.selectors import _register_counts, _standing_counts
    from tests.members.factories import bulk_memberships

    today = timezone.localdate()
    bulk_memberships(5, today=today, seed=9)
    standing = tables_read(lambda: _standing_counts(today))
    assert {"members_membership", "members_dues"} <= standing
    # The kept standing's own tables change only with those two: their triggers mark the
    # memberships that the count computes again before it sums (members.models.standing).
    kept = {f"members_standing{t}" for t in ("span", "change", "pending", "rules")}
    assert standing - kept <= tables_logging_changes("members.standing")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT c.relname FROM pg_trigger t"
            " JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_proc p ON p.oid = t.tgfoid"
            " WHERE p.prosrc LIKE '%INSERT INTO members_standingpending%'"
        )
        assert {name for (name,) in cursor.fetchall()} == tables_logging_changes("members.standing")
    register = tables_read(_register_counts)
    # The workers by county and the certificates by year are kept by the triggers of the
    # workers' table (members.models.register): they change with it, in the same statement,
    # so the workers' statements log the register's changes.
    register_kept = {"members_registercount", "members_certificatecount"}
    assert register_kept <= register
    assert "members_socialworker" in tables_logging_changes("members.register")
    assert register - register_kept <= tables_logging_changes("members.register")
    # The members topic (the admin's kept counts) holds both.
    assert (standing - kept) | (register - register_kept) <= tables_logging_changes("members")


def test_a_dues_change_recounts_the_standing_and_not_the_register(cast, client_for):
    """A payment recounts the overview's standing; the workers by county stay kept until a
    worker, organisation or region changes."""
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from tests.members.factories import bulk_memberships

    bulk_memberships(10, today=timezone.localdate(), seed=11)
    client = client_for(cast.staff)
    url = reverse("members:overview")
    assert client.get(url).status_code == 200

    def tables_counted_again(statement):
        with connection.cursor() as cursor:
            cursor.execute(statement)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        sql = " ".join(q["sql"] for q in queries.captured_queries if '"unread"' not in q["sql"])
        return {t for t in ("members_standingchange", "members_registercount") if f'"{t}"' in sql}

    # (the standing is summed from its kept changes, members_standingchange; the register
    # read from its kept counts, members_registercount)
    assert tables_counted_again("UPDATE members_dues SET id = id WHERE id < 0") == {
        "members_standingchange"
    }
    assert tables_counted_again("UPDATE members_socialworker SET id = id WHERE id < 0") == {
        "members_registercount"
    }
    assert tables_counted_again("UPDATE regions_region SET id = id WHERE id < 0") == {
        "members_registercount"
    }
