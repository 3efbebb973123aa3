"""Issue 13: the roll is drawn before the meeting and corrected with a logged reason until
it is frozen (the meeting opens); proxies count in elections as the rules say."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from association.elections import services as elections
from association.elections.models import Voter
from association.governance import services
from association.governance.choices import AttendeeKind, MeetingStatus
from association.governance.models import Attendee, Proxy, RollCorrection, RuleSet
from tests.elections.factories import election_with, meeting_with_voters, staff_user

from .factories import MeetingFactory, rule_set


@pytest.fixture
def staff(db):
    return staff_user()


@pytest.fixture
def noticed(db):
    return MeetingFactory(status=MeetingStatus.NOTICED, opened_at=None)


def test_staff_correct_the_roll_before_it_is_frozen_and_every_correction_is_logged(staff, noticed):
    services.roll_draw(meeting=noticed, by=staff)
    added = services.roll_add(
        meeting=noticed,
        by=staff,
        reason="单位来函更换会员代表",
        name="赵新",
        kind=AttendeeKind.UNIT_REPRESENTATIVE,
        affiliation="许昌市甲社会工作服务中心",
    )
    with pytest.raises(ValidationError, match="理由"):
        services.roll_remove(attendee=added, by=staff, reason=" ")
    services.roll_remove(attendee=added, by=staff, reason="误录，该单位已有代表")
    assert not Attendee.objects.filter(pk=added.pk).exists()
    log = list(RollCorrection.objects.filter(meeting=noticed).order_by("at", "id"))
    assert [row.action for row in log] == ["draw", "add", "remove"]
    assert log[1].reason == "单位来函更换会员代表" and log[1].by == staff
    assert log[2].name == "赵新" and log[2].reason == "误录，该单位已有代表"


def test_the_roll_is_frozen_once_the_meeting_opens(staff):
    opened = MeetingFactory(status=MeetingStatus.OPEN)
    with pytest.raises(ValidationError, match="已冻结"):
        services.roll_add(
            meeting=opened, by=staff, reason="补录", name="钱多", kind=AttendeeKind.INDIVIDUAL
        )
    with pytest.raises(ValidationError, match="已冻结"):
        services.roll_draw(meeting=opened, by=staff)


def test_only_staff_correct_the_roll(cast, noticed):
    with pytest.raises(PermissionDenied):
        services.roll_draw(meeting=noticed, by=cast.org_admin_a)


def _meeting_with_a_proxy(staff, proxies_count: bool):
    """8 entitled: 5 with accounts checked in, 3 without; one of the absent gave a proxy
    to a present voter."""
    meeting, users = meeting_with_voters(5, entitled=3, present=0)
    if not proxies_count:
        rules = rule_set()
        strict = RuleSet.objects.create(
            name="不计委托的规则",
            effective_from=datetime.date(2000, 1, 1),
            proxies_count=False,
            quorum_numerator=rules.quorum_numerator,
            quorum_denominator=rules.quorum_denominator,
        )
        meeting.rule_set = strict
    meeting.presiding = staff
    meeting.save()
    holder = Attendee.objects.get(meeting=meeting, user=users[0])
    grantor = Attendee.objects.filter(meeting=meeting, checked_in_at__isnull=True).first()
    Proxy.objects.create(
        meeting=meeting,
        grantor=grantor,
        holder=holder,
        letter="governance/proxies/letter.pdf",
        registered_by=staff,
    )
    return meeting, users


def test_proxies_count_towards_the_quorum_when_the_rules_say_so_but_cast_no_ballot(staff):
    meeting, users = _meeting_with_a_proxy(staff, proxies_count=True)
    election = election_with(meeting, staff, {"president": 1}, {"president": ["李伟", "王芳"]})
    # 5 in person + 1 by proxy = 6 ≥ 8 × 2/3 = 5 1/3: the vote may open.
    elections.election_open_voting(election=election, by=staff)
    # The roll of voters is those present in person: the holder has one ballot.
    assert Voter.objects.filter(election=election).count() == 5
    li = election.positions.get().candidates.get(name="李伟")
    position = li.position_id
    elections.ballot_cast(election=election, by=users[0], choices={position: [li.pk]})
    with pytest.raises(ValidationError, match="只能投一次"):
        elections.ballot_cast(election=election, by=users[0], choices={position: [li.pk]})


def test_proxies_do_not_count_when_the_rules_say_they_do_not(staff):
    meeting, _users = _meeting_with_a_proxy(staff, proxies_count=False)
    election = election_with(meeting, staff, {"president": 1}, {"president": ["李伟", "王芳"]})
    # 5 in person (the proxy not counted) < 8 × 2/3 = 5 1/3: refused, with the arithmetic.
    with pytest.raises(ValidationError) as refused:
        elections.election_open_voting(election=election, by=staff)
    assert "5 1/3" in str(refused.value)
    assert not Voter.objects.filter(election=election).exists()
