"""Sending text messages: one interface, a backend per provider.

``settings.SMS_BACKEND`` names the class. The development backend writes the message
to the log, so a developer reads the login code in the console. A provider's backend
(Aliyun, Tencent Cloud, a government SMS gateway) implements :meth:`send`.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class BaseSMSBackend:
    def send(self, mobile: str, message: str) -> None:
        raise NotImplementedError


class ConsoleSMSBackend(BaseSMSBackend):
    """Logs the message instead of sending it (development)."""

    def send(self, mobile: str, message: str) -> None:
        logger.warning("SMS to %s: %s", mobile, message)


class LocmemSMSBackend(BaseSMSBackend):
    """Keeps messages in ``outbox`` (tests)."""

    outbox: list[tuple[str, str]] = []

    def send(self, mobile: str, message: str) -> None:
        self.outbox.append((mobile, message))


def send_sms(mobile: str, message: str) -> None:
    import_string(settings.SMS_BACKEND)().send(mobile, message)
