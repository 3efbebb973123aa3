"""The graduates' programme (projects) in the books: a programme's budget is a restricted
fund whose code is the programme's code; its start-up grants are paid from that fund.

Finance sits above projects, so it reads projects through its selectors and changes
projects only through its services; projects asks for the payment with the signal
``projects.signals.grant_payment_due`` (connected in ``finance/receivers.py``) and for the
spending with ``projects.signals.programme_spending``."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from association.services import service

from .. import chart
from ..choices import AccountClass, Restriction, VoucherSource, VoucherStatus
from ..models import Fund, VoucherLine
from ..permissions import require_books
from .ledger import voucher_create_and_post


def programme_fund(code: str) -> Fund | None:
    """The restricted fund that holds a programme's budget (its code is the programme's)."""
    return Fund.objects.filter(
        code__iexact=code, restriction=Restriction.RESTRICTED, active=True
    ).first()


def programme_spent(fund: Fund) -> Decimal:
    """What the fund has spent: its posted expense lines, debits less credits."""
    return VoucherLine.objects.filter(
        fund=fund,
        voucher__status=VoucherStatus.POSTED,
        account__account_class=AccountClass.EXPENSE,
    ).aggregate(spent=Coalesce(Sum("debit"), Decimal(0)) - Coalesce(Sum("credit"), Decimal(0)))[
        "spent"
    ]


@service(action="finance.startup_grant_pay")
def startup_grant_pay(*, milestone_id: int, by, on=None):
    """Pay an achieved start-up grant milestone: a payment voucher (Dr 业务活动成本 /
    Cr 银行存款) in the programme's restricted fund, tagged with the project; the
    milestone is then marked paid with the voucher's number (projects' service, in this
    transaction: a refusal there undoes the voucher)."""
    from projects import selectors as projects_selectors
    from projects import services as projects_services
    from projects.choices import MilestoneStatus

    require_books(by)
    milestone = projects_selectors.milestone_for_payment(pk=milestone_id)
    if milestone.status != MilestoneStatus.ACHIEVED:
        raise ValidationError(_("只有已完成、尚未拨付的里程碑可以拨付。"))
    grant = milestone.grant
    programme = grant.project.programme
    fund = programme_fund(programme.code)
    if fund is None:
        raise ValidationError(
            _("财务尚未设立计划“%(programme)s”的限定性资金（资金编号：%(code)s）。")
            % {"programme": programme.name, "code": programme.code}
        )
    common = {
        "fund": fund,
        "counterparty": grant.team_name[:100],
        "project_tag": grant.project.name[:100],
        "description": milestone.title[:200],
    }
    voucher = voucher_create_and_post(
        by=by,
        date=on or timezone.localdate(),
        summary=(
            _("拨付创业资助 %(team)s：%(milestone)s")
            % {"team": grant.team_name, "milestone": milestone.title}
        )[:200],
        source=VoucherSource.GRANT,
        lines=[
            {**common, "account": chart.PROGRAMME_COST, "debit": milestone.amount},
            {**common, "account": chart.BANK, "credit": milestone.amount},
        ],
    )
    projects_services.milestone_paid(milestone=milestone, by=by, reference=voucher.number)
    return voucher


def programme_spending_answer(code: str) -> dict | None:
    """The answer to ``projects.signals.programme_spending``: the fund and its spending."""
    fund = programme_fund(code)
    if fund is None:
        return None
    return {"fund": fund.name, "spent": programme_spent(fund)}


__all__ = ["programme_fund", "programme_spending_answer", "programme_spent", "startup_grant_pay"]
