"""The stations app's to-do items (see ``association.todo``).

- The people who write a station's reports (its current workers, its operator's admins):
  the month whose report is due now (“11月月报 12-05 截止（未填）”) while it has not reached
  the association, and the reports returned to them (“退回 1 份”).
- Reviewers (association staff, a county's reviewers): the submitted reports waiting for
  review, by county (all counties in one item beyond ``COUNTIES_LISTED``).

Two queries for a writer (the open months and the returned reports, both through the
stations the user writes for as a subquery), one for a reviewer, however many stations and
reports; run with every app's in one statement (``association.todo``).
"""

from __future__ import annotations

import datetime

from django.db.models import Count, Max, Min
from django.urls import reverse
from django.utils.translation import gettext as _

from association.accounts.roles import is_association_staff
from association.todo import (
    AdminPending,
    RawRows,
    Shared,
    TodoItem,
    Urgency,
    one_row,
    urgency_of,
)

from . import conf
from .choices import ReportStatus
from .models import ServiceReport, StaffAssignment, Station
from .months import waiting_months_sql
from .selectors import last_month, lock_date, report_deadline


def _written_by(user, today: datetime.date):
    """The stations whose reports ``user`` writes, as a query of their ids: the union of
    two lookups by index, the stations the user works at today and those their
    organisations run (the same condition as an OR across the two joins reads every
    station, and then every report)."""
    current = (
        StaffAssignment.objects.current(today)
        .filter(worker__user=user)
        .values_list("station_id", flat=True)
    )
    operated = Station.objects.filter(operator__admins__user=user).values_list("pk", flat=True)
    return current.union(operated)


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


def writer_queries(user, today: datetime.date) -> dict:
    stations = _written_by(user, today)
    queries = {
        "returned": one_row(
            ServiceReport.objects.filter(station__in=stations, status=ReportStatus.RETURNED),
            n=Count("id"),
            first=Min("id"),
            last=Max("id"),
            station=Min("station_id"),
            last_station=Max("station_id"),
        )
    }
    months = open_months(today)
    if months:
        sql, params = waiting_months_sql(
            *stations.query.sql_with_params(), first=months[-1], last=months[0]
        )
        queries["waiting"] = RawRows(
            sql,
            tuple(params),
            ("month", "n", "station", "report"),
            {"month": datetime.date.fromisoformat},
        )
    return queries


def writer_items(rows: dict, today: datetime.date) -> list[TodoItem]:
    items = [
        _month_item(row, today)
        for row in sorted(rows.get("waiting", []), key=lambda row: row["month"], reverse=True)
    ]
    returned = rows["returned"][0]
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


def _month_item(row: dict, today: datetime.date) -> TodoItem:
    """The month's report still to be written: by one station (its page, or its draft), or
    by several (the station list)."""
    month, waiting = row["month"], row["n"]
    deadline = report_deadline(month)
    urgency = urgency_of(deadline, soon_days=conf.reminder_days_before(), today=today)
    if waiting == 1:
        if row["report"] is None:
            url = reverse("stations:station_reports", args=[row["station"]])
            status = _("未填")
        else:
            url = reverse("stations:report_edit", args=[row["report"]])
            status = _("草稿未报送")
    else:
        url = reverse("stations:station_list")
        status = _("%(n)d 个站点未报送") % {"n": waiting}
    if today > deadline:
        status = _("%(status)s，已逾期") % {"status": status}
    return TodoItem(
        label=_month_label(month),
        url=url,
        count=waiting,
        deadline=deadline,
        urgency=urgency,
        status=status,
    )


def reviewer_query(user):
    """Submitted reports waiting for review, by county: all for staff, a county reviewer's
    counties for anyone else (none for a user who reviews no county)."""
    reports = ServiceReport.objects.filter(status=ReportStatus.SUBMITTED)
    staff = is_association_staff(user)
    if not staff:
        reports = reports.filter(station__region__parent__station_reviewers__user=user)
    query = (
        reports.values("station__region__parent_id", "station__region__parent__name")
        .annotate(n=Count("id", distinct=True))
        .order_by()
    )
    return Shared(query) if staff else query


# Up to this many counties, each county's reports waiting for review are an item of their
# own; beyond it (staff at a province's scale: 159 counties), one item counts them all.
COUNTIES_LISTED = 5


def reviewer_items(rows: list[dict]) -> list[TodoItem]:
    url = reverse("stations:review_list")
    if len(rows) > COUNTIES_LISTED:
        n = sum(row["n"] for row in rows)
        return [
            TodoItem(
                label=_("待审核月报"),
                url=url,
                count=n,
                status=_("%(n)d 份，%(counties)d 个县（市、区）") % {"n": n, "counties": len(rows)},
            )
        ]
    return [
        TodoItem(
            label=_("待审核月报 · %(county)s") % {"county": row["station__region__parent__name"]},
            url=url,
            count=row["n"],
            status=_("%(n)d 份") % {"n": row["n"]},
        )
        for row in rows
    ]


def todo_queries(user, today: datetime.date) -> dict:
    return {**writer_queries(user, today), "reviews": reviewer_query(user)}


def todo_items(user, today: datetime.date, rows: dict) -> list[TodoItem]:
    return writer_items(rows, today) + reviewer_items(rows["reviews"])


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
