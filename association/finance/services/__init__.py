from .ledger import (
    period_close,
    voucher_create,
    voucher_create_and_post,
    voucher_delete,
    voucher_post,
    voucher_reverse,
)

__all__ = [
    "period_close",
    "voucher_create",
    "voucher_create_and_post",
    "voucher_delete",
    "voucher_post",
    "voucher_reverse",
]

from .claims import (
    claim_approve,
    claim_create,
    claim_pay,
    claim_reject,
    claim_submit,
    claim_withdraw,
    fund_rules_adopt,
)

__all__ += [
    "claim_approve",
    "claim_create",
    "claim_pay",
    "claim_reject",
    "claim_submit",
    "claim_withdraw",
    "fund_rules_adopt",
]

from .dues import dues_post  # noqa: E402

__all__ += ["dues_post"]

from .grants import tranche_settle  # noqa: E402

__all__ += ["tranche_settle"]

from .books import books_start, opening_balances_enter, opening_voucher, year_close  # noqa: E402

__all__ += ["books_start", "opening_balances_enter", "opening_voucher", "year_close"]
from .donations import donation_delete, donation_save  # noqa: E402
from .programmes import programme_spending_answer, startup_grant_pay  # noqa: E402, F401

__all__ += ["donation_delete", "donation_save"]

from .attachments import (  # noqa: E402
    claim_attachment_add,
    claim_attachment_remove,
    voucher_attachment_add,
    voucher_attachment_remove,
)
from .records import record_delete, record_save  # noqa: E402

__all__ += [
    "claim_attachment_add",
    "claim_attachment_remove",
    "record_delete",
    "record_save",
    "voucher_attachment_add",
    "voucher_attachment_remove",
]

from .attachments import check_claim_attachments, check_voucher_attachments  # noqa: E402

__all__ += ["check_claim_attachments", "check_voucher_attachments"]
