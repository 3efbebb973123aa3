"""Issue 12 in elections: one table shape for the state machine, every change attributed in
the history — except a ballot, which no history context may tie to its voter — and the
admin's actions run through the shared runner."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core.exceptions import ValidationError
from django.urls import reverse
from pghistory.models import Context

from association.elections import services
from association.elections.choices import ELECTION_TRANSITIONS, ElectionStatus
from association.elections.models import Election

from .factories import ballot_for, election_with, meeting_with_voters, staff_user

pytestmark = pytest.mark.django_db


def test_its_transition_table_is_complete():
    from association.workflow import check_table

    check_table(ELECTION_TRANSITIONS, ElectionStatus.values)


def test_it_attributes_the_close_to_its_actor_but_no_ballot_to_its_voter(client_for):
    staff = staff_user()
    meeting, users = meeting_with_voters(3)
    election = election_with(meeting, staff, {"president": 1}, {"president": ["李伟", "王芳"]})
    services.election_open_voting(election=election, by=staff)
    for user in users[:2]:
        services.ballot_cast(
            election=election, by=user, choices=ballot_for(election, {"president": ["王芳"]})
        )
    # The last one through the page, where the request's own history context is open.
    (position_id, (candidate_id,)) = next(
        iter(ballot_for(election, {"president": ["李伟"]}).items())
    )
    response = client_for(users[2]).post(
        reverse("elections:vote", args=[election.pk]), {f"position-{position_id}": candidate_id}
    )
    assert response.status_code == 200 and "vote_done" in response.templates[0].name
    services.election_close_voting(election=election, by=staff)

    event = Election.pgh_event_model.objects.filter(pgh_obj=election).latest("pgh_id")
    metadata = Context.objects.get(pk=event.pgh_context_id).metadata
    assert metadata["user"] == staff.pk
    assert metadata["action"] == "elections.election_close_voting"
    for user in users:
        assert not Context.objects.filter(metadata__user=user.pk).exists()


def test_it_refuses_a_move_the_table_does_not_allow():
    staff = staff_user()
    meeting, _users = meeting_with_voters(1)
    election = election_with(meeting, staff, {"president": 1}, {"president": ["李伟"]})
    with pytest.raises(ValidationError) as refused:
        services.election_count(election=election, by=staff)  # still nominating
    assert refused.value.code == "invalid_transition"
    election.refresh_from_db()
    assert election.status == ElectionStatus.NOMINATING


def test_its_admin_actions_report_each_refusal_and_count_the_rest(client_for):
    staff = staff_user()
    staff.is_superuser = True
    staff.save()
    TOTP.activate(staff, generate_totp_secret())
    meeting, _users = meeting_with_voters(2)
    ready = election_with(meeting, staff, {"president": 1}, {"president": ["李伟", "王芳"]})
    empty = election_with(meeting, staff, {"president": 1}, {})  # no candidate: refused
    response = client_for(staff).post(
        reverse("admin:elections_election_changelist"),
        {"action": "open_voting", "_selected_action": [ready.pk, empty.pk]},
        follow=True,
    )
    shown = [str(message) for message in response.context["messages"]]
    assert any("没有合格的候选人" in message for message in shown), shown
    assert "已开始投票：1 次选举。" in shown
    ready.refresh_from_db()
    empty.refresh_from_db()
    assert (ready.status, empty.status) == (ElectionStatus.VOTING, ElectionStatus.NOMINATING)
