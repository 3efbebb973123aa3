"""The heartbeat of the Celery worker and beat, as /health/ reports it.

Beat sends the ``association.heartbeat`` task every minute (the ``association-heartbeat``
entry in ``association/celery.py``). Publishing it stamps the ``beat`` row (a signal in the
process that sent it, the beat process), and a worker running it stamps the ``worker`` row.
So ``/health/`` tells, with one query and no broker round trip:

- beat ok, worker ok: both run;
- beat ok, worker stale: beat sends, nobody runs what it sends (the worker is down or stuck);
- both stale: beat is down (or Redis: ``redis`` says which), so nothing can be said of the
  worker beyond its last sign of life.

A source is stale when its row is older than ``STALE_AFTER`` (three missed beats).
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from .models import Heartbeat

TASK_NAME = "association.heartbeat"
INTERVAL = timedelta(seconds=60)
STALE_AFTER = 3 * INTERVAL


def beat(source: str) -> None:
    """Stamp ``source`` (a ``Heartbeat.Source``) as alive now: one upsert."""
    Heartbeat.objects.bulk_create(
        [Heartbeat(source=source, seen_at=timezone.now())],
        update_conflicts=True,
        unique_fields=["source"],
        update_fields=["seen_at"],
    )


def status() -> dict[str, str]:
    """``{"worker": ..., "beat": ...}``: "ok", "stale (last seen N s ago)" or "never seen"."""
    now = timezone.now()
    seen = dict(Heartbeat.objects.values_list("source", "seen_at"))
    result = {}
    for source in Heartbeat.Source.values:
        at = seen.get(source)
        if at is None:
            result[source] = "never seen"
        elif now - at <= STALE_AFTER:
            result[source] = "ok"
        else:
            result[source] = f"stale (last seen {int((now - at).total_seconds())} s ago)"
    return result
