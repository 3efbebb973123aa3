"""Per-user preferences per kind: inbox, e-mail now, or a daily digest."""

import pytest
from django.core import mail
from django.urls import reverse

from association.notifications.models import (
    DigestItem,
    Notification,
    NotificationPreference,
    OutboxEmail,
)
from association.notifications.services import (
    Channels,
    digests_send,
    notify,
    outbox_drain,
    preferences_save,
)
from association.notifications.tasks import send_digests
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_it_sends_inbox_and_email_by_default_with_a_link_to_the_preferences():
    user = UserFactory()
    notify([user], "message", {"title": "会议通知", "body": "周五开会。"}, url="/notifications/")
    assert Notification.objects.filter(user=user).count() == 1
    email = OutboxEmail.objects.get()
    assert "周五开会" in email.body
    assert "/notifications/preferences/" in email.body
    assert "查看详情：http" in email.body


def test_it_honours_a_user_who_wants_no_email_and_one_who_wants_no_inbox():
    quiet, no_inbox = UserFactory(), UserFactory()
    preferences_save(user=quiet, channels={"message": Channels(in_app=True, email=False)})
    preferences_save(user=no_inbox, channels={"message": Channels(in_app=False, email=True)})
    created = notify([quiet, no_inbox], "message", {"title": "t", "body": "b"})
    assert [n.user for n in created] == [quiet]
    assert list(OutboxEmail.objects.values_list("to", flat=True)) == [no_inbox.email]


def test_it_gathers_digest_kinds_into_one_morning_email(django_capture_on_commit_callbacks):
    user = UserFactory(display_name="赵敏")
    preferences_save(user=user, channels={"message": Channels(digest=True)})
    notify([user], "message", {"title": "第一条", "body": "b"}, url="/reports/")
    notify([user], "message", {"title": "第二条", "body": "b"})
    assert not OutboxEmail.objects.exists()  # nothing sent straight away
    assert Notification.objects.filter(user=user).count() == 2  # still in the inbox
    with django_capture_on_commit_callbacks(execute=True):
        assert send_digests() == 1
    assert digests_send() == 0  # running twice sends nothing twice
    outbox_drain()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert "今日通知汇总（2 条）" in message.subject
    assert "赵敏，您好" in message.body
    assert "1. 第一条" in message.body and "2. 第二条" in message.body
    assert "/reports/" in message.body
    assert DigestItem.objects.filter(sent_at__isnull=True).count() == 0


def test_it_keeps_no_row_for_the_defaults():
    user = UserFactory()
    preferences_save(user=user, channels={"message": Channels(email=False)})
    preferences_save(user=user, channels={"message": Channels()})
    assert not NotificationPreference.objects.exists()


def test_the_preferences_page_saves_the_choices(client):
    user = UserFactory()
    client.force_login(user)
    page = client.get(reverse("notifications:preferences")).content.decode()
    assert "报表已生成" in page and "每日汇总" in page
    response = client.post(
        reverse("notifications:preferences"),
        {"message__in_app": "on", "reports_ready__in_app": "on", "reports_ready__digest": "on"},
    )
    assert response.status_code == 302
    stored = {
        p.kind: (p.in_app, p.email, p.digest)
        for p in NotificationPreference.objects.filter(user=user)
    }
    assert stored["message"] == (True, False, False)
    assert stored["reports_ready"] == (True, False, True)
    assert "通知方式已保存" in client.get(response["Location"]).content.decode()


def test_the_preferences_page_costs_the_same_queries_with_stored_preferences(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from association.notifications.kinds import KINDS

    user = UserFactory()
    client.force_login(user)
    client.get(reverse("notifications:preferences"))
    with CaptureQueriesContext(connection) as none_stored:
        client.get(reverse("notifications:preferences"))
    preferences_save(user=user, channels={kind: Channels(digest=True) for kind in KINDS})
    with CaptureQueriesContext(connection) as all_stored:
        assert client.get(reverse("notifications:preferences")).status_code == 200
    assert len(all_stored) == len(none_stored)
