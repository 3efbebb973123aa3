"""Gapless numbers: member numbers per type, dues receipts per year."""

from django.db import transaction

from ..models import NumberSequence


def next_number(key: str) -> int:
    """The next number of series ``key``; must run inside the caller's transaction, which
    holds the series row locked until it commits, so two callers never get the same
    number and a rolled-back caller leaves no gap."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_number() must run inside a transaction")
    NumberSequence.objects.get_or_create(key=key)
    sequence = NumberSequence.objects.select_for_update().get(key=key)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return sequence.last
