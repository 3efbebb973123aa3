"""What every app's services share: one transaction with an attributed history, and signals
sent after commit.

``@service`` on a function that writes governed data opens one transaction and a pghistory
context that names who (the ``by`` argument, else the request's user) and through what
(``"<app>.<function>"``), so every row its triggers record says so — from a view, an admin
action, a Celery task or a management command alike::

    @service
    def claim_submit(claim, *, by): ...

Entry points that run outside a request add their own name: Celery tasks
(``"task: <name>"``, set in association/celery.py) and management commands
(``history_context("seed_demo")``).
"""

from __future__ import annotations

import functools
import inspect

import pghistory
import pghistory.runtime
from django.apps import apps
from django.db import transaction
from django.dispatch import Signal


def _actor_id(bound: inspect.BoundArguments):
    for name in ("by", "user", "actor"):
        value = bound.arguments.get(name)
        if value is not None and getattr(value, "pk", None) is not None:
            return value.pk
    return None


@functools.cache
def _name(fn) -> str:
    """``"<app label>.<function>"``: ``members.membership_approve``."""
    config = apps.get_containing_app_config(fn.__module__)
    return f"{config.label if config else fn.__module__}.{fn.__name__}"


def _metadata(name: str, actor) -> dict:
    """What a service adds to the history context.

    pghistory keeps one context per outermost block (a request, a task, the demo seed), and
    every row changed inside it points to that context. The outermost block's ``action`` and
    ``user`` stay as they are; each service run inside it is added to ``services``.
    """
    current = getattr(pghistory.runtime._tracker, "value", None)
    if current is None:
        metadata = {"action": name}
        if actor is not None:
            metadata["user"] = actor
        return metadata
    services = list(dict.fromkeys([*current.metadata.get("services", []), name]))
    metadata = {"services": services[-50:]}
    if actor is not None and current.metadata.get("user") is None:
        metadata["user"] = actor
    if "action" not in current.metadata:
        metadata["action"] = name
    return metadata


def service(fn=None, *, action: str | None = None):
    """Run ``fn`` in one transaction and attribute its history to its actor and its name."""

    def decorate(fn):
        signature = inspect.signature(fn)

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            name = action or _name(fn)
            actor = _actor_id(signature.bind_partial(*args, **kwargs))
            with pghistory.context(**_metadata(name, actor)), transaction.atomic():
                return fn(*args, **kwargs)

        return wrapper

    return decorate(fn) if fn is not None else decorate


def history_context(action: str, user=None):
    """A pghistory context for work outside a request: a command, a task, the demo."""
    return pghistory.context(**_metadata(action, user.pk if user is not None else None))


def send_on_commit(signal: Signal, sender: str, **kwargs) -> None:
    """Send ``signal`` once the current transaction commits (ids only, never instances)."""
    transaction.on_commit(lambda: signal.send(sender=sender, **kwargs))
