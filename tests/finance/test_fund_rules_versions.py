"""Issue 13: a new version of the fund rules, adopted by a motion, changes the approval
chain from its effective date; claims already submitted keep the chain they started with."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from association.finance.selectors import required_steps
from association.finance.services import claim_approve, claim_submit, fund_rules_adopt
from association.governance.choices import MeetingKind
from tests.factories import UserFactory
from tests.governance.factories import MeetingFactory, decided_motion

from .factories import BudgetLineFactory, approver, claim, fund_rules

NEW_CHAIN = [
    {"step": 1, "office": "secretary_general", "above_amount": "0"},
    {"step": 2, "office": "president", "above_amount": "2000"},
]


@pytest.fixture
def officers(cast):
    fund_rules()  # 2023: the president above 5000
    secretary = UserFactory(display_name="秘书长", roles=["协会负责人"])
    president = UserFactory(display_name="会长", roles=["协会负责人"])
    approver(secretary, "secretary_general")
    approver(president, "president")
    return secretary, president


def council_motion():
    meeting = MeetingFactory(
        kind=MeetingKind.COUNCIL,
        title="第一届理事会第五次会议",
        starts_at=timezone.make_aware(datetime.datetime(2026, 3, 1, 9)),
    )
    return decided_motion(
        meeting, kind="ordinary", vote_method="named", title="关于修订资金管理使用办法的议案"
    )


def test_a_claim_in_flight_keeps_its_chain_and_a_new_claim_follows_the_new_one(cast, officers):
    secretary, president = officers
    line = BudgetLineFactory()
    with time_machine.travel(datetime.datetime(2026, 3, 10, 10, tzinfo=datetime.UTC)):
        rules = fund_rules_adopt(
            motion=council_motion(),
            by=cast.staff,
            name="资金管理使用办法（2026年修订）",
            effective_from=datetime.date(2026, 4, 1),
            steps=NEW_CHAIN,
        )
        assert rules.adopted_by == "第一届理事会第五次会议"
        # Before the effective date a 3000 claim needs the 秘书长 only.
        in_flight = claim_submit(claim=claim(cast.staff, "3000", line), by=cast.staff)
    assert [s.office for s in required_steps(in_flight)] == ["secretary_general"]
    with time_machine.travel(datetime.datetime(2026, 4, 2, 10, tzinfo=datetime.UTC)):
        in_flight = claim_approve(claim=in_flight, by=secretary)
        assert in_flight.status == "approved"  # the old chain, not the new one
        new = claim_submit(claim=claim(cast.staff, "3000", line), by=cast.staff)
        assert new.rules_id == rules.pk
        assert [s.office for s in required_steps(new)] == ["secretary_general", "president"]
        new = claim_approve(claim=new, by=secretary)
        assert new.status == "submitted"
        new = claim_approve(claim=new, by=president)
        assert new.status == "approved"


def test_the_claim_page_names_the_version_it_follows(cast, officers, client):
    submitted = claim_submit(claim=claim(cast.staff, "100"), by=cast.staff)
    client.force_login(cast.staff)
    page = client.get(reverse("finance:claim_detail", args=[submitted.pk])).content.decode()
    assert "依据提交时施行的《资金管理使用办法》（2023-07-01 起施行）" in page


def test_it_refuses_a_motion_that_did_not_pass(cast, officers):
    failed = decided_motion(yes=10, no=40, abstain=10, kind="ordinary")
    with pytest.raises(ValidationError, match="未获通过"):
        fund_rules_adopt(
            motion=failed,
            by=cast.staff,
            name="资金管理使用办法",
            effective_from=datetime.date(2040, 1, 1),
            steps=NEW_CHAIN,
        )


def test_it_refuses_an_effective_date_before_the_meeting(cast, officers):
    with pytest.raises(ValidationError):
        fund_rules_adopt(
            motion=council_motion(),
            by=cast.staff,
            name="资金管理使用办法",
            effective_from=datetime.date(2026, 1, 1),
            steps=NEW_CHAIN,
        )
