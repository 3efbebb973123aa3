import pytest
from django.core import mail
from django.urls import reverse

from association.notifications.models import Notification, OutboxEmail, OutboxStatus
from association.notifications.services import notify, outbox_drain
from tests.conftest import assert_constant_queries
from tests.factories import NotificationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_it_writes_an_inbox_entry_and_an_email_sent_after_commit(
    django_capture_on_commit_callbacks,
):
    user = UserFactory(display_name="王芳")
    with django_capture_on_commit_callbacks(execute=True):
        notify([user], "message", {"title": "会费缴纳提醒", "body": "请于3月31日前缴纳会费。"})
    notification = Notification.objects.get(user=user)
    assert notification.title == "会费缴纳提醒"
    assert "王芳，您好" in notification.body
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject.endswith("会费缴纳提醒")
    assert OutboxEmail.objects.get().status == OutboxStatus.SENT


def test_it_writes_for_many_people_in_the_same_few_queries_each_addressed_to_them():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def cost(n):
        users = UserFactory.create_batch(n)
        with CaptureQueriesContext(connection) as queries:
            notify(users, "message", {"title": "年会通知", "body": "请按时参加。"})
        return users, len(queries)

    _few, small = cost(2)
    many, large = cost(30)
    assert small == large  # one INSERT a table, not one a person
    for user in many:
        email = OutboxEmail.objects.get(to=user.email)
        assert email.notification.user == user  # the e-mail links its own inbox entry
        assert f"{user.display_name}，您好" in email.notification.body


def test_it_refuses_an_unknown_kind():
    with pytest.raises(ValueError, match="unknown notification kind"):
        notify([UserFactory()], "nonsense", {})


def test_it_keeps_emails_pending_while_smtp_is_down_and_sends_them_later(settings):
    user = UserFactory()
    notify([user], "message", {"title": "t", "body": "b"})
    settings.EMAIL_BACKEND = "tests.notifications.broken_mail.Backend"
    assert outbox_drain() == 0
    email = OutboxEmail.objects.get()
    assert (email.status, email.attempts) == (OutboxStatus.PENDING, 1)
    assert "SMTP down" in email.last_error
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert outbox_drain() == 1
    assert outbox_drain() == 0  # running twice sends nothing twice
    assert len(mail.outbox) == 1


def test_it_gives_up_after_the_attempts_run_out(settings):
    notify([UserFactory()], "message", {"title": "t", "body": "b"})
    settings.EMAIL_BACKEND = "tests.notifications.broken_mail.Backend"
    for _ in range(settings.NOTIFICATION_EMAIL_MAX_ATTEMPTS):
        outbox_drain()
    assert OutboxEmail.objects.get().status == OutboxStatus.FAILED


def test_it_shows_the_inbox_with_the_unread_count(client):
    user = UserFactory()
    NotificationFactory.create_batch(3, user=user)
    NotificationFactory(user=UserFactory(), title="别人的通知")
    client.force_login(user)
    response = client.get(reverse("notifications:inbox"))
    page = response.content.decode()
    assert page.count("未读</span>") == 3
    assert "别人的通知" not in page
    assert 'id="unread-count">3<' in page


def test_it_shows_an_empty_state(client):
    client.force_login(UserFactory())
    assert "暂无通知" in client.get(reverse("notifications:inbox")).content.decode()


def test_it_marks_read_and_follows_the_link(client):
    user = UserFactory()
    notification = NotificationFactory(user=user, url="/notifications/")
    client.force_login(user)
    response = client.post(reverse("notifications:notification_read", args=[notification.pk]))
    assert response["Location"] == "/notifications/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_it_never_redirects_off_site(client):
    user = UserFactory()
    notification = NotificationFactory(user=user, url="https://evil.example.com/")
    client.force_login(user)
    response = client.post(reverse("notifications:notification_read", args=[notification.pk]))
    assert response["Location"] == reverse("notifications:inbox")


def test_it_marks_all_read(client):
    user = UserFactory()
    NotificationFactory.create_batch(2, user=user)
    client.force_login(user)
    client.post(reverse("notifications:notification_read_all"))
    assert not Notification.objects.filter(user=user, read_at__isnull=True).exists()


def test_it_costs_the_same_queries_for_5_or_50_notifications(client):
    user = UserFactory()
    client.force_login(user)
    count = assert_constant_queries(
        lambda: client.get(reverse("notifications:inbox")),
        lambda n: NotificationFactory.create_batch(n, user=user),
        large=20,  # one page
    )
    # session, user, unread count (menu badge), paginator count, the page's rows, plus
    # what each installed app's menu entries cost (fixed per app, see navigation.py)
    assert count <= 20


def test_it_does_not_html_escape_plain_text(django_capture_on_commit_callbacks):
    user = UserFactory(display_name="张&李")
    with django_capture_on_commit_callbacks(execute=True):
        notify([user], "message", {"title": "<会议> & 通知", "body": '请带上"委托书"。'})
    notification = Notification.objects.get(user=user)
    assert notification.title == "<会议> & 通知"
    assert "张&李" in notification.body and '"委托书"' in notification.body
    assert "&amp;" not in mail.outbox[0].body


def test_it_filters_the_inbox_to_unread_and_pages_it_by_twenty(client):
    user = UserFactory()
    NotificationFactory(user=user, title="已读的通知", read_at="2026-01-01T08:00:00+08:00")
    NotificationFactory.create_batch(21, user=user)
    client.force_login(user)
    unread = client.get(reverse("notifications:inbox"), {"unread": "1"})
    assert unread.context["only_unread"] is True
    assert unread.context["page"].paginator.count == 21
    assert len(unread.context["page"].object_list) == 20
    assert "已读的通知" not in unread.content.decode()
    everything = client.get(reverse("notifications:inbox"), {"page": "2"})
    assert everything.context["only_unread"] is False
    assert everything.context["page"].paginator.count == 22
    assert len(everything.context["page"].object_list) == 2


def test_it_puts_failed_emails_back_in_the_outbox(settings, django_capture_on_commit_callbacks):
    from association.notifications.services import outbox_retry

    notify([UserFactory()], "message", {"title": "t", "body": "b"})
    OutboxEmail.objects.update(status=OutboxStatus.FAILED, attempts=5)
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox_retry(OutboxEmail.objects.all()) == 1
    email = OutboxEmail.objects.get()
    assert (email.status, email.attempts) == (OutboxStatus.SENT, 1)
