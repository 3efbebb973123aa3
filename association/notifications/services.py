from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template import engines
from django.utils import timezone, translation

from association.background import enqueue_on_commit
from association.services import service

from . import conf
from .kinds import KINDS
from .models import DigestItem, Notification, NotificationPreference, OutboxEmail, OutboxStatus

logger = logging.getLogger(__name__)


def render_to_string(template_name: str, context: dict) -> str:
    """Render a plain-text template: no HTML escaping (a name like 张&李 stays as it is).
    The inbox page escapes the text when it shows it."""
    return engines["text"].get_template(template_name).render(context)


def _render(kind: str, part: str, context: dict) -> str:
    return render_to_string(f"notifications/{kind}/{part}.txt", context).strip()


@dataclass(frozen=True)
class Channels:
    in_app: bool = True
    email: bool = True
    digest: bool = False


DEFAULT_CHANNELS = Channels()


def preferences_for(users, kind: str) -> dict[int, Channels]:
    """Each user's channels for ``kind`` (users without a preference get the defaults).
    One query."""
    rows = NotificationPreference.objects.filter(
        user__in=[user.pk for user in users], kind=kind
    ).values_list("user_id", "in_app", "email", "digest")
    return {user_id: Channels(in_app, email, digest) for user_id, in_app, email, digest in rows}


def _email_body(body: str, url: str) -> str:
    return render_to_string(
        "notifications/email/message.txt",
        {"body": body, "url": url, "site_url": settings.SITE_URL},
    ).strip()


@service
def notify(
    users: Iterable, kind: str, context: dict | None = None, *, url: str = "", email: bool = True
) -> list[Notification]:
    """Tell ``users`` about something, as each of them prefers for this ``kind``: an inbox
    entry, an e-mail through the outbox (sent by a background task after the transaction
    commits) or a line in tomorrow morning's digest. ``email=False`` never e-mails."""
    if kind not in KINDS:
        raise ValueError(f"unknown notification kind {kind!r}")
    context = dict(context or {})
    users = [user for user in users if user.is_active]
    preferences = preferences_for(users, kind)
    # One INSERT a table for the whole call, not one a recipient: a notice to a county's
    # stations or every staff member is one statement each for the inbox and the outbox.
    notifications, digest_items, emails = [], [], []
    with translation.override(settings.LANGUAGE_CODE):
        for user in users:
            channels = preferences.get(user.pk, DEFAULT_CHANNELS)
            context["user"] = user
            title = _render(kind, "title", context)[:200]
            body = _render(kind, "body", context)
            notification = None
            if channels.in_app:
                notification = Notification(user=user, kind=kind, title=title, body=body, url=url)
                notifications.append(notification)
            if not (email and user.email):
                continue
            if channels.digest:
                digest_items.append(
                    DigestItem(user=user, kind=kind, title=title, body=body, url=url)
                )
            elif channels.email:
                emails.append(
                    OutboxEmail(
                        to=user.email,
                        subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{title}",
                        body=_email_body(body, url),
                        notification=notification,
                    )
                )
    created = Notification.objects.bulk_create(notifications)
    DigestItem.objects.bulk_create(digest_items)
    OutboxEmail.objects.bulk_create(emails)  # takes each notification's new primary key
    if emails:
        from .tasks import drain_outbox

        enqueue_on_commit(drain_outbox)
    return created


@service
def preferences_save(*, user, channels: dict[str, Channels]) -> None:
    """Store the user's channels per kind; kinds left at the defaults keep no row."""
    for kind, wanted in channels.items():
        if kind not in KINDS:
            raise ValueError(f"unknown notification kind {kind!r}")
        if wanted == DEFAULT_CHANNELS:
            NotificationPreference.objects.filter(user=user, kind=kind).delete()
        else:
            NotificationPreference.objects.update_or_create(
                user=user,
                kind=kind,
                defaults={"in_app": wanted.in_app, "email": wanted.email, "digest": wanted.digest},
            )


def digests_send(*, limit: int = 1000) -> int:
    """Gather each user's waiting digest items into one e-mail in the outbox. Safe to run
    twice and concurrently: items are locked and marked sent with the e-mail's creation."""
    from django.contrib.auth import get_user_model

    user_ids = list(
        DigestItem.objects.filter(sent_at__isnull=True)
        .values_list("user_id", flat=True)
        .distinct()
        .order_by("user_id")[:limit]
    )
    users = get_user_model().objects.in_bulk(user_ids)
    sent = 0
    for user_id in user_ids:
        user = users.get(user_id)
        with transaction.atomic():
            items = list(
                DigestItem.objects.select_for_update(skip_locked=True)
                .filter(user_id=user_id, sent_at__isnull=True)
                .order_by("created_at", "id")
            )
            if not items:
                continue
            now = timezone.now()
            if user is not None and user.is_active and user.email:
                with translation.override(settings.LANGUAGE_CODE):
                    context = {"user": user, "items": items, "site_url": settings.SITE_URL}
                    subject = render_to_string("notifications/email/digest_subject.txt", context)
                    OutboxEmail.objects.create(
                        to=user.email,
                        subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{subject.strip()}",
                        body=render_to_string("notifications/email/digest.txt", context).strip(),
                    )
                sent += 1
            DigestItem.objects.filter(pk__in=[item.pk for item in items]).update(sent_at=now)
    if sent:
        from .tasks import drain_outbox

        enqueue_on_commit(drain_outbox)
    return sent


def notification_mark_read(*, notification: Notification) -> None:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])


def notifications_mark_all_read(*, user) -> int:
    return Notification.objects.visible_to(user).unread().update(read_at=timezone.now())


def outbox_retry(emails) -> int:
    """Put e-mails back in the outbox with their attempts reset (the admin's retry), and
    have the outbox drained once the transaction commits."""
    from .tasks import drain_outbox

    count = emails.update(status=OutboxStatus.PENDING, attempts=0)
    enqueue_on_commit(drain_outbox)
    return count


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
                if email.attempts >= conf.email_max_attempts():
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
