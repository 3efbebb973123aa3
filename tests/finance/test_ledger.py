"""Posting, numbering, periods and reversals."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction

from association.finance.models import Period, Voucher, VoucherLine
from association.finance.services import (
    period_close,
    voucher_create,
    voucher_delete,
    voucher_post,
    voucher_reverse,
)
from association.finance.statements import balance_sheet

from .factories import general, post


def test_it_numbers_posted_vouchers_per_year_without_gaps(bookkeeper):
    first = post(bookkeeper, "2026-01-05", ("1002", "D", 10), ("4201", "C", 10))
    draft = voucher_create(
        by=bookkeeper,
        date=datetime.date(2026, 1, 6),
        summary="草稿",
        lines=[{"account": "5201", "debit": 5}, {"account": "1002", "credit": 5}],
    )
    second = post(bookkeeper, "2026-02-01", ("1002", "D", 10), ("4201", "C", 10))
    next_year = post(bookkeeper, "2027-01-02", ("1002", "D", 10), ("4201", "C", 10))
    assert draft.number is None
    assert [first.number, second.number, next_year.number] == [
        "记-2026-0001",
        "记-2026-0002",
        "记-2027-0001",
    ]
    assert voucher_post(voucher=draft, by=bookkeeper).number == "记-2026-0003"


def test_it_refuses_an_unbalanced_voucher(bookkeeper):
    draft = voucher_create(
        by=bookkeeper,
        date=datetime.date(2026, 1, 6),
        summary="不平",
        lines=[{"account": "5201", "debit": 5}, {"account": "1002", "credit": 4}],
    )
    with pytest.raises(ValidationError, match="借贷不平衡"):
        voucher_post(voucher=draft, by=bookkeeper)
    assert Voucher.objects.get(pk=draft.pk).number is None


def test_it_refuses_a_line_with_both_or_no_amounts(bookkeeper):
    with pytest.raises(ValidationError, match="只能填一个"):
        voucher_create(
            by=bookkeeper,
            date=datetime.date(2026, 1, 6),
            summary="错",
            lines=[{"account": "5201", "debit": 5, "credit": 5}, {"account": "1002", "credit": 5}],
        )


def test_it_lets_only_staff_and_officers_keep_the_books(cast):
    for user in (cast.official, cast.org_admin_a, cast.outsider):
        with pytest.raises(PermissionDenied):
            post(user, "2026-01-05", ("1002", "D", 10), ("4201", "C", 10))
    assert post(cast.officer, "2026-01-05", ("1002", "D", 10), ("4201", "C", 10)).is_posted


def test_it_never_changes_a_posted_voucher_even_past_the_services(bookkeeper):
    voucher = post(bookkeeper, "2026-01-05", ("1002", "D", 10), ("4201", "C", 10))
    line = voucher.lines.first()
    with pytest.raises(DatabaseError), transaction.atomic():
        VoucherLine.objects.filter(pk=line.pk).update(debit=Decimal("11"))
    with pytest.raises(DatabaseError), transaction.atomic():
        Voucher.objects.filter(pk=voucher.pk).update(summary="改")
    with pytest.raises(DatabaseError), transaction.atomic():
        VoucherLine.objects.create(
            voucher=voucher, line_no=9, account=line.account, fund=general(), debit=1
        )
    with pytest.raises(ValidationError, match="不能删除"):
        voucher_delete(voucher=voucher, by=bookkeeper)


def test_it_reverses_a_posted_voucher_with_a_new_one(bookkeeper):
    start, end = datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)
    wrong = post(bookkeeper, "2026-03-01", ("5201", "D", 800), ("1002", "C", 800))
    reversal = voucher_reverse(
        voucher=wrong, by=bookkeeper, date=datetime.date(2026, 3, 2), reason="金额错误"
    )
    assert reversal.number == "记-2026-0002"
    assert reversal.reverses_id == wrong.pk
    assert "冲销 记-2026-0001" in reversal.summary
    lines = {(line.account.code, line.debit, line.credit) for line in reversal.lines.all()}
    assert lines == {("5201", 0, Decimal("800.00")), ("1002", Decimal("800.00"), 0)}
    assert balance_sheet(start=start, end=end).value("1", "closing") == 0
    with pytest.raises(ValidationError, match="已被冲销"):
        voucher_reverse(voucher=wrong, by=bookkeeper)
    with pytest.raises(ValidationError, match="不能再被冲销"):
        voucher_reverse(voucher=reversal, by=bookkeeper)


def test_it_refuses_to_post_into_a_closed_period(bookkeeper):
    post(bookkeeper, "2026-01-05", ("1002", "D", 10), ("4201", "C", 10))
    draft = voucher_create(
        by=bookkeeper,
        date=datetime.date(2026, 1, 20),
        summary="晚了",
        lines=[{"account": "5201", "debit": 5}, {"account": "1002", "credit": 5}],
    )
    with pytest.raises(ValidationError, match="草稿凭证"):
        period_close(year=2026, month=1, by=bookkeeper)
    voucher_delete(voucher=draft, by=bookkeeper)
    period_close(year=2026, month=1, by=bookkeeper)
    with pytest.raises(ValidationError, match="已结账"):
        post(bookkeeper, "2026-01-31", ("1002", "D", 10), ("4201", "C", 10))
    with pytest.raises(ValidationError, match="已结账"):
        voucher_reverse(
            voucher=Voucher.objects.get(number="记-2026-0001"),
            by=bookkeeper,
            date=datetime.date(2026, 1, 31),
        )
    # February is still open, and the period cannot be reopened behind the services' back.
    assert post(bookkeeper, "2026-02-01", ("1002", "D", 10), ("4201", "C", 10)).is_posted
    with pytest.raises(DatabaseError), transaction.atomic():
        Period.objects.filter(year=2026, month=1).update(status="open")


def test_it_closes_months_in_order(bookkeeper):
    post(bookkeeper, "2026-01-05", ("1002", "D", 10), ("4201", "C", 10))
    post(bookkeeper, "2026-02-05", ("1002", "D", 10), ("4201", "C", 10))
    with pytest.raises(ValidationError, match="更早的月份"):
        period_close(year=2026, month=2, by=bookkeeper)
    period_close(year=2026, month=1, by=bookkeeper)
    assert period_close(year=2026, month=2, by=bookkeeper).status == "closed"
