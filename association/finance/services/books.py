"""The books open and close: opening balances (期初余额) once, year-end closing (结转).

- Opening balances are one posted voucher (source ``opening``) dated the day before the
  books start (the first of a month), in a month closed at once. Being dated before every
  other voucher, they are the opening column of the
  first balance sheet and never part of a period's activity. Nothing is posted on or
  before that day afterwards.
- Year-end closing moves the year's income and expense balances, fund by fund, into net
  assets (3101 for unrestricted funds, 3102 for restricted ones) with one voucher (source
  ``closing``) dated 31 December, then closes every month of the year still open. A
  closed year takes no new vouchers; corrections go into the open year with a note.
  The ledger's balances carry forward, so the next year opens from the closed balances.
  The statements leave closing vouchers out of their sums (see statements._balances):
  they compute net assets as the net-asset accounts plus income less expenses, which a
  closing voucher only moves from one to the other.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from association.services import service

from ..choices import (
    BALANCE_SHEET_CLASSES,
    AccountClass,
    PeriodStatus,
    Restriction,
    VoucherSource,
    VoucherStatus,
)
from ..models import Account, Fund, Period, Voucher, VoucherLine, YearEnd
from ..permissions import require_books
from .ledger import _clean_lines, period_close, voucher_create_and_post

ZERO = Decimal("0.00")
NET_ASSETS_UNRESTRICTED = "3101"
NET_ASSETS_RESTRICTED = "3102"


def opening_voucher() -> Voucher | None:
    return Voucher.objects.filter(source=VoucherSource.OPENING).first()


@service
def opening_balances_enter(*, by, books_start: datetime.date, lines: list[dict]) -> Voucher:
    """Enter the opening balances of the books, which start on ``books_start``.
    Once only; balance-sheet accounts only; debits must equal credits."""
    require_books(by)
    existing = opening_voucher()
    if existing is not None:
        raise ValidationError(
            _("期初余额已经录入（凭证 %(number)s，%(date)s）。")
            % {"number": existing.number, "date": existing.date}
            + _("如有差错，请在当期做调整凭证并注明原因。")
        )
    if books_start.day != 1:
        raise ValidationError(
            {"books_start": _("账簿启用日期应为某月的1日（会计期间从月初开始）。")}
        )
    date = books_start - datetime.timedelta(days=1)
    earlier = Voucher.objects.filter(date__lte=date).order_by("date").first()
    if earlier is not None:
        raise ValidationError(
            {
                "books_start": _(
                    "已有 %(date)s 的凭证，早于账簿启用日期：期初余额必须早于所有凭证。"
                )
                % {"date": earlier.date}
            }
        )
    cleaned = _clean_lines(lines)
    wrong = [
        f"{index}（{line['account']}）"
        for index, line in enumerate(cleaned, start=1)
        if line["account"].account_class not in BALANCE_SHEET_CLASSES
    ]
    if wrong:
        raise ValidationError(
            _("第%(rows)s行：期初余额只录资产、负债和净资产科目，收入和费用科目没有期初余额。")
            % {"rows": "、".join(wrong)}
        )
    debit = sum((line["debit"] for line in cleaned), ZERO)
    credit = sum((line["credit"] for line in cleaned), ZERO)
    if debit != credit:
        raise ValidationError(
            _("期初余额借贷不平衡：借方合计 %(d)s 元，贷方合计 %(c)s 元，相差 %(diff)s 元。")
            % {"d": debit, "c": credit, "diff": abs(debit - credit)}
        )
    voucher = voucher_create_and_post(
        by=by,
        date=date,
        summary=_("期初余额（账簿启用日 %(start)s）") % {"start": books_start},
        lines=cleaned,
        source=VoucherSource.OPENING,
    )
    # The month before the books start holds the opening balances only: closed at once.
    period_close(year=date.year, month=date.month, by=by)
    return voucher


def books_start() -> datetime.date | None:
    """The first day of the books: the day after the opening balances, if entered."""
    voucher = opening_voucher()
    return voucher.date + datetime.timedelta(days=1) if voucher else None


def _result_balances(year: int):
    """The year's income and expense balances per (account, fund), nonzero ones only."""
    rows = (
        VoucherLine.objects.filter(
            voucher__status=VoucherStatus.POSTED,
            voucher__date__year=year,
            account__account_class__in=[AccountClass.INCOME, AccountClass.EXPENSE],
        )
        .values("account_id", "fund_id", "fund__restriction")
        .annotate(debit=Sum("debit"), credit=Sum("credit"))
        .order_by("account_id", "fund_id")
    )
    return [row for row in rows if row["debit"] != row["credit"]]


@service
def year_close(*, year: int, by) -> YearEnd:
    """Close the year: the closing voucher (when the year had income or expenses), then
    every month of the year still open, in order."""
    require_books(by)
    if YearEnd.objects.filter(year=year).exists():
        raise ValidationError(_("%(year)s年已经结转。") % {"year": year})
    if year >= timezone.localdate().year:
        raise ValidationError(_("%(year)s年尚未结束，不能结转。") % {"year": year})
    earlier = sorted(
        set(
            Voucher.objects.filter(status=VoucherStatus.POSTED, date__year__lt=year)
            .exclude(source=VoucherSource.OPENING)
            .values_list("date__year", flat=True)
        )
        - set(YearEnd.objects.values_list("year", flat=True))
    )
    if earlier:
        raise ValidationError(
            _("请先结转更早的年度：%(years)s。")
            % {"years": "、".join(_("%(year)s年") % {"year": y} for y in earlier)}
        )
    drafts = Voucher.objects.filter(status=VoucherStatus.DRAFT, date__year=year).count()
    if drafts:
        raise ValidationError(
            _("%(year)s年还有 %(n)s 张草稿凭证，请先过账或删除。") % {"year": year, "n": drafts}
        )
    if Period.objects.filter(year=year, month=12, status=PeriodStatus.CLOSED).exists():
        raise ValidationError(
            _("%(year)s年12月已结账：结转凭证记入12月，年末结转须在12月结账之前进行。")
            % {"year": year}
        )
    rows = _result_balances(year)
    accounts = Account.objects.in_bulk(
        {row["account_id"] for row in rows}, field_name="pk"
    ) | Account.objects.in_bulk([NET_ASSETS_UNRESTRICTED, NET_ASSETS_RESTRICTED], field_name="code")
    funds = Fund.objects.in_bulk({row["fund_id"] for row in rows})
    lines, net = [], {}
    for row in rows:
        balance = row["debit"] - row["credit"]  # positive: a debit balance (expenses)
        side = "credit" if balance > 0 else "debit"
        fund = funds[row["fund_id"]]
        lines.append({"account": accounts[row["account_id"]], "fund": fund, side: abs(balance)})
        net[fund] = net.get(fund, ZERO) + balance
    for fund, balance in net.items():
        if balance:
            code = (
                NET_ASSETS_UNRESTRICTED
                if fund.restriction == Restriction.UNRESTRICTED
                else NET_ASSETS_RESTRICTED
            )
            side = "debit" if balance > 0 else "credit"
            lines.append({"account": accounts[code], "fund": fund, side: abs(balance)})
    voucher = None
    if lines:
        voucher = voucher_create_and_post(
            by=by,
            date=datetime.date(year, 12, 31),
            summary=_("%(year)s年末结转：收入、费用转入净资产") % {"year": year},
            lines=lines,
            source=VoucherSource.CLOSING,
        )
    closed = set(
        Period.objects.filter(year=year, status=PeriodStatus.CLOSED).values_list("month", flat=True)
    )
    for month in range(1, 13):
        if month not in closed:
            period_close(year=year, month=month, by=by)
    return YearEnd.objects.create(
        year=year, voucher=voucher, closed_by=by, closed_at=timezone.now()
    )
