"""Every change to the books names who made it and through which service, outside a
request too (a task, a command): the history is the ledger's audit trail."""

import pytest
from pghistory.models import Context

from association.finance.choices import (
    CLAIM_TRANSITIONS,
    PERIOD_TRANSITIONS,
    VOUCHER_TRANSITIONS,
    ClaimStatus,
    PeriodStatus,
    VoucherStatus,
)
from association.finance.models import ExpenseClaim, Period, Voucher, VoucherLine
from association.finance.services import claim_approve, claim_pay, claim_submit, period_close
from association.workflow import check_table

from .factories import approver, claim, fund_rules, post


def contexts(model, **filters) -> list[dict]:
    events = model.pgh_event_model.objects.filter(**filters)
    ids = set(events.values_list("pgh_context_id", flat=True))
    assert None not in ids, f"{model.__name__}: a change without a history context"
    return list(Context.objects.filter(pk__in=ids).values_list("metadata", flat=True))


@pytest.mark.parametrize(
    "table, states",
    [
        (CLAIM_TRANSITIONS, ClaimStatus.values),
        (VOUCHER_TRANSITIONS, VoucherStatus.values),
        (PERIOD_TRANSITIONS, PeriodStatus.values),
    ],
)
def test_it_keeps_a_complete_table_of_each_workflow(table, states):
    check_table(table, states)


def test_it_records_the_bookkeeper_of_a_posting_outside_a_request(bookkeeper):
    voucher = post(bookkeeper, "2026-01-05", ("1002", "D", 10), ("4201", "C", 10))
    for metadata in [
        *contexts(Voucher, pgh_obj=voucher),
        *contexts(VoucherLine, voucher_id=voucher.pk),
    ]:
        assert metadata["user"] == bookkeeper.pk
        assert metadata["action"] == "finance.voucher_create_and_post"


def test_it_records_who_closed_a_month(bookkeeper):
    post(bookkeeper, "2026-01-05", ("1002", "D", 10), ("4201", "C", 10))
    period = period_close(year=2026, month=1, by=bookkeeper)
    [metadata] = contexts(Period, pgh_obj=period, status="closed")
    assert metadata["user"] == bookkeeper.pk
    assert metadata["action"] == "finance.period_close"


def test_it_attributes_a_payment_and_its_voucher_to_the_payer(cast):
    from tests.factories import UserFactory

    fund_rules()
    secretary = UserFactory(roles=["协会负责人"])
    approver(secretary, "secretary_general")
    submitted = claim_submit(claim=claim(cast.staff, "100.00"), by=cast.staff)
    approved = claim_approve(claim=submitted, by=secretary)
    paid = claim_pay(claim=approved, by=cast.officer)
    actions = {(m["action"], m["user"]) for m in contexts(ExpenseClaim, pgh_obj=paid)}
    assert actions == {
        ("finance.claim_create", cast.staff.pk),
        ("finance.claim_submit", cast.staff.pk),
        ("finance.claim_approve", secretary.pk),
        ("finance.claim_pay", cast.officer.pk),
    }
    [metadata] = contexts(Voucher, pgh_obj=paid.voucher, status="posted")
    assert (metadata["action"], metadata["user"]) == ("finance.claim_pay", cast.officer.pk)
    assert "finance.voucher_post" in metadata["services"]
