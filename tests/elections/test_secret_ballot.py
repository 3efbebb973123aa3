"""The online ballot is secret and counted once per voter."""

import threading

import pytest
from django.apps import apps
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, models

from association.elections import services
from association.elections.models import (
    Ballot,
    BallotMark,
    BallotWriteIn,
    SealedBallot,
    Voter,
    VoterRegister,
)
from tests.factories import UserFactory

from .factories import ballot_for, election_with, meeting_with_voters, staff_user


@pytest.fixture
def voting(db):
    staff = staff_user()
    meeting, users = meeting_with_voters(5)
    election = election_with(meeting, staff, {"president": 1}, {"president": ["李伟", "王芳"]})
    services.election_open_voting(election=election, by=staff)
    return election, users, staff


def test_it_freezes_the_voter_roll_when_the_vote_opens(voting):
    election, _users, _staff = voting
    assert Voter.objects.filter(election=election).count() == 5
    late = UserFactory()
    from association.governance.models import Attendee

    Attendee.objects.create(meeting=election.meeting, kind="individual", name="迟到者", user=late)
    with pytest.raises(PermissionDenied):
        services.ballot_cast(election=election, by=late, choices={})


def test_it_gives_one_ballot_per_voter_and_a_tracking_code(voting):
    election, users, staff = voting
    code = services.ballot_cast(
        election=election, by=users[0], choices=ballot_for(election, {"president": ["李伟"]})
    )
    assert len(code) >= 16
    with pytest.raises(ValidationError, match="已经投过票"):
        services.ballot_cast(
            election=election, by=users[0], choices=ballot_for(election, {"president": ["王芳"]})
        )
    assert SealedBallot.objects.filter(election=election).count() == 1
    assert VoterRegister.objects.filter(election=election).count() == 1
    assert not Ballot.objects.exists()  # sealed until the close
    services.election_close_voting(election=election, by=staff)
    assert list(Ballot.objects.values_list("tracking_code", flat=True)) == [code]
    assert not SealedBallot.objects.exists()


def test_it_refuses_more_marks_than_seats(voting):
    election, users, _staff = voting
    with pytest.raises(ValidationError, match="最多选 1 人"):
        services.ballot_cast(
            election=election,
            by=users[1],
            choices=ballot_for(election, {"president": ["李伟", "王芳"]}),
        )
    assert not VoterRegister.objects.exists()
    assert not SealedBallot.objects.exists()


def test_it_has_no_path_from_a_ballot_to_its_voter():
    user_model = apps.get_model("accounts", "User")
    for model in (Ballot, BallotMark, BallotWriteIn, SealedBallot):
        for field in model._meta.get_fields():
            if field.is_relation:
                assert field.related_model not in (user_model, Voter, VoterRegister), (model, field)
            # No time recorded: the order of casting cannot be matched with the register.
            assert not isinstance(
                field, models.DateTimeField | models.DateField | models.TimeField
            ), field
            # The primary key is random, not a sequence.
            if getattr(field, "primary_key", False):
                assert isinstance(field, models.UUIDField)
    allowed = {"election", "marks", "write_ins"}  # 另选他人 names, as anonymous as the marks
    assert {f.name for f in Ballot._meta.get_fields()} - {"id", "tracking_code"} == allowed
    assert {f.name for f in BallotMark._meta.get_fields() if f.is_relation} == {
        "ballot",
        "candidate",
    }
    # Neither ballots nor their marks are tracked in the change history (whose rows carry
    # the time and the request of every insert).
    for model in (Ballot, BallotMark, BallotWriteIn, SealedBallot):
        assert not hasattr(model, "pgh_event_models"), model
    assert {f.name for f in SealedBallot._meta.get_fields()} == {"id", "election", "sealed"}
    for model in apps.get_models():
        if model._meta.app_label == "pghistory":
            continue
        for field in model._meta.get_fields():
            if (
                field.is_relation
                and field.concrete
                and field.related_model
                in (
                    Ballot,
                    BallotMark,
                    SealedBallot,
                )
            ):
                assert model in (BallotMark, BallotWriteIn), f"{model} links to ballots"


def test_it_keeps_ballots_out_of_the_admin():
    registered = set(admin.site._registry)
    assert not {Ballot, BallotMark, SealedBallot} & registered
    register_admin = admin.site._registry.get(VoterRegister)
    if register_admin is not None:
        shown = [*register_admin.list_display, *(register_admin.fields or [])]
        assert not any("ballot" in str(name) for name in shown)


@pytest.mark.django_db(transaction=True)
def test_it_takes_one_ballot_from_twenty_parallel_submissions():
    staff = staff_user()
    meeting, users = meeting_with_voters(2)
    election = election_with(meeting, staff, {"president": 1}, {"president": ["李伟", "王芳"]})
    services.election_open_voting(election=election, by=staff)
    choices = ballot_for(election, {"president": ["李伟"]})
    voter = users[0]
    barrier = threading.Barrier(20)
    results = []
    lock = threading.Lock()

    def submit():
        try:
            barrier.wait()
            code = services.ballot_cast(election=election, by=voter, choices=choices)
            outcome = ("ok", code)
        except ValidationError as exc:
            outcome = ("refused", str(exc))
        except Exception as exc:
            outcome = ("error", repr(exc))
        finally:
            connection.close()
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=submit) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 20
    assert [r[0] for r in results].count("ok") == 1, results
    assert [r[0] for r in results].count("refused") == 19, results
    assert SealedBallot.objects.filter(election=election).count() == 1
    assert VoterRegister.objects.filter(election=election).count() == 1
    services.election_close_voting(election=election, by=staff)
    assert Ballot.objects.filter(election=election).count() == 1
    assert BallotMark.objects.count() == 1
