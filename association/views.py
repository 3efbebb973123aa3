"""The portal shell: home page, health check, the page of a database outage."""

from __future__ import annotations

import logging
import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.views import defaults
from django.views.decorators.cache import never_cache

from association import heartbeat
from association.accounts.choices import Role
from association.accounts.roles import has_role
from association.todo import todo_items

logger = logging.getLogger(__name__)


def home(request: HttpRequest) -> HttpResponse:
    """What the user has to do (every app's ``todo.py``), then the menu as cards."""
    roles, items = [], []
    if request.user.is_authenticated:
        roles = [role.label for role in Role if has_role(request.user, role)]
        items = todo_items(request.user)
    return render(
        request, "home.html", {"roles": roles, "todo_items": items, "today": timezone.localdate()}
    )


@never_cache
def health(request: HttpRequest) -> JsonResponse:
    """Database and (when configured) Redis: 200 when all answer, 503 otherwise.

    The Celery worker and beat are reported from their heartbeat rows (``worker``,
    ``beat``: "ok", "stale (last seen N s ago)", "never seen"), one query and no broker
    round trip. They do not fail the probe: the container health check and the load
    balancer use it, and a web process must not be restarted because the worker is down;
    ``status`` says "degraded" instead. Monitoring that should alert on them asks for
    ``/health/?strict=1``, which answers 503 unless both are "ok" too.
    """
    checks: dict[str, str] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as exc:
        logger.error("health: database: %s", exc)
        checks["database"] = "error"
    if settings.REDIS_URL:
        import redis

        try:
            client = redis.Redis.from_url(
                settings.REDIS_URL,
                socket_timeout=settings.REDIS_SOCKET_TIMEOUT,
                socket_connect_timeout=settings.REDIS_SOCKET_TIMEOUT,
            )
            client.ping()
            checks["redis"] = "ok"
        except Exception as exc:
            logger.error("health: redis: %s", exc)
            checks["redis"] = "error"
    else:
        checks["redis"] = "not configured"
    healthy = all(value in ("ok", "not configured") for value in checks.values())
    background = background_health(database_up=checks["database"] == "ok")
    background_ok = all(value in ("ok", "not configured") for value in background.values())
    if request.GET.get("strict") == "1":
        healthy = healthy and background_ok
    status = "error" if not healthy else "ok" if background_ok else "degraded"
    return JsonResponse({"status": status, **checks, **background}, status=200 if healthy else 503)


def background_health(*, database_up: bool) -> dict[str, str]:
    """The worker's and beat's heartbeats (``association.heartbeat``) for /health/."""
    if not settings.REDIS_URL:  # tasks run in-process: there is no worker or beat to watch
        return {"worker": "not configured", "beat": "not configured"}
    if not database_up:
        return {"worker": "unknown", "beat": "unknown"}
    try:
        return heartbeat.status()
    except Exception as exc:
        logger.error("health: heartbeat: %s", exc)
        return {"worker": "unknown", "beat": "unknown"}


# A PostgreSQL that refuses connections (or drops them) is an outage, not a bug: the
# visitor is asked to come back, and a load balancer or client sees 503 and Retry-After.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 60


def database_unavailable(exc: BaseException | None) -> bool:
    """Whether ``exc`` is, or was raised while handling, a lost database connection."""
    for _depth in range(5):
        if exc is None:
            return False
        if isinstance(exc, DATABASE_UNAVAILABLE):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: 503 with the maintenance page when the database is down, else the 500.

    Django calls it for an exception raised anywhere (a view or a middleware loading the
    session), inside the ``except`` block, so ``sys.exc_info()`` names the exception.
    The page is rendered without the request: no context processor, no database query.
    """
    if not database_unavailable(sys.exc_info()[1]):
        return defaults.server_error(request)
    response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response
