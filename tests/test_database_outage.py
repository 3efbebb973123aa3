"""Issue 11, finding 6: a PostgreSQL outage answers 503 with a Chinese maintenance page.

The connection is broken the way an outage breaks it: every attempt to open a cursor
raises ``OperationalError`` (connection refused). The test client does not re-raise the
exception, so the response is the one a visitor would get.
"""

from __future__ import annotations

import json
import time

import pytest
from django.conf import settings
from django.db import InterfaceError, OperationalError, connection
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

REFUSED = 'connection to server at "127.0.0.1", port 5432 failed: Connection refused'


@pytest.fixture
def database_down(monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError(REFUSED)

    def down():
        monkeypatch.setattr(connection, "cursor", refuse)
        monkeypatch.setattr(connection, "chunked_cursor", refuse)

    return down


def visitor(user=None):
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


def assert_maintenance_page(response):
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    assert '<html lang="zh-hans">' in page
    assert "系统维护中" in page and "数据库暂时无法连接" in page


def test_a_signed_in_member_gets_the_maintenance_page(database_down):
    client = visitor(UserFactory(email="li@example.org"))
    assert client.get(reverse("home")).status_code == 200  # and the URLconf is loaded
    database_down()
    # The session and user load in a middleware, before any view.
    started = time.perf_counter()
    assert_maintenance_page(client.get(reverse("home")))
    seconds = time.perf_counter() - started
    assert_maintenance_page(client.get(reverse("members:worker_profile")))
    figures = settings.BASE_DIR / "test-artifacts" / "reliability"
    figures.mkdir(parents=True, exist_ok=True)
    (figures / "postgres-down.json").write_text(
        json.dumps({"status": 503, "retry_after": 60, "seconds": round(seconds, 3)}) + "\n"
    )


def test_an_anonymous_visitor_gets_the_maintenance_page_from_a_view(database_down):
    database_down()
    # An anonymous request reaches the view before it queries anything. The code is
    # well-formed, so the view asks the database (a malformed one, like "any-code", gets
    # the 404 page without a query).
    assert_maintenance_page(visitor().get(reverse("verify", args=["anycode"])))


def test_a_dropped_connection_is_an_outage_too(monkeypatch):
    client = visitor(UserFactory(email="li@example.org"))

    def dropped(*args, **kwargs):
        raise InterfaceError("connection already closed")

    monkeypatch.setattr(connection, "cursor", dropped)
    assert_maintenance_page(client.get(reverse("home")))


def test_the_health_check_keeps_its_own_answer(database_down):
    database_down()
    response = visitor().get(reverse("health"))
    assert response.status_code == 503
    assert response.json()["database"] == "error"


def test_other_errors_stay_500(rf):
    from association.views import server_error

    try:
        raise RuntimeError("a bug")
    except RuntimeError:
        response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "服务器错误" in response.content.decode()


def test_an_error_raised_while_handling_a_lost_connection_is_an_outage(rf):
    from association.views import server_error

    try:
        try:
            raise OperationalError(REFUSED)
        except OperationalError as lost:
            raise RuntimeError("the view's own handling failed") from lost
    except RuntimeError:
        response = server_error(rf.get("/"))
    assert_maintenance_page(response)
