"""Scheduled reminders: each is sent once per (kind, subject, period), recorded in
``Reminder`` under a unique constraint, so a check that runs twice sends nothing twice."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from association.services import send_on_commit, service

from .. import signals
from ..choices import MembershipState, MembershipStatus, ReminderKind
from ..models import Dues, Membership, Reminder, SocialWorker
from ..rules import Rules, education_standing, membership_status
from .dues import dues_bill


def _once(kind: str, subject: str, period: str) -> bool:
    """Record the reminder; False if it was sent before."""
    try:
        with transaction.atomic():
            Reminder.objects.create(kind=kind, subject=subject, period=period)
    except IntegrityError:
        return False
    return True


@service
def dues_reminder_send(*, membership_id: int, year: int) -> bool:
    """Remind an admitted member whose dues for ``year`` are unpaid and due within
    ``remind_days`` (or overdue)."""
    membership = Membership.objects.filter(pk=membership_id, state=MembershipState.APPROVED).first()
    if membership is None:
        return False
    dues = dues_bill(membership=membership, year=year)
    rules = Rules.from_settings()
    today = timezone.localdate()
    if dues.paid_on is not None or today < dues.due_on - datetime.timedelta(days=rules.remind_days):
        return False
    if not _once(ReminderKind.DUES_DUE, f"membership:{membership_id}", str(year)):
        return False
    send_on_commit(signals.dues_due, "members", membership_id=membership_id, dues_id=dues.pk)
    return True


@service
def lapsing_reminder_send(*, membership_id: int) -> bool:
    """Warn a member in grace of the day its membership lapses (once per year)."""
    membership = Membership.objects.filter(pk=membership_id).first()
    if membership is None:
        return False
    rules = Rules.from_settings()
    today = timezone.localdate()
    dues = list(Dues.objects.filter(membership=membership))
    if membership_status(membership, dues, today, rules) != MembershipStatus.GRACE:
        return False
    lapses_on = today
    while membership_status(membership, dues, lapses_on, rules) == MembershipStatus.GRACE:
        lapses_on += datetime.timedelta(days=1)
    if not _once(ReminderKind.LAPSING, f"membership:{membership_id}", str(today.year)):
        return False
    send_on_commit(
        signals.membership_lapsing,
        "members",
        membership_id=membership_id,
        lapses_on=lapses_on.isoformat(),
    )
    return True


@service
def education_reminder_send(*, worker_id: int) -> bool:
    """Warn a social worker short of continuing-education hours with 90 days or less left
    in the registration period (once per period)."""
    worker = SocialWorker.objects.filter(pk=worker_id, user__isnull=False).first()
    if worker is None:
        return False
    today = timezone.localdate()
    standing = education_standing(
        qualification=worker.qualification,
        registered_on=worker.registered_on,
        records=list(worker.education.only("worker_id", "date", "hours")),
        today=today,
    )
    if standing is None or not standing.warn(today):
        return False
    if not _once(ReminderKind.CE_SHORTFALL, f"worker:{worker_id}", standing.period_end.isoformat()):
        return False
    send_on_commit(
        signals.education_shortfall,
        "members",
        worker_id=worker_id,
        required=str(standing.required),
        completed=str(standing.completed),
        period_end=standing.period_end.isoformat(),
    )
    return True
