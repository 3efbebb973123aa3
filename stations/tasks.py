"""Background work of the stations app (Celery; idempotent, JSON arguments)."""

from __future__ import annotations

import datetime

from celery import shared_task


@shared_task(name="stations.send_report_reminders")
def send_report_reminders(today: str | None = None) -> dict:
    """Daily: remind stations before the deadline and overseers after it (once each)."""
    from .reminders import send_reminders

    return send_reminders(datetime.date.fromisoformat(today) if today else None)
