from .ledger import (
    period_close,
    period_is_closed,
    voucher_create,
    voucher_create_and_post,
    voucher_delete,
    voucher_post,
    voucher_reverse,
)

__all__ = [
    "period_close",
    "period_is_closed",
    "voucher_create",
    "voucher_create_and_post",
    "voucher_delete",
    "voucher_post",
    "voucher_reverse",
]
