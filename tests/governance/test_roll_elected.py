"""The roll of a general meeting: once the individual members have elected representatives
(a representative congress), only those in force on the day stand for them; before the
first election every individual member in good standing is on it."""

import datetime

import pytest

from association.governance.choices import AttendeeKind, MeetingKind
from association.governance.selectors import entitled_roll
from members import services
from members.services import ElectionResult
from tests.members.factories import (
    DuesFactory,
    MembershipFactory,
    RepresentativeFactory,
    SocialWorkerFactory,
)

from .factories import MeetingFactory

ELECTED_ON = datetime.date(2026, 3, 1)
DAY = datetime.date(2026, 5, 20)


def individual(name: str):
    membership = MembershipFactory(person=SocialWorkerFactory(name=name))
    DuesFactory(
        membership=membership,
        year=2026,
        paid_on=datetime.date(2026, 1, 10),
        receipt_number=f"R{membership.pk}",
    )
    return membership


@pytest.fixture
def register(db):
    unit = MembershipFactory()
    DuesFactory(membership=unit, year=2026, paid_on=datetime.date(2026, 1, 5), receipt_number="U")
    RepresentativeFactory(membership=unit, name="单位代表")
    return [individual(name) for name in ("张敏", "李娜", "王芳", "赵强")]


def _individuals(day):
    meeting = MeetingFactory(kind=MeetingKind.GENERAL)
    rows = entitled_roll(meeting, day)
    assert [r.name for r in rows if r.kind == AttendeeKind.UNIT_REPRESENTATIVE] == ["单位代表"]
    return {r.name: r.affiliation for r in rows if r.kind == AttendeeKind.INDIVIDUAL}


def test_before_any_election_every_individual_member_in_good_standing_is_on_the_roll(register):
    assert _individuals(DAY) == dict.fromkeys(["张敏", "李娜", "王芳", "赵强"], "个人会员")


def test_once_representatives_are_in_force_only_they_stand_for_the_individual_members(
    register, cast
):
    zhang, li, wang, _zhao = register
    services.representatives_elect(
        results=[ElectionResult(zhang, 30), ElectionResult(li, 25)],
        elected_on=ELECTED_ON,
        votes_cast=40,
        constituency="魏都区",
        by=cast.staff,
    )
    services.representatives_elect(
        results=[ElectionResult(wang, 12)],
        elected_on=ELECTED_ON,
        votes_cast=20,
        starts_on=datetime.date(2026, 4, 1),
        ends_on=datetime.date(2026, 12, 31),
        by=cast.staff,
    )
    assert _individuals(DAY) == {
        "张敏": "个人会员代表（魏都区）",
        "李娜": "个人会员代表（魏都区）",
        "王芳": "个人会员代表",
    }
    # Before 王芳's term starts she is not on the roll; 张敏 leaves before the meeting.
    assert set(_individuals(datetime.date(2026, 3, 15))) == {"张敏", "李娜"}
    services.elected_representative_end(
        representative=zhang.elected_representatives.get(), by=cast.staff, reason="辞职"
    )
    assert set(_individuals(datetime.date(2026, 12, 10))) == {"李娜", "王芳"}


def test_the_fallback_returns_when_no_representative_is_in_force(register, cast):
    zhang = register[0]
    services.representatives_elect(
        results=[ElectionResult(zhang, 30)],
        elected_on=ELECTED_ON,
        votes_cast=40,
        ends_on=datetime.date(2026, 4, 30),
        by=cast.staff,
    )
    assert set(_individuals(datetime.date(2026, 4, 30))) == {"张敏"}
    assert len(_individuals(DAY)) == 4


def test_the_roll_with_elected_representatives_takes_two_queries(
    register, cast, django_assert_max_num_queries
):
    services.representatives_elect(
        results=[ElectionResult(m, 10) for m in register[:3]],
        elected_on=ELECTED_ON,
        votes_cast=40,
        by=cast.staff,
    )
    meeting = MeetingFactory(kind=MeetingKind.GENERAL)
    with django_assert_max_num_queries(2):
        rows = entitled_roll(meeting, DAY)
    assert len(rows) == 4
