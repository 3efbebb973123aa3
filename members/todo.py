"""The members app's to-do items (see ``association.todo``).

- A member (an organisation's admins, or the person): dues unpaid that fall due within
  ``Rules.remind_days`` (the window of the dues reminder) or are overdue.
- An organisation's admins: social workers on the roster whose registration ends within
  ``CE_WARNING_DAYS`` (the window of the continuing-education warning, which ends with the
  registration period) or has ended; roster invitations not accepted yet.
- A person invited to a roster: the invitation to answer.
- Association staff: membership applications to process, registered-item changes to
  review (both in the admin).

One query per kind of item, however many rows (run with every app's in one statement:
``association.todo``).
"""

from __future__ import annotations

import datetime

from django.db.models import Count, Max, Min, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from association.accounts.choices import Role
from association.accounts.roles import has_role
from association.todo import AdminPending, Shared, TodoItem, Urgency, one_row, urgency_of

from .choices import ChangeRequestStatus, MembershipState
from .models import Dues, Membership, OrganisationChangeRequest, SocialWorker, StaffInvitation
from .rules import CE_WARNING_DAYS, Rules

APPLICATION_STATES = [MembershipState.APPLIED, MembershipState.UNDER_REVIEW]


def dues_query(user, today: datetime.date):
    rules = Rules.from_settings()
    return one_row(
        Dues.objects.filter(
            membership__in=Membership.objects.ids_held_by(user),
            membership__state=MembershipState.APPROVED,
            paid_on__isnull=True,
            due_on__lte=today + datetime.timedelta(days=rules.remind_days),
        ),
        n=Count("id"),
        due=Min("due_on"),
        first=Min("membership_id"),
        last=Max("membership_id"),
    )


def dues_item(found: dict, today: datetime.date) -> list[TodoItem]:
    rules = Rules.from_settings()
    if not found["n"]:
        return []
    if found["first"] == found["last"]:
        url = reverse("members:membership_detail", args=[found["first"]])
    else:
        url = reverse("members:membership_list")
    overdue = found["due"] < today
    return [
        TodoItem(
            label=_("缴纳会费"),
            url=url,
            count=found["n"],
            deadline=found["due"],
            urgency=urgency_of(found["due"], soon_days=rules.remind_days, today=today),
            status=_("已逾期，宽限期内缴纳可保留会籍") if overdue else _("未缴"),
        )
    ]


def registrations_query(user, today: datetime.date):
    return one_row(
        SocialWorker.objects.filter(
            employer__admins__user=user,
            registration_expires_on__lte=today + datetime.timedelta(days=CE_WARNING_DAYS),
        ),
        n=Count("id", distinct=True),
        ends=Min("registration_expires_on"),
        expired=Count("id", distinct=True, filter=Q(registration_expires_on__lt=today)),
        organisation=Min("employer_id"),
    )


def registrations_item(found: dict, today: datetime.date) -> list[TodoItem]:
    if not found["n"]:
        return []
    parts = []
    if found["expired"]:
        parts.append(_("%(n)d 人已过期") % {"n": found["expired"]})
    if found["n"] > found["expired"]:
        parts.append(_("%(n)d 人即将到期") % {"n": found["n"] - found["expired"]})
    status = "，".join(parts)
    return [
        TodoItem(
            label=_("社工登记到期"),
            url=reverse("members:organisation_roster", args=[found["organisation"]]),
            count=found["n"],
            deadline=found["ends"],
            urgency=urgency_of(found["ends"], soon_days=30, today=today),
            status=status,
        )
    ]


def invitations_sent_query(user):
    return one_row(
        StaffInvitation.objects.filter(organisation__admins__user=user, accepted_at__isnull=True),
        n=Count("id", distinct=True),
        organisation=Min("organisation_id"),
    )


def invitations_sent_item(found: dict) -> list[TodoItem]:
    if not found["n"]:
        return []
    return [
        TodoItem(
            label=_("人员名册邀请"),
            url=reverse("members:organisation_roster", args=[found["organisation"]]),
            count=found["n"],
            urgency=Urgency.INFO,
            status=_("%(n)d 份待受邀人接受") % {"n": found["n"]},
        )
    ]


def invitations_received_query(user):
    return one_row(
        StaffInvitation.objects.filter(email=user.email.lower(), accepted_at__isnull=True),
        n=Count("id"),
        token=Min("token"),
    )


def invitations_received_item(found: dict) -> list[TodoItem]:
    if not found["n"]:
        return []
    return [
        TodoItem(
            label=_("加入单位人员名册"),
            url=reverse("members:invitation_accept", args=[found["token"]]),
            count=found["n"],
            status=_("待您确认"),
        )
    ]


def staff_queries() -> dict:
    return {
        "applications": Shared(
            one_row(
                Membership.objects.filter(state__in=APPLICATION_STATES),
                n=Count("id"),
                oldest=Min("applied_on"),
            )
        ),
        "changes": Shared(
            one_row(
                OrganisationChangeRequest.objects.filter(status=ChangeRequestStatus.PENDING),
                n=Count("id"),
            )
        ),
    }


def staff_items(applications: dict, changes: int) -> list[TodoItem]:
    items = []
    if applications["n"]:
        items.append(
            TodoItem(
                label=_("入会申请待办理"),
                url=_applications_url(),
                count=applications["n"],
                status=_("最早 %(date)s 提交") % {"date": applications["oldest"].isoformat()},
            )
        )
    if changes:
        items.append(
            TodoItem(
                label=_("登记事项变更待审核"),
                url=_changes_url(),
                count=changes,
                status=_("%(n)d 份") % {"n": changes},
            )
        )
    return items


def _applications_url() -> str:
    states = ",".join(APPLICATION_STATES)
    return reverse("admin:members_membership_changelist") + f"?state__in={states}"


def _changes_url() -> str:
    return (
        reverse("admin:members_organisationchangerequest_changelist")
        + f"?status__exact={ChangeRequestStatus.PENDING}"
    )


def todo_queries(user, today: datetime.date) -> dict:
    queries = {
        "dues": dues_query(user, today),
        "registrations": registrations_query(user, today),
        "invitations_sent": invitations_sent_query(user),
    }
    if user.email:
        queries["invitations_received"] = invitations_received_query(user)
    if user.is_superuser or has_role(user, Role.STAFF):
        queries.update(staff_queries())
    return queries


def todo_items(user, today: datetime.date, rows: dict) -> list[TodoItem]:
    items = dues_item(rows["dues"][0], today)
    items += registrations_item(rows["registrations"][0], today)
    items += invitations_sent_item(rows["invitations_sent"][0])
    if "invitations_received" in rows:
        items += invitations_received_item(rows["invitations_received"][0])
    if "applications" in rows:
        items += staff_items(rows["applications"][0], rows["changes"][0]["n"])
    return items


def admin_pending(user) -> list[AdminPending]:
    rows = []
    if user.has_perm("members.view_membership"):
        rows.append(
            AdminPending(
                label=_("待办理的入会申请"),
                count=Membership.objects.filter(state__in=APPLICATION_STATES).count(),
                url=_applications_url(),
                permission="members.view_membership",
            )
        )
    if user.has_perm("members.view_organisationchangerequest"):
        rows.append(
            AdminPending(
                label=_("待审核的登记事项变更"),
                count=OrganisationChangeRequest.objects.filter(
                    status=ChangeRequestStatus.PENDING
                ).count(),
                url=_changes_url(),
                permission="members.view_organisationchangerequest",
            )
        )
    return rows
