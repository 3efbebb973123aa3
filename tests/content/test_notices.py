"""Notices sent to segments, their receipts and reminders, and sends that survive a crash."""

import datetime
import io
import zipfile

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from association.accounts.sms import LocmemSMSBackend
from association.notifications.models import Notification, OutboxEmail
from content import services
from content.choices import Kind, Segment, SendStatus, Status
from content.models import Delivery
from tests.conftest import assert_constant_queries
from tests.factories import UserFactory
from tests.members.factories import township
from tests.stations.factories import AssignmentFactory, StationFactory

from .factories import ArticleFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4 test"


def _worker(station, name):
    user = UserFactory(email=f"{name}@example.org", display_name=name)
    AssignmentFactory(station=station, worker__user=user, worker__name=name)
    return user


@pytest.fixture
def counties(db):
    """Two stations in 禹州市 and one in 长葛市，each with workers who have accounts."""
    yuzhou_a = StationFactory(name="禹州市褚河镇社工站", region=township("褚河镇", "禹州市"))
    yuzhou_b = StationFactory(name="禹州市神垕镇社工站", region=township("神垕镇", "禹州市"))
    changge = StationFactory(name="长葛市后河镇社工站", region=township("后河镇", "长葛市"))
    return {
        "yuzhou": [
            _worker(yuzhou_a, "褚河一"),
            _worker(yuzhou_a, "褚河二"),
            _worker(yuzhou_b, "神垕一"),
        ],
        "changge": [_worker(changge, "后河一")],
        "county": yuzhou_a.region.parent,
    }


@pytest.fixture
def notice(cast):
    return ArticleFactory(
        kind=Kind.NOTICE,
        title="关于报送2026年社工站服务台账的通知",
        body="请各社工站于截止日期前报送台账。",
        reply_by=timezone.localdate() + datetime.timedelta(days=7),
        created_by=cast.staff,
    )


def _send(notice, by, **kwargs):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return services.notice_send(notice, by=by, **kwargs)


def test_a_notice_to_the_stations_of_a_county_reaches_exactly_their_workers(cast, counties, notice):
    distribution = _send(
        notice, cast.staff, segment=Segment.COUNTY_STATIONS, county=counties["county"]
    )
    distribution.refresh_from_db()
    reached = set(Delivery.objects.filter(article=notice).values_list("user", flat=True))
    assert reached == {u.pk for u in counties["yuzhou"]}
    assert distribution.status == SendStatus.DONE
    assert (distribution.total, distribution.sent) == (3, 3)
    inbox = set(Notification.objects.filter(title=notice.title).values_list("user", flat=True))
    assert inbox == reached
    assert OutboxEmail.objects.filter(subject__contains=notice.title).count() == 3
    assert set(Delivery.objects.filter(article=notice).values_list("county__name", flat=True)) == {
        "禹州市"
    }


def test_a_notice_to_all_stations_reaches_every_county(cast, counties, notice):
    _send(notice, cast.staff, segment=Segment.ALL_STATIONS)
    assert Delivery.objects.filter(article=notice).count() == 4


def test_only_a_published_notice_can_be_sent(cast, counties):
    draft = ArticleFactory(kind=Kind.NOTICE, status=Status.DRAFT, published_at=None)
    with pytest.raises(ValidationError, match="先发布"):
        services.notice_send(draft, by=cast.staff, segment=Segment.ALL_STATIONS)
    with pytest.raises(PermissionDenied):
        services.notice_send(draft, by=cast.org_admin_a, segment=Segment.ALL_STATIONS)


def test_an_urgent_notice_is_also_texted(cast, counties, notice):
    LocmemSMSBackend.outbox.clear()
    notice.urgent = True
    notice.save()
    for user in counties["changge"]:
        user.mobile = "13900000001"
        user.save()
    _send(notice, cast.staff, segment=Segment.ALL_STATIONS)
    assert [m for m, _ in LocmemSMSBackend.outbox] == ["13900000001"]
    assert notice.title in LocmemSMSBackend.outbox[0][1]


def test_a_digest_preference_is_respected(cast, counties, notice):
    from association.notifications.models import DigestItem, NotificationPreference

    user = counties["changge"][0]
    NotificationPreference.objects.create(user=user, kind="message", digest=True)
    _send(notice, cast.staff, segment=Segment.ALL_STATIONS)
    assert DigestItem.objects.filter(user=user, title=notice.title).exists()
    assert not OutboxEmail.objects.filter(to=user.email, subject__contains=notice.title).exists()


def test_a_send_killed_mid_way_sends_nobody_twice_when_run_again(
    cast, counties, notice, settings, monkeypatch
):
    """A worker dies after the first batch: the re-run notifies only the rest."""
    settings.CONTENT_SEND_BATCH = 2
    from association.notifications import services as notification_services

    real_notify = notification_services.notify
    calls = {"n": 0}

    def dying_notify(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise SystemExit("worker killed")
        return real_notify(*args, **kwargs)

    monkeypatch.setattr(notification_services, "notify", dying_notify)
    distribution = services.notice_send(notice, by=cast.staff, segment=Segment.ALL_STATIONS)
    with pytest.raises(SystemExit):
        services.distribution_run(distribution.pk)
    assert Delivery.objects.filter(article=notice, notified_at__isnull=False).count() == 2
    assert Notification.objects.filter(title=notice.title).count() == 2
    monkeypatch.setattr(notification_services, "notify", real_notify)
    assert services.distribution_run(distribution.pk) == 2
    assert services.distribution_run(distribution.pk) == 0  # done: a third run does nothing
    per_user = Notification.objects.filter(title=notice.title).values_list("user", flat=True)
    assert sorted(per_user) == sorted(set(per_user)) and len(per_user) == 4
    assert OutboxEmail.objects.filter(subject__contains=notice.title).count() == 4


def test_sending_again_to_an_overlapping_segment_skips_who_already_has_it(cast, counties, notice):
    _send(notice, cast.staff, segment=Segment.COUNTY_STATIONS, county=counties["county"])
    _send(notice, cast.staff, segment=Segment.ALL_STATIONS)
    assert Delivery.objects.filter(article=notice).count() == 4
    assert Notification.objects.filter(title=notice.title).count() == 4


# --- Receipts ----------------------------------------------------------------------------
@pytest.fixture
def sent(cast, counties, notice):
    _send(notice, cast.staff, segment=Segment.ALL_STATIONS)
    return notice


def test_a_recipient_reads_and_replies_with_a_file(client_for, counties, sent):
    user = counties["yuzhou"][0]
    delivery = Delivery.objects.get(article=sent, user=user)
    client = client_for(user)
    inbox = client.get(reverse("content:inbox")).content.decode()
    assert sent.title in inbox
    url = reverse("content:delivery_detail", args=[delivery.pk])
    assert client.post(url, {"read": "1"}).status_code == 302
    delivery.refresh_from_db()
    assert delivery.read_at is not None
    upload = SimpleUploadedFile("台账.pdf", PDF, content_type="application/pdf")
    response = client.post(url, {"reply": "1", "text": "已报送，见附件。", "file": upload})
    assert response.status_code == 302
    delivery.refresh_from_db()
    assert delivery.replied_at and delivery.reply_text == "已报送，见附件。"
    assert delivery.reply_file


def test_a_reply_must_say_something_and_files_are_checked(client_for, counties, sent):
    user = counties["yuzhou"][0]
    delivery = Delivery.objects.get(article=sent, user=user)
    client = client_for(user)
    url = reverse("content:delivery_detail", args=[delivery.pk])
    page = client.post(url, {"reply": "1", "text": ""}).content.decode()
    assert "请填写回复内容或上传附件" in page
    fake = SimpleUploadedFile("表.pdf", b"not a pdf", content_type="application/pdf")
    page = client.post(url, {"reply": "1", "file": fake}).content.decode()
    assert "文件内容与扩展名" in page
    delivery.refresh_from_db()
    assert delivery.replied_at is None


def test_nobody_else_can_open_or_answer_a_recipients_notice(client_for, cast, counties, sent):
    delivery = Delivery.objects.get(article=sent, user=counties["yuzhou"][0])
    other = client_for(counties["changge"][0])
    url = reverse("content:delivery_detail", args=[delivery.pk])
    assert other.get(url).status_code == 404
    assert other.post(url, {"read": "1"}).status_code == 404
    with pytest.raises(PermissionDenied):
        services.delivery_read(delivery, by=counties["changge"][0])
    assert client_for(cast.org_admin_a).get(
        reverse("content:notice_receipts", args=[sent.pk])
    ).status_code in (403, 404)


def test_staff_see_receipts_per_county_and_remind_who_has_not_answered(
    client_for, cast, counties, sent
):
    first = counties["yuzhou"][0]
    services.delivery_reply(Delivery.objects.get(article=sent, user=first), by=first, text="收到")
    second = counties["yuzhou"][1]
    services.delivery_read(Delivery.objects.get(article=sent, user=second), by=second)
    client = client_for(cast.staff)
    page = client.get(reverse("content:notice_receipts", args=[sent.pk])).content.decode()
    assert "禹州市" in page and "长葛市" in page
    from content.selectors import receipt_table

    rows, total = receipt_table(sent)
    yuzhou = next(r for r in rows if r.county == "禹州市")
    assert (yuzhou.counts["replied"], yuzhou.counts["read"], yuzhou.counts["pending"]) == (1, 1, 1)
    assert (total.counts["replied"], total.total) == (1, 4)
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(reverse("content:notice_remind", args=[sent.pk]))
    assert response.status_code == 302
    reminded = Delivery.objects.filter(article=sent, reminders=1)
    # a reply is due: everyone who has not replied (the reader too) is reminded
    assert set(reminded.values_list("user", flat=True)) == {
        second.pk,
        counties["yuzhou"][2].pk,
        counties["changge"][0].pk,
    }
    assert Notification.objects.filter(user=second, title__startswith="【提醒】").count() == 1


def test_the_daily_sweep_reminds_once_a_day_near_the_deadline(cast, counties, sent):
    today = timezone.localdate()
    assert services.reminders_send_due(today) == 0  # deadline in 7 days: too early
    sent.reply_by = today + datetime.timedelta(days=2)
    sent.save()
    assert services.reminders_send_due(today) == 4
    assert services.reminders_send_due(today) == 0  # not twice the same day
    assert Delivery.objects.filter(article=sent, reminders=1).count() == 4


def test_staff_export_the_replies_as_a_zip_with_an_index(client_for, cast, counties, sent):
    user = counties["yuzhou"][0]
    upload = SimpleUploadedFile("台账.pdf", PDF, content_type="application/pdf")
    services.delivery_reply(
        Delivery.objects.get(article=sent, user=user), by=user, text="=SUM(A1)", upload=upload
    )
    response = client_for(cast.staff).get(reverse("content:notice_export", args=[sent.pk]))
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = archive.namelist()
    assert "回执索引.xlsx" in names
    pdfs = [n for n in names if n.endswith(".pdf")]
    assert len(pdfs) == 1 and "禹州市" in pdfs[0]
    assert archive.read(pdfs[0]) == PDF
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(archive.read("回执索引.xlsx")))
    values = [
        str(cell)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
        if cell
    ]
    assert "禹州市" in values and "禹州市褚河镇社工站" in values
    assert "=SUM(A1)" not in values  # a reply never becomes a formula


def test_the_receipt_list_costs_the_same_queries_however_many_recipients(client_for, cast, notice):
    client = client_for(cast.staff)
    station = StationFactory(name="禹州市火龙镇社工站", region=township("火龙镇", "禹州市"))
    names = iter(range(10_000))

    def grow(n):
        for _ in range(n):
            _worker(station, f"worker{next(names)}")
        Delivery.objects.filter(article=notice).delete()
        notice.distributions.all().delete()
        _send(notice, cast.staff, segment=Segment.ALL_STATIONS)

    assert_constant_queries(
        lambda: client.get(reverse("content:notice_receipts", args=[notice.pk])), grow
    )


def test_the_inbox_costs_the_same_queries_however_many_notices(client_for, cast, counties):
    user = counties["changge"][0]
    client = client_for(user)

    def grow(n):
        for _ in range(n):
            _send(ArticleFactory(kind=Kind.NOTICE), cast.staff, segment=Segment.ALL_STATIONS)

    assert_constant_queries(lambda: client.get(reverse("content:inbox")), grow)


def test_a_notice_waiting_for_replies_is_on_the_to_do_lists_until_answered(
    client_for, cast, counties, sent
):
    from association.todo import todo_items

    user = counties["yuzhou"][0]
    mine = [item for item in todo_items(user) if item.url == reverse("content:inbox")]
    assert len(mine) == 1 and mine[0].count == 1 and mine[0].deadline == sent.reply_by
    staff = [item for item in todo_items(cast.staff) if item.url == reverse("content:notice_list")]
    assert staff and "4 人未回复" in staff[0].label
    assert "通知公告待回执" in client_for(user).get(reverse("home")).content.decode()

    delivery = Delivery.objects.get(article=sent, user=user)
    upload = SimpleUploadedFile("台账.pdf", PDF, content_type="application/pdf")
    url = reverse("content:delivery_detail", args=[delivery.pk])
    client_for(user).post(url, {"reply": "1", "text": "已报送。", "file": upload})
    assert not [item for item in todo_items(user) if item.url == reverse("content:inbox")]
    staff = [item for item in todo_items(cast.staff) if item.url == reverse("content:notice_list")]
    assert "3 人未回复" in staff[0].label
