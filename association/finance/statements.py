"""The three statements, computed from the posted ledger and the layouts (data).

Figures are Decimal yuan. A balance sheet's net assets are the net-asset accounts plus
the accumulated income less expenses not yet closed (年末结转 moves them into 3101/3102,
see services/books.py), split by the restriction of the fund each line was posted to. Expenses are a
decrease of unrestricted net assets; what was spent from restricted funds is released
from restriction (限定性净资产转为非限定性净资产) by the same amount.
"""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Exists, OuterRef, Sum
from django.utils.translation import gettext as _

from .choices import (
    AccountClass,
    LineKind,
    Restriction,
    Side,
    StatementKind,
    TieOutKey,
    VoucherSource,
)
from .models import Account, StatementLayout, StatementLine, VoucherLine

ZERO = Decimal("0.00")
U, R, T = "unrestricted", "restricted", "total"


@dataclass
class Row:
    line: StatementLine
    values: dict = field(default_factory=dict)

    @property
    def is_heading(self):
        return self.line.kind == LineKind.HEADING

    def cells(self, columns):
        return [self.values.get(c) for c in columns]


@dataclass
class TieOut:
    label: str
    left: Decimal
    right: Decimal

    @property
    def ok(self) -> bool:
        return self.left == self.right

    @property
    def difference(self) -> Decimal:
        return self.left - self.right


@dataclass
class Statement:
    kind: str
    layout: StatementLayout
    start: datetime.date
    end: datetime.date
    columns: list  # [(key, label)]
    rows: list
    tie_outs: list

    def __post_init__(self):
        keys = self.column_keys
        for row in self.rows:
            row.cell_values = [None] * len(keys) if row.is_heading else row.cells(keys)

    @property
    def balanced(self) -> bool:
        return all(t.ok for t in self.tie_outs)

    @property
    def column_keys(self):
        return [key for key, _label in self.columns]

    def value(self, code: str, column: str):
        for row in self.rows:
            if row.line.code == code:
                return row.values.get(column)
        raise KeyError(code)


def _layout(kind: str) -> tuple[StatementLayout, list[StatementLine]]:
    layout = StatementLayout.objects.get(kind=kind)
    lines = list(layout.lines.prefetch_related("accounts").order_by("order"))
    return layout, lines


def _balances(*, start=None, end=None):
    """{(account_id, restriction): (debit, credit)} of posted lines dated in the range.

    Year-end closing vouchers are left out: they move a year's income and expenses into
    the net-asset accounts, and ``net_assets`` already counts both, so they change no
    figure of the balance sheet, and would empty the activities statement of their year.
    """
    queryset = VoucherLine.objects.filter(voucher__status="posted").exclude(
        voucher__source=VoucherSource.CLOSING
    )
    if start is not None:
        queryset = queryset.filter(voucher__date__gte=start)
    if end is not None:
        queryset = queryset.filter(voucher__date__lte=end)
    result = {}
    for row in queryset.values("account_id", "fund__restriction").annotate(
        d=Sum("debit"), c=Sum("credit")
    ):
        result[(row["account_id"], row["fund__restriction"])] = (row["d"] or ZERO, row["c"] or ZERO)
    return result


def _signed(debit, credit, side):
    return debit - credit if side == Side.DEBIT else credit - debit


def _evaluate(formula: str, values_by_code: dict, column: str) -> Decimal:
    total = ZERO
    for sign, code in re.findall(r"([+-]?)\s*([0-9A-Za-z_.]+)", formula.replace(" ", "")):
        value = values_by_code.get(code, {}).get(column) or ZERO
        total += -value if sign == "-" else value
    return total


def _fill_totals(rows, columns):
    by_code = {}
    for row in rows:
        if row.line.kind == LineKind.TOTAL:
            row.values = {c: _evaluate(row.line.formula, by_code, c) for c in columns}
        if row.line.code:
            by_code[row.line.code] = row.values


def _key_row(rows, key):
    return next((row for row in rows if row.line.key == key), None)


def net_assets(balances, classes) -> dict:
    """Net assets by restriction from a balance map (see ``_balances``)."""
    result = {U: ZERO, R: ZERO}
    for (account_id, restriction), (debit, credit) in balances.items():
        account_class = classes[account_id]
        if account_class == AccountClass.NET_UNRESTRICTED:
            result[U] += credit - debit
        elif account_class == AccountClass.NET_RESTRICTED:
            result[R] += credit - debit
        elif account_class in (AccountClass.INCOME, AccountClass.EXPENSE):
            result[U if restriction == Restriction.UNRESTRICTED else R] += credit - debit
    result[T] = result[U] + result[R]
    return result


def _classes():
    return dict(Account.objects.values_list("id", "account_class"))


def balance_sheet(*, start: datetime.date, end: datetime.date) -> Statement:
    """资产负债表 at the day before ``start`` (年初数/期初数) and at ``end`` (期末数)."""
    layout, lines = _layout(StatementKind.BALANCE_SHEET)
    columns = [("opening", _("期初数")), ("closing", _("期末数"))]
    opening = _balances(end=start - datetime.timedelta(days=1))
    closing = _balances(end=end)
    classes = _classes()
    na = {"opening": net_assets(opening, classes), "closing": net_assets(closing, classes)}
    maps = {"opening": opening, "closing": closing}
    rows = []
    for line in lines:
        row = Row(line)
        if line.kind == LineKind.ACCOUNTS:
            ids = {a.id for a in line.accounts.all()}
            for column, balances in maps.items():
                row.values[column] = sum(
                    (_signed(d, c, line.side) for (a, _r), (d, c) in balances.items() if a in ids),
                    ZERO,
                )
        elif line.kind == LineKind.NET_ASSETS:
            key = R if line.restriction == Restriction.RESTRICTED else U
            row.values = {column: na[column][key] for column in maps}
        rows.append(row)
    _fill_totals(rows, list(maps))
    tie_outs = []
    assets_row = _key_row(rows, TieOutKey.TOTAL_ASSETS)
    other_row = _key_row(rows, TieOutKey.TOTAL_LIABILITIES_NET_ASSETS)
    for column, label in columns:
        ledger_assets = sum(
            (d - c for (a, _r), (d, c) in maps[column].items() if classes[a] == AccountClass.ASSET),
            ZERO,
        )
        if assets_row is not None:
            tie_outs.append(
                TieOut(
                    _("%(col)s：报表资产总计 = 账面资产余额") % {"col": label},
                    assets_row.values[column],
                    ledger_assets,
                )
            )
        if assets_row is not None and other_row is not None:
            tie_outs.append(
                TieOut(
                    _("%(col)s：资产总计 = 负债和净资产总计") % {"col": label},
                    assets_row.values[column],
                    other_row.values[column],
                )
            )
    return Statement(StatementKind.BALANCE_SHEET, layout, start, end, columns, rows, tie_outs)


def activities(*, start: datetime.date, end: datetime.date) -> Statement:
    """业务活动表 for the period, with the columns 非限定性 / 限定性 / 合计."""
    layout, lines = _layout(StatementKind.ACTIVITIES)
    columns = [(U, _("非限定性")), (R, _("限定性")), (T, _("合计"))]
    balances = _balances(start=start, end=end)
    rows = []
    released = ZERO
    for line in lines:
        row = Row(line)
        if line.kind == LineKind.ACCOUNTS:
            ids = {a.id for a in line.accounts.all()}
            values = {U: ZERO, R: ZERO}
            for (account_id, restriction), (d, c) in balances.items():
                if account_id in ids:
                    values[U if restriction == Restriction.UNRESTRICTED else R] += _signed(
                        d, c, line.side
                    )
            if line.all_unrestricted:
                released += values[R]
                values = {U: values[U] + values[R], R: ZERO}
            values[T] = values[U] + values[R]
            row.values = values
        rows.append(row)
    for row in rows:
        if row.line.kind == LineKind.RELEASE:
            row.values = {U: released, R: -released, T: ZERO}
    _fill_totals(rows, [U, R, T])
    classes = _classes()
    before = net_assets(_balances(end=start - datetime.timedelta(days=1)), classes)
    after = net_assets(_balances(end=end), classes)
    change_row = _key_row(rows, TieOutKey.CHANGE_IN_NET_ASSETS)
    tie_outs = []
    if change_row is not None:
        for column, label in columns:
            tie_outs.append(
                TieOut(
                    _("%(col)s：净资产变动额 = 资产负债表净资产期末数 − 期初数") % {"col": label},
                    change_row.values[column],
                    after[column] - before[column],
                )
            )
    return Statement(StatementKind.ACTIVITIES, layout, start, end, columns, rows, tie_outs)


def _cash_movements(start, end) -> dict:
    """{(account_id, "inflow"|"outflow"): amount} for the period.

    In each posted voucher that moves cash, the net cash movement is attributed to the
    non-cash lines on the other side (the credits for a receipt, the debits for a
    payment), in proportion to their amounts; the last cent goes to the largest line.
    """
    cash_lines = VoucherLine.objects.filter(
        voucher_id=OuterRef("voucher_id"), account__is_cash=True
    )
    lines = (
        VoucherLine.objects.filter(
            voucher__status="posted", voucher__date__gte=start, voucher__date__lte=end
        )
        .filter(Exists(cash_lines))
        .values_list("voucher_id", "account_id", "account__is_cash", "debit", "credit")
        .order_by("voucher_id", "line_no")
    )
    by_voucher = defaultdict(list)
    for voucher_id, account_id, is_cash, debit, credit in lines:
        by_voucher[voucher_id].append((account_id, is_cash, debit, credit))
    result = defaultdict(lambda: ZERO)
    for voucher_lines in by_voucher.values():
        delta = sum((d - c for _a, cash, d, c in voucher_lines if cash), ZERO)
        if not delta:
            continue
        flow = "inflow" if delta > 0 else "outflow"
        others = [
            (a, c if delta > 0 else d)
            for a, cash, d, c in voucher_lines
            if not cash and (c if delta > 0 else d) > 0
        ]
        base = sum((amount for _a, amount in others), ZERO)
        if not base:
            continue
        wanted = abs(delta)
        shares = [(a, (wanted * amount / base).quantize(Decimal("0.01"))) for a, amount in others]
        rest = wanted - sum((share for _a, share in shares), ZERO)
        largest = max(range(len(shares)), key=lambda i: others[i][1])
        for index, (account_id, share) in enumerate(shares):
            result[(account_id, flow)] += share + (rest if index == largest else ZERO)
    return result


def cash_flow(*, start: datetime.date, end: datetime.date) -> Statement:
    """现金流量表 (direct method) for the period."""
    layout, lines = _layout(StatementKind.CASH_FLOW)
    columns = [("amount", _("金额"))]
    movements = _cash_movements(start, end)
    inflow_line, outflow_line = {}, {}
    other = {}
    for line in lines:
        if line.kind in (LineKind.ACCOUNTS, LineKind.CASH_OTHER) and line.direction:
            target = inflow_line if line.direction == "inflow" else outflow_line
            for account in line.accounts.all():
                target.setdefault(account.id, line.id)
            if line.kind == LineKind.CASH_OTHER:
                other[line.direction] = line.id
    amounts = defaultdict(lambda: ZERO)
    unmapped = ZERO
    for (account_id, flow), value in movements.items():
        mapping = inflow_line if flow == "inflow" else outflow_line
        line_id = mapping.get(account_id) or other.get(flow)
        if line_id is None:
            unmapped += value if flow == "inflow" else -value
        else:
            amounts[line_id] += value
    rows = []
    for line in lines:
        row = Row(line)
        if line.kind in (LineKind.ACCOUNTS, LineKind.CASH_OTHER):
            row.values = {"amount": amounts[line.id]}
        rows.append(row)
    _fill_totals(rows, ["amount"])
    cash_ids = set(Account.objects.filter(is_cash=True).values_list("id", flat=True))

    def cash_at(day):
        return sum((d - c for (a, _r), (d, c) in _balances(end=day).items() if a in cash_ids), ZERO)

    change = cash_at(end) - cash_at(start - datetime.timedelta(days=1))
    tie_outs = []
    change_row = _key_row(rows, TieOutKey.NET_CASH_CHANGE)
    if change_row is not None:
        tie_outs.append(
            TieOut(
                _("现金净增加额 = 货币资金期末余额 − 期初余额"), change_row.values["amount"], change
            )
        )
    if unmapped:
        tie_outs.append(TieOut(_("未列入现金流量表项目的现金流量"), unmapped, ZERO))
    return Statement(StatementKind.CASH_FLOW, layout, start, end, columns, rows, tie_outs)


BUILDERS = {
    StatementKind.BALANCE_SHEET: balance_sheet,
    StatementKind.ACTIVITIES: activities,
    StatementKind.CASH_FLOW: cash_flow,
}


def statement_build(kind: str, *, start: datetime.date, end: datetime.date) -> Statement:
    return BUILDERS[StatementKind(kind)](start=start, end=end)
