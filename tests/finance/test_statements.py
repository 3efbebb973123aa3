"""A small year worked out by hand; the three statements must show the same figures."""

import datetime
from decimal import Decimal as D

import pytest

from association.finance.statements import activities, balance_sheet, cash_flow

from .factories import FundFactory, post

START, END = datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)


@pytest.fixture
def year(bookkeeper):
    grant = FundFactory(name="社工站运营补助")
    post(
        bookkeeper,
        "2025-12-31",
        ("1002", "D", 100000),
        ("3101", "C", 80000),
        ("3102", "C", 20000, grant),
        summary="期初余额",
    )
    post(bookkeeper, "2026-01-15", ("1002", "D", 5000), ("4201", "C", 5000))
    post(bookkeeper, "2026-02-01", ("1002", "D", 60000), ("4401", "C", 60000, grant))
    post(bookkeeper, "2026-03-10", ("5101", "D", 45000, grant), ("1002", "C", 45000, grant))
    post(bookkeeper, "2026-04-20", ("5201", "D", 8000), ("1002", "C", 6000), ("2209", "C", 2000))
    post(bookkeeper, "2026-05-05", ("1001", "D", 3000), ("4101", "C", 3000))
    post(bookkeeper, "2026-06-30", ("1501", "D", 4000), ("1002", "C", 4000))
    return grant


def test_it_draws_the_balance_sheet_worked_out_by_hand(year):
    sheet = balance_sheet(start=START, end=END)
    expected = {
        # line: (opening, closing)
        "1": (D(100000), D(113000)),  # 货币资金: 110,000 bank + 3,000 cash
        "31": (D(0), D(4000)),
        "60": (D(100000), D(117000)),  # 资产总计
        "62": (D(0), D(2000)),  # 应付款项
        "100": (D(0), D(2000)),
        "101": (D(80000), D(80000)),  # 80,000 + 5,000 + 3,000 − 8,000
        "105": (D(20000), D(35000)),  # 20,000 + 60,000 − 45,000
        "110": (D(100000), D(115000)),
        "120": (D(100000), D(117000)),
    }
    for code, (opening, closing) in expected.items():
        assert sheet.value(code, "opening") == opening, code
        assert sheet.value(code, "closing") == closing, code
    assert sheet.balanced, [(t.label, t.left, t.right) for t in sheet.tie_outs]


def test_it_draws_the_statement_of_activities_worked_out_by_hand(year):
    statement = activities(start=START, end=END)
    expected = {
        "1": (3000, 0, 3000),
        "2": (5000, 0, 5000),
        "5": (0, 60000, 60000),
        "11": (8000, 60000, 68000),
        "12": (45000, 0, 45000),  # spent from the restricted grant: an unrestricted decrease
        "21": (8000, 0, 8000),
        "35": (53000, 0, 53000),
        "40": (45000, -45000, 0),  # released from restriction by the amount spent
        "45": (0, 15000, 15000),
    }
    for code, values in expected.items():
        got = tuple(statement.value(code, c) for c in ("unrestricted", "restricted", "total"))
        assert got == tuple(D(v) for v in values), code
    assert statement.balanced, [(t.label, t.left, t.right) for t in statement.tie_outs]


def test_it_draws_the_cash_flow_statement_worked_out_by_hand(year):
    statement = cash_flow(start=START, end=END)
    expected = {
        "1": 3000,
        "2": 5000,
        "5": 60000,
        "13": 68000,
        "14": 45000,
        "19": 6000,  # 8,000 of expenses, 2,000 still owed: 6,000 paid
        "23": 51000,
        "24": 17000,
        "35": 4000,
        "41": -4000,
        "49": 0,
        "51": 13000,
    }
    for code, value in expected.items():
        assert statement.value(code, "amount") == D(value), code
    assert statement.balanced


def test_it_reports_a_failed_tie_out_when_an_account_is_left_off_the_layout(year, bookkeeper):
    from association.finance.models import StatementLine

    StatementLine.objects.get(layout__kind="balance_sheet", code="31").accounts.clear()
    sheet = balance_sheet(start=START, end=END)
    assert not sheet.balanced
