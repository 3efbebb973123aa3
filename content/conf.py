"""Settings of the content app, read with defaults (settings.py may override them)."""

from django.conf import settings


def reminder_days() -> int:
    """Remind recipients who have not answered this many days before a notice's deadline."""
    return int(getattr(settings, "CONTENT_REMINDER_DAYS", 2))


def send_batch() -> int:
    """Recipients notified per transaction of a background send."""
    return int(getattr(settings, "CONTENT_SEND_BATCH", 100))


HOME_CACHE_KEY = "content:home:anonymous"
HOME_CACHE_SECONDS = 600
