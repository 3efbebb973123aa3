"""The books' setup records kept in the admin: the chart of accounts, statement layouts,
funds, budgets, approvers and grants (with their lines, tranches and milestones).

The admin saves and deletes them only through :func:`record_save` and
:func:`record_delete`: each change checks the same model permission the admin shows
(``finance.add_fund``, ``finance.change_fund``, ...: the roles' permissions in
finance/permissions.py), keeps the rules below whatever the form allowed, and is
attributed in the history to who made it and through which service."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from association.services import service

from ..models import (
    Account,
    Budget,
    BudgetLine,
    FinanceApprover,
    Fund,
    Grant,
    GrantTranche,
    Milestone,
    StatementLayout,
    StatementLine,
)

RECORD_MODELS = (
    Account,
    StatementLayout,
    StatementLine,
    Fund,
    FinanceApprover,
    Budget,
    BudgetLine,
    Grant,
    GrantTranche,
    Milestone,
)


def _require(by, record, action: str) -> None:
    if not isinstance(record, RECORD_MODELS):
        raise PermissionDenied(_("该记录不能在此修改。"))
    opts = record._meta
    if not (by and by.is_active and by.has_perm(f"{opts.app_label}.{action}_{opts.model_name}")):
        raise PermissionDenied(_("你没有修改“%(model)s”的权限。") % {"model": opts.verbose_name})


def _check_settled(record) -> None:
    """A tranche settled by a posted voucher stays as it was booked."""
    if isinstance(record, GrantTranche) and record.pk:
        booked = GrantTranche.objects.select_for_update().get(pk=record.pk)
        if booked.voucher_id is not None:
            raise ValidationError(_("已结算的拨付不能修改或删除。"))


@service
def record_save(*, record, by, m2m: dict | None = None):
    """Add or change a setup record; ``m2m`` sets its many-to-many fields (field name: values)."""
    _require(by, record, "change" if record.pk else "add")
    _check_settled(record)
    record.full_clean(validate_unique=True)
    record.save()
    for name, values in (m2m or {}).items():
        getattr(record, name).set(values)
    return record


@service
def record_delete(*, record, by) -> None:
    _require(by, record, "delete")
    _check_settled(record)
    record.delete()
