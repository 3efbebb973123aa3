"""Approvers follow the offices: the terms certified by elections, and dated delegations."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from association.finance.models import FinanceApprover
from association.finance.selectors import approver_offices
from association.finance.services import claim_approve, claim_submit
from association.governance.models import Office, Term
from association.governance.services import office_holders_install
from tests.factories import UserFactory

from .factories import BudgetLineFactory, claim, fund_rules


def _install(office_code, user, starts_on):
    return office_holders_install(
        office=Office.objects.get(code=office_code),
        holders=[{"holder_name": user.display_name, "user": user}],
        starts_on=starts_on,
        term_years=5,
        basis="会员代表大会选举",
    )


def test_a_claim_goes_to_the_secretary_general_the_latest_election_certified(cast):
    fund_rules()
    outgoing = UserFactory(display_name="王秘书长", roles=["协会负责人"])
    incoming = UserFactory(display_name="赵秘书长", roles=["协会负责人"])
    _install("secretary_general", outgoing, datetime.date(2023, 7, 1))
    assert approver_offices(outgoing) == {"secretary_general"}
    line = BudgetLineFactory()
    first = claim_submit(claim=claim(cast.staff, "800", budget_line=line), by=cast.staff)
    with pytest.raises(PermissionDenied):
        claim_approve(claim=first, by=incoming)

    # The next election certifies a successor: the outgoing term ends that day.
    _install("secretary_general", incoming, datetime.date.today())
    assert Term.objects.get(user=outgoing).ended_on == datetime.date.today()
    assert approver_offices(outgoing) == set()
    assert approver_offices(incoming) == {"secretary_general"}
    second = claim_submit(claim=claim(cast.staff, "900", budget_line=line), by=cast.staff)
    from association.finance.todo import claims_awaiting

    assert set(claims_awaiting(incoming)) == {first, second}  # on the new holder's to-do list
    assert not claims_awaiting(outgoing).exists()
    with pytest.raises(PermissionDenied):
        claim_approve(claim=second, by=outgoing)
    assert claim_approve(claim=second, by=incoming).status == "approved"
    assert claim_approve(claim=first, by=incoming).status == "approved"  # in flight too


def test_a_deputy_approves_only_within_the_dates_of_the_delegation(cast):
    fund_rules()
    deputy = UserFactory(display_name="副秘书长", roles=["协会负责人"])
    today = datetime.date.today()
    FinanceApprover.objects.create(
        user=deputy,
        office="secretary_general",
        starts_on=today - datetime.timedelta(days=3),
        ends_on=today + datetime.timedelta(days=3),
        basis="秘书长出差期间授权",
    )
    assert approver_offices(deputy) == {"secretary_general"}
    assert approver_offices(deputy, on=today + datetime.timedelta(days=4)) == set()
    submitted = claim_submit(claim=claim(cast.staff, "300"), by=cast.staff)
    assert claim_approve(claim=submitted, by=deputy).status == "approved"
