"""The books open once (期初余额) and close every year (年末结转)."""

import datetime
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from association.finance import services
from association.finance.choices import VoucherSource
from association.finance.models import Account, Fund, Period, Voucher, VoucherLine, YearEnd
from association.finance.selectors import dues_disclosure
from association.finance.statements import activities, balance_sheet, cash_flow

from .factories import FundFactory, post

START, END = datetime.date(2025, 1, 1), datetime.date(2025, 12, 31)


def _opening(bookkeeper, grant, start=START):
    general = Fund.objects.get(is_general=True)
    bank, net_u, net_r = (Account.objects.get(code=c) for c in ("1002", "3101", "3102"))
    return services.opening_balances_enter(
        by=bookkeeper,
        books_start=start,
        lines=[
            {"account": bank, "fund": general, "debit": D(100000)},
            {"account": net_u, "fund": general, "credit": D(80000)},
            {"account": net_r, "fund": grant, "credit": D(20000)},
        ],
    )


@pytest.fixture
def year(bookkeeper):
    grant = FundFactory(name="社工站运营补助")
    _opening(bookkeeper, grant)
    post(bookkeeper, "2025-01-15", ("1002", "D", 5000), ("4201", "C", 5000))
    post(bookkeeper, "2025-02-01", ("1002", "D", 60000), ("4401", "C", 60000, grant))
    post(bookkeeper, "2025-03-10", ("5101", "D", 45000, grant), ("1002", "C", 45000, grant))
    post(bookkeeper, "2025-04-20", ("5201", "D", 8000), ("1002", "C", 8000))
    return grant


def _figures():
    result = {}
    for build in (balance_sheet, activities, cash_flow):
        statement = build(start=START, end=END)
        assert statement.balanced, [(t.label, t.left, t.right) for t in statement.tie_outs]
        result[build.__name__] = [row.values for row in statement.rows]
    return result


def test_opening_balances_are_the_first_years_opening_and_not_its_activity(year):
    sheet = balance_sheet(start=START, end=END)
    assert sheet.value("1", "opening") == D(100000)  # 货币资金
    assert sheet.value("110", "opening") == D(100000)  # 净资产合计
    statement = activities(start=START, end=END)
    assert statement.value("11", "total") == D(65000)  # income: dues and the grant only
    assert statement.balanced and sheet.balanced
    assert cash_flow(start=START, end=END).balanced


def test_opening_balances_are_entered_once_balanced_and_before_everything(bookkeeper):
    grant = FundFactory()
    general = Fund.objects.get(is_general=True)
    bank, income = Account.objects.get(code="1002"), Account.objects.get(code="4201")
    net_u = Account.objects.get(code="3101")
    with pytest.raises(ValidationError, match="借贷不平衡"):
        services.opening_balances_enter(
            by=bookkeeper,
            books_start=START,
            lines=[
                {"account": bank, "fund": general, "debit": D(100)},
                {"account": net_u, "fund": general, "credit": D(90)},
            ],
        )
    with pytest.raises(ValidationError, match="收入和费用科目没有期初余额"):
        services.opening_balances_enter(
            by=bookkeeper,
            books_start=START,
            lines=[
                {"account": bank, "fund": general, "debit": D(100)},
                {"account": income, "fund": general, "credit": D(100)},
            ],
        )
    _opening(bookkeeper, grant)
    with pytest.raises(ValidationError, match="期初余额已经录入"):
        _opening(bookkeeper, grant)
    with pytest.raises(ValidationError, match="不能早于启用日"):
        post(bookkeeper, "2024-12-31", ("1002", "D", 5), ("4201", "C", 5))


def test_opening_balances_cannot_come_after_vouchers_already_posted(bookkeeper):
    post(bookkeeper, "2024-06-01", ("1002", "D", 5), ("4201", "C", 5))
    with pytest.raises(ValidationError, match="早于账簿启用日期"):
        _opening(bookkeeper, FundFactory())


def test_the_opening_page_checks_and_posts(bookkeeper, client_for):
    grant = FundFactory()
    general = Fund.objects.get(is_general=True)
    ids = {c: Account.objects.get(code=c).pk for c in ("1002", "3101", "3102")}
    client = client_for(bookkeeper)
    url = reverse("finance:opening_balances")
    form = {
        "books_start": "2025-01-01",
        "lines-TOTAL_FORMS": "3",
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "2",
        "lines-MAX_NUM_FORMS": "1000",
        "lines-0-account": ids["1002"],
        "lines-0-fund": general.pk,
        "lines-0-debit": "1000",
        "lines-1-account": ids["3101"],
        "lines-1-fund": general.pk,
        "lines-1-credit": "800",
        "lines-2-account": ids["3102"],
        "lines-2-fund": grant.pk,
        "lines-2-credit": "100",
    }
    page = client.post(url, form, follow=True)
    assert "借贷不平衡" in page.content.decode()
    assert not Voucher.objects.exists()
    form["lines-2-credit"] = "200"
    page = client.post(url, form, follow=True)
    voucher = Voucher.objects.get(source=VoucherSource.OPENING)
    assert voucher.date == datetime.date(2024, 12, 31)
    assert voucher.number in page.content.decode()


def test_year_end_closing_moves_the_result_into_net_assets_and_changes_no_statement(
    year, bookkeeper, client_for
):
    before = _figures()
    disclosure = dues_disclosure(year=2025)
    client = client_for(bookkeeper)
    page = client.get(reverse("finance:period_list"))
    assert "2025年末结转" in page.content.decode()
    page = client.post(reverse("finance:year_close"), {"year": "2025"}, follow=True)
    assert "2025年已结转" in page.content.decode(), page.content.decode()[-3000:]

    year_end = YearEnd.objects.get(year=2025)
    assert year_end.voucher.source == VoucherSource.CLOSING
    assert year_end.voucher.date == END
    # Income and expense accounts are empty at the end of the closed year...
    for code in ("4201", "4401", "5101", "5201"):
        lines = VoucherLine.objects.filter(account__code=code, voucher__status="posted")
        assert sum(line.debit - line.credit for line in lines) == 0, code

    # ...their result is in net assets by restriction: 80,000 + 5,000 − 8,000 and
    # 20,000 + 60,000 − 45,000.
    def balance(code):
        lines = VoucherLine.objects.filter(account__code=code, voucher__status="posted")
        return sum(line.credit - line.debit for line in lines)

    assert balance("3101") == D(77000)
    assert balance("3102") == D(35000)
    # The statements, their tie-outs and the dues disclosure are unchanged by closing.
    assert _figures() == before
    assert dues_disclosure(year=2025) == disclosure
    # Every month of the closed year is closed: nothing more is posted into it.
    assert Period.objects.filter(year=2025, status="closed").count() == 12
    with pytest.raises(ValidationError, match="已结账"):
        post(bookkeeper, "2025-06-30", ("1002", "D", 5), ("4201", "C", 5))
    # The next year opens from the closed balances.
    next_sheet = balance_sheet(start=datetime.date(2026, 1, 1), end=datetime.date(2026, 12, 31))
    assert next_sheet.value("110", "opening") == D(112000)
    assert next_sheet.balanced
    with pytest.raises(ValidationError, match="已经结转"):
        services.year_close(year=2025, by=bookkeeper)


def test_year_end_closing_refuses_out_of_order_and_after_december_closed(year, bookkeeper):
    with pytest.raises(ValidationError, match="尚未结束"):
        services.year_close(year=datetime.date.today().year, by=bookkeeper)
    for month in range(1, 13):
        services.period_close(year=2025, month=month, by=bookkeeper)
    with pytest.raises(ValidationError, match="12月已结账"):
        services.year_close(year=2025, by=bookkeeper)


def test_year_end_closing_waits_for_the_earlier_year(bookkeeper):
    post(bookkeeper, "2024-03-01", ("1002", "D", 5), ("4201", "C", 5))
    post(bookkeeper, "2025-03-01", ("1002", "D", 5), ("4201", "C", 5))
    with pytest.raises(ValidationError, match="请先结转更早的年度"):
        services.year_close(year=2025, by=bookkeeper)
    services.year_close(year=2024, by=bookkeeper)
    assert services.year_close(year=2025, by=bookkeeper).voucher is not None
