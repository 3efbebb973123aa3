"""Who may do what in finance: the predicates of the portal pages and services, and what
each role may do with finance's models in the admin site.

The books are kept and read by the association's staff and officers; the statements are
read by officials too. Staff keep the chart, layouts, funds and budgets; vouchers change
only through the services (posting, reversal), so nobody gets ``change_voucher``.
"""

from django.utils.translation import gettext as _

from association.accounts.choices import Role
from association.accounts.roles import is_area_official, is_association_staff, require


def can_keep_books(user) -> bool:
    """The association's staff and officers keep (and read) the books."""
    return is_association_staff(user)


def can_see_statements(user) -> bool:
    """The financial statements: the bookkeepers, and the civil-affairs officials of the
    association's whole area. An official limited to a county (association/regions/scope.py)
    gets that county's figures, and the association's finances are not a county's (nor is
    the financial-statements report in their catalogue)."""
    return can_keep_books(user) or is_area_official(user)


def can_see_claims(user, offices) -> bool:
    """The claims pages: the bookkeepers, and approvers holding an office (``offices``,
    from :func:`association.finance.selectors.approver_offices`)."""
    return can_keep_books(user) or bool(offices)


def require_books(user) -> None:
    require(can_keep_books(user), _("只有协会工作人员和负责人可以记账。"))


def require_books_reader(user) -> None:
    require(can_keep_books(user), _("只有协会工作人员和负责人可以查看账簿。"))


def require_statements_reader(user) -> None:
    require(can_see_statements(user), _("只有协会工作人员、负责人和民政部门可以查看财务报表。"))


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

# Donations received (models/donations.py): kept by staff, read by officers.
ROLE_PERMISSIONS[Role.STAFF] = [
    *ROLE_PERMISSIONS[Role.STAFF],
    *(f"finance.{action}_donation" for action in ("view", "add", "change", "delete")),
]
ROLE_PERMISSIONS[Role.OFFICER] = [*ROLE_PERMISSIONS[Role.OFFICER], "finance.view_donation"]
