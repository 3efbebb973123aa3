"""The notices' background work: the beat schedules that remind before a deadline and finish
stalled sends, a send of 3,000 recipients, and a worker process killed (SIGKILL, no clean-up)
in the middle of a batch."""

import datetime
import os
import signal
import time

import pytest
from django.db import connection, connections
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from association.notifications.models import Notification
from content import services, tasks
from content.choices import Kind, Segment, SendStatus
from content.models import Delivery, Distribution, RecipientList
from tests.factories import UserFactory
from tests.stations.factories import AssignmentFactory, StationFactory

from .factories import ArticleFactory


@pytest.fixture
def notice(cast):
    return ArticleFactory(
        kind=Kind.NOTICE,
        title="关于报送社工站季度服务数据的通知",
        body="请各社工站按时报送。",
        reply_by=timezone.localdate() + datetime.timedelta(days=7),
    )


# --- Beat --------------------------------------------------------------------------------
@pytest.mark.django_db
def test_beat_reminds_daily_and_finishes_stalled_sends():
    """The schedules are rows of django-celery-beat (the migration writes them), each
    naming a task the worker knows."""
    from importlib import import_module

    from django.apps import apps
    from django_celery_beat.models import PeriodicTask

    from association.celery import app

    # The data migration's rows (written again here: a transactional test elsewhere in the
    # run may have flushed them); running it twice keeps one row each.
    migration = import_module("content.migrations.0002_schedules")
    migration.create(apps, None)
    migration.create(apps, None)
    rows = {row.task: row for row in PeriodicTask.objects.filter(task__startswith="content.")}
    assert set(rows) == {"content.send_reminders", "content.requeue_sends"}
    assert all(row.enabled and row.crontab_id for row in rows.values())
    reminders = rows["content.send_reminders"].crontab
    assert (reminders.minute, reminders.hour, reminders.day_of_month) == ("30", "8", "*")
    assert rows["content.requeue_sends"].crontab.minute == "*/10"
    app.loader.import_default_modules()
    assert set(rows) <= set(app.tasks)


@pytest.mark.django_db
def test_the_daily_task_reminds_n_days_before_the_deadline(cast, notice, settings):
    settings.CONTENT_REMINDER_DAYS = 3
    station = StationFactory()
    AssignmentFactory(station=station, worker__user=UserFactory(display_name="站员"))
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.notice_send(notice, by=cast.staff, segment=Segment.ALL_STATIONS)
    notice.reply_by = timezone.localdate() + datetime.timedelta(days=4)
    notice.save()
    assert tasks.send_reminders() == 0  # four days ahead: not yet
    notice.reply_by = timezone.localdate() + datetime.timedelta(days=3)
    notice.save()
    assert tasks.send_reminders() == 1
    assert Notification.objects.filter(title__startswith="【提醒】").count() == 1


@pytest.mark.django_db
def test_the_sweep_finishes_a_send_whose_task_was_lost(cast, notice):
    """The broker lost the task (or no worker ever took it): beat's sweep sends it, once
    the first run had its five minutes; a fresh send is left to its own task."""
    for _ in range(3):
        AssignmentFactory(station=StationFactory(), worker__user=UserFactory())
    lost = services.notice_send(notice, by=cast.staff, segment=Segment.ALL_STATIONS)  # no commit
    Distribution.objects.filter(pk=lost.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=20)
    )
    fresh_notice = ArticleFactory(kind=Kind.NOTICE)
    fresh = services.notice_send(fresh_notice, by=cast.staff, segment=Segment.ALL_STATIONS)
    assert tasks.requeue_sends() == 1
    lost.refresh_from_db()
    fresh.refresh_from_db()
    assert (lost.status, lost.sent, lost.total) == (SendStatus.DONE, 3, 3)
    assert fresh.status == SendStatus.QUEUED
    assert tasks.requeue_sends() == 0


# --- 3,000 recipients --------------------------------------------------------------------
@pytest.mark.django_db
def test_a_send_to_3000_recipients_runs_in_the_background_with_its_progress(
    client_for, cast, notice, settings, django_capture_on_commit_callbacks
):
    """Staff's click only records the distribution and queues the task (a fixed, small
    number of queries); the task notifies everyone once, batch by batch, and the receipts
    page shows sent of total as it goes."""
    from association.accounts.models import User

    User.objects.bulk_create(
        [User(email=f"r{n:04d}@example.org", display_name=f"收件人{n:04d}") for n in range(3000)]
    )
    people = list(User.objects.filter(email__regex=r"^r[0-9]{4}@example\.org$"))
    saved = RecipientList.objects.create(name="全体收件人（3000）", created_by=cast.staff)
    saved.users.set(people)
    from django.test.utils import CaptureQueriesContext

    with (
        django_capture_on_commit_callbacks() as callbacks,
        CaptureQueriesContext(connection) as queries,
    ):
        distribution = services.notice_send(
            notice, by=cast.staff, segment=Segment.SAVED_LIST, recipient_list=saved
        )
    assert len(queries) <= 20, [q["sql"] for q in queries.captured_queries]
    assert not Delivery.objects.exists() and len(callbacks) == 1  # only the task, queued

    settings.CONTENT_SEND_BATCH = 500
    seen = []
    from association.notifications import services as notification_services

    real_notify = notification_services.notify

    def watching(*args, **kwargs):
        seen.append(Distribution.objects.get(pk=distribution.pk).percent)
        return real_notify(*args, **kwargs)

    notification_services.notify = watching
    try:
        started = time.monotonic()
        assert services.distribution_run(distribution.pk) == 3000
        elapsed = time.monotonic() - started
    finally:
        notification_services.notify = real_notify
    assert seen == [0, 17, 33, 50, 67, 83]
    distribution.refresh_from_db()
    assert (distribution.status, distribution.sent, distribution.total) == (
        SendStatus.DONE,
        3000,
        3000,
    )
    assert Notification.objects.filter(title=notice.title).count() == 3000
    assert elapsed < 120, elapsed
    page = client_for(cast.staff).get(reverse("content:notice_receipts", args=[notice.pk]))
    assert "已送达 3000 / 3000" in page.content.decode()


# --- A killed worker ---------------------------------------------------------------------
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_batch_leaves_no_duplicate_and_the_rest_is_sent(
    cast, notice, settings, monkeypatch
):
    """A forked worker process sends the first batch, then is killed with SIGKILL while its
    second batch (inbox rows written, not committed) holds its rows' locks. A run meanwhile
    sends the rest and leaves the send unfinished; the database rolls the dead worker's batch
    back, and the next run sends it: everyone once, nobody twice."""
    settings.CONTENT_SEND_BATCH = 2
    for _ in range(5):
        AssignmentFactory(station=StationFactory(), worker__user=UserFactory())
    # Autocommit: the queued task would run here at once (Celery eager); the worker runs it.
    monkeypatch.setattr(services, "enqueue_on_commit", lambda *args, **kwargs: None)
    distribution = services.notice_send(notice, by=cast.staff, segment=Segment.ALL_STATIONS)
    connections.close_all()  # the child opens its own connection
    ready, signal_write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the worker
        try:
            os.close(ready)
            from association.notifications import services as notification_services

            real_notify = notification_services.notify
            calls = []

            def notify_then_hang(*args, **kwargs):
                calls.append(1)
                result = real_notify(*args, **kwargs)
                if len(calls) == 2:
                    os.write(signal_write, b"1")
                    time.sleep(120)
                return result

            notification_services.notify = notify_then_hang
            services.distribution_run(distribution.pk)
        finally:
            os._exit(0)
    os.close(signal_write)
    try:
        assert os.read(ready, 1) == b"1"  # the second batch is in the worker's open transaction
        # Meanwhile another run (beat's sweep) sends what is not locked, and must not call
        # the send done while the worker's batch is still open.
        assert services.distribution_run(distribution.pk) == 1
        distribution.refresh_from_db()
        assert distribution.status == SendStatus.SENDING
    finally:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(ready)

    assert Delivery.objects.filter(article=notice, notified_at__isnull=False).count() == 3
    deadline = time.monotonic() + 30
    while True:
        services.distribution_run(distribution.pk)
        distribution.refresh_from_db()
        if distribution.status == SendStatus.DONE or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert (distribution.status, distribution.sent, distribution.total) == (SendStatus.DONE, 5, 5)
    per_user = list(Notification.objects.filter(title=notice.title).values_list("user", flat=True))
    assert len(per_user) == 5 and len(set(per_user)) == 5
