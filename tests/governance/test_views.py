"""Governance pages as people use them, and what each list page costs."""

import pytest
from django.urls import reverse
from django.utils import timezone

from association.governance import services
from association.governance.models import Attendee, Document, DocumentVersion, Term
from tests.conftest import assert_constant_queries

from .factories import (
    AttendeeFactory,
    DocumentFactory,
    MeetingFactory,
    VersionFactory,
    office,
    roll,
)


def adopted(document, number, text, meeting, staff):
    version = VersionFactory(document=document, number=number, text=text)
    motion = services.motion_create(
        meeting=meeting, by=staff, title=f"通过{document.title}", text="x", document_version=version
    )
    services.motion_open_vote(motion=motion, by=staff)
    services.motion_record_counts(
        motion=motion, by=staff, yes=meeting.attendees.count(), no=0, abstain=0
    )
    version.refresh_from_db()
    return version


def test_it_publishes_the_adopted_documents_and_escapes_the_diff(cast, client_for):
    meeting = MeetingFactory()
    roll(meeting, entitled=3, present=3)
    document = DocumentFactory(title="许昌市社会工作行业协会章程")
    first = adopted(document, 1, "第一条 名称。\n第二条 宗旨。", meeting, cast.staff)
    second = adopted(
        document, 2, "第一条 名称。\n第二条 宗旨<script>alert(1)</script>。", meeting, cast.staff
    )
    client = client_for(None)
    page = client.get(reverse("governance:document_list")).content.decode()
    assert "许昌市社会工作行业协会章程" in page and "第 2 版" in page
    detail = client.get(reverse("governance:version_detail", args=[first.pk])).content.decode()
    assert "已被取代" in detail
    diff = client.get(reverse("governance:version_diff", args=[second.pk])).content.decode()
    assert "&lt;script&gt;" in diff and "<script>alert" not in diff
    assert 'class="diff_add"' in diff or 'class="diff_chg"' in diff
    assert "style=" not in diff


def test_it_shows_the_live_quorum_and_lets_a_representative_check_in_with_the_door_code(
    cast, client_for
):
    meeting = MeetingFactory()
    roll(meeting, entitled=80, present=53)
    me = AttendeeFactory(meeting=meeting, user=cast.org_admin_a)
    staff = client_for(cast.staff)
    meter = staff.get(reverse("governance:meeting_quorum", args=[meeting.pk])).content.decode()
    assert "尚不能作出决议" in meter and 'hx-trigger="every 5s"' in meter
    assert "53 &lt; 81 × 2/3 = 54" in meter
    qr = staff.get(reverse("governance:checkin_qr", args=[meeting.pk])).content.decode()
    assert "<svg" in qr
    assert "/governance/check-in/" in qr
    url = reverse("governance:checkin", args=[services.checkin_token(meeting)])
    rep = client_for(cast.org_admin_a)
    assert "确认签到" in rep.get(url).content.decode()
    assert rep.post(url).status_code == 302
    me.refresh_from_db()
    assert me.present and me.check_in_method == "qr"
    meter = rep.get(reverse("governance:meeting_quorum", args=[meeting.pk])).content.decode()
    assert "可以作出决议" in meter and "54 ≥ 81 × 2/3 = 54" in meter


def test_it_runs_a_meeting_from_notice_to_close(cast, client_for):
    from members.choices import MembershipState  # noqa: F401
    from tests.members.factories import DuesFactory, MembershipFactory, RepresentativeFactory

    meeting = MeetingFactory(status="planned", opened_at=None, presiding=cast.officer)
    membership = MembershipFactory()
    DuesFactory(
        membership=membership,
        year=timezone.localdate().year,
        paid_on=timezone.localdate(),
        receipt_number="SJ-0001",
    )
    RepresentativeFactory(membership=membership, name="王代表")
    RepresentativeFactory(membership=membership, name="已卸任", ended_on=timezone.localdate())
    lapsed = MembershipFactory(member_since=timezone.localdate().replace(year=2020))
    RepresentativeFactory(membership=lapsed, name="欠费单位代表")
    client = client_for(cast.staff)
    url = reverse("governance:meeting_action", args=[meeting.pk])
    response = client.post(url, {"action": "notice"}, follow=True)
    assert "通知已发" in response.content.decode() or "通知晚于" in response.content.decode()
    client.post(url, {"action": "open"})
    names = list(Attendee.objects.filter(meeting=meeting).values_list("name", flat=True))
    assert names == ["王代表"]
    attendee = Attendee.objects.get(meeting=meeting)
    client.post(reverse("governance:attendee_check_in", args=[attendee.pk]))
    client.post(
        reverse("governance:motion_add", args=[meeting.pk]),
        {
            "title": "会费标准",
            "text": "单位会员每年1000元",
            "kind": "ordinary",
            "vote_method": "secret",
        },
    )
    motion = meeting.motions.get()
    client.post(reverse("governance:motion_vote", args=[motion.pk]))
    response = client.post(
        reverse("governance:motion_vote", args=[motion.pk]),
        {"yes": 1, "no": 0, "abstain": 0},
        follow=True,
    )
    assert "赞成 1 票 &gt; 实到 1 人 × 1/2 = 1/2" in response.content.decode()
    client.post(url, {"action": "close", "minutes": "会议顺利闭幕。"})
    meeting.refresh_from_db()
    assert meeting.status == "closed" and meeting.minutes == "会议顺利闭幕。"


def test_it_keeps_drafts_from_the_public(cast, client_for):
    version = VersionFactory()
    assert (
        client_for(None).get(reverse("governance:version_detail", args=[version.pk])).status_code
        == 404
    )
    assert (
        client_for(cast.staff)
        .get(reverse("governance:version_detail", args=[version.pk]))
        .status_code
        == 200
    )


@pytest.mark.parametrize("url_name", ["governance:officers", "governance:office_history"])
def test_it_lists_officeholders_in_constant_queries(url_name, db, client_for):
    client = client_for(None)

    def grow(n):
        Term.objects.bulk_create(
            [
                Term(
                    office=office("council"),
                    holder_name=f"理事{Term.objects.count() + i}",
                    starts_on=timezone.localdate(),
                    ends_on=timezone.localdate().replace(year=timezone.localdate().year + 5),
                    basis="选举",
                )
                for i in range(n)
            ]
        )

    assert_constant_queries(lambda: client.get(reverse(url_name)), grow)


def test_it_lists_documents_in_constant_queries(db, client_for):
    client = client_for(None)

    def grow(n):
        for _ in range(n):
            VersionFactory(document=DocumentFactory())

    assert_constant_queries(lambda: client.get(reverse("governance:document_list")), grow)
    assert Document.objects.count() == 50 and DocumentVersion.objects.count() == 50


def test_it_lists_meetings_and_the_roll_in_constant_queries(cast, client_for):
    client = client_for(cast.staff)
    meeting = MeetingFactory()

    def grow_meetings(n):
        for _ in range(n):
            roll(MeetingFactory(), entitled=3, present=1)

    assert_constant_queries(
        lambda: client.get(reverse("governance:meeting_list")), grow_meetings, large=20
    )

    def grow_roll(n):
        roll(meeting, entitled=n, present=n // 2)

    assert_constant_queries(
        lambda: client.get(reverse("governance:attendance", args=[meeting.pk])), grow_roll
    )


def test_it_speaks_english_too(db, client_for):
    from django.utils import translation

    from association.governance.rules import Threshold, quorum

    client = client_for(None)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("governance:document_list")).content.decode()
    assert "Rules of the association in force" in page
    with translation.override("en"):
        text = quorum(entitled=80, present=54, threshold=Threshold(2, 3, strict=False)).text
    assert (
        text
        == "80 entitled, 54 present; 54 ≥ 80 × 2/3 = 53 1/3: quorum reached, the meeting may decide"
    )


def test_it_records_a_named_vote_by_roll_call(cast, client_for):
    meeting = MeetingFactory()
    rows = roll(meeting, entitled=4, present=3)
    motion = services.motion_create(meeting=meeting, by=cast.staff, title="工作计划", text="x")
    services.motion_open_vote(motion=motion, by=cast.staff)
    client = client_for(cast.staff)
    url = reverse("governance:motion_named", args=[motion.pk])
    page = client.get(url).content.decode()
    assert rows[0].name in page and rows[3].name not in page  # absent, no proxy
    data = {f"a{rows[0].pk}": "yes", f"a{rows[1].pk}": "yes", f"a{rows[2].pk}": "no"}
    response = client.post(url, data, follow=True)
    assert "赞成 2 票 &gt; 实到 3 人 × 1/2 = 1 1/2" in response.content.decode()
    motion.refresh_from_db()
    assert motion.passed and motion.named_votes.count() == 3
