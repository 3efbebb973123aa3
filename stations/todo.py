"""The stations app's to-do items (see ``association.todo``).

- The people who write a station's reports (its current workers, its operator's admins):
  the month whose report is due now (“11月月报 12-05 截止（未填）”) while it has not reached
  the association, and the reports returned to them (“退回 1 份”).
- Reviewers (association staff, a county's reviewers): the submitted reports waiting for
  review, by county.

Three queries for a writer, one for a reviewer, however many stations and reports.
"""

from __future__ import annotations

import datetime

from django.db.models import Count, Max, Min, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from association.accounts.roles import is_association_staff
from association.todo import AdminPending, TodoItem, Urgency, urgency_of

from . import conf
from .choices import ReportStatus
from .models import ServiceReport, StaffAssignment, Station
from .months import months_of
from .selectors import last_month, lock_date


def _written_by(user, today: datetime.date):
    """Ids of the stations whose reports ``user`` writes. One query."""
    current = StaffAssignment.objects.current(today).filter(worker__user=user).values("station")
    return list(
        Station.objects.filter(Q(pk__in=current) | Q(operator__admins__user=user))
        .values_list("pk", flat=True)
        .distinct()
    )


def open_months(today: datetime.date) -> list[datetime.date]:
    """The months whose report may still be written: complete, and not locked yet
    (``STATIONS_LOCK_DAYS`` after the month's end), newest first."""
    months, month = [], last_month(today)
    while lock_date(month) > today:
        months.append(month)
        month = (month - datetime.timedelta(days=1)).replace(day=1)
    return months


def _month_label(month: datetime.date) -> str:
    return _("%(month)d月月报") % {"month": month.month}


def writer_items(user, today: datetime.date | None = None) -> list[TodoItem]:
    today = today or timezone.localdate()
    stations = _written_by(user, today)
    if not stations:
        return []
    items = []
    months = open_months(today)
    if months:
        rows = months_of(stations, first=months[-1], last=months[0], today=today)
        for month in months:
            waiting = [
                row for row in rows if row.month == month and row.expected and not row.received
            ]
            if waiting:
                items.append(_month_item(month, waiting, today))
    returned = ServiceReport.objects.filter(
        station_id__in=stations, status=ReportStatus.RETURNED
    ).aggregate(
        n=Count("id"),
        first=Min("id"),
        last=Max("id"),
        station=Min("station_id"),
        last_station=Max("station_id"),
    )
    if returned["n"]:
        if returned["n"] == 1:
            url = reverse("stations:report_edit", args=[returned["first"]])
        elif returned["station"] == returned["last_station"]:
            url = reverse("stations:station_reports", args=[returned["station"]])
            url += f"?status={ReportStatus.RETURNED}"
        else:
            url = reverse("stations:station_list")
        items.append(
            TodoItem(
                label=_("退回的月报"),
                url=url,
                count=returned["n"],
                urgency=Urgency.SOON,
                status=_("退回 %(n)d 份") % {"n": returned["n"]},
            )
        )
    return items


def _month_item(month, waiting, today) -> TodoItem:
    deadline = waiting[0].deadline
    urgency = urgency_of(deadline, soon_days=conf.reminder_days_before(), today=today)
    if len(waiting) == 1:
        row = waiting[0]
        if row.report_id is None:
            url = reverse("stations:station_reports", args=[row.station_id])
            status = _("未填")
        else:
            url = reverse("stations:report_edit", args=[row.report_id])
            status = _("草稿未报送")
    else:
        url = reverse("stations:station_list")
        status = _("%(n)d 个站点未报送") % {"n": len(waiting)}
    if today > deadline:
        status = _("%(status)s，已逾期") % {"status": status}
    return TodoItem(
        label=_month_label(month),
        url=url,
        count=len(waiting),
        deadline=deadline,
        urgency=urgency,
        status=status,
    )


def reviewer_items(user) -> list[TodoItem]:
    """Submitted reports waiting for review, one item per county. One query."""
    reports = ServiceReport.objects.filter(status=ReportStatus.SUBMITTED)
    if not is_association_staff(user):
        reports = reports.filter(station__region__parent__station_reviewers__user=user)
    counties = (
        reports.values("station__region__parent_id", "station__region__parent__name")
        .annotate(n=Count("id", distinct=True))
        .order_by("station__region__parent__code")
    )
    url = reverse("stations:review_list")
    return [
        TodoItem(
            label=_("待审核月报 · %(county)s") % {"county": row["station__region__parent__name"]},
            url=url,
            count=row["n"],
            status=_("%(n)d 份") % {"n": row["n"]},
        )
        for row in counties
    ]


def items_for(user) -> list[TodoItem]:
    items = writer_items(user)
    if is_association_staff(user) or user.station_reviews.exists():
        items += reviewer_items(user)
    return items


def admin_pending(user) -> list[AdminPending]:
    if not user.has_perm("stations.view_servicereport"):
        return []
    count = ServiceReport.objects.filter(status=ReportStatus.SUBMITTED).count()
    return [
        AdminPending(
            label=_("待审核的服务月报"),
            count=count,
            url=reverse("admin:stations_servicereport_changelist")
            + f"?status__exact={ReportStatus.SUBMITTED}",
            permission="stations.view_servicereport",
        )
    ]
