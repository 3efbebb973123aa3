"""The app's knobs, read from Django settings with safe defaults.

- ``NOTIFICATION_EMAIL_MAX_ATTEMPTS`` (5): how many times the outbox tries an e-mail
  before recording it as failed.
"""

from __future__ import annotations

from django.conf import settings


def email_max_attempts() -> int:
    return int(getattr(settings, "NOTIFICATION_EMAIL_MAX_ATTEMPTS", 5))
