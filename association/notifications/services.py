from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from association.background import enqueue_on_commit

from .kinds import KINDS
from .models import Notification, OutboxEmail, OutboxStatus

logger = logging.getLogger(__name__)


def _render(kind: str, part: str, context: dict) -> str:
    return render_to_string(f"notifications/{kind}/{part}.txt", context).strip()


@transaction.atomic
def notify(
    users: Iterable, kind: str, context: dict | None = None, *, url: str = "", email: bool = True
) -> list[Notification]:
    """Tell ``users`` about something: an inbox entry each and, if ``email``, an e-mail
    through the outbox, sent by a background task after the transaction commits."""
    if kind not in KINDS:
        raise ValueError(f"unknown notification kind {kind!r}")
    context = dict(context or {})
    created = []
    with translation.override(settings.LANGUAGE_CODE):
        for user in users:
            if not user.is_active:
                continue
            context["user"] = user
            title = _render(kind, "title", context)[:200]
            body = _render(kind, "body", context)
            notification = Notification.objects.create(
                user=user, kind=kind, title=title, body=body, url=url
            )
            created.append(notification)
            if email and user.email:
                link = f"\n\n{settings.SITE_URL}{url}" if url else ""
                OutboxEmail.objects.create(
                    to=user.email,
                    subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{title}",
                    body=body + link,
                    notification=notification,
                )
    if created and email:
        from .tasks import drain_outbox

        enqueue_on_commit(drain_outbox)
    return created


def notification_mark_read(*, notification: Notification) -> None:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])


def notifications_mark_all_read(*, user) -> int:
    return Notification.objects.visible_to(user).unread().update(read_at=timezone.now())


def outbox_drain(limit: int = 200) -> int:
    """Send pending e-mails; safe to run concurrently and twice (rows are locked and
    marked sent in the same transaction as they are sent)."""
    sent = 0
    for _ in range(limit):
        with transaction.atomic():
            email = (
                OutboxEmail.objects.select_for_update(skip_locked=True)
                .filter(status=OutboxStatus.PENDING)
                .order_by("created_at", "id")
                .first()
            )
            if email is None:
                break
            email.attempts += 1
            try:
                send_mail(email.subject, email.body, None, [email.to])
            except Exception as exc:  # SMTP down: keep it pending until the attempts run out
                logger.warning("sending outbox e-mail %s failed: %s", email.pk, exc)
                email.last_error = str(exc)[:2000]
                if email.attempts >= settings.NOTIFICATION_EMAIL_MAX_ATTEMPTS:
                    email.status = OutboxStatus.FAILED
                email.save(update_fields=["attempts", "last_error", "status"])
                if email.status == OutboxStatus.PENDING:
                    break  # try again at the next run rather than hammering the server
                continue
            email.status = OutboxStatus.SENT
            email.sent_at = timezone.now()
            email.save(update_fields=["attempts", "status", "sent_at"])
            sent += 1
    return sent
