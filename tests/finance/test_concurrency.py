"""Vouchers posted in parallel (separate connections) get gapless, unique numbers."""

import datetime
import threading

import pytest
from django.db import close_old_connections, connection

from association.finance.models import Voucher
from association.finance.services import voucher_create, voucher_post
from association.finance.verification import ledger_verify

pytestmark = pytest.mark.django_db(transaction=True)


def test_it_numbers_vouchers_posted_in_parallel_without_gaps(cast):
    user = cast.staff
    drafts = [
        voucher_create(
            by=user,
            date=datetime.date(2026, 3, 1 + i % 28),
            summary=f"并发{i}",
            lines=[{"account": "1002", "debit": 10 + i}, {"account": "4201", "credit": 10 + i}],
        ).pk
        for i in range(24)
    ]
    barrier = threading.Barrier(8)
    errors = []

    def worker(ids):
        try:
            barrier.wait()
            for pk in ids:
                voucher_post(voucher=Voucher.objects.get(pk=pk), by=user)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(drafts[i::8],)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    close_old_connections()
    assert not errors, errors
    numbers = sorted(Voucher.objects.values_list("sequence", flat=True))
    assert numbers == list(range(1, 25))
    assert ledger_verify().ok
