"""The cast of personas, and helpers shared by every app's tests.

Personas (STYLE.md): an officer, a staff member, the admin of organisation A, the admin
of organisation B, a station worker, an official, an expert, an applicant and an
outsider with no role. Apps attach them to their rows in their own fixtures.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

import pytest
from django.db import connection
from django.http import HttpRequest
from django.test.utils import CaptureQueriesContext

from association.accounts.choices import Role

from .factories import UserFactory
from .template_db import use_template

PERSONA_ROLES = {
    "officer": [Role.OFFICER],
    "staff": [Role.STAFF],
    "org_admin_a": [Role.ORG_ADMIN],
    "org_admin_b": [Role.ORG_ADMIN],
    "station_worker": [Role.STATION_WORKER],
    "official": [Role.OFFICIAL],
    "expert": [Role.EXPERT],
    "applicant": [Role.APPLICANT],
    "outsider": [],
}
STAFF_PERSONAS = {"officer", "staff"}


@dataclass
class Cast:
    officer: object
    staff: object
    org_admin_a: object
    org_admin_b: object
    station_worker: object
    official: object
    expert: object
    applicant: object
    outsider: object

    def items(self):
        return [(name, getattr(self, name)) for name in PERSONA_ROLES]


def require_services() -> bool:
    """CI sets REQUIRE_SERVICES=1: a missing Redis or browser fails instead of skipping."""
    return os.environ.get("REQUIRE_SERVICES") == "1"


@pytest.fixture(scope="session")
def django_db_modify_db_settings(
    request,
    django_db_modify_db_settings_parallel_suffix,
    django_db_keepdb,
    django_db_createdb,
    django_db_blocker,
):
    """xdist workers copy one migrated template instead of each migrating (template_db)."""
    with django_db_blocker.unblock():
        use_template(request.config, keepdb=django_db_keepdb and not django_db_createdb)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.SMS_BACKEND = "association.accounts.sms.LocmemSMSBackend"


@pytest.fixture(autouse=True)
def _empty_cache_after_committed_tests(request):
    """The cache is a table (DatabaseCache) that a flush does not empty: a test whose
    writes are committed (a live server, a transactional test) empties it afterwards, so
    that the next test sees no page cached from it (the public home, say). The figures
    this process keeps (association/changes.py; only outside a transaction, so only in
    such tests) are dropped after every test."""
    from association import changes

    yield
    changes.forget()
    if {"live_server", "transactional_db"} & set(request.fixturenames):
        from django.core.cache import cache

        cache.clear()


@pytest.fixture(autouse=True)
def _second_factor_on_test_login(request, monkeypatch):
    """``client.force_login(user)`` stands for a complete login, second factor included.

    Staff, officers and experts need a second factor on every page (accounts/middleware.py);
    a test client's login records one, as force_login already skips the password. Tests of
    the second factor itself are marked ``real_mfa`` and log in as a password thief would.
    """
    if request.node.get_closest_marker("real_mfa"):
        return
    from allauth.account.internal.flows.login import record_authentication
    from django.test.client import ClientMixin

    original = ClientMixin._login

    def login_with_second_factor(self, user, backend=None):
        original(self, user, backend)
        fake = HttpRequest()
        fake.session = self.session
        fake.user = user
        record_authentication(fake, user, "mfa", type="totp")
        fake.session.save()

    monkeypatch.setattr(ClientMixin, "_login", login_with_second_factor)


@pytest.fixture
def cast(db) -> Cast:
    users = {}
    for name, roles in PERSONA_ROLES.items():
        users[name] = UserFactory(
            email=f"{name.replace('_', '-')}@example.org",
            display_name=name,
            is_staff=name in STAFF_PERSONAS,
            roles=[role.value for role in roles],
        )
    return Cast(**users)


@pytest.fixture
def client_for(client):
    """``client_for(user)``: a test client logged in as ``user`` (or anonymous for None)."""
    from django.test import Client

    def make(user):
        new = Client()
        if user is not None:
            new.force_login(user)
        return new

    return make


class QueryCounter:
    """Counts the queries of a block: ``with count_queries() as q: ...; q.count``."""

    def __call__(self):
        return CaptureQueriesContext(connection)


@pytest.fixture
def count_queries():
    return QueryCounter()


def assert_constant_queries(fetch, grow, *, small=5, large=50):
    """A page costs the same number of queries with ``small`` and ``large`` rows.

    ``grow(n)`` makes the page show ``n`` rows (it is called with ``small`` and then with
    ``large - small``); ``fetch()`` requests the page and returns the response.
    Returns the count, so a test can also pin it to a budget.
    """
    grow(small)
    fetch()  # warm caches (content types, sessions) before counting
    with CaptureQueriesContext(connection) as few:
        response = fetch()
    assert response.status_code == 200, response.status_code
    grow(large - small)
    with CaptureQueriesContext(connection) as many:
        response = fetch()
    assert response.status_code == 200, response.status_code
    assert len(many) == len(few), (
        f"{len(few)} queries with {small} rows but {len(many)} with {large}:\n"
        + "\n".join(q["sql"] for q in many.captured_queries)
    )
    return len(few)


def prepared_statements(starting: str) -> list[tuple[int, int]]:
    """(generic plans, custom plans) of each statement prepared on this connection, by
    psycopg (not SQL's PREPARE), whose text starts with ``starting``."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT generic_plans, custom_plans FROM pg_prepared_statements"
            " WHERE starts_with(statement, %s) AND from_sql IS FALSE",
            [starting],
        )
        return cursor.fetchall()


def tables_read(compute) -> set[str]:
    """The tables the queries of ``compute()`` read (FROM and JOIN, subqueries included)."""
    with CaptureQueriesContext(connection) as queries:
        compute()
    return {
        name
        for query in queries.captured_queries
        for name in re.findall(r'(?:FROM|JOIN)\s+"(\w+)"', query["sql"])
    }


def tables_logging_changes(topic: str) -> set[str]:
    """The tables whose changes are logged under ``topic`` (association/changes.py), as the
    database's triggers have them."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT c.relname FROM pg_trigger t"
            " JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_proc p ON p.oid = t.tgfoid"
            " WHERE p.prosrc LIKE %s",
            [f"%association_tablechange (topic) VALUES %('{topic}')%"],
        )
        return {name for (name,) in cursor.fetchall()}
