from celery import shared_task

from .services import outbox_drain


@shared_task(name="notifications.drain_outbox")
def drain_outbox() -> int:
    """Send what waits in the e-mail outbox (also run every minute by beat)."""
    return outbox_drain()
