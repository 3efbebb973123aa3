"""Issue 13 in the admin: dues standards, fund-rules versions and roll corrections are made
by actions that call the services, each with its form."""

import datetime
from decimal import Decimal

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.urls import reverse
from django.utils import timezone

from association.finance.models import FundRules
from association.governance.choices import MeetingKind, MeetingStatus
from association.governance.models import Attendee, RollCorrection
from members.models import DuesStandard
from tests.finance.factories import fund_rules

from .factories import MeetingFactory, decided_motion


@pytest.fixture
def admin_client(cast, client_for):
    cast.staff.is_superuser = True
    cast.staff.save()
    TOTP.activate(cast.staff, generate_totp_secret())
    return client_for(cast.staff)


def test_a_dues_standard_is_set_from_its_motion_in_the_admin(admin_client):
    motion = decided_motion(title="关于会费标准的议案")
    url = reverse("admin:governance_motion_changelist")
    form = admin_client.post(
        url, {"action": "adopt_dues_standard", "_selected_action": [motion.pk]}
    )
    assert "年会费（元）" in form.content.decode()
    response = admin_client.post(
        url,
        {
            "action": "adopt_dues_standard",
            "_selected_action": [motion.pk],
            "apply": "1",
            "member_type": "unit",
            "amount": "1200.00",
            "effective_from": "2030-01-01",
        },
    )
    assert response.status_code == 302
    standard = DuesStandard.objects.get(motion_ref=motion.pk)
    assert standard.amount == Decimal("1200.00")


def test_a_fund_rules_version_is_adopted_from_its_motion_in_the_admin(admin_client):
    current = fund_rules()
    meeting = MeetingFactory(
        kind=MeetingKind.COUNCIL,
        starts_at=timezone.make_aware(datetime.datetime(2026, 3, 1, 9)),
    )
    motion = decided_motion(meeting, kind="ordinary", vote_method="named", title="修订资金管理办法")
    response = admin_client.post(
        reverse("admin:finance_fundrules_changelist"),
        {
            "action": "adopt_version",
            "_selected_action": [current.pk],
            "apply": "1",
            "motion": motion.pk,
            "name": "资金管理使用办法（2026年修订）",
            "effective_from": "2026-04-01",
            "steps": "秘书长 0 第十二条\n会长 2000 第十二条\n理事会 30000 第十二条 须决议",
            "text": "",
        },
    )
    assert response.status_code == 302
    new = FundRules.objects.get(motion_ref=motion.pk)
    assert new.effective_from == datetime.date(2026, 4, 1)
    assert [(s.office, s.above_amount, s.needs_resolution) for s in new.steps.all()] == [
        ("secretary_general", Decimal("0.00"), False),
        ("president", Decimal("2000.00"), False),
        ("council", Decimal("30000.00"), True),
    ]


def test_the_roll_is_drawn_and_corrected_in_the_admin_with_reasons(admin_client):
    meeting = MeetingFactory(status=MeetingStatus.NOTICED, opened_at=None)
    url = reverse("admin:governance_meeting_changelist")
    admin_client.post(url, {"action": "draw_roll", "_selected_action": [meeting.pk]})
    admin_client.post(
        url,
        {
            "action": "add_to_roll",
            "_selected_action": [meeting.pk],
            "apply": "1",
            "name": "赵新",
            "kind": "unit_representative",
            "affiliation": "许昌市甲社会工作服务中心",
            "reason": "单位来函更换会员代表",
        },
    )
    added = Attendee.objects.get(meeting=meeting, name="赵新")
    admin_client.post(
        reverse("admin:governance_attendee_changelist"),
        {
            "action": "remove_from_roll",
            "_selected_action": [added.pk],
            "apply": "1",
            "reason": "误录",
        },
    )
    assert not Attendee.objects.filter(pk=added.pk).exists()
    assert list(RollCorrection.objects.filter(meeting=meeting).values_list("action", "reason"))[
        1:
    ] == [("add", "单位来函更换会员代表"), ("remove", "误录")]
