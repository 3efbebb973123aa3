import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from association.accounts.choices import Role
from association.accounts.roles import has_role
from members import services
from members.choices import MembershipState, MemberType
from members.models import Membership

from .factories import MembershipFactory, OrganisationAdminFactory, SocialWorkerFactory

D = datetime.date


def applied(**kwargs):
    return MembershipFactory(
        state=MembershipState.APPLIED,
        number=None,
        member_since=None,
        decided_on=None,
        verification_code=None,
        **kwargs,
    )


def test_it_numbers_members_gaplessly_per_type(cast, standards):
    units = [applied() for _ in range(2)]
    person = applied(person=SocialWorkerFactory())
    for membership in [*units, person]:
        services.membership_approve(
            membership=membership, by=cast.staff, decided_on=D(2025, 3, 1), basis="理事会决议"
        )
    numbers = sorted(Membership.objects.values_list("number", flat=True))
    assert numbers == ["XCSW-D-0001", "XCSW-D-0002", "XCSW-G-0001"]


def test_it_bills_the_first_year_and_makes_the_applicant_an_org_admin(cast, standards):
    membership = applied()
    OrganisationAdminFactory(organisation=membership.organisation, user=cast.applicant)
    services.membership_approve(
        membership=membership, by=cast.staff, decided_on=D(2025, 3, 1), basis="理事会决议"
    )
    membership.refresh_from_db()
    assert membership.member_since == D(2025, 3, 1)
    dues = membership.dues.get()
    assert (dues.year, dues.amount, dues.due_on) == (2025, 1000, D(2025, 3, 31))
    cast.applicant.refresh_from_db()
    assert has_role(cast.applicant, Role.ORG_ADMIN)


def test_it_admits_without_a_bill_before_the_general_meeting_sets_any_standard(cast):
    # The founders: admitted on the morning of the founding congress, before its dues
    # motion; adopting the standard bills them (tests/governance/test_dues_standard.py).
    membership = services.membership_approve(
        membership=applied(), by=cast.staff, decided_on=D(2025, 3, 1), basis="筹备组审核"
    )
    assert membership.state == MembershipState.APPROVED
    assert membership.number == "XCSW-D-0001"
    assert not membership.dues.exists()


def test_it_refuses_a_decision_from_anyone_but_staff(cast, standards):
    membership = applied()
    with pytest.raises(PermissionDenied):
        services.membership_approve(
            membership=membership, by=cast.org_admin_a, decided_on=D(2025, 3, 1), basis="x"
        )


def test_it_allows_only_the_listed_transitions(cast, standards):
    membership = applied()
    services.membership_reject(membership=membership, by=cast.staff, reason="材料不全")
    with pytest.raises(ValidationError):
        services.membership_approve(
            membership=membership, by=cast.staff, decided_on=D(2025, 3, 1), basis="x"
        )
    admitted = MembershipFactory()
    services.membership_suspend(membership=admitted, by=cast.staff, reason="违反章程")
    services.membership_reinstate(membership=admitted, by=cast.staff)
    admitted.refresh_from_db()
    assert admitted.state == MembershipState.APPROVED


def test_it_issues_receipts_per_year_without_gaps_and_only_once(cast, standards):
    memberships = [MembershipFactory() for _ in range(3)]
    receipts = []
    for membership in memberships:
        dues = services.dues_bill(membership=membership, year=2025)
        receipts.append(
            services.dues_record_payment(
                dues=dues, by=cast.staff, paid_on=D(2025, 2, 1)
            ).receipt_number
        )
    assert receipts == ["HF-2025-0001", "HF-2025-0002", "HF-2025-0003"]
    with pytest.raises(ValidationError):
        services.dues_record_payment(dues=dues, by=cast.staff, paid_on=D(2025, 2, 1))


def test_it_refuses_a_membership_of_both_an_organisation_and_a_person(db):
    membership = MembershipFactory()
    membership.person = SocialWorkerFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        membership.save()


def test_it_refuses_a_second_open_membership(db):
    membership = MembershipFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        MembershipFactory(organisation=membership.organisation, member_type=MemberType.UNIT)


def test_it_finds_an_id_number_by_its_blind_index_and_logs_a_reveal(cast):
    from association.audit.models import AccessLog
    from association.crypto import blind_index
    from members.models import SocialWorker

    worker = SocialWorkerFactory(id_number="11010519491231002X")
    assert SocialWorker.objects.get(id_number_index=blind_index("11010519491231002x")) == worker
    assert worker.id_number_masked == "1101**********002X"
    with pytest.raises(PermissionDenied):
        services.id_number_reveal(worker=worker, by=cast.org_admin_a)
    assert services.id_number_reveal(worker=worker, by=cast.staff, reason="核对") == (
        "11010519491231002X"
    )
    assert AccessLog.objects.filter(user=cast.staff, action="reveal_id_number").count() == 1


def test_it_applies_registered_item_changes_only_after_staff_approve(cast, org_a):
    request = services.change_request_submit(
        organisation=org_a, by=cast.org_admin_a, changes={"legal_representative": "新代表"}
    )
    org_a.refresh_from_db()
    assert org_a.legal_representative == "王测试"
    with pytest.raises(PermissionDenied):
        services.change_request_submit(
            organisation=org_a, by=cast.org_admin_b, changes={"name": "冒名"}
        )
    services.change_request_approve(change_request=request, by=cast.staff)
    org_a.refresh_from_db()
    assert org_a.legal_representative == "新代表"
