"""The membership standing in SQL: :func:`members.rules.membership_status`, as one
expression the database evaluates for every row at once.

``Membership.objects.with_standing(today)`` annotates each membership with ``standing``
(a :class:`~members.choices.MembershipStatus` value) and ``paid_through_year`` (the latest
year whose dues are paid by ``today``, or None). Pages and reports filter and count on it
(``.filter(standing=...)``, ``.values("standing").annotate(Count("id"))``): no rows are
loaded into Python to be classified, and no list of ids is sent back.

The Python function stays the rule; this is its translation, and
``tests/members/test_standing_sql.py`` checks on generated histories that the two agree
for every row. The translation, step by step (``Y`` is ``today``'s year):

- a decided state (applied, under review, rejected, suspended, withdrawn) is the status;
- this year's dues paid by ``today``: current;
- a year's due date is its dues record's ``due_on``, or else the rule's default (31 March,
  or 30 days after admission in the year of admission). The year stands *current* while
  ``today <= due`` and in *grace* while ``today <= due + grace_days``. Both are written as
  ``due >= limit`` with the limit computed here (``today``, ``today - grace_days``), so the
  database compares dates and does no date arithmetic; the default due date becomes a
  condition on ``member_since`` (``max(D, since + 30) >= limit`` when ``since`` is in the
  year, i.e. ``D >= limit`` or ``since >= limit - 30``);
- this year lapsed: lapsed; otherwise, for a member admitted before this year who has not
  paid last year's dues, last year's grace or lapse wins over this year's standing.

Each year's record is one row at most (``members_dues_one_per_year``), joined with a
``FilteredRelation``: two hash joins over the dues of this year and last year.

To *filter* by a standing, :func:`filter_standing` uses :func:`standing_q`, the same
``Case`` read as the condition "this expression gives that status" (each branch that
gives it, with every earlier branch's condition not true). ``standing = 'current'``
compared as a whole is opaque to PostgreSQL's planner, which guesses 0.5 % of the rows
(125 of a province's 25,050 memberships when 17,120 are current), computes every row's
standing and sorts them (145 ms); the condition is a combination of column comparisons
it estimates from its statistics, so it walks the list's index and stops after a page
(1.5 ms). ``tests/members/test_standing_sql.py`` holds both forms equal to the rule.
"""

from __future__ import annotations

import datetime
import functools

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    ExpressionWrapper,
    FilteredRelation,
    Func,
    IntegerField,
    Max,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)

from .choices import MembershipStatus
from .rules import DECIDED_STATUS, Rules

THIS_YEAR = "_dues_this_year"
LAST_YEAR = "_dues_last_year"


def _stands_until(relation: str, year: int, limit: datetime.date, rules: Rules) -> Q:
    """Rows whose due date for ``year`` (through ``relation``, the joined dues record of
    that year) is on or after ``limit``: ``limit <= due``."""
    recorded = Q(**{f"{relation}__due_on__gte": limit})
    unrecorded = Q(**{f"{relation}__isnull": True})
    default_due = rules.due_date(year)
    if limit <= default_due:
        return recorded | unrecorded
    # Only a member admitted in ``year`` may still be within: due = since + new_member_days.
    earliest = max(
        datetime.date(year, 1, 1), limit - datetime.timedelta(days=rules.new_member_days)
    )
    if earliest > datetime.date(year, 12, 31):
        return recorded
    admitted_that_year = Q(
        member_since__gte=earliest, member_since__lte=datetime.date(year, 12, 31)
    )
    return recorded | (unrecorded & admitted_that_year)


def standing_expression(today: datetime.date, rules: Rules) -> Case:
    """The ``Case`` of :func:`members.rules.membership_status` on ``today``; it reads the
    relations ``THIS_YEAR`` and ``LAST_YEAR`` (see :func:`with_standing`)."""
    year = today.year
    grace_limit = today - datetime.timedelta(days=rules.grace_days)
    current_this = _stands_until(THIS_YEAR, year, today, rules)
    grace_this = _stands_until(THIS_YEAR, year, grace_limit, rules)
    current_last = _stands_until(LAST_YEAR, year - 1, today, rules)
    grace_last = _stands_until(LAST_YEAR, year - 1, grace_limit, rules)
    # Last year does not count for a member admitted this year or later, or once paid.
    last_year_settled = Q(member_since__gte=datetime.date(year, 1, 1)) | Q(
        **{f"{LAST_YEAR}__paid_on__lte": today}
    )

    def this_year_then_last(this_year: MembershipStatus) -> Case:
        return Case(
            When(last_year_settled, then=Value(this_year)),
            When(current_last, then=Value(this_year)),
            When(grace_last, then=Value(MembershipStatus.GRACE)),
            default=Value(MembershipStatus.LAPSED),
            output_field=CharField(),
        )

    return Case(
        *[When(state=state, then=Value(status)) for state, status in DECIDED_STATUS.items()],
        When(**{f"{THIS_YEAR}__paid_on__lte": today}, then=Value(MembershipStatus.CURRENT)),
        When(current_this, then=this_year_then_last(MembershipStatus.CURRENT)),
        When(grace_this, then=this_year_then_last(MembershipStatus.GRACE)),
        default=Value(MembershipStatus.LAPSED),
        output_field=CharField(),
    )


class NotTrue(Func):
    """``condition IS NOT TRUE``: false or unknown, as a ``When`` that does not match (a
    comparison with a column of a dues record that is not there is unknown, not false)."""

    template = "(%(expressions)s) IS NOT TRUE"
    output_field = BooleanField()


def _all(conditions) -> Q | bool:
    conditions = [c for c in conditions if c is not True]
    if any(c is False for c in conditions):
        return False
    result = Q()
    for condition in conditions:
        result &= condition if isinstance(condition, Q) else Q(condition)
    return result


def _gives(expression, status) -> Q | bool:
    """The condition under which ``expression`` (a ``Case``, or a ``Value``) gives
    ``status``: True or False where that is known without the row."""
    if isinstance(expression, Value):
        return expression.value == status
    branches, earlier = [], []
    for when in expression.cases:
        branches.append(_all([*earlier, when.condition, _gives(when.result, status)]))
        earlier.append(NotTrue(when.condition))
    branches.append(_all([*earlier, _gives(expression.default, status)]))
    branches = [branch for branch in branches if branch is not False]
    if not branches:
        return False
    result = Q()
    for branch in branches:
        if branch is True:
            return True
        result |= branch
    return result


def standing_q(status: str, today: datetime.date, rules: Rules) -> Q:
    """The memberships whose standing on ``today`` is ``status``, as a condition on the
    relations of :func:`with_standing` (see the module's note)."""
    condition = _gives(standing_expression(today, rules), status)
    if isinstance(condition, bool):  # a status no branch gives, or every branch
        return Q(pk__isnull=not condition)
    return condition


def filter_standing(queryset, status: str, today: datetime.date, rules: Rules | None = None):
    """``queryset`` (of :func:`with_standing` on the same ``today``) limited to the
    memberships with the standing ``status``."""
    condition = standing_q(status, today, rules or Rules.from_settings())
    # As an alias, the condition reuses the joins of the annotation; a filter() of its own
    # would join the two years' dues once more (multi-valued relations are not reused
    # across filter calls), doubling the planner's work (13 ms of planning for 3 of
    # execution).
    return queryset.alias(
        _standing_is=ExpressionWrapper(condition, output_field=BooleanField())
    ).filter(_standing_is=True)


def _with_years(queryset, today: datetime.date):
    return queryset.annotate(
        **{
            THIS_YEAR: FilteredRelation("dues", condition=Q(dues__year=today.year)),
            LAST_YEAR: FilteredRelation("dues", condition=Q(dues__year=today.year - 1)),
        }
    )


def with_standing(queryset, today: datetime.date, rules: Rules | None = None):
    """``queryset`` of memberships annotated with ``standing`` on ``today``."""
    rules = rules or Rules.from_settings()
    return _with_years(queryset, today).annotate(standing=standing_expression(today, rules))


@functools.lru_cache(maxsize=4)
def _every_membership(today: datetime.date, rules: Rules):
    from .models import Membership

    return with_standing(Membership.objects.all(), today, rules)


def every_membership_with_standing(today: datetime.date, rules: Rules | None = None):
    """``Membership.objects.with_standing(today)``, its expression resolved once a process
    for each day and rules, and a copy of it returned: the admin's list starts every page
    from it, and resolving the expression took 1.5–2 ms of each (docs/performance.md, the
    eighteenth round). The kept queryset is never evaluated, only copied, as a chained
    ``filter()`` copies the one it is called on."""
    return _every_membership(today, rules or Rules.from_settings()).all()


def with_paid_through(queryset, today: datetime.date):
    """``queryset`` of memberships annotated with ``paid_through_year``: the latest year
    whose dues are paid by ``today`` (:func:`members.rules.paid_through` is its 31 December)."""
    from .models import Dues

    latest = (
        Dues.objects.filter(membership=OuterRef("pk"), paid_on__lte=today)
        .order_by()
        .values("membership")
        .annotate(year=Max("year"))
        .values("year")
    )
    return queryset.annotate(paid_through_year=Subquery(latest, output_field=IntegerField()))
