"""The portal's menu (association/navigation.py): every app's facts about the user in one
query, and the same menu as each app's ``portal_nav`` asking its own facts."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext

from association.accounts.models import User
from association.navigation import nav_items
from association.notifications.models import Notification

from .conftest import prepared_statements
from .test_query_budgets import dataset  # noqa: F401  (a fixture: the tiny bench dataset)


def _fresh(user):
    return User.objects.get(pk=user.pk)  # no roles cached on the object


def _alone(user) -> list[str]:
    """The entries of every app, each app asking its own facts (one query or more an app)."""
    labels = []
    for config in apps.get_app_configs():
        if hasattr(config, "portal_nav"):
            labels += [str(item.label) for item in config.portal_nav(user)]
    return labels


@pytest.mark.usefixtures("dataset")
def test_the_menu_from_one_query_of_facts_is_each_apps_own(cast):
    for name, user in cast.items():
        together = [str(item.label) for item in nav_items(_fresh(user))]
        added = ["我的通知", "管理后台"] if user.is_staff else ["我的通知"]
        assert sorted(together) == sorted(_alone(_fresh(user)) + added), name


@pytest.mark.usefixtures("dataset")
def test_the_menu_costs_the_roles_the_facts_and_an_admins_organisations(cast):
    for name, user, expected in [
        ("staff", cast.staff, 2),  # the user's roles, the facts
        ("official", cast.official, 2),
        ("station_worker", cast.station_worker, 2),
        ("org_admin_a", cast.org_admin_a, 3),  # and the organisations' names
        ("outsider", cast.outsider, 2),
    ]:
        user = _fresh(user)
        with CaptureQueriesContext(connection) as queries:
            nav_items(user)
        assert len(queries) == expected, (name, [q["sql"][:120] for q in queries.captured_queries])


def test_the_unread_badge_counts_the_users_unread_notifications(cast):
    def badge():
        [item] = [i for i in nav_items(_fresh(cast.staff)) if str(i.label) == "我的通知"]
        return item.badge

    assert badge() == 0
    Notification.objects.create(user=cast.staff, kind="test", title="一")
    Notification.objects.create(user=cast.staff, kind="test", title="二")
    Notification.objects.create(user=cast.outsider, kind="test", title="三")
    assert badge() == 2
    Notification.objects.filter(user=cast.staff, title="一").update(read_at="2026-01-01T00:00Z")
    assert badge() == 1


@pytest.mark.usefixtures("dataset")
def test_a_user_sees_stations_in_the_menu_exactly_when_the_station_list_has_rows(cast):
    """The stations' fact (each way to see a station as its own EXISTS) and the list's
    filter (``Station.objects.visible_to``) give the same answer for everyone."""
    from association.navigation import user_facts
    from stations.models import Station

    for name, user in cast.items():
        user = _fresh(user)
        if user.is_staff:
            continue
        facts = user_facts(user, {"sees": Station.objects.any_visible_to(user)})
        assert facts["sees"] == Station.objects.visible_to(user).exists(), name


@pytest.mark.usefixtures("dataset")
def test_the_facts_query_is_compiled_once_a_user_roles_and_day(cast, monkeypatch):
    """The SQL of the facts is kept for the user, their roles and the day; the answers are
    the database's on every page (a new notification shows at once), and a new role or a
    new day compiles the query again."""
    import datetime

    from django.contrib.auth.models import Group
    from django.utils import timezone

    from association import navigation
    from association.accounts.choices import Role

    compiled = []
    menu_query = navigation._menu_query
    monkeypatch.setattr(
        navigation, "_menu_query", lambda user: compiled.append(user.pk) or menu_query(user)
    )
    navigation._compiled.clear()
    user = cast.outsider

    def badge():
        [item] = [i for i in nav_items(_fresh(user)) if str(i.label) == "我的通知"]
        return item.badge

    assert badge() == 0
    Notification.objects.create(user=user, kind="test", title="一")
    assert badge() == 1
    assert compiled == [user.pk]

    user.groups.add(Group.objects.get(name=Role.STAFF.value))
    assert "财务" in [str(i.label) for i in nav_items(_fresh(user))]
    assert compiled == [user.pk, user.pk]

    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda: tomorrow)
    nav_items(_fresh(user))
    assert compiled == [user.pk, user.pk, user.pk]


def test_the_compiled_queries_kept_are_bounded(cast, monkeypatch):
    from association import navigation

    monkeypatch.setattr(navigation._compiled, "size", 2)
    navigation._compiled.clear()
    for user in [cast.staff, cast.official, cast.outsider]:
        nav_items(_fresh(user))
    assert [key[0] for key in navigation._compiled] == [cast.official.pk, cast.outsider.pk]


def _menu_statements():
    """The menu's facts among the statements prepared on this connection: (generic plans,
    custom plans) of each."""
    return prepared_statements("SELECT COALESCE((SELECT COUNT(")


def test_the_facts_query_is_prepared_on_the_connection(cast):
    """The facts' query is a prepared statement, one for users of the same roles: its
    parsing and planning are the database's once a connection, not once a page."""
    before = sum(g + c for g, c in _menu_statements())
    for user in [cast.org_admin_a, cast.org_admin_b, cast.org_admin_a]:
        with CaptureQueriesContext(connection) as queries:
            nav_items(_fresh(user))
        assert any("COUNT(" in q["sql"] for q in queries.captured_queries)  # still counted
    statements = _menu_statements()
    assert sum(g + c for g, c in statements) == before + 3
    assert len(statements) == 1


def test_without_preparing_the_facts_query_runs_as_any_other(cast, monkeypatch):
    """``DATABASE_PREPARE=0`` (psycopg's ``prepare_threshold`` None), for a pooler that
    cannot keep a session's statements: the same menu, and nothing prepared."""
    connection.ensure_connection()
    monkeypatch.setattr(connection.connection, "prepare_threshold", None)
    before = _menu_statements()
    labels = [str(item.label) for item in nav_items(_fresh(cast.staff))]
    assert "财务" in labels
    assert _menu_statements() == before
