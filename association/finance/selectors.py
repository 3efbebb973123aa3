"""Reads, scoped by the user who asks."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import (
    Case,
    CharField,
    DecimalField,
    F,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from .choices import ClaimStatus, PeriodStatus, VoucherSource, VoucherStatus
from .models import (
    ApprovalRule,
    Budget,
    ExpenseClaim,
    FinanceApprover,
    FundRules,
    Grant,
    Period,
    Voucher,
    VoucherAttachment,
    VoucherLine,
)
from .permissions import can_keep_books, require_books_reader

MONEY_FIELD = DecimalField(max_digits=14, decimal_places=2)
ZERO = Value(Decimal("0.00"), output_field=MONEY_FIELD)


def _sum(queryset, expression):
    """A correlated subquery summing ``expression`` over ``queryset`` (filtered on
    ``budget_line=OuterRef("pk")``)."""
    return Coalesce(
        Subquery(
            queryset.order_by()
            .values("budget_line")
            .annotate(total=Sum(expression))
            .values("total")[:1],
            output_field=MONEY_FIELD,
        ),
        ZERO,
    )


def budget_line_figures(queryset):
    """Annotate budget lines with actual (posted), committed (approved, unpaid) and
    remaining amounts, in one query."""
    actual = VoucherLine.objects.filter(
        budget_line=OuterRef("pk"), voucher__status=VoucherStatus.POSTED
    )
    committed = ExpenseClaim.objects.filter(budget_line=OuterRef("pk"), status=ClaimStatus.APPROVED)
    return queryset.annotate(
        actual=_sum(actual, F("debit") - F("credit")),
        committed=_sum(committed, F("amount")),
    ).annotate(remaining=F("amount") - F("actual") - F("committed"))


def voucher_list(*, user):
    require_books_reader(user)
    return (
        Voucher.objects.select_related("created_by")
        .annotate(total=Coalesce(Sum("lines__debit"), ZERO))
        .order_by("-date", "-sequence", "-id")
    )


def voucher_get_for_user(*, user, pk) -> Voucher:
    if not can_keep_books(user):
        raise Http404
    return get_object_or_404(
        Voucher.objects.select_related("created_by", "posted_by", "reverses").prefetch_related(
            "attachments"
        ),
        pk=pk,
    )


def attachment_get_for_user(*, user, pk) -> VoucherAttachment:
    voucher_ids = Voucher.objects.all() if can_keep_books(user) else Voucher.objects.none()
    return get_object_or_404(VoucherAttachment.objects.filter(voucher__in=voucher_ids), pk=pk)


def rules_in_force(day: datetime.date | None = None) -> FundRules:
    """The version of the fund rules in force on ``day`` (today)."""
    rules = FundRules.objects.in_force(day or timezone.localdate()).first()
    if rules is None:
        raise ValidationError(_("尚未录入现行的资金管理办法及其审批规则。"))
    return rules


def claim_rules(claim: ExpenseClaim) -> FundRules:
    """The version of the fund rules a claim follows: the one in force when it was
    submitted (kept on the claim), or for a draft the one in force today."""
    if claim.rules_id is not None:
        return claim.rules
    return rules_in_force()


def required_steps(claim: ExpenseClaim) -> list[ApprovalRule]:
    """The steps of the chain this claim's amount needs under its version of the rules,
    in order."""
    steps = ApprovalRule.objects.filter(rules=claim_rules(claim)).order_by("step")
    return [step for step in steps if claim.amount > step.above_amount]


def next_step(claim: ExpenseClaim) -> ApprovalRule | None:
    done = set(claim.approvals.filter(approved=True).values_list("step", flat=True))
    return next((step for step in required_steps(claim) if step.step not in done), None)


# The offices of the approval chain and the governance offices whose terms hold them.
TERM_OFFICES = {
    "president": "president",
    "secretary_general": "secretary_general",
    "standing_council": "council",
    "council": "council",
}


def _offices_held(user, on: datetime.date):
    """The user's terms of office of the chain on ``on``, and their delegations."""
    from association.governance.models import Term

    terms = Term.objects.current(on).filter(user=user, office__code__in=list(TERM_OFFICES))
    delegations = FinanceApprover.objects.filter(user=user, starts_on__lte=on).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=on)
    )
    return terms, delegations


def approver_offices(user, on: datetime.date | None = None) -> set[str]:
    """The offices of the approval chain that ``user`` holds on ``on`` (today): from the
    terms of office certified by elections (governance), and from dated delegations
    (``FinanceApprover``: a deputy while the 秘书长 is away, say). When an election
    certifies a successor, the outgoing holder's term ends and so does their approval."""
    if not user.is_authenticated:
        return set()
    terms, delegations = _offices_held(user, on or timezone.localdate())
    offices = {TERM_OFFICES[code] for code in terms.values_list("office__code", flat=True)}
    return offices | set(delegations.values_list("office", flat=True))


def approver_offices_held(user, field: str, on: datetime.date | None = None) -> Q:
    """The condition that ``field`` names an office of :func:`approver_offices`, by
    subqueries, for a query that must not depend on values read before it (the to-do's
    statement, association/todo.py)."""
    terms, delegations = _offices_held(user, on or timezone.localdate())
    as_office = Case(
        *[When(office__code=code, then=Value(office)) for code, office in TERM_OFFICES.items()],
        output_field=CharField(),
    )
    return Q(**{f"{field}__in": terms.annotate(chain_office=as_office).values("chain_office")}) | Q(
        **{f"{field}__in": delegations.values("office")}
    )


def claim_list(*, user):
    """Staff and officers see every claim; approvers see those waiting for them too."""
    queryset = ExpenseClaim.objects.select_related("claimant", "fund", "budget_line", "rules")
    if can_keep_books(user):
        return queryset
    if approver_offices(user):
        return queryset.exclude(status=ClaimStatus.DRAFT)
    return queryset.filter(claimant=user) if user.is_authenticated else queryset.none()


def claim_get_for_user(*, user, pk) -> ExpenseClaim:
    return get_object_or_404(
        claim_list(user=user).prefetch_related("items__account", "approvals__approver"), pk=pk
    )


def budget_list(*, user):
    require_books_reader(user)
    return Budget.objects.select_related("fund")


def budget_get_for_user(*, user, pk) -> Budget:
    if not can_keep_books(user):
        raise Http404
    return get_object_or_404(Budget.objects.select_related("fund"), pk=pk)


def grant_list(*, user):
    require_books_reader(user)
    return Grant.objects.select_related("fund", "account")


def grant_get_for_user(*, user, pk) -> Grant:
    if not can_keep_books(user):
        raise Http404
    return get_object_or_404(Grant.objects.select_related("fund", "account"), pk=pk)


def dues_disclosure(*, year: int) -> dict:
    """The yearly disclosure of dues: income posted to 会费收入，and what was spent from
    the general fund (which dues feed) by expense line. Aggregates only."""
    from . import chart

    posted = VoucherLine.objects.filter(
        voucher__status=VoucherStatus.POSTED, voucher__date__year=year
    ).exclude(voucher__source=VoucherSource.CLOSING)  # 年末结转 is not the year's activity
    income = posted.filter(account__code=chart.DUES_INCOME).aggregate(
        total=Coalesce(Sum(F("credit") - F("debit")), ZERO)
    )["total"]
    spending = list(
        posted.filter(account__account_class="expense", fund__is_general=True)
        .values("account__code", "account__name")
        .annotate(total=Sum(F("debit") - F("credit")))
        .order_by("account__code")
    )
    spent = sum((row["total"] for row in spending), Decimal("0.00"))
    payers = posted.filter(account__code=chart.DUES_INCOME, voucher__source="dues").count()
    return {
        "year": year,
        "income": income,
        "spending": spending,
        "spent": spent,
        "payers": payers,
        "standards": dues_standards_of_year(year),
    }


def dues_standards_of_year(year: int) -> list:
    """The dues standards that applied in ``year`` (in force on 1 January or taking effect
    during it), each with the meeting and the motion that adopted it (its ``resolution``)."""
    from members.models import DuesStandard

    rows = list(
        DuesStandard.objects.filter(effective_from__lte=datetime.date(year, 12, 31)).order_by(
            "member_type", "effective_from", "id"
        )
    )
    start = datetime.date(year, 1, 1)
    kept = []
    for i, row in enumerate(rows):
        following = rows[i + 1] if i + 1 < len(rows) else None
        superseded = (
            following is not None
            and following.member_type == row.member_type
            and following.effective_from <= start
        )
        if not superseded:
            kept.append(row)
    return kept


def my_dues(*, user):
    """The user's own dues: as an individual member, or as admin of a unit member."""
    from members.models import Dues, Membership

    if not user.is_authenticated:
        return Dues.objects.none()
    # The user's memberships first (their own and their units': a handful), then the dues
    # of those by the dues' membership index. An OR across the joins, with DISTINCT or in a
    # subquery, made the planner expect thousands of rows and walk every dues row in the
    # list's order: 350–520 ms at province scale, against a few ms this way.
    memberships = list(Membership.objects.ids_held_by(user))
    return (
        Dues.objects.filter(membership__in=memberships)
        .select_related("membership__organisation", "membership__person")
        .order_by("-year", "membership_id")
    )


def unposted_paid_dues():
    """Paid dues records not in the ledger yet, oldest first."""
    from members.models import Dues

    return Dues.objects.filter(paid_on__isnull=False, posting__isnull=True).order_by(
        "paid_on", "id"
    )


def closable_year() -> int | None:
    """The year to close next: the earliest year with vouchers (after the opening
    balances) that has no year-end yet, if it has ended."""
    from .models import YearEnd

    years = set(
        Voucher.objects.exclude(source=VoucherSource.OPENING).values_list("date__year", flat=True)
    ) - set(YearEnd.objects.values_list("year", flat=True))
    year = min(years, default=None)
    return year if year is not None and year < timezone.localdate().year else None


def period_is_closed(date: datetime.date) -> bool:
    return Period.objects.filter(
        year=date.year, month=date.month, status=PeriodStatus.CLOSED
    ).exists()


# --- Figures of the annual work report ---------------------------------------------------


def donations_received(year: int) -> dict:
    """Donations received in ``year``: each one (donor, date, form, amount, restricted,
    purpose) and the totals, in money and in kind, restricted and unrestricted."""
    from .models import Donation
    from .models.donations import DonationForm

    rows = list(Donation.objects.filter(received_on__year=year).order_by("received_on", "id"))
    money = Decimal("0.00")
    totals = {"money": money, "in_kind": money, "restricted": money, "unrestricted": money}
    for donation in rows:
        totals["money" if donation.form == DonationForm.MONEY else "in_kind"] += donation.amount
        totals["restricted" if donation.restricted else "unrestricted"] += donation.amount
    return {"rows": rows, "total": totals["money"] + totals["in_kind"], **totals}


def spending_by_fund(year: int) -> list[dict]:
    """The year's expenses (posted, year-end closing excluded) by fund: the fund's name,
    whether it is restricted (a project's money) and the amount. One query."""
    rows = (
        VoucherLine.objects.filter(
            voucher__status=VoucherStatus.POSTED,
            voucher__date__year=year,
            account__account_class="expense",
        )
        .exclude(voucher__source=VoucherSource.CLOSING)
        .values("fund__code", "fund__name", "fund__restriction", "fund__is_general")
        .annotate(total=Sum(F("debit") - F("credit")))
        .order_by("fund__is_general", "fund__code")
    )
    return [row for row in rows if row["total"]]
