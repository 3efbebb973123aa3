"""Election pages: voting, the published tracking codes, results and documents out."""

import io
import re
import zipfile
from unittest import mock

from django.urls import reverse
from django.utils import timezone

from association.elections import services
from association.elections.models import Ballot, PaperBatch, VoterRegister
from association.governance.models import Attendee
from tests.conftest import assert_constant_queries
from tests.governance.factories import MeetingFactory

from .factories import ballot_for, election_with, staff_user


def test_it_votes_shows_the_code_once_publishes_it_and_certifies(cast, client_for):
    meeting = MeetingFactory(presiding=cast.officer)
    Attendee.objects.create(
        meeting=meeting,
        kind="individual",
        name="甲",
        user=cast.org_admin_a,
        checked_in_at=timezone.now(),
    )
    election = election_with(meeting, cast.staff, {"president": 1}, {"president": ["李伟", "王芳"]})
    staff = client_for(cast.staff)
    staff.post(reverse("elections:election_action", args=[election.pk]), {"action": "open"})
    voter = client_for(cast.org_admin_a)
    detail = voter.get(reverse("elections:election_detail", args=[election.pk])).content.decode()
    assert "进入网上投票" in detail
    li = election.positions.get().candidates.get(name="李伟")
    position = election.positions.get()
    response = voter.post(
        reverse("elections:vote", args=[election.pk]), {f"position-{position.pk}": [li.pk]}
    )
    code = re.search(r'data-testid="tracking-code">([^<]+)<', response.content.decode()).group(1)
    assert len(code) >= 16
    # Sealed while the vote is open: the ballot table is still empty.
    assert not Ballot.objects.exists()
    # Shown once: the page does not show it again.
    assert code not in voter.get(reverse("elections:vote", args=[election.pk])).content.decode()
    assert (
        code
        not in voter.get(reverse("elections:election_detail", args=[election.pk])).content.decode()
    )
    # Not published while voting.
    anonymous = client_for(None)
    assert anonymous.get(reverse("elections:tracking_codes", args=[election.pk])).status_code == 404
    staff.post(reverse("elections:election_action", args=[election.pk]), {"action": "close"})
    assert Ballot.objects.get().tracking_code == code
    page = anonymous.get(
        reverse("elections:tracking_codes", args=[election.pk]), {"code": code}
    ).content.decode()
    assert "已找到" in page and code in page
    staff.post(reverse("elections:election_action", args=[election.pk]), {"action": "count"})
    assert anonymous.get(reverse("elections:results", args=[election.pk])).status_code == 404
    # Staff may not certify; the presiding officer does.
    staff.post(reverse("elections:election_action", args=[election.pk]), {"action": "certify"})
    election.refresh_from_db()
    assert election.status == "counted"
    client_for(cast.officer).post(
        reverse("elections:election_action", args=[election.pk]), {"action": "certify"}
    )
    results = anonymous.get(reverse("elections:results", args=[election.pk])).content.decode()
    assert "李伟" in results and "1 票 &gt; 1 × 1/2 = 1/2：当选" in results
    pdf = anonymous.get(reverse("elections:results_pdf", args=[election.pk]))
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
    officers = anonymous.get(reverse("governance:officers")).content.decode()
    assert "李伟" in officers


def counted_election(cast):
    """A meeting with one present voter, and its election for 会长 voted, closed and counted."""
    meeting = MeetingFactory(presiding=cast.staff)
    Attendee.objects.create(
        meeting=meeting,
        kind="individual",
        name="甲",
        user=cast.org_admin_a,
        checked_in_at=timezone.now(),
    )
    election = election_with(meeting, cast.staff, {"president": 1}, {"president": ["李伟"]})
    services.election_open_voting(election=election, by=cast.staff)
    services.ballot_cast(
        election=election,
        by=cast.org_admin_a,
        choices=ballot_for(election, {"president": ["李伟"]}),
    )
    services.election_close_voting(election=election, by=cast.staff)
    services.election_count(election=election, by=cast.staff)
    return meeting, election


def test_it_builds_the_filing_pack(cast, client_for):
    from association.governance import services as governance

    meeting, election = counted_election(cast)
    services.election_certify(election=election, by=cast.staff)
    governance.meeting_close(meeting=meeting, by=cast.staff, minutes="选举产生首届会长。")
    client = client_for(cast.staff)
    minutes = client.get(reverse("elections:meeting_minutes_pdf", args=[meeting.pk]))
    assert minutes.content.startswith(b"%PDF")
    pack = zipfile.ZipFile(
        io.BytesIO(client.get(reverse("elections:filing_pack", args=[meeting.pk])).content)
    )
    names = pack.namelist()
    assert "01-会议纪要.pdf" in names and "02-签到名单.csv" in names
    assert f"03-选举结果公告-{election.pk}.pdf" in names
    roster = pack.read("04-理事会及负责人名单.csv").decode("utf-8-sig")
    assert "会长,李伟" in roster
    assert "甲" in pack.read("02-签到名单.csv").decode("utf-8-sig")


def test_it_lists_tracking_codes_in_constant_queries(db, client_for):
    staff = staff_user()
    meeting = MeetingFactory()
    election = election_with(meeting, staff, {"president": 1}, {"president": ["李伟"]})
    election.status = "closed"
    election.save()

    def grow(n):
        Ballot.objects.bulk_create(
            [
                Ballot(election=election, tracking_code=services.new_tracking_code())
                for _ in range(n)
            ]
        )

    client = client_for(None)
    assert_constant_queries(
        lambda: client.get(reverse("elections:tracking_codes", args=[election.pk])), grow
    )


def test_it_lists_elections_and_batches_in_constant_queries(cast, client_for):
    meeting = MeetingFactory()
    client = client_for(cast.staff)

    def grow(n):
        for _ in range(n):
            election_with(meeting, cast.staff, {"president": 1}, {"president": ["李伟"]})

    assert_constant_queries(lambda: client.get(reverse("elections:election_list")), grow, large=20)
    election = election_with(
        meeting, cast.staff, {"president": 1}, {"president": ["李伟"]}, paper=True
    )
    election.status = "closed"
    election.save()

    def grow_batches(n):
        start = PaperBatch.objects.filter(election=election).count()
        PaperBatch.objects.bulk_create(
            [PaperBatch(election=election, number=start + i + 1) for i in range(n)]
        )

    assert_constant_queries(
        lambda: client.get(reverse("elections:batch_list", args=[election.pk])), grow_batches
    )
    assert not VoterRegister.objects.exists()


def test_it_renders_the_results_pdf_once_at_certification_and_serves_the_stored_file(
    cast, client_for
):
    """Issue 11, finding 6: rendering the public PDF per request let 24 anonymous requests
    slow the whole site; it is rendered when certified and served from storage."""
    from association.elections import documents

    _meeting, election = counted_election(cast)
    with mock.patch.object(documents, "render_pdf", wraps=documents.render_pdf) as render:
        services.election_certify(election=election, by=cast.staff)
    assert render.call_count == 1
    election.refresh_from_db()
    with election.results_file.open("rb") as handle:
        stored = handle.read()
    assert stored.startswith(b"%PDF")

    url = reverse("elections:results_pdf", args=[election.pk])
    anonymous = client_for(None)
    with mock.patch.object(documents, "render_pdf", side_effect=AssertionError) as render:
        for _ in range(3):
            response = anonymous.get(url)
            assert response.status_code == 200
            assert b"".join(response.streaming_content) == stored
    render.assert_not_called()
    assert response["Content-Type"] == "application/pdf"
    from urllib.parse import quote

    name = f"许昌市社会工作行业协会_选举结果公告_{election.title}.pdf"
    assert f"filename*=utf-8''{quote(name)}" in response["Content-Disposition"]

    # A lost file is rendered again, once, and stored.
    election.results_file.storage.delete(election.results_file.name)
    with mock.patch.object(documents, "render_pdf", wraps=documents.render_pdf) as render:
        first = b"".join(anonymous.get(url).streaming_content)
        second = b"".join(anonymous.get(url).streaming_content)
    assert render.call_count == 1
    assert first == second and first.startswith(b"%PDF")
