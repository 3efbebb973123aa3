"""Elections respect the meeting: no vote opens and no count is certified without quorum."""

import pytest
from django.core.exceptions import ValidationError

from association.elections import services
from association.elections.choices import ElectionStatus
from association.governance.models import Attendee

from .factories import ballot_for, election_with, meeting_with_voters, staff_user


@pytest.fixture
def staff(db):
    return staff_user()


def test_voting_does_not_open_without_quorum_and_the_refusal_shows_the_arithmetic(staff):
    # 3 checked in of 12 entitled: short of two thirds.
    meeting, _users = meeting_with_voters(3, entitled=9, present=0)
    election = election_with(meeting, staff, {"president": 1}, {"president": ["李伟", "王芳"]})
    with pytest.raises(ValidationError) as refused:
        services.election_open_voting(election=election, by=staff)
    message = refused.value.messages[0]
    assert "会议未达到法定人数，不能开始投票" in message
    assert "应到 12 人" in message and "实到 3 人" in message
    election.refresh_from_db()
    assert election.status != ElectionStatus.VOTING


def test_a_count_is_not_certified_when_the_meeting_lost_its_quorum(staff):
    meeting, users = meeting_with_voters(6)
    meeting.presiding = staff
    meeting.save()
    election = election_with(meeting, staff, {"president": 1}, {"president": ["李伟", "王芳"]})
    services.election_open_voting(election=election, by=staff)
    for user in users:
        services.ballot_cast(
            election=election, by=user, choices=ballot_for(election, {"president": ["李伟"]})
        )
    services.election_close_voting(election=election, by=staff)
    election = services.election_count(election=election, by=staff)
    # The check-in of most attendees is withdrawn (the roll corrected): no quorum now.
    Attendee.objects.filter(meeting=meeting).exclude(user=users[0]).update(checked_in_at=None)
    with pytest.raises(ValidationError, match="选举结果不能确认"):
        services.election_certify(election=election, by=staff)
    election.refresh_from_db()
    assert election.status == ElectionStatus.COUNTED
