"""Background work of the stations app (Celery; idempotent, JSON arguments): scheduled
entry points that call the services."""

from __future__ import annotations

import datetime

from celery import shared_task

from . import services


@shared_task(name="stations.send_report_reminders")
def send_report_reminders(today: str | None = None) -> dict:
    """Daily: remind stations before the deadline and overseers after it (once each)."""
    return services.report_reminders_send(datetime.date.fromisoformat(today) if today else None)
