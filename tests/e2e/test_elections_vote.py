"""A representative checks in with the door code, votes online, and after the close finds
their tracking code in the published list and the certified results."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from association.elections import services
from association.elections.models import Ballot
from association.governance import services as governance
from association.governance.models import Attendee
from tests.elections.factories import ballot_for, election_with, staff_user
from tests.factories import UserFactory
from tests.governance.factories import MeetingFactory, roll

from .conftest import screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def login(page, user, live_server):
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def test_it_lets_a_representative_check_in_vote_and_verify(page, live_server):
    staff = staff_user()
    chair = UserFactory(display_name="会议主持人")
    meeting = MeetingFactory(presiding=chair, title="第二届会员代表大会第一次会议")
    roll(meeting, entitled=2, present=1)
    others = [UserFactory() for _ in range(2)]
    for i, user in enumerate(others):
        Attendee.objects.create(
            meeting=meeting,
            kind="individual",
            name=f"个人会员{i}",
            user=user,
            checked_in_at=timezone.now(),
        )
    rep = UserFactory(display_name="王代表")
    Attendee.objects.create(
        meeting=meeting,
        kind="unit_representative",
        name="王代表",
        affiliation="许昌市甲社会工作服务中心",
        user=rep,
    )
    election = election_with(meeting, staff, {"president": 1}, {"president": ["李伟", "王芳"]})
    login(page, rep, live_server)

    # At the door: the code on the screen leads to the check-in page.
    page.goto(reverse("governance:checkin", args=[governance.checkin_token(meeting)]))
    page.get_by_role("button", name="确认签到").click()
    page.wait_for_url(f"**{reverse('governance:meeting_detail', args=[meeting.pk])}")
    assert "您已签到" in page.content()
    assert page.get_by_text("可以作出决议", exact=True).is_visible()  # 4 of 5 present ≥ 2/3
    assert "4 ≥ 5 × 2/3 = 3 1/3" in page.get_by_test_id("quorum-arithmetic").inner_text()

    services.election_open_voting(election=election, by=staff)
    page.goto(reverse("elections:election_detail", args=[election.pk]))
    page.get_by_role("link", name="进入网上投票").click()
    page.get_by_label("李伟").check()
    screenshot(page, "elections-ballot")
    page.get_by_role("button", name="提交选票").click()
    code = page.get_by_test_id("tracking-code").inner_text().strip()
    assert len(code) >= 16 and not Ballot.objects.exists()  # sealed until the close
    screenshot(page, "elections-tracking-code")

    for user in others:  # 4 voters: 李伟 needs more than 2 votes
        services.ballot_cast(
            election=election, by=user, choices=ballot_for(election, {"president": ["李伟"]})
        )
    services.election_close_voting(election=election, by=staff)
    assert Ballot.objects.filter(tracking_code=code).exists()
    services.election_count(election=election, by=staff)
    services.election_certify(election=election, by=chair)

    page.goto(reverse("elections:tracking_codes", args=[election.pk]))
    page.get_by_placeholder("输入您的查验码").fill(code)
    page.get_by_role("button", name="查验").click()
    page.wait_for_url("**/tracking-codes/?code=*")  # the answer's page, not the form's
    assert page.get_by_test_id("code-found").is_visible()
    assert code in page.content()
    page.get_by_role("link", name="查看选举结果").click()
    assert "结果已于" in page.content()
    row = page.locator("tr", has_text="李伟")
    assert "3 票 > 4 × 1/2 = 2：当选" in row.inner_text()
    screenshot(page, "elections-results")
    page.goto(reverse("governance:officers"))
    assert "李伟" in page.content()
    assert timezone.localdate().strftime("%Y-%m-%d") in page.content()
