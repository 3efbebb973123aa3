"""A notification e-mail goes through Redis to a real worker; a Redis outage loses nothing."""

import pytest
from django.db import transaction

from association.notifications.models import OutboxEmail, OutboxStatus
from association.notifications.services import notify
from association.notifications.tasks import drain_outbox
from tests.factories import UserFactory

from .conftest import wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def sent_files(process):
    return sorted(process.mail_dir.glob("*.log")) if process.mail_dir.exists() else []


def test_it_sends_a_notification_email_through_a_real_worker(
    celery_worker_process, broker, redis_url
):
    user = UserFactory(email="wang@example.org", display_name="王芳")
    broker(redis_url)
    with transaction.atomic():
        notify([user], "message", {"title": "理事会会议通知", "body": "12月5日召开理事会。"})

    assert wait_for(lambda: sent_files(celery_worker_process)), "the worker sent no e-mail"
    content = sent_files(celery_worker_process)[0].read_text()
    assert "wang@example.org" in content
    assert wait_for(lambda: OutboxEmail.objects.filter(status=OutboxStatus.SENT).count() == 1)


def test_it_keeps_the_email_in_the_outbox_while_redis_is_down(
    celery_worker_process, broker, redis_url
):
    user = UserFactory(email="li@example.org")
    broker("redis://127.0.0.1:1/0")  # nothing listens there: Redis is "down"
    with transaction.atomic():
        notify([user], "message", {"title": "会费提醒", "body": "请缴纳会费。"})
    assert OutboxEmail.objects.get().status == OutboxStatus.PENDING  # enqueue failed, row kept

    broker(redis_url)  # Redis is back: the next drain (beat runs it every minute) sends it
    drain_outbox.delay()
    assert wait_for(lambda: OutboxEmail.objects.get().status == OutboxStatus.SENT)
    assert "li@example.org" in sent_files(celery_worker_process)[0].read_text()
