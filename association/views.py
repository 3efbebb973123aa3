"""The portal shell: home page, health check."""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from association.accounts.choices import Role

logger = logging.getLogger(__name__)


def home(request: HttpRequest) -> HttpResponse:
    roles = []
    if request.user.is_authenticated:
        names = set(request.user.groups.values_list("name", flat=True))
        roles = [role.label for role in Role if role.value in names]
    return render(request, "home.html", {"roles": roles})


@never_cache
def health(request: HttpRequest) -> JsonResponse:
    """Database and (when configured) Redis: 200 when all answer, 503 otherwise."""
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
    return JsonResponse(
        {"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503
    )
