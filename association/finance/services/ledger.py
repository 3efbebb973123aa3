"""Posting to the journal: vouchers, gapless numbering, periods, reversals."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import DateTimeField, Func, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from association.services import service
from association.workflow import transition

from ..choices import (
    PERIOD_TRANSITIONS,
    VOUCHER_TRANSITIONS,
    PeriodStatus,
    VoucherSource,
    VoucherStatus,
)
from ..models import Account, Fund, Period, Voucher, VoucherLine, VoucherSequence
from ..permissions import require_books
from ..selectors import period_is_closed

ZERO = Decimal("0.00")


class TransactionNow(Func):
    """The transaction's start time (Postgres NOW()), the stamp of pghistory's events;
    Django's ``Now()`` is the statement's time."""

    template = "CURRENT_TIMESTAMP"
    output_field = DateTimeField()


def period_lock(date: datetime.date) -> Period:
    """The period of ``date``, created open if missing, locked until the transaction ends."""
    Period.objects.bulk_create([Period(year=date.year, month=date.month)], ignore_conflicts=True)
    return Period.objects.select_for_update().get(year=date.year, month=date.month)


def _check_open(date: datetime.date) -> None:
    if period_is_closed(date):
        raise ValidationError(
            _("%(year)s年%(month)s月已结账，不能再记入该期间。")
            % {"year": date.year, "month": date.month}
        )


def _check_after_opening(date: datetime.date, source: str) -> None:
    """Nothing but the opening balances is dated on or before their day."""
    if source == VoucherSource.OPENING:
        return
    opening = (
        Voucher.objects.filter(source=VoucherSource.OPENING, date__gte=date)
        .values_list("date", flat=True)
        .first()
    )
    if opening is not None:
        raise ValidationError(
            _("账簿自 %(start)s 启用，凭证日期不能早于启用日。")
            % {"start": opening + datetime.timedelta(days=1)}
        )


def _clean_lines(lines: list[dict]) -> list[dict]:
    cleaned = []
    for index, raw in enumerate(lines, start=1):
        debit = Decimal(raw.get("debit") or 0).quantize(Decimal("0.01"))
        credit = Decimal(raw.get("credit") or 0).quantize(Decimal("0.01"))
        if debit < 0 or credit < 0 or (debit > 0) == (credit > 0):
            raise ValidationError(_("第%(n)s行：借方和贷方只能填一个正数金额。") % {"n": index})
        account = raw["account"]
        if not isinstance(account, Account):
            account = Account.objects.get(code=account)
        if not account.active:
            raise ValidationError(_("第%(n)s行：科目“%(a)s”已停用。") % {"n": index, "a": account})
        fund = raw.get("fund") or Fund.objects.get(is_general=True)
        cleaned.append({**raw, "account": account, "fund": fund, "debit": debit, "credit": credit})
    return cleaned


@service
def voucher_create(
    *,
    by,
    date: datetime.date,
    summary: str,
    lines: list[dict],
    source: str = VoucherSource.MANUAL,
    reverses: Voucher | None = None,
) -> Voucher:
    """A draft voucher. ``lines`` are dicts: account (Account or code), fund (default the
    general fund), debit or credit, description, counterparty, project_tag,
    station_tag, budget_line."""
    require_books(by)
    _check_after_opening(date, source)
    _check_open(date)
    cleaned = _clean_lines(lines)
    if len(cleaned) < 2:
        raise ValidationError(_("一张凭证至少要有两行分录。"))
    voucher = Voucher.objects.create(
        date=date, summary=summary, source=source, created_by=by, reverses=reverses
    )
    VoucherLine.objects.bulk_create(
        [
            VoucherLine(
                voucher=voucher,
                line_no=index,
                account=line["account"],
                fund=line["fund"],
                debit=line["debit"],
                credit=line["credit"],
                description=line.get("description", ""),
                counterparty=line.get("counterparty", ""),
                project_tag=line.get("project_tag", ""),
                station_tag=line.get("station_tag", ""),
                budget_line=line.get("budget_line"),
            )
            for index, line in enumerate(cleaned, start=1)
        ]
    )
    return voucher


def voucher_totals(voucher: Voucher) -> tuple[Decimal, Decimal]:
    debit = credit = ZERO
    for line in voucher.lines.all():
        debit += line.debit
        credit += line.credit
    return debit, credit


@service
def voucher_post(*, voucher: Voucher, by) -> Voucher:
    """Post a draft: check it balances and its period is open, then give it the next
    number of its year. The period and the year's sequence are locked (in that order)
    so that numbers never repeat or skip and a period cannot close mid-posting."""
    require_books(by)
    voucher = Voucher.objects.select_for_update().get(pk=voucher.pk)
    if voucher.status != VoucherStatus.DRAFT:
        raise ValidationError(_("凭证 %(number)s 已过账。") % {"number": voucher.number})
    debit, credit = voucher_totals(voucher)
    if voucher.lines.count() < 2:
        raise ValidationError(_("一张凭证至少要有两行分录。"))
    if debit != credit:
        raise ValidationError(
            _("借贷不平衡：借方合计 %(d)s 元，贷方合计 %(c)s 元。") % {"d": debit, "c": credit}
        )
    if debit <= 0:
        raise ValidationError(_("凭证金额必须大于零。"))
    period = period_lock(voucher.date)
    if period.status == PeriodStatus.CLOSED:
        raise ValidationError(
            _("%(year)s年%(month)s月已结账，不能再记入该期间。")
            % {"year": period.year, "month": period.month}
        )
    year = voucher.date.year
    VoucherSequence.objects.bulk_create([VoucherSequence(year=year)], ignore_conflicts=True)
    sequence = VoucherSequence.objects.select_for_update().get(year=year)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    voucher.year = year
    voucher.sequence = sequence.last
    voucher.number = f"记-{year}-{sequence.last:04d}"
    transition(voucher, VoucherStatus.POSTED, VOUCHER_TRANSITIONS)
    voucher.posted_by = by
    # The database's clock (the transaction's start), the same one pghistory stamps
    # change events with: verify_ledger compares the two.
    voucher.posted_at = TransactionNow()
    voucher.save()
    voucher.refresh_from_db(fields=["posted_at"])
    return voucher


@service
def voucher_delete(*, voucher: Voucher, by) -> None:
    """Only a draft can be deleted; a posted voucher is reversed instead."""
    require_books(by)
    voucher = Voucher.objects.select_for_update().get(pk=voucher.pk)
    if voucher.status != VoucherStatus.DRAFT:
        raise ValidationError(_("已过账的凭证不能删除，请做冲销凭证。"))
    voucher.delete()


@service
def voucher_reverse(
    *, voucher: Voucher, by, date: datetime.date | None = None, reason: str = ""
) -> Voucher:
    """Post a voucher with every debit and credit swapped (红字冲销), dated ``date``
    (today by default, in an open period). A voucher is reversed at most once."""
    require_books(by)
    voucher = Voucher.objects.select_for_update().get(pk=voucher.pk)
    if voucher.status != VoucherStatus.POSTED:
        raise ValidationError(_("只能冲销已过账的凭证；草稿可以直接修改或删除。"))
    if voucher.reverses_id is not None:
        raise ValidationError(_("冲销凭证不能再被冲销，请重新录入正确的凭证。"))
    if Voucher.objects.filter(reverses=voucher).exists():
        raise ValidationError(_("凭证 %(number)s 已被冲销。") % {"number": voucher.number})
    date = date or timezone.localdate()
    summary = _("冲销 %(number)s") % {"number": voucher.number}
    if reason:
        summary = f"{summary}:{reason}"
    reversal = voucher_create(
        by=by,
        date=date,
        summary=summary[:200],
        source=VoucherSource.REVERSAL,
        reverses=voucher,
        lines=[
            {
                "account": line.account,
                "fund": line.fund,
                "debit": line.credit,
                "credit": line.debit,
                "description": line.description,
                "counterparty": line.counterparty,
                "project_tag": line.project_tag,
                "station_tag": line.station_tag,
                "budget_line": line.budget_line,
            }
            for line in voucher.lines.select_related("account", "fund", "budget_line")
        ],
    )
    return voucher_post(voucher=reversal, by=by)


@service
def voucher_create_and_post(*, by, **kwargs) -> Voucher:
    """A voucher created and posted in one go (payments, dues, grants, the demo)."""
    voucher = voucher_create(by=by, **kwargs)
    return voucher_post(voucher=voucher, by=by)


@service
def period_close(*, year: int, month: int, by) -> Period:
    """Close a month: nothing more can be posted into it. Refused while drafts dated in
    the month wait to be posted, or while an earlier month is still open."""
    require_books(by)
    period = period_lock(datetime.date(year, month, 1))
    if period.status == PeriodStatus.CLOSED:
        raise ValidationError(_("%(period)s 已经结账。") % {"period": period})
    drafts = Voucher.objects.filter(
        status=VoucherStatus.DRAFT, date__year=year, date__month=month
    ).count()
    if drafts:
        raise ValidationError(
            _("%(period)s 还有 %(n)s 张草稿凭证，请先过账或删除。")
            % {"period": period, "n": drafts}
        )
    earlier_open = Period.objects.filter(status=PeriodStatus.OPEN).filter(
        Q(year__lt=year) | Q(year=year, month__lt=month)
    )
    if earlier_open.exists():
        raise ValidationError(
            _("请先结账更早的月份：%(periods)s。")
            % {"periods": "、".join(str(p) for p in earlier_open.order_by("year", "month"))}
        )
    transition(period, PeriodStatus.CLOSED, PERIOD_TRANSITIONS)
    period.closed_at = TransactionNow()
    period.closed_by = by
    period.save()
    period.refresh_from_db(fields=["closed_at"])
    return period
