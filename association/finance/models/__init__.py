from .claims import (
    ApprovalRule,
    Budget,
    BudgetLine,
    ClaimApproval,
    ClaimAttachment,
    ClaimItem,
    ExpenseClaim,
    FinanceApprover,
    FundRules,
)
from .dues import DuesPosting
from .grants import Grant, GrantTranche, Milestone
from .ledger import (
    Account,
    Fund,
    Period,
    StatementLayout,
    StatementLine,
    Voucher,
    VoucherAttachment,
    VoucherLine,
    VoucherSequence,
    YearEnd,
)

__all__ = [
    "Account",
    "ApprovalRule",
    "Budget",
    "BudgetLine",
    "ClaimApproval",
    "ClaimAttachment",
    "ClaimItem",
    "DuesPosting",
    "ExpenseClaim",
    "FinanceApprover",
    "Fund",
    "FundRules",
    "Grant",
    "GrantTranche",
    "Milestone",
    "Period",
    "StatementLayout",
    "StatementLine",
    "Voucher",
    "VoucherAttachment",
    "VoucherLine",
    "VoucherSequence",
    "YearEnd",
]

from .donations import Donation

__all__ += ["Donation"]
