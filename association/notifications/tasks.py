from celery import shared_task

from .services import digests_send, outbox_drain


@shared_task(name="notifications.drain_outbox")
def drain_outbox() -> int:
    """Send what waits in the e-mail outbox (also run every minute by beat)."""
    return outbox_drain()


@shared_task(name="notifications.send_digests")
def send_digests() -> int:
    """Each morning: one e-mail per user gathering the notifications they chose to receive
    as a daily digest (beat runs it at 07:30)."""
    return digests_send()
