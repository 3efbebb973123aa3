"""The admin: no page shows a ballot, let alone next to a voter; nominations go through
the eligibility check."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.urls import NoReverseMatch, reverse

from association.elections import services
from association.elections.models import Candidate, SealedBallot
from tests.members.factories import SocialWorkerFactory

from .factories import ballot_for, election_with, meeting_with_voters


@pytest.fixture
def admin_client(cast, client_for):
    cast.staff.is_superuser = True  # sees every admin page there is
    cast.staff.save()
    TOTP.activate(cast.staff, generate_totp_secret())
    return client_for(cast.staff)


def test_it_shows_who_voted_but_never_a_ballot(cast, admin_client):
    meeting, users = meeting_with_voters(3)
    election = election_with(meeting, cast.staff, {"president": 1}, {"president": ["李伟", "王芳"]})
    services.election_open_voting(election=election, by=cast.staff)
    code = services.ballot_cast(
        election=election, by=users[0], choices=ballot_for(election, {"president": ["王芳"]})
    )
    pages = [
        reverse("admin:elections_voterregister_changelist"),
        reverse("admin:elections_voter_changelist"),
        reverse("admin:elections_election_change", args=[election.pk]),
        reverse("admin:elections_candidate_changelist"),
        reverse("admin:index"),
    ]
    for url in pages:
        response = admin_client.get(url)
        assert response.status_code == 200, url
        assert code not in response.content.decode()
    for name in [
        "admin:elections_ballot_changelist",
        "admin:elections_ballotmark_changelist",
        "admin:elections_sealedballot_changelist",
    ]:
        with pytest.raises(NoReverseMatch):
            reverse(name)
    assert admin_client.get("/admin/elections/ballot/").status_code == 404
    assert SealedBallot.objects.count() == 1  # sealed until the close


def test_it_checks_eligibility_when_staff_nominate_in_the_admin(cast, admin_client):
    meeting, _ = meeting_with_voters(1)
    election = election_with(meeting, cast.staff, {"president": 1}, {})
    position = election.positions.get()
    worker = SocialWorkerFactory()  # no membership: not in good standing
    response = admin_client.post(
        reverse("admin:elections_candidate_add"),
        {
            "position": position.pk,
            "name": worker.name,
            "worker": worker.pk,
            "nominated_by": "代表联名",
            "order": 1,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    candidate = Candidate.objects.get()
    assert not candidate.eligible and "会籍" in candidate.eligibility_note


def test_it_gives_a_meeting_added_in_the_admin_the_rules_in_force(cast, admin_client):
    from association.governance.models import Meeting
    from tests.governance.factories import ensure_reference_data

    ensure_reference_data()  # a transactional test of an earlier run may have flushed them

    response = admin_client.post(
        reverse("admin:governance_meeting_add"),
        {
            "kind": "council",
            "title": "第一届理事会第二次会议",
            "starts_at_0": "2026-12-20",
            "starts_at_1": "14:30",
            "place": "协会会议室",
            "agenda": "审议年度工作报告",
            "talks-TOTAL_FORMS": "0",
            "talks-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    meeting = Meeting.objects.get()
    assert (meeting.rule_set.quorum_numerator, meeting.rule_set.quorum_denominator) == (2, 3)
