"""Paid dues are posted to the ledger once: Dr 银行存款 / Cr 会费收入."""

import datetime
from decimal import Decimal

from django.core.management import call_command

from association.finance.models import DuesPosting, Voucher
from association.finance.services import dues_post
from members.services.dues import dues_record_payment
from tests.members.factories import DuesFactory


def paid_dues(**kwargs):
    return DuesFactory(
        year=2026,
        paid_on=datetime.date(2026, 3, 2),
        receipt_number=kwargs.pop("receipt", "HF-2026-0001"),
        **kwargs,
    )


def test_it_posts_a_paid_dues_record_once(cast):
    dues = paid_dues()
    first = dues_post(dues_id=dues.pk, by=cast.staff)
    again = dues_post(dues_id=dues.pk, by=cast.staff)
    assert first == again
    assert DuesPosting.objects.count() == 1
    lines = {
        (line.account.code, line.fund.is_general, line.debit, line.credit)
        for line in first.voucher.lines.select_related("account", "fund")
    }
    assert lines == {("1002", True, Decimal("500.00"), 0), ("4201", True, 0, Decimal("500.00"))}
    assert "HF-2026-0001" in first.voucher.summary


def test_it_leaves_unpaid_dues_alone(cast):
    dues = DuesFactory(year=2026)
    assert dues_post(dues_id=dues.pk, by=cast.staff) is None
    assert not Voucher.objects.exists()


def test_it_posts_dues_as_members_records_the_payment(cast, django_capture_on_commit_callbacks):
    dues = DuesFactory(year=2026)
    with django_capture_on_commit_callbacks(execute=True):
        dues_record_payment(dues=dues, by=cast.staff, paid_on=datetime.date(2026, 1, 8))
    posting = DuesPosting.objects.get(dues=dues)
    assert posting.voucher.date == datetime.date(2026, 1, 8)
    assert posting.voucher.is_posted


def test_it_posts_every_unposted_paid_record_from_the_command(cast, capsys):
    paid_dues(receipt="HF-2026-0001")
    paid_dues(receipt="HF-2026-0002")
    DuesFactory(year=2026)
    call_command("post_dues")
    call_command("post_dues")
    assert DuesPosting.objects.count() == 2
    assert "已入账 2 笔会费" in capsys.readouterr().out
