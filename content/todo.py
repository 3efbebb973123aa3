"""The notices' to-do items (see ``association.todo``).

- A recipient: notices not yet answered — those that ask for a reply by a date until they
  are replied to, the others until they are marked as read (已阅), with the earliest deadline.
- The association's staff: notices with a reply deadline whose recipients have not all
  answered, with how many are still missing.
Two aggregate queries at most, however many notices and recipients there are, run with
every app's in one statement (``association.todo``).
"""

from __future__ import annotations

from django.db.models import Count, Min, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from association.accounts.roles import is_association_staff
from association.todo import Shared, TodoItem, one_row, urgency_of

from .models import Delivery

SOON_DAYS = 3


def _unanswered() -> Q:
    """A delivery still waiting for its recipient: no reply where one is asked for, else
    not yet read."""
    return Q(article__reply_by__isnull=False, replied_at__isnull=True) | Q(
        article__reply_by__isnull=True, read_at__isnull=True, replied_at__isnull=True
    )


def todo_queries(user, today) -> dict:
    queries = {
        "mine": one_row(
            Delivery.objects.filter(user=user, notified_at__isnull=False).filter(_unanswered()),
            n=Count("id"),
            due=Min("article__reply_by"),
        )
    }
    if is_association_staff(user):
        queries["waiting"] = Shared(
            one_row(
                Delivery.objects.filter(
                    article__reply_by__isnull=False,
                    notified_at__isnull=False,
                    replied_at__isnull=True,
                ),
                notices=Count("article", distinct=True),
                missing=Count("id"),
                due=Min("article__reply_by"),
            )
        )
    return queries


def todo_items(user, today, rows: dict) -> list[TodoItem]:
    items = []
    found = rows["mine"][0]
    if found["n"]:
        items.append(
            TodoItem(
                label=_("通知公告待回执"),
                url=reverse("content:inbox"),
                count=found["n"],
                deadline=found["due"],
                urgency=urgency_of(found["due"], soon_days=SOON_DAYS, today=today),
                status=_("未回执"),
            )
        )
    if "waiting" in rows:
        waiting = rows["waiting"][0]
        if waiting["notices"]:
            items.append(
                TodoItem(
                    label=_("通知回执未收齐（%(n)s 人未回复）") % {"n": waiting["missing"]},
                    url=reverse("content:notice_list"),
                    count=waiting["notices"],
                    deadline=waiting["due"],
                    urgency=urgency_of(waiting["due"], soon_days=SOON_DAYS, today=today),
                    status=_("待收齐"),
                )
            )
    return items
