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

from .claims import (
    approver_offices,
    claim_approve,
    claim_create,
    claim_pay,
    claim_reject,
    claim_submit,
    claim_withdraw,
    next_step,
    required_steps,
)

__all__ += [
    "approver_offices",
    "claim_approve",
    "claim_create",
    "claim_pay",
    "claim_reject",
    "claim_submit",
    "claim_withdraw",
    "next_step",
    "required_steps",
]

from .dues import dues_post, unposted_paid_dues  # noqa: E402

__all__ += ["dues_post", "unposted_paid_dues"]

from .grants import tranche_settle  # noqa: E402

__all__ += ["tranche_settle"]
