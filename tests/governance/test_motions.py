"""Meetings decide: quorum from the frozen roll, proxies within the cap, motions that
adopt documents, with the arithmetic kept in the minutes."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from association.governance import selectors, services
from association.governance.choices import (
    DocumentKind,
    MeetingStatus,
    MotionKind,
    MotionStatus,
    VersionStatus,
    VoteMethod,
)
from association.governance.models import RuleSet

from .factories import DocumentFactory, MeetingFactory, VersionFactory, roll


def letter(name="weituoshu.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4 proxy letter", content_type="application/pdf")


@pytest.fixture
def meeting(db):
    return MeetingFactory()


def test_it_meets_the_quorum_at_54_of_80_not_at_53(meeting):
    rows = roll(meeting, entitled=80, present=53)
    q = selectors.meeting_quorum(meeting)
    assert not q.reached
    assert "实到 53 人" in q.text
    services.attendee_check_in(attendee=rows[60], by=None or _staff(), method="staff")
    q = selectors.meeting_quorum(meeting)
    assert q.reached and "54 ≥ 80 × 2/3 = 53 1/3" in q.text


def _staff():
    from association.accounts.choices import Role
    from tests.factories import UserFactory

    return UserFactory(roles=[Role.STAFF.value], is_staff=True)


def test_it_passes_a_motion_with_41_of_54_and_shows_why(meeting):
    staff = _staff()
    roll(meeting, entitled=80, present=54)
    motion = services.motion_create(
        meeting=meeting,
        by=staff,
        title="关于会费标准的决议",
        text="…",
        vote_method=VoteMethod.SECRET,
    )
    services.motion_open_vote(motion=motion, by=staff)
    outcome = services.motion_record_counts(motion=motion, by=staff, yes=41, no=10, abstain=3)
    motion.refresh_from_db()
    assert outcome.passed and motion.passed
    assert motion.status == MotionStatus.DECIDED
    assert motion.arithmetic == outcome.text
    assert "54 ≥ 80 × 2/3 = 53 1/3" in motion.arithmetic
    assert "赞成 41 票 > 实到 54 人 × 1/2 = 27" in motion.arithmetic


def test_it_fails_a_motion_at_exactly_half(meeting):
    staff = _staff()
    roll(meeting, entitled=80, present=54)
    motion = services.motion_create(meeting=meeting, by=staff, title="t", text="x")
    services.motion_open_vote(motion=motion, by=staff)
    assert not services.motion_record_counts(
        motion=motion, by=staff, yes=27, no=20, abstain=7
    ).passed


def test_it_adopts_a_charter_version_with_two_thirds_and_supersedes_the_old_one(meeting):
    staff = _staff()
    document = DocumentFactory(kind=DocumentKind.CHARTER)
    old = VersionFactory(document=document, number=1)
    first = services.motion_create(
        meeting=meeting, by=staff, title="章程", text="x", document_version=old
    )
    roll(meeting, entitled=60, present=60)
    services.motion_open_vote(motion=first, by=staff)
    services.motion_record_counts(motion=first, by=staff, yes=60, no=0, abstain=0)
    new = services.version_create(document=document, by=staff, text=old.text + "\n第二条 修改。")
    motion = services.motion_create(
        meeting=meeting, by=staff, title="章程修正案", text="x", document_version=new
    )
    assert motion.kind == MotionKind.AMENDMENT
    assert (motion.threshold_numerator, motion.threshold_denominator) == (2, 3)
    services.motion_open_vote(motion=motion, by=staff)
    # 39 of 60 is less than 2/3 (40): the amendment fails and the draft returns to draft.
    assert not services.motion_record_counts(
        motion=motion, by=staff, yes=39, no=21, abstain=0
    ).passed
    new.refresh_from_db()
    assert new.status == VersionStatus.DRAFT
    retry = services.motion_create(
        meeting=meeting, by=staff, title="再议", text="x", document_version=new
    )
    services.motion_open_vote(motion=retry, by=staff)
    assert services.motion_record_counts(motion=retry, by=staff, yes=40, no=20, abstain=0).passed
    old.refresh_from_db()
    new.refresh_from_db()
    assert (old.status, new.status) == (VersionStatus.SUPERSEDED, VersionStatus.ADOPTED)
    assert new.adopted_by == retry
    assert [d.adopted[0].pk for d in selectors.documents_current() if d.pk == document.pk] == [
        new.pk
    ]


def test_it_puts_rules_adopted_with_a_document_in_force(meeting):
    staff = _staff()
    document = DocumentFactory(kind=DocumentKind.ELECTION_RULES)
    version = VersionFactory(document=document, number=1)
    rules = RuleSet.objects.create(
        name="选举办法（2023）", source_version=version, complaint_days=3
    )
    motion = services.motion_create(
        meeting=meeting, by=staff, title="选举办法", text="x", document_version=version
    )
    roll(meeting, entitled=10, present=10)
    services.motion_open_vote(motion=motion, by=staff)
    services.motion_record_counts(motion=motion, by=staff, yes=10, no=0, abstain=0)
    rules.refresh_from_db()
    assert rules.effective_from == timezone.localdate(meeting.starts_at)
    assert selectors.ruleset_in_force(rules.effective_from) == rules


def test_it_records_named_votes_only_from_those_present(meeting):
    staff = _staff()
    rows = roll(meeting, entitled=5, present=4)
    motion = services.motion_create(meeting=meeting, by=staff, title="t", text="x")
    services.motion_open_vote(motion=motion, by=staff)
    with pytest.raises(ValidationError):
        services.motion_record_named(motion=motion, by=staff, votes={rows[4].pk: "yes"})
    outcome = services.motion_record_named(
        motion=motion,
        by=staff,
        votes={rows[0].pk: "yes", rows[1].pk: "yes", rows[2].pk: "yes", rows[3].pk: "no"},
    )
    assert outcome.passed and (outcome.yes, outcome.no) == (3, 1)


def test_it_refuses_proxies_over_the_cap(meeting):
    staff = _staff()
    rows = roll(meeting, entitled=6, present=2)
    holder = rows[0]
    services.proxy_register(
        meeting=meeting, grantor=rows[3], holder=holder, letter=letter(), by=staff
    )
    # The cap is 1 proxy per holder.
    with pytest.raises(ValidationError, match="上限"):
        services.proxy_register(
            meeting=meeting, grantor=rows[4], holder=holder, letter=letter(), by=staff
        )
    with pytest.raises(ValidationError, match="已签到"):
        services.proxy_register(
            meeting=meeting, grantor=rows[1], holder=rows[5], letter=letter(), by=staff
        )
    with pytest.raises(ValidationError):
        services.proxy_register(
            meeting=meeting,
            grantor=rows[5],
            holder=rows[1],
            letter=SimpleUploadedFile("x.pdf", b"not a pdf"),
            by=staff,
        )
    presence = selectors.meeting_presence(meeting)
    assert (presence.entitled, presence.in_person, presence.by_proxy, presence.present) == (
        6,
        2,
        1,
        3,
    )


def test_it_counts_proxies_only_when_the_rules_say_so(meeting):
    staff = _staff()
    rows = roll(meeting, entitled=6, present=2)
    services.proxy_register(
        meeting=meeting, grantor=rows[3], holder=rows[0], letter=letter(), by=staff
    )
    meeting.rule_set.proxies_count = False
    meeting.rule_set.save()
    assert selectors.meeting_presence(meeting).present == 2


def test_it_warns_when_the_notice_is_later_than_ten_days(db):
    staff = _staff()
    now = timezone.now()
    late = MeetingFactory(
        status=MeetingStatus.PLANNED, opened_at=None, starts_at=now + datetime.timedelta(days=9)
    )
    on_time = MeetingFactory(
        status=MeetingStatus.PLANNED, opened_at=None, starts_at=now + datetime.timedelta(days=10)
    )
    late, warning = services.meeting_send_notice(meeting=late, by=staff)
    assert late.notice_late and "10 天" in warning
    on_time, warning = services.meeting_send_notice(meeting=on_time, by=staff)
    assert not on_time.notice_late and warning == ""


def test_it_only_lets_the_attendee_check_themselves_in(meeting):
    from tests.factories import UserFactory

    me, other = UserFactory(), UserFactory()
    rows = roll(meeting, entitled=2, present=0)
    rows[0].user = me
    rows[0].save()
    with pytest.raises(PermissionDenied):
        services.attendee_check_in(attendee=rows[0], by=other, method="qr")
    token = services.checkin_token(meeting)
    assert services.checkin_token_meeting_id(token) == meeting.pk
    assert services.checkin_token_meeting_id(token + "x") is None
    attendee = services.attendee_self_check_in(meeting=meeting, by=me)
    assert attendee.present and attendee.check_in_method == "qr"
    with pytest.raises(PermissionDenied):
        services.attendee_self_check_in(meeting=meeting, by=other)


def test_it_keeps_members_out_of_the_motion_services(meeting, cast):
    with pytest.raises(PermissionDenied):
        services.motion_create(meeting=meeting, by=cast.org_admin_a, title="t", text="x")


def test_it_notifies_the_entitled_when_the_notice_goes_out(db, django_capture_on_commit_callbacks):
    from association.notifications.models import Notification
    from tests.factories import UserFactory
    from tests.members.factories import (
        DuesFactory,
        MembershipFactory,
        RepresentativeFactory,
        SocialWorkerFactory,
    )

    staff = _staff()
    rep_user = UserFactory()
    membership = MembershipFactory()
    DuesFactory(
        membership=membership,
        year=timezone.localdate().year,
        paid_on=timezone.localdate(),
        receipt_number="SJ-1",
    )
    RepresentativeFactory(membership=membership, worker=SocialWorkerFactory(user=rep_user))
    meeting = MeetingFactory(status=MeetingStatus.PLANNED, opened_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_send_notice(meeting=meeting, by=staff)
    note = Notification.objects.get(user=rep_user)
    assert meeting.title in note.title
