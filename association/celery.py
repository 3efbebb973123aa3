"""The one Celery app of the portal.

With ``REDIS_URL`` set, tasks go through Redis to the worker processes. Without it
(the quick start), ``task_always_eager`` runs them in-process, so nothing but Python
is needed. Tasks take ids, not model instances, and are enqueued on commit through
:func:`association.background.enqueue_on_commit`.
"""

import os

from celery import Celery, Task
from celery.schedules import crontab
from celery.signals import after_task_publish

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "association.settings")


class AttributedTask(Task):
    """Every change a task makes is attributed in the history: ``"beat: <schedule>"`` for a
    scheduled run, ``"task: <name>"`` otherwise (inside a request, in-process, the
    request's own context keeps its user and action)."""

    def __call__(self, *args, **kwargs):
        from association.services import history_context

        schedule = getattr(self.request, "periodic_task_name", None) or (
            self.request.headers or {}
        ).get("periodic_task_name")
        action = f"beat: {schedule}" if schedule else f"task: {self.name}"
        with history_context(action):
            return super().__call__(*args, **kwargs)


app = Celery("association", task_cls=AttributedTask)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.update(
    task_serializer="json",
    result_serializer="json",
    accept_content=["json"],
    task_ignore_result=True,
    task_acks_late=True,
    task_reject_on_worker_lost=True,
    worker_prefetch_multiplier=1,
    task_time_limit=30 * 60,
    task_soft_time_limit=25 * 60,
    broker_connection_retry_on_startup=True,
    # A web request must not hang when Redis is down: fail fast, the outbox keeps the work.
    broker_transport_options={
        "socket_timeout": 3,
        "socket_connect_timeout": 3,
        "max_retries": 1,
        # A task whose worker died is redelivered after this many seconds (Redis keeps it
        # unacknowledged until then). Longer than task_time_limit, so a slow task that is
        # still running is never handed to a second worker.
        "visibility_timeout": int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", "3600")),
    },
    task_publish_retry_policy={"max_retries": 1, "interval_start": 0, "interval_step": 0.2},
    timezone="Asia/Shanghai",
    beat_schedule={
        # The sign of life /health/ reads (association/heartbeat.py): sending it stamps beat,
        # running it stamps the worker. A heartbeat not run within 50 s is dropped, so a
        # worker back from an outage does not run an hour of them.
        "association-heartbeat": {
            "task": "association.heartbeat",
            "schedule": 60.0,
            "options": {"expire_seconds": 50},
        },
        "drain-email-outbox": {
            "task": "notifications.drain_outbox",
            "schedule": 60.0,
        },
        "send-notification-digests": {
            "task": "notifications.send_digests",
            "schedule": crontab(hour=7, minute=30),
        },
        # The log of table changes that kept figures are checked against
        # (association/changes.py), folded into its totals every night.
        "association-prune-changes": {
            "task": "association.prune_changes",
            "schedule": crontab(hour=3, minute=45),
        },
        "delete-expired-report-files": {
            "task": "reports.delete_expired",
            "schedule": crontab(hour=3, minute=15),
        },
        "requeue-stale-report-runs": {
            "task": "reports.requeue_stale",
            "schedule": 300.0,
        },
        "stations-report-reminders": {
            "task": "stations.send_report_reminders",
            "schedule": crontab(hour=8, minute=0),
        },
        "members-check-dues": {
            "task": "members.check_dues",
            "schedule": 24 * 60 * 60.0,
        },
        "members-check-education": {
            "task": "members.check_education",
            "schedule": 7 * 24 * 60 * 60.0,
        },
        # Dues are posted when paid (members' dues_paid signal); this catches any that a
        # Redis outage kept from being enqueued.
        "finance-post-dues": {
            "task": "finance.dues_post_all",
            "schedule": crontab(hour=2, minute=30),
        },
    },
)
app.autodiscover_tasks()


@after_task_publish.connect
def stamp_beat_heartbeat(sender=None, **kwargs):
    """In the process that sent the heartbeat task (beat): stamp beat's heartbeat row.

    Never lets a database error reach beat: a missed stamp only shows as "stale".
    """
    if sender != "association.heartbeat":
        return
    import logging

    from association import heartbeat

    # Beat's DatabaseScheduler closes a broken or old connection on every tick, before this.
    try:
        heartbeat.beat(heartbeat.Heartbeat.Source.BEAT)
    except Exception:
        logging.getLogger(__name__).warning("could not stamp beat's heartbeat", exc_info=True)
