"""Issue 13: a dues standard is set by a motion of the general meeting passed by secret
ballot with the quorum and majority of the rules (民发〔2014〕166号), never typed in."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from association.governance import services
from association.governance.choices import MeetingKind, MotionKind, VoteMethod
from members.choices import MemberType
from members.models import DuesStandard

from .factories import MeetingFactory, decided_motion

ADOPT = {
    "member_type": MemberType.UNIT,
    "amount": Decimal("1200.00"),
    "effective_from": datetime.date(2030, 1, 1),
}


def adopt(motion, by):
    return services.dues_standard_adopt(motion=motion, by=by, **ADOPT)


def test_a_passed_secret_motion_of_the_general_meeting_sets_the_standard(db, cast):
    meeting = MeetingFactory(title="第二届会员代表大会第一次会议")
    motion = decided_motion(meeting, title="关于调整会费标准的议案")
    standard = adopt(motion, cast.staff)
    assert standard.motion_ref == motion.pk
    assert standard.amount == Decimal("1200.00")
    assert "第二届会员代表大会第一次会议" in standard.resolution
    assert f"第{motion.number}号议案《关于调整会费标准的议案》" in standard.resolution


def test_it_refuses_a_motion_whose_meeting_lacked_the_quorum(db, cast):
    # 53 of 80 present: 53 < 80 × 2/3 = 53 1/3.
    motion = decided_motion(entitled=80, present=53, yes=50, no=2, abstain=1)
    with pytest.raises(ValidationError) as refused:
        adopt(motion, cast.staff)
    assert "53 1/3" in str(refused.value)
    assert not DuesStandard.objects.filter(motion_ref=motion.pk).exists()


def test_it_refuses_a_motion_that_failed(db, cast):
    motion = decided_motion(entitled=80, present=60, yes=30, no=20, abstain=10)
    with pytest.raises(ValidationError, match="未获通过"):
        adopt(motion, cast.staff)


def test_it_refuses_a_named_vote_and_a_council_meeting(db, cast):
    with pytest.raises(ValidationError, match="无记名投票"):
        adopt(decided_motion(vote_method=VoteMethod.NAMED), cast.staff)
    council = MeetingFactory(kind=MeetingKind.COUNCIL)
    with pytest.raises(ValidationError, match="会员（代表）大会"):
        adopt(decided_motion(council), cast.staff)


def test_it_refuses_a_motion_not_yet_voted(db, cast):
    meeting = MeetingFactory()
    motion = services.motion_create(
        meeting=meeting,
        by=cast.staff,
        title="关于会费标准的议案",
        text="单位会员每年1200元。",
        kind=MotionKind.DUES,
        vote_method=VoteMethod.SECRET,
    )
    with pytest.raises(ValidationError, match="尚未表决"):
        adopt(motion, cast.staff)


def test_a_dues_motion_must_be_a_secret_ballot_of_the_general_meeting(db, cast):
    with pytest.raises(ValidationError, match="无记名投票"):
        services.motion_create(
            meeting=MeetingFactory(),
            by=cast.staff,
            title="会费",
            text="—",
            kind=MotionKind.DUES,
            vote_method=VoteMethod.NAMED,
        )


def test_only_staff_adopt(db, cast):
    with pytest.raises(PermissionDenied):
        adopt(decided_motion(), cast.org_admin_a)


def test_the_database_refuses_a_standard_without_its_motion(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        DuesStandard.objects.create(
            member_type=MemberType.UNIT,
            amount=Decimal("1000.00"),
            effective_from=datetime.date(2031, 1, 1),
            resolution="手工录入",
        )


def test_the_admin_has_no_add_form_for_standards(db, cast, client):
    cast.staff.is_superuser = True
    cast.staff.save()
    client.force_login(cast.staff)
    response = client.get(reverse("admin:members_duesstandard_add"))
    assert response.status_code == 403


def test_the_disclosure_names_the_meeting_and_the_motion(db, cast, client):
    meeting = MeetingFactory(
        title="第二届会员代表大会第二次会议",
        starts_at=timezone.make_aware(datetime.datetime(2024, 12, 1, 9)),
    )
    motion = decided_motion(meeting, title="关于会费标准的议案")
    services.dues_standard_adopt(
        motion=motion,
        by=cast.staff,
        member_type=MemberType.INDIVIDUAL,
        amount=Decimal("120.00"),
        effective_from=datetime.date(2025, 1, 1),
    )
    client.force_login(cast.org_admin_a)
    page = client.get(reverse("finance:dues_disclosure"), {"year": 2025}).content.decode()
    assert "第二届会员代表大会第二次会议" in page
    assert "关于会费标准的议案" in page


def test_adopting_the_first_standard_bills_the_members_admitted_before_it(db, cast):
    """The founders are admitted on the morning of the founding congress, before any
    standard exists (their approval bills nothing); the congress's dues motion bills
    their first year. Members already billed, other member types, applications and
    members whose first year the standard does not reach are left alone."""
    from members.choices import MembershipState
    from members.models import Dues
    from tests.members.factories import DuesFactory, MembershipFactory, SocialWorkerFactory

    congress = datetime.date(2023, 7, 8)
    founder = MembershipFactory(member_since=congress, decided_on=congress)
    billed = MembershipFactory(member_since=congress, decided_on=congress)
    DuesFactory(membership=billed, year=2023, amount=Decimal("1.00"))
    person = MembershipFactory(person=SocialWorkerFactory(), member_since=congress)
    applied = MembershipFactory(
        state=MembershipState.APPLIED, number=None, member_since=None, decided_on=None
    )
    earlier = MembershipFactory(member_since=datetime.date(2022, 3, 1))
    meeting = MeetingFactory(starts_at=timezone.make_aware(datetime.datetime(2023, 7, 8, 9)))
    services.dues_standard_adopt(
        motion=decided_motion(meeting),
        by=cast.staff,
        member_type=MemberType.UNIT,
        amount=Decimal("800.00"),
        effective_from=congress,
    )
    dues = founder.dues.get()
    assert (dues.year, dues.amount) == (2023, Decimal("800.00"))
    assert dues.due_on >= congress
    assert billed.dues.get().amount == Decimal("1.00")
    assert not Dues.objects.filter(membership__in=[person, applied, earlier]).exists()
