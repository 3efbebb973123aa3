"""Scheduled checks (Celery beat, see association/celery.py). The checks find who to remind
and enqueue one task per id; each task is idempotent (a ``Reminder`` row per reminder)."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from association.background import enqueue_on_commit

from . import services
from .choices import MembershipState, Qualification
from .models import Membership, SocialWorker


@shared_task(name="members.send_dues_reminder")
def send_dues_reminder(membership_id: int, year: int) -> bool:
    return services.dues_reminder_send(membership_id=membership_id, year=year)


@shared_task(name="members.send_lapsing_reminder")
def send_lapsing_reminder(membership_id: int) -> bool:
    return services.lapsing_reminder_send(membership_id=membership_id)


@shared_task(name="members.send_education_reminder")
def send_education_reminder(worker_id: int) -> bool:
    return services.education_reminder_send(worker_id=worker_id)


@shared_task(name="members.check_dues")
def check_dues() -> int:
    """Daily: dues reminders for this year and lapsing warnings for members in grace."""
    year = timezone.localdate().year
    ids = list(
        Membership.objects.filter(state=MembershipState.APPROVED)
        .exclude(dues__year=year, dues__paid_on__isnull=False)
        .values_list("pk", flat=True)
    )
    for membership_id in ids:
        enqueue_on_commit(send_dues_reminder, membership_id, year)
        enqueue_on_commit(send_lapsing_reminder, membership_id)
    return len(ids)


@shared_task(name="members.check_education")
def check_education() -> int:
    """Weekly: continuing-education shortfalls near the end of a registration period."""
    ids = list(
        SocialWorker.objects.exclude(qualification=Qualification.NONE)
        .filter(user__isnull=False, registered_on__isnull=False)
        .values_list("pk", flat=True)
    )
    for worker_id in ids:
        enqueue_on_commit(send_education_reminder, worker_id)
    return len(ids)
