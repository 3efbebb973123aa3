"""Enqueueing background work safely.

Tasks are enqueued only after the surrounding transaction commits (so the worker
sees the rows it is given the ids of), and a broker that is down never breaks the
request: the state that the task would act on is already in the database (an
outbox row, a report run), and a periodic task picks it up later.
"""

from __future__ import annotations

import logging

from django.db import transaction

logger = logging.getLogger(__name__)


def enqueue_on_commit(task, *args, **kwargs) -> None:
    """Send ``task.delay(*args, **kwargs)`` once the current transaction commits."""

    def send():
        try:
            task.apply_async(args=args, kwargs=kwargs)
        except Exception:  # the broker is down: the database still holds the work
            logger.warning("could not enqueue %s; it will run later", task.name, exc_info=True)

    transaction.on_commit(send)
