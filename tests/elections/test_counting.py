"""Counting, further rounds, paper double entry and certification, by hand."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from association.elections import selectors, services
from association.elections.choices import BatchStatus, ElectionStatus, OfficialRole
from association.elections.models import Candidate, PaperBatch, Voter
from association.governance.selectors import current_officeholder, officeholders_current
from tests.factories import UserFactory
from tests.governance.factories import TermFactory, office

from .factories import ballot_for, election_with, meeting_with_voters, staff_user


def cast_votes(election, users, plan):
    """``plan``: list of (number of voters, {office code: [names]})."""
    i = 0
    for n, marks in plan:
        for _ in range(n):
            services.ballot_cast(
                election=election, by=users[i], choices=ballot_for(election, marks)
            )
            i += 1


@pytest.fixture
def staff(db):
    return staff_user()


def test_it_elects_by_more_than_half_and_certifies_with_terms(staff):
    meeting, users = meeting_with_voters(7)
    meeting.presiding = staff
    meeting.save()
    old = TermFactory(office=office("president"), holder_name="前任会长")
    election = election_with(meeting, staff, {"president": 1}, {"president": ["李伟", "王芳"]})
    services.election_open_voting(election=election, by=staff)
    # 7 voters: more than 3 1/2 needed; 李伟 4, 王芳 3.
    cast_votes(election, users, [(4, {"president": ["李伟"]}), (3, {"president": ["王芳"]})])
    services.election_close_voting(election=election, by=staff)
    election = services.election_count(election=election, by=staff)
    li = Candidate.objects.get(name="李伟")
    assert li.elected and li.votes == 4
    assert "4 票 > 7 × 1/2 = 3 1/2：当选" in li.result_note
    services.election_certify(election=election, by=staff)
    old.refresh_from_db()
    assert old.ended_on == timezone.localdate()
    term = current_officeholder("president")
    assert term.holder_name == "李伟"
    assert term.ends_on == term.starts_on.replace(year=term.starts_on.year + 5)
    assert [t.holder_name for t in officeholders_current()] == ["李伟"]


def test_it_sends_an_unfilled_seat_to_a_further_round_and_keeps_the_first_rounds_winners(staff):
    meeting, users = meeting_with_voters(10)
    meeting.presiding = staff
    meeting.save()
    election = election_with(meeting, staff, {"council": 2}, {"council": ["甲", "乙", "丙", "丁"]})
    services.election_open_voting(election=election, by=staff)
    # 10 voters (> 5 needed): 甲 10, 乙 6, 丙 6, 丁 0: 乙 and 丙 tie for the second seat.
    cast_votes(election, users, [(6, {"council": ["甲", "乙"]}), (4, {"council": ["甲", "丙"]})])
    services.election_close_voting(election=election, by=staff)
    services.election_count(election=election, by=staff)
    votes = dict(Candidate.objects.filter(position__election=election).values_list("name", "votes"))
    assert votes == {"甲": 10, "乙": 6, "丙": 4, "丁": 0}
    # 甲 and 乙 have more than 5: both elected. A by-election for two more seats:
    TermFactory(office=office("council"), holder_name="老理事")
    tie = election_with(meeting, staff, {"council": 2}, {"council": ["甲", "乙", "丙"]})
    tie.title = "理事增补选举"
    tie.save()
    services.election_open_voting(election=tie, by=staff)
    cast_votes(tie, users, [(5, {"council": ["甲", "乙"]}), (5, {"council": ["甲", "丙"]})])
    # 甲 10, 乙 5, 丙 5: 5 is not more than 10 × 1/2 = 5, so 乙 and 丙 are not elected;
    # one seat is unfilled and goes to a further round among 乙 and 丙.
    services.election_close_voting(election=tie, by=staff)
    services.election_count(election=tie, by=staff)
    services.election_certify(election=tie, by=staff)
    assert sorted(t.holder_name for t in officeholders_current()) == ["甲"]
    second = services.election_further_round(election=tie, by=staff)
    assert second.round == 2
    position = second.positions.get()
    assert position.seats == 1
    assert sorted(c.name for c in position.candidates.all()) == ["丙", "乙"]
    with pytest.raises(ValidationError):
        services.election_further_round(election=tie, by=staff)


def test_it_sends_an_exact_tie_to_a_further_round(staff):
    meeting, users = meeting_with_voters(12)
    meeting.presiding = staff
    meeting.save()
    election = election_with(meeting, staff, {"council": 2}, {"council": ["甲", "乙", "丙"]})
    services.election_open_voting(election=election, by=staff)
    # 12 voters, each marks two of three: 甲 8, 乙 8, 丙 8 (each > 6), 2 seats.
    cast_votes(
        election,
        users,
        [
            (4, {"council": ["甲", "乙"]}),
            (4, {"council": ["甲", "丙"]}),
            (4, {"council": ["乙", "丙"]}),
        ],
    )
    services.election_close_voting(election=election, by=staff)
    services.election_count(election=election, by=staff)
    rows = {c.name: c for c in Candidate.objects.filter(position__election=election)}
    assert (rows["甲"].votes, rows["乙"].votes, rows["丙"].votes) == (8, 8, 8)
    # Three tie over 6 for two seats: none is elected, all three go to a further round.
    assert not any(c.elected for c in rows.values())
    assert all(c.tied for c in rows.values())
    nxt = services.election_further_round(election=election, by=staff)
    position = nxt.positions.get()
    assert position.seats == 2 and position.candidates.count() == 3


def test_it_leaves_a_seat_unfilled_and_flags_a_tie(staff):
    meeting, users = meeting_with_voters(12)
    meeting.presiding = staff
    meeting.save()
    election = election_with(meeting, staff, {"council": 2}, {"council": ["甲", "乙", "丙"]})
    services.election_open_voting(election=election, by=staff)
    # 甲 12, 乙 7, 丙 7: both over 6 and tied for one seat.
    cast_votes(
        election,
        users,
        [
            (5, {"council": ["甲", "乙"]}),
            (5, {"council": ["甲", "丙"]}),
            (2, {"council": ["甲", "乙", "丙"][1:]}),
        ],
    )
    services.election_close_voting(election=election, by=staff)
    services.election_count(election=election, by=staff)
    rows = {c.name: c for c in Candidate.objects.filter(position__election=election)}
    assert (rows["甲"].votes, rows["乙"].votes, rows["丙"].votes) == (10, 7, 7)
    assert rows["甲"].elected and rows["乙"].tied and rows["丙"].tied
    assert "缺额 1 名" in election.positions.get().outcome_text
    nxt = services.election_further_round(election=election, by=staff)
    assert sorted(c.name for c in nxt.positions.get().candidates.all()) == ["丙", "乙"]


def test_it_waits_for_the_complaint_period_and_the_presiding_officer(staff):
    meeting, users = meeting_with_voters(3)
    chair = UserFactory()
    meeting.presiding = chair
    meeting.save()
    election = election_with(meeting, staff, {"president": 1}, {"president": ["李伟"]})
    election.complaint_days = 3
    election.save()
    services.election_open_voting(election=election, by=staff)
    cast_votes(election, users, [(3, {"president": ["李伟"]})])
    services.election_close_voting(election=election, by=staff)
    election = services.election_count(election=election, by=staff)
    assert election.complaint_until == timezone.localdate() + datetime.timedelta(days=3)
    with pytest.raises(PermissionDenied):
        services.election_certify(election=election, by=staff)
    with pytest.raises(ValidationError, match="异议期"):
        services.election_certify(election=election, by=chair)
    election.complaint_until = timezone.localdate()
    election.save()
    assert services.election_certify(election=election, by=chair).status == ElectionStatus.CERTIFIED


def test_it_flags_paper_tallies_that_differ_until_they_agree(staff):
    meeting, _users = meeting_with_voters(5)
    meeting.presiding = staff
    meeting.save()
    election = election_with(
        meeting, staff, {"president": 1}, {"president": ["李伟", "王芳"]}, online=False, paper=True
    )
    teller_1, teller_2, scrutineer = UserFactory(), UserFactory(), UserFactory()
    services.official_appoint(election=election, by=staff, user=teller_1, role=OfficialRole.TELLER)
    services.official_appoint(election=election, by=staff, user=teller_2, role=OfficialRole.TELLER)
    services.official_appoint(
        election=election, by=staff, user=scrutineer, role=OfficialRole.SCRUTINEER
    )
    services.election_open_voting(election=election, by=staff)
    for voter in Voter.objects.filter(election=election):
        services.paper_ballot_issue(election=election, by=staff, voter=voter)
    with pytest.raises(ValidationError):
        services.paper_ballot_issue(election=election, by=staff, voter=voter)
    services.election_close_voting(election=election, by=staff)
    batch = services.batch_create(election=election, by=staff)
    li, wang = Candidate.objects.filter(position__election=election).order_by("order")
    services.tally_enter(
        batch=batch, by=teller_1, copy=1, ballots=5, invalid=0, votes={li.pk: 4, wang.pk: 1}
    )
    with pytest.raises(ValidationError, match="不同的计票人"):
        services.tally_enter(
            batch=batch, by=teller_1, copy=2, ballots=5, invalid=0, votes={li.pk: 4, wang.pk: 1}
        )
    batch = services.tally_enter(
        batch=batch, by=teller_2, copy=2, ballots=5, invalid=0, votes={li.pk: 3, wang.pk: 1}
    )
    assert batch.status == BatchStatus.MISMATCH
    assert "李伟：4 / 3" in batch.differences
    with pytest.raises(ValidationError):
        services.batch_confirm(batch=batch, by=scrutineer)
    with pytest.raises(ValidationError, match="未经监票人确认"):
        services.election_count(election=election, by=staff)
    batch = services.tally_enter(
        batch=batch, by=teller_2, copy=2, ballots=5, invalid=0, votes={li.pk: 4, wang.pk: 1}
    )
    assert batch.status == BatchStatus.AGREED
    with pytest.raises(PermissionDenied):
        services.batch_confirm(batch=batch, by=teller_1)
    services.batch_confirm(batch=batch, by=scrutineer)
    assert selectors.paper_reconciliation(election) == {
        "issued": 5,
        "returned": 5,
        "invalid": 0,
        "ok": True,
    }
    services.election_count(election=election, by=staff)
    li.refresh_from_db()
    assert li.elected and li.votes == 4
    assert PaperBatch.objects.get().status == BatchStatus.CONFIRMED


def test_it_refuses_more_paper_ballots_returned_than_issued(staff):
    meeting, _users = meeting_with_voters(2)
    election = election_with(
        meeting, staff, {"president": 1}, {"president": ["李伟"]}, online=False, paper=True
    )
    t1, t2, s = UserFactory(), UserFactory(), UserFactory()
    for user, role in [(t1, "teller"), (t2, "teller"), (s, "scrutineer")]:
        services.official_appoint(election=election, by=staff, user=user, role=role)
    services.election_open_voting(election=election, by=staff)
    services.paper_ballot_issue(
        election=election, by=staff, voter=Voter.objects.filter(election=election).first()
    )
    services.election_close_voting(election=election, by=staff)
    batch = services.batch_create(election=election, by=staff)
    li = Candidate.objects.get()
    for teller, copy in [(t1, 1), (t2, 2)]:
        services.tally_enter(
            batch=batch, by=teller, copy=copy, ballots=2, invalid=0, votes={li.pk: 2}
        )
    services.batch_confirm(batch=batch, by=s)
    with pytest.raises(ValidationError, match="多于发出的"):
        services.election_count(election=election, by=staff)


def test_it_checks_candidates_eligibility_and_the_competitive_rule(staff):
    from members.choices import Qualification
    from tests.members.factories import SocialWorkerFactory

    meeting, _users = meeting_with_voters(2)
    election = election_with(meeting, staff, {"president": 1}, {})
    election.mode = "competitive"
    election.candidate_min_qualification = Qualification.SOCIAL_WORKER
    election.save()
    position = election.positions.get()
    lapsed = SocialWorkerFactory()
    candidate = services.candidate_nominate(
        position=position, by=staff, name=lapsed.name, nominated_by="代表联名", worker=lapsed
    )
    assert not candidate.eligible and "会籍" in candidate.eligibility_note
    election.candidate_good_standing = False
    election.save()
    junior = SocialWorkerFactory(qualification=Qualification.ASSISTANT)
    candidate = services.candidate_nominate(
        position=position, by=staff, name=junior.name, nominated_by="代表联名", worker=junior
    )
    assert not candidate.eligible and "社会工作师" in candidate.eligibility_note
    senior = SocialWorkerFactory(qualification=Qualification.SENIOR)
    ok = services.candidate_nominate(
        position=position, by=staff, name=senior.name, nominated_by="理事会提名", worker=senior
    )
    assert ok.eligible
    services.candidate_accept(candidate=ok, by=staff)
    # 差额: one accepted candidate for one seat is not enough.
    with pytest.raises(ValidationError, match="差额"):
        services.election_open_voting(election=election, by=staff)
