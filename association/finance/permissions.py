"""What each role may do with finance's models in the admin site.

Portal pages check roles themselves (the books: staff and officers; statements:
officials too). Staff keep the chart, layouts, funds and budgets; vouchers change only
through the services (posting, reversal), so nobody gets ``change_voucher``.
"""

from association.accounts.choices import Role

_EDITABLE = [
    "account",
    "statementlayout",
    "statementline",
    "fund",
    "budget",
    "budgetline",
    "fundrules",
    "approvalrule",
    "financeapprover",
    "grant",
    "granttranche",
    "milestone",
]
_READ_ONLY = [
    "period",
    "voucher",
    "voucherline",
    "voucherattachment",
    "expenseclaim",
    "claimitem",
    "claimapproval",
]

ROLE_PERMISSIONS = {
    Role.STAFF: [
        *(
            f"finance.{action}_{model}"
            for model in _EDITABLE
            for action in ("view", "add", "change")
        ),
        *(f"finance.view_{model}" for model in _READ_ONLY),
        "finance.add_voucher",
    ],
    Role.OFFICER: [
        *(f"finance.view_{model}" for model in _EDITABLE + _READ_ONLY),
        "finance.change_fundrules",
        "finance.change_approvalrule",
        "finance.change_financeapprover",
        "finance.add_financeapprover",
    ],
}
