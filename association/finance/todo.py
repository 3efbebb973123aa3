"""Finance's to-do items (see ``association.todo``).

- An approver (a user holding an office of the approval chain today, usually an
  officer): the submitted claims whose next step is that office, not their own and not
  already approved by them at an earlier step (the rules of ``services.claims``), in one
  query: the next step is a subquery over the fund rules in force.
- The bookkeepers (association staff): approved claims to pay, claims still in approval.
- A claimant: their claims returned (rejected) or still drafts.
"""

from __future__ import annotations

from django.db.models import Count, Exists, Min, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from association.accounts.choices import Role
from association.accounts.roles import has_role
from association.todo import AdminPending, Shared, TodoItem, Urgency, one_row

from .choices import ClaimStatus
from .models import ApprovalRule, ClaimApproval, ExpenseClaim
from .selectors import approver_offices_held


def claims_awaiting(user, today=None):
    """Submitted claims whose next step of the chain is an office ``user`` holds today."""
    today = today or timezone.localdate()
    approved_steps = ClaimApproval.objects.filter(
        claim=OuterRef(OuterRef("pk")), approved=True
    ).values("step")
    next_office = (
        ApprovalRule.objects.filter(rules=OuterRef("rules"), above_amount__lt=OuterRef("amount"))
        .exclude(step__in=approved_steps)
        .order_by("step")
        .values("office")[:1]
    )
    return (
        ExpenseClaim.objects.filter(status=ClaimStatus.SUBMITTED)
        .exclude(claimant=user)
        .annotate(
            next_office=Subquery(next_office),
            decided_by_me=Exists(ClaimApproval.objects.filter(claim=OuterRef("pk"), approver=user)),
        )
        .filter(approver_offices_held(user, "next_office", on=today), decided_by_me=False)
    )


def _claims_url(status: str = "") -> str:
    url = reverse("finance:claim_list")
    return f"{url}?status={status}" if status else url


def todo_queries(user, today) -> dict:
    queries = {
        "awaiting": one_row(
            claims_awaiting(user, today), n=Count("id"), oldest=Min("submitted_at")
        ),
        "mine": one_row(
            ExpenseClaim.objects.filter(claimant=user),
            rejected=Count("id", filter=Q(status=ClaimStatus.REJECTED)),
            drafts=Count("id", filter=Q(status=ClaimStatus.DRAFT)),
        ),
    }
    if user.is_superuser or has_role(user, Role.STAFF):
        queries["books"] = Shared(
            one_row(
                ExpenseClaim.objects.all(),
                to_pay=Count("id", filter=Q(status=ClaimStatus.APPROVED)),
                in_approval=Count("id", filter=Q(status=ClaimStatus.SUBMITTED)),
            )
        )
    return queries


def todo_items(user, today, rows: dict) -> list[TodoItem]:
    items = approver_items(rows["awaiting"][0])
    if "books" in rows:
        items += bookkeeper_items(rows["books"][0])
    items += claimant_items(rows["mine"][0])
    return items


def approver_items(found: dict) -> list[TodoItem]:
    if not found["n"]:
        return []
    return [
        TodoItem(
            label=_("报销单待您审批"),
            url=_claims_url(ClaimStatus.SUBMITTED),
            count=found["n"],
            urgency=Urgency.SOON,
            status=_("最早 %(date)s 提交")
            % {"date": timezone.localdate(found["oldest"]).isoformat()},
        )
    ]


def bookkeeper_items(found: dict) -> list[TodoItem]:
    items = []
    if found["to_pay"]:
        items.append(
            TodoItem(
                label=_("报销单待付款"),
                url=_claims_url(ClaimStatus.APPROVED),
                count=found["to_pay"],
                status=_("已批准 %(n)d 份") % {"n": found["to_pay"]},
            )
        )
    if found["in_approval"]:
        items.append(
            TodoItem(
                label=_("报销单审批中"),
                url=_claims_url(ClaimStatus.SUBMITTED),
                count=found["in_approval"],
                urgency=Urgency.INFO,
                status=_("%(n)d 份等待审批") % {"n": found["in_approval"]},
            )
        )
    return items


def claimant_items(found: dict) -> list[TodoItem]:
    items = []
    if found["drafts"]:
        items.append(
            TodoItem(
                label=_("我的报销单草稿"),
                url=_claims_url(ClaimStatus.DRAFT),
                count=found["drafts"],
                status=_("%(n)d 份未提交") % {"n": found["drafts"]},
            )
        )
    if found["rejected"]:
        items.append(
            TodoItem(
                label=_("我的报销单被退回"),
                url=_claims_url(ClaimStatus.REJECTED),
                count=found["rejected"],
                urgency=Urgency.INFO,
                status=_("退回 %(n)d 份") % {"n": found["rejected"]},
            )
        )
    return items


def admin_pending(user) -> list[AdminPending]:
    if not user.has_perm("finance.view_expenseclaim"):
        return []
    found = ExpenseClaim.objects.aggregate(
        submitted=Count("id", filter=Q(status=ClaimStatus.SUBMITTED)),
        approved=Count("id", filter=Q(status=ClaimStatus.APPROVED)),
    )
    changelist = reverse("admin:finance_expenseclaim_changelist")
    return [
        AdminPending(
            label=_("审批中的报销单"),
            count=found["submitted"],
            url=f"{changelist}?status__exact={ClaimStatus.SUBMITTED}",
            permission="finance.view_expenseclaim",
        ),
        AdminPending(
            label=_("待付款的报销单"),
            count=found["approved"],
            url=f"{changelist}?status__exact={ClaimStatus.APPROVED}",
            permission="finance.view_expenseclaim",
        ),
    ]
