"""Finding 5 of issue 11: login keeps working while Redis is down, and its limits hold.

The settings are evaluated afresh with ``REDIS_URL`` pointing at a closed port (what a
Redis outage looks like to the portal: connection refused), and the test client logs in
with them. Before the fix the rate limiter's cache was Redis and every login was a 500.
"""

from __future__ import annotations

import json
import os
import runpy
import time
from pathlib import Path
from unittest import mock

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.urls import reverse

import association.settings
from tests.factories import TEST_PASSWORD, UserFactory

FIGURES = Path(association.settings.BASE_DIR) / "test-artifacts" / "reliability"


def record(name: str, figures: dict) -> None:
    """The figures docs/reliability.md quotes, as this run measured them."""
    FIGURES.mkdir(parents=True, exist_ok=True)
    path = FIGURES / "redis-down.json"
    known = json.loads(path.read_text()) if path.exists() else {}
    path.write_text(json.dumps({**known, name: figures}, ensure_ascii=False, indent=2) + "\n")


pytestmark = pytest.mark.django_db

CLOSED_REDIS = "redis://127.0.0.1:1/0"
TOO_MANY = "登录失败次数过多"
WRONG = "不正确"


def production_like_settings(**environ) -> dict:
    """The settings module's values for the given environment (nothing is connected to)."""
    base = {"DATABASE_URL": "postgresql://portal@db.invalid:5432/portal", "DEBUG": "1"}
    with mock.patch.dict(os.environ, {**base, **environ}):
        return runpy.run_path(str(Path(association.settings.__file__)))


@pytest.fixture
def redis_down(settings):
    values = production_like_settings(REDIS_URL=CLOSED_REDIS)
    settings.REDIS_URL = values["REDIS_URL"]
    settings.CACHES = values["CACHES"]  # the cache handler is reset by setting_changed
    assert settings.REDIS_URL == CLOSED_REDIS
    return values


def login(email, password, ip):
    client = Client(REMOTE_ADDR=ip)
    started = time.perf_counter()
    response = client.post(reverse("account_login"), {"login": email, "password": password})
    return client, response, time.perf_counter() - started


def test_the_login_limits_live_in_postgres_whatever_redis_does(redis_down):
    backend = redis_down["CACHES"]["default"]["BACKEND"]
    assert backend == "django.core.cache.backends.db.DatabaseCache"
    assert production_like_settings()["CACHES"] == redis_down["CACHES"]


def test_it_logs_in_while_redis_is_down(redis_down):
    UserFactory(email="li@example.org")
    Client().get(reverse("account_login"))  # the process's first request loads the URLconf
    client, response, seconds = login("li@example.org", TEST_PASSWORD, "10.0.0.1")
    assert response.status_code == 302
    assert client.get(reverse("home")).context["user"].email == "li@example.org"
    assert seconds < 2
    record("login", {"redis_url": CLOSED_REDIS, "status": 302, "seconds": round(seconds, 3)})


def test_a_brute_force_during_the_outage_is_still_limited(redis_down):
    UserFactory(email="target@example.org")
    UserFactory(email="bystander@example.org")
    outcomes = []
    # 15 wrong passwords for one account, each from another address (a botnet): the
    # per-account limit (5 failures in 5 minutes) is the one that must hold.
    for n in range(15):
        _, response, _ = login("target@example.org", f"guess-{n}", f"10.0.1.{n + 1}")
        assert response.status_code == 200
        page = response.content.decode()
        outcomes.append("limited" if TOO_MANY in page else "checked" if WRONG in page else "?")
    assert outcomes == ["checked"] * 5 + ["limited"] * 10
    record(
        "brute_force",
        {
            "wrong_passwords": len(outcomes),
            "addresses": len(outcomes),
            "checked": outcomes.count("checked"),
            "refused_by_limit": outcomes.count("limited"),
        },
    )

    # While the limit holds, the right password is refused too, from a fresh address.
    client, response, _ = login("target@example.org", TEST_PASSWORD, "10.0.2.1")
    assert response.status_code == 200 and TOO_MANY in response.content.decode()
    assert not client.get(reverse("home")).context["user"].is_authenticated
    record("right_password_while_limited", {"logged_in": False})

    # The limit is on that account only: someone else logs in from the same address.
    _, response, _ = login("bystander@example.org", TEST_PASSWORD, "10.0.2.1")
    assert response.status_code == 302

    # The counters are rows of PostgreSQL, which every web worker shares.
    table = caches["default"]._table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM {connection.ops.quote_name(table)} "  # noqa: S608
            "WHERE cache_key LIKE %s",
            ["%allauth:rl:allauth.account:login_failed%"],
        )
        assert cursor.fetchone()[0] >= 1


def test_a_login_costs_a_bounded_number_of_queries(redis_down):
    from django.test.utils import CaptureQueriesContext

    UserFactory(email="li@example.org")
    client = Client(REMOTE_ADDR="10.0.3.1")
    client.get(reverse("account_login"))
    with CaptureQueriesContext(connection) as queries:
        response = client.post(
            reverse("account_login"), {"login": "li@example.org", "password": TEST_PASSWORD}
        )
    assert response.status_code == 302
    table = caches["default"]._table
    on_cache = [query for query in queries.captured_queries if table in query["sql"]]
    record("login_queries", {"all": len(queries), "on_the_cache_table": len(on_cache)})
    assert len(queries) <= 100
