"""The projects app's to-do items (see ``association.todo``).

- A graduate (applicant): the next step of each application still under way.
- An expert: assignments to answer, and the accepted ones with the court's deadline.
- The designated officer of referrals: referrals received and not assigned yet.
- Association staff: applications to screen and interviewed applications to decide, by
  round.

Counts only: no item reads a minor's or an applicant's personal data. One query per kind
of item, run with every app's in one statement (``association.todo``).
"""

from __future__ import annotations

from django.db.models import Count, Min, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from association.accounts.choices import Role
from association.accounts.roles import has_role
from association.todo import AdminPending, Shared, TodoItem, Urgency, one_row, urgency_of

from .choices import ApplicationStatus, AssignmentStatus, ReferralStatus
from .models import Application, Assignment, Referral

# What a graduate does (or waits for) next, by the application's status: (text, whether
# it is the graduate's own move).
NEXT_STEP = {
    ApplicationStatus.SUBMITTED: (gettext_lazy("等待资格审查"), False),
    ApplicationStatus.SCREENED: (gettext_lazy("资格审查通过，等待面试"), False),
    ApplicationStatus.INTERVIEWED: (gettext_lazy("已面试，等待录取结果"), False),
    ApplicationStatus.OFFERED: (gettext_lazy("已录取，请确认接受或放弃"), True),
    ApplicationStatus.ACCEPTED: (gettext_lazy("已接受录取，等待服务开始"), False),
    ApplicationStatus.SERVING: (gettext_lazy("服务中"), False),
}
# Staff's moves, by status: screening, and the decision after the interview.
STAFF_QUEUE = {
    ApplicationStatus.SUBMITTED: gettext_lazy("待资格审查"),
    ApplicationStatus.INTERVIEWED: gettext_lazy("已面试待录取"),
}


def applicant_query(user):
    return (
        Application.objects.filter(applicant=user, status__in=list(NEXT_STEP))
        .values("id", "status", "round__name", "round__service_starts_on", "round__service_ends_on")
        .order_by()
    )


def applicant_items(rows: list[dict]) -> list[TodoItem]:
    """One item per application under way (a graduate has at most one per round)."""
    items = []
    for application in rows:
        text, own_move = NEXT_STEP[application["status"]]
        deadline = None
        if application["status"] == ApplicationStatus.ACCEPTED:
            deadline = application["round__service_starts_on"]
        elif application["status"] == ApplicationStatus.SERVING:
            deadline = application["round__service_ends_on"]
        items.append(
            TodoItem(
                label=_("报名 · %(round)s") % {"round": application["round__name"]},
                url=reverse("projects:application_detail", args=[application["id"]]),
                deadline=deadline,
                urgency=Urgency.SOON if own_move else Urgency.INFO,
                status=str(text),
            )
        )
    return items


def expert_query(user):
    return one_row(
        Assignment.objects.filter(
            expert__user=user, status__in=[AssignmentStatus.OFFERED, AssignmentStatus.ACCEPTED]
        ),
        offered=Count("id", filter=Q(status=AssignmentStatus.OFFERED)),
        accepted=Count("id", filter=Q(status=AssignmentStatus.ACCEPTED)),
        offered_due=Min("referral__deadline", filter=Q(status=AssignmentStatus.OFFERED)),
        accepted_due=Min("referral__deadline", filter=Q(status=AssignmentStatus.ACCEPTED)),
    )


def expert_items(found: dict, today) -> list[TodoItem]:
    url = reverse("projects:assignment_list")
    items = []
    if found["offered"]:
        items.append(
            TodoItem(
                label=_("新的指派待答复"),
                url=url,
                count=found["offered"],
                deadline=found["offered_due"],
                urgency=Urgency.SOON,
                status=_("请接受或谢绝"),
            )
        )
    if found["accepted"]:
        items.append(
            TodoItem(
                label=_("承办中的指派"),
                url=url,
                count=found["accepted"],
                deadline=found["accepted_due"],
                urgency=urgency_of(found["accepted_due"], soon_days=7, today=today),
                status=_("%(n)d 项服务中") % {"n": found["accepted"]},
            )
        )
    return items


def officer_referral_query(user):
    return one_row(
        Referral.objects.filter(designated_officer=user, status=ReferralStatus.RECEIVED),
        n=Count("id"),
        due=Min("deadline"),
    )


def officer_referral_items(found: dict, today) -> list[TodoItem]:
    if not found["n"]:
        return []
    return [
        TodoItem(
            label=_("司法转介待指派专家"),
            url=reverse("projects:referral_list"),
            count=found["n"],
            deadline=found["due"],
            urgency=urgency_of(found["due"], soon_days=7, today=today),
            status=_("%(n)d 件已接收") % {"n": found["n"]},
        )
    ]


def staff_query():
    return (
        Application.objects.filter(status__in=list(STAFF_QUEUE))
        .values("round_id", "round__name", "status")
        .annotate(n=Count("id"))
        .order_by()
    )


def staff_items(rows: list[dict]) -> list[TodoItem]:
    return [
        TodoItem(
            label=_("毕业生报名 · %(round)s") % {"round": row["round__name"]},
            url=reverse("projects:round_applications", args=[row["round_id"]])
            + f"?status={row['status']}",
            count=row["n"],
            status=_("%(what)s %(n)d 人") % {"what": STAFF_QUEUE[row["status"]], "n": row["n"]},
        )
        for row in sorted(rows, key=lambda row: (row["round_id"], row["status"]))
    ]


def todo_queries(user, today) -> dict:
    queries = {
        "applications": applicant_query(user),
        "assignments": expert_query(user),
        "referrals": officer_referral_query(user),
    }
    if user.is_superuser or has_role(user, Role.STAFF):
        queries["staff"] = Shared(staff_query())
    return queries


def todo_items(user, today, rows: dict) -> list[TodoItem]:
    items = applicant_items(rows["applications"])
    items += expert_items(rows["assignments"][0], today)
    items += officer_referral_items(rows["referrals"][0], today)
    if "staff" in rows:
        items += staff_items(rows["staff"])
    return items


def admin_pending(user) -> list[AdminPending]:
    if not user.has_perm("projects.view_application"):
        return []
    count = Application.objects.filter(status__in=list(STAFF_QUEUE)).count()
    return [
        AdminPending(
            label=_("待处理的毕业生报名"),
            count=count,
            url=reverse("admin:projects_application_changelist")
            + "?status__in="
            + ",".join(STAFF_QUEUE),
            permission="projects.view_application",
        )
    ]
