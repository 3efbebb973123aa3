"""/health/: the database and Redis decide the answer; the worker's and beat's heartbeats
are reported, and fail only the strict probe that monitoring asks for."""

from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from association import heartbeat
from association.celery import app as celery_app
from association.models import Heartbeat

pytestmark = pytest.mark.django_db

WORKER, BEAT = Heartbeat.Source.WORKER, Heartbeat.Source.BEAT


@pytest.fixture
def redis_up(settings):
    """A configured Redis that answers the probe's ping (no Redis needed)."""
    settings.REDIS_URL = "redis://redis.invalid:6379/0"
    with mock.patch("redis.Redis.from_url") as from_url:
        from_url.return_value.ping.return_value = True
        yield


def probe(client, **params):
    response = client.get(reverse("health"), params)
    assert response["Cache-Control"].startswith("max-age=0")
    return response.status_code, response.json()


def test_it_reports_health(client, settings):
    settings.REDIS_URL = None
    assert probe(client) == (
        200,
        {
            "status": "ok",
            "database": "ok",
            "redis": "not configured",
            "worker": "not configured",
            "beat": "not configured",
        },
    )


def test_it_reports_an_unreachable_redis_as_unhealthy(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    assert probe(client) == (
        503,
        {
            "status": "error",
            "database": "ok",
            "redis": "error",
            "worker": "never seen",
            "beat": "never seen",
        },
    )


def test_it_says_ok_when_worker_and_beat_beat(client, redis_up):
    heartbeat.beat(BEAT)
    heartbeat.beat(WORKER)
    expected = {"status": "ok", "database": "ok", "redis": "ok", "worker": "ok", "beat": "ok"}
    assert probe(client) == (200, expected)
    assert probe(client, strict="1") == (200, expected)


def test_a_stopped_worker_is_reported_but_keeps_the_web_healthy(client, redis_up):
    # The container health check must not restart a web process because the worker is down.
    with time_machine.travel(timezone.now() - timedelta(seconds=300), tick=False):
        heartbeat.beat(WORKER)
    heartbeat.beat(BEAT)  # beat still sends: nobody runs what it sends
    status, body = probe(client)
    assert status == 200
    assert body["status"] == "degraded"
    assert body["beat"] == "ok"
    assert body["worker"].startswith("stale (last seen 30")  # 300 s and the test's own time
    assert body["worker"].endswith(" s ago)")
    # Monitoring asks strictly, and is told.
    status, body = probe(client, strict="1")
    assert status == 503
    assert body["status"] == "error"


def test_a_heartbeat_is_fresh_for_three_beats(client, redis_up):
    heartbeat.beat(WORKER)
    heartbeat.beat(BEAT)
    with time_machine.travel(timezone.now() + heartbeat.STALE_AFTER - timedelta(seconds=5)):
        assert probe(client, strict="1")[0] == 200
    with time_machine.travel(timezone.now() + heartbeat.STALE_AFTER + timedelta(seconds=5)):
        status, body = probe(client, strict="1")
    assert status == 503
    assert body["worker"].startswith("stale") and body["beat"].startswith("stale")


def test_it_has_never_seen_a_worker_on_a_new_instance(client, redis_up):
    status, body = probe(client)
    assert (status, body["status"], body["worker"], body["beat"]) == (
        200,
        "degraded",
        "never seen",
        "never seen",
    )
    assert probe(client, strict="1")[0] == 503


def test_running_the_task_stamps_the_worker_and_overwrites_its_row():
    from association.tasks import heartbeat_task

    heartbeat_task.apply()
    first = Heartbeat.objects.get(source=WORKER).seen_at
    with time_machine.travel(timezone.now() + timedelta(seconds=61)):
        heartbeat_task.apply()
    assert Heartbeat.objects.get().seen_at > first
    assert Heartbeat.objects.count() == 1


@pytest.mark.filterwarnings("ignore::celery.exceptions.AlwaysEagerIgnored")
def test_sending_the_task_stamps_beat():
    # A real publish, to an in-memory broker: the signal fires in the sending process.
    with celery_app.connection_for_write("memory://") as connection:
        celery_app.send_task(heartbeat.TASK_NAME, connection=connection)
        assert set(Heartbeat.objects.values_list("source", flat=True)) == {BEAT}
        celery_app.send_task("notifications.drain_outbox", connection=connection)
    assert Heartbeat.objects.count() == 1


@pytest.mark.filterwarnings("ignore::celery.exceptions.AlwaysEagerIgnored")
def test_a_failed_beat_stamp_never_reaches_beat(caplog):
    with (
        mock.patch.object(heartbeat, "beat", side_effect=RuntimeError("db gone")),
        celery_app.connection_for_write("memory://") as connection,
    ):
        celery_app.send_task(heartbeat.TASK_NAME, connection=connection)
    assert "could not stamp beat's heartbeat" in caplog.text


def test_beat_sends_the_heartbeat_every_minute_and_drops_a_late_one():
    from django_celery_beat.schedulers import DatabaseScheduler

    assert heartbeat.TASK_NAME in celery_app.tasks
    # What `celery beat` does at start with each entry of beat_schedule: a row, then the
    # entry it sends from.
    fields = celery_app.conf.beat_schedule["association-heartbeat"]
    entry = DatabaseScheduler.Entry.from_entry("association-heartbeat", app=celery_app, **fields)
    row = entry.model
    assert (row.task, row.interval.every, row.interval.period, row.enabled) == (
        heartbeat.TASK_NAME,
        60,
        "seconds",
        True,
    )
    assert entry.options["expires"] == 50
