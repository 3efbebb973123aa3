"""Issue 13: a 等额 ballot records 赞成 / 反对 / 弃权 for each candidate, online and on
paper, and 另选他人 where the rules allow it; the announcement shows all three counts."""

import pytest
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.urls import reverse

from association.elections import selectors, services
from association.elections.choices import BatchStatus, OfficialRole
from association.elections.models import (
    Ballot,
    BallotMark,
    Candidate,
    Election,
    Voter,
    WriteInResult,
)
from tests.factories import UserFactory

from .factories import election_with, meeting_with_voters, staff_user


@pytest.fixture
def staff(db):
    return staff_user()


def equal_election(staff, voters, **kwargs):
    meeting, users = meeting_with_voters(voters)
    meeting.presiding = staff
    meeting.save()
    election = election_with(meeting, staff, {"president": 1}, {"president": ["李伟"]}, **kwargs)
    return election, users


def test_an_equal_ballot_counts_for_against_and_abstain_apart(staff, client):
    election, users = equal_election(staff, 7)
    services.election_open_voting(election=election, by=staff)
    li = Candidate.objects.get(position__election=election, name="李伟")
    position = li.position_id
    plan = [([li.pk], [])] * 4 + [([], [li.pk])] * 2 + [([], [])]  # 4 for, 2 against, 1 blank
    for user, (yes, no) in zip(users, plan, strict=True):
        services.ballot_cast(
            election=election, by=user, choices={position: yes}, against={position: no}
        )
    services.election_close_voting(election=election, by=staff)
    # Each ballot carries one mark for the candidate: the blank one is 弃权.
    assert BallotMark.objects.filter(ballot__election=election).count() == 7
    assert sorted(BallotMark.objects.values_list("choice", flat=True)) == (
        ["abstain"] + ["no"] * 2 + ["yes"] * 4
    )
    services.election_count(election=election, by=staff)
    li.refresh_from_db()
    assert (li.votes, li.against, li.abstentions) == (4, 2, 1)
    assert li.elected
    client.force_login(staff)
    page = client.get(reverse("elections:results", args=[election.pk])).content.decode()
    assert '<th class="text-end">反对</th>' in page
    assert '<th class="text-end">弃权</th>' in page
    election = selectors.with_positions(Election.objects.filter(pk=election.pk)).get()
    pdf_html = render_to_string(
        "elections/pdf/results.html",
        {"election": election, "positions": election.positions.all()},
    )
    assert "反对" in pdf_html and "弃权" in pdf_html
    assert '<td class="num">4</td><td class="num">2</td><td class="num">1</td>' in pdf_html


def test_a_ballot_cannot_oppose_on_a_competitive_position(staff):
    meeting, users = meeting_with_voters(3)
    election = election_with(meeting, staff, {"president": 1}, {"president": ["李伟", "王芳"]})
    services.election_open_voting(election=election, by=staff)
    li = Candidate.objects.get(position__election=election, name="李伟")
    with pytest.raises(ValidationError):
        services.ballot_cast(
            election=election, by=users[0], choices={}, against={li.position_id: [li.pk]}
        )


def test_a_write_in_is_counted_where_the_rules_allow_it(staff, client):
    election, users = equal_election(staff, 5)
    li = Candidate.objects.get(position__election=election, name="李伟")
    position = li.position_id
    services.election_open_voting(election=election, by=staff)
    with pytest.raises(ValidationError, match="不允许另选他人"):
        services.ballot_cast(
            election=election, by=users[0], choices={}, write_ins={position: ["王芳"]}
        )
    Election.objects.filter(pk=election.pk).update(write_ins=True)
    # A write-in and a 赞成 together exceed the one seat.
    with pytest.raises(ValidationError, match="最多选 1 人"):
        services.ballot_cast(
            election=election,
            by=users[0],
            choices={position: [li.pk]},
            write_ins={position: ["王芳"]},
        )
    for user in users[:2]:
        services.ballot_cast(
            election=election,
            by=user,
            choices={},
            against={position: [li.pk]},
            write_ins={position: ["王芳"]},
        )
    for user in users[2:]:
        services.ballot_cast(election=election, by=user, choices={position: [li.pk]})
    services.election_close_voting(election=election, by=staff)
    assert Ballot.objects.filter(election=election, write_ins__name="王芳").count() == 2
    services.election_count(election=election, by=staff)
    result = WriteInResult.objects.get(position_id=position)
    assert (result.name, result.votes) == ("王芳", 2)
    li.refresh_from_db()
    assert (li.votes, li.against, li.abstentions) == (3, 2, 0)
    client.force_login(staff)
    page = client.get(reverse("elections:results", args=[election.pk])).content.decode()
    assert "另选他人：王芳 2 票" in page


def test_paper_tallies_of_an_equal_ballot_compare_and_count_all_three(staff):
    election, _users = equal_election(staff, 5, online=False, paper=True)
    Election.objects.filter(pk=election.pk).update(write_ins=True)
    teller_1, teller_2, scrutineer = UserFactory(), UserFactory(), UserFactory()
    for user, role in (
        (teller_1, OfficialRole.TELLER),
        (teller_2, OfficialRole.TELLER),
        (scrutineer, OfficialRole.SCRUTINEER),
    ):
        services.official_appoint(election=election, by=staff, user=user, role=role)
    services.election_open_voting(election=election, by=staff)
    for voter in Voter.objects.filter(election=election):
        services.paper_ballot_issue(election=election, by=staff, voter=voter)
    services.election_close_voting(election=election, by=staff)
    batch = services.batch_create(election=election, by=staff)
    li = Candidate.objects.get(position__election=election)
    common = {"batch": batch, "ballots": 5, "invalid": 0, "votes": {li.pk: 3}}
    services.tally_enter(
        by=teller_1,
        copy=1,
        against={li.pk: 1},
        abstain={li.pk: 1},
        write_ins=[(li.position_id, "王芳", 1)],
        **common,
    )
    batch = services.tally_enter(
        by=teller_2,
        copy=2,
        against={li.pk: 2},
        abstain={li.pk: 0},
        write_ins=[(li.position_id, "王芳", 1)],
        **common,
    )
    assert batch.status == BatchStatus.MISMATCH
    assert "李伟反对：1 / 2" in batch.differences
    assert "李伟弃权：1 / 0" in batch.differences
    batch = services.tally_enter(
        by=teller_2,
        copy=2,
        against={li.pk: 1},
        abstain={li.pk: 1},
        write_ins=[(li.position_id, "王芳", 1)],
        **common,
    )
    assert batch.status == BatchStatus.AGREED
    services.batch_confirm(batch=batch, by=scrutineer)
    services.election_count(election=election, by=staff)
    li.refresh_from_db()
    assert (li.votes, li.against, li.abstentions) == (3, 1, 1)
    assert WriteInResult.objects.get(position=li.position).votes == 1
