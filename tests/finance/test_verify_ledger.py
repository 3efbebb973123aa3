"""``verify_ledger`` passes a sound ledger and catches planted breaches."""

import pgtrigger
import pytest
from django.core.management import call_command
from django.db import connection

from association.finance.models import Voucher, VoucherSequence

from .factories import post


@pytest.fixture
def ledger(bookkeeper):
    post(bookkeeper, "2026-01-05", ("1002", "D", 100), ("4201", "C", 100))
    return post(bookkeeper, "2026-01-06", ("5201", "D", 40), ("1002", "C", 40))


def run(capsys):
    with pytest.raises(SystemExit) as exit_info:
        call_command("verify_ledger")
        raise SystemExit(0)
    out = capsys.readouterr()
    return exit_info.value.code, out.out + out.err


def test_it_passes_a_sound_ledger(ledger, capsys):
    code, output = run(capsys)
    assert code == 0
    assert "已过账凭证 2 张" in output
    assert "账簿检查通过" in output


def test_it_catches_a_posted_line_edited_past_the_trigger(ledger, capsys):
    line = ledger.lines.get(line_no=1)
    # Bypass the immutability trigger (as a database superuser could); history stays on.
    with (
        pgtrigger.ignore("finance.VoucherLine:finance_line_posted_immutable"),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "UPDATE finance_voucherline SET debit = 41, credit = 0 WHERE id = %s", [line.pk]
        )
    code, output = run(capsys)
    assert code == 1
    assert "借贷不平衡" in output
    assert "在过账后被修改" in output


def test_it_catches_an_edit_made_with_every_trigger_switched_off(ledger, capsys):
    line = ledger.lines.get(line_no=2)
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")
        cursor.execute(
            "UPDATE finance_voucherline SET counterparty = 'x', fund_id = fund_id,"
            " credit = credit WHERE id = %s",
            [line.pk],
        )
        cursor.execute("UPDATE finance_voucherline SET line_no = 7 WHERE id = %s", [line.pk])
        cursor.execute("SET session_replication_role = DEFAULT")
    code, output = run(capsys)
    assert code == 1
    assert "与变更记录不符" in output


def test_it_catches_a_gap_in_the_numbering(ledger, capsys):
    VoucherSequence.objects.filter(year=2026).update(last=3)
    code, output = run(capsys)
    assert code == 1
    assert "缺号：记-2026-0003" in output


def test_it_catches_a_voucher_posted_into_a_closed_period(ledger, bookkeeper, capsys):
    from association.finance.services import period_close

    period_close(year=2026, month=1, by=bookkeeper)
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")
        cursor.execute(
            "UPDATE finance_voucher SET posted_at = now() + interval '1 day' WHERE id = %s",
            [ledger.pk],
        )
        cursor.execute("SET session_replication_role = DEFAULT")
    code, output = run(capsys)
    assert code == 1
    assert "结账后记入该期间" in output
    assert Voucher.objects.count() == 2
