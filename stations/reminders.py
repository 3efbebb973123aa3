"""Reminders about monthly reports (run daily by Celery beat, idempotent).

- From ``STATIONS_REMINDER_DAYS_BEFORE`` days before the deadline until the deadline:
  stations expected to report that have not submitted hear from us once (their
  current workers and their operator's admins).
- After the deadline (until the month locks): the operator's admins and the county's
  reviewers hear once about each station still missing.

A ``SentReminder`` row (unique per kind, station and month) is written in the same
transaction as the signal is queued, so running the task twice sends nothing twice.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db import IntegrityError, transaction
from django.utils import timezone

from . import conf
from .choices import RECEIVED_REPORT_STATUSES, ReminderKind
from .models import CountyReviewer, SentReminder, ServiceReport, StaffAssignment, Station
from .months import add_months, lock_date, report_deadline
from .selectors import StatusHistory
from .signals import reports_due_soon, reports_overdue


def _missing_stations(month: datetime.date) -> list[Station]:
    stations = Station.objects.select_related("region", "operator")
    history = StatusHistory.for_stations(stations.values("pk"))
    expected = history.expected_ids(month)
    received = set(
        ServiceReport.objects.filter(
            month=month, station_id__in=expected, status__in=RECEIVED_REPORT_STATUSES
        ).values_list("station_id", flat=True)
    )
    return list(stations.filter(pk__in=expected - received))


def _claim(kind: str, station: Station, month: datetime.date) -> bool:
    """Record the reminder; False when it was already sent."""
    try:
        with transaction.atomic():
            SentReminder.objects.create(kind=kind, station=station, month=month)
    except IntegrityError:
        return False
    return True


def _writers(stations, on) -> dict[int, set[int]]:
    """Station id -> user ids of its current workers and its operator's admins."""
    users: dict[int, set[int]] = defaultdict(set)
    for station_id, user_id in (
        StaffAssignment.objects.current(on)
        .filter(station__in=stations, worker__user__isnull=False)
        .values_list("station_id", "worker__user_id")
    ):
        users[station_id].add(user_id)
    for station_id, user_id in Station.objects.filter(
        pk__in=[s.pk for s in stations], operator__admins__isnull=False
    ).values_list("pk", "operator__admins__user_id"):
        users[station_id].add(user_id)
    return users


def _overseers(stations) -> dict[int, set[int]]:
    """Station id -> user ids of its operator's admins and its county's reviewers."""
    users: dict[int, set[int]] = defaultdict(set)
    for station_id, user_id in Station.objects.filter(
        pk__in=[s.pk for s in stations], operator__admins__isnull=False
    ).values_list("pk", "operator__admins__user_id"):
        users[station_id].add(user_id)
    county_of = {s.pk: s.region.parent_id for s in stations}
    reviewers: dict[int, set[int]] = defaultdict(set)
    for county_id, user_id in CountyReviewer.objects.filter(
        county_id__in=set(county_of.values())
    ).values_list("county_id", "user_id"):
        reviewers[county_id].add(user_id)
    for station_id, county_id in county_of.items():
        users[station_id] |= reviewers[county_id]
    return users


@transaction.atomic
def send_reminders(today: datetime.date | None = None) -> dict[str, int]:
    """Send the reminders due on ``today`` for last month's reports; returns counts."""
    today = today or timezone.localdate()
    month = add_months(today.replace(day=1), -1)
    deadline = report_deadline(month)
    counts = {"due_soon": 0, "overdue": 0}
    if deadline - datetime.timedelta(days=conf.reminder_days_before()) <= today <= deadline:
        kind, signal, who, key = (
            ReminderKind.BEFORE_DEADLINE,
            reports_due_soon,
            _writers,
            "due_soon",
        )
    elif deadline < today < lock_date(month):
        kind, signal, who, key = ReminderKind.OVERDUE, reports_overdue, _overseers, "overdue"
    else:
        return counts
    missing = [s for s in _missing_stations(month) if _claim(kind, s, month)]
    if not missing:
        return counts
    by_user: dict[int, list[int]] = defaultdict(list)
    users = who(missing, today) if who is _writers else who(missing)
    for station in missing:
        for user_id in users.get(station.pk, ()):
            by_user[user_id].append(station.pk)
    counts[key] = len(missing)
    payload = {
        "month": month.isoformat(),
        "deadline": deadline.isoformat(),
        "recipients": {str(user): ids for user, ids in by_user.items()},
    }
    transaction.on_commit(lambda: signal.send(sender="stations", **payload))
    return counts
