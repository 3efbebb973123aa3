"""A report run whose worker is killed mid-way is redelivered by Redis to a new worker
and completes exactly once: one finished run, one file. When the broker keeps the task
for its whole visibility timeout (an hour), the heartbeat sweep hands the run to a new
worker within minutes."""

import os
import signal
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import transaction

from association.accounts.choices import Role
from association.reports.choices import RunStatus
from association.reports.models import ReportRun
from association.reports.tasks import build_report
from tests.factories import UserFactory

from .conftest import test_database_url as worker_database_url
from .conftest import wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

VISIBILITY_TIMEOUT = 3  # seconds before Redis hands an unacknowledged task to another worker


def start_worker(redis_url, media, name, visibility_timeout=VISIBILITY_TIMEOUT, **extra_env):
    env = {
        **os.environ,
        "DATABASE_URL": worker_database_url(),
        "REDIS_URL": redis_url,
        "PRIVATE_MEDIA_ROOT": str(media),
        "REPORTS_EXTRA_MODULES": "tests.reports.slow_report",
        "CELERY_VISIBILITY_TIMEOUT": str(visibility_timeout),
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        **extra_env,
    }
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "association",
            "worker",
            "--pool=solo",
            "--without-mingle",
            "--without-gossip",
            "--loglevel=INFO",
            "-n",
            f"{name}@%h",
        ],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def stop(process):
    if process.poll() is None:
        process.terminate()
    try:
        output, _ = process.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        output, _ = process.communicate()
    print(output)


@pytest.fixture
def slow_report():
    from association.reports import catalogue
    from tests.reports import slow_report  # noqa: F401  (registers it here too)

    yield
    catalogue.unregister("test-slow")


def test_it_completes_a_run_exactly_once_when_its_worker_is_killed(
    redis_url, broker, tmp_path, slow_report, settings
):
    media = tmp_path / "private"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(media)},
        },
    }
    flag, started = tmp_path / "go", tmp_path / "attempts"
    staff = UserFactory(roles=[Role.STAFF.value])
    broker(redis_url)
    first = start_worker(redis_url, media, "first")
    second = None
    try:
        with transaction.atomic():
            run = ReportRun.objects.create(
                report="test-slow",
                title="测试用慢速报表",
                format="xlsx",
                parameters={"flag": str(flag), "started": str(started)},
                requested_by=staff,
            )
            from association.background import enqueue_on_commit

            enqueue_on_commit(build_report, run.pk)

        # the first worker takes the run and is building it...
        assert wait_for(lambda: ReportRun.objects.get(pk=run.pk).progress == 10, timeout=90)
        assert ReportRun.objects.get(pk=run.pk).status == RunStatus.RUNNING
        # ...when it is killed without a chance to clean up
        os.kill(first.pid, signal.SIGKILL)
        first.wait(timeout=10)
        flag.touch()

        # Redis still holds the unacknowledged task; a new worker gets it and finishes
        second = start_worker(redis_url, media, "second")
        assert wait_for(
            lambda: ReportRun.objects.get(pk=run.pk).status == RunStatus.DONE, timeout=120
        ), "the redelivered run did not complete"
        run.refresh_from_db()
        assert run.attempts == 2
        assert len(list(started.iterdir())) == 2  # built by the killed worker and the new one
        files = [p for p in media.rglob("*") if p.is_file()]
        assert len(files) == 1 and files[0].name == run.file.name.rsplit("/", 1)[-1]

        # a duplicate delivery later changes nothing: the finished run is not rebuilt
        build_report.delay(run.pk)
        import time

        time.sleep(VISIBILITY_TIMEOUT + 2)
        run.refresh_from_db()
        assert (run.status, run.attempts) == (RunStatus.DONE, 2)
        assert len(list(started.iterdir())) == 2
        assert len([p for p in media.rglob("*") if p.is_file()]) == 1
        assert ReportRun.objects.filter(status=RunStatus.DONE).count() == 1
    finally:
        stop(first)
        if second is not None:
            stop(second)


def test_a_run_requested_while_redis_is_down_is_built_when_it_returns(redis_url, broker, tmp_path):
    import datetime

    from django.utils import timezone

    from association.reports import catalogue, services
    from association.reports.tasks import requeue_stale

    media = tmp_path / "private"
    official = UserFactory(roles=[Role.OFFICIAL.value])
    broker("redis://127.0.0.1:1/0")  # nothing listens there: Redis is "down"
    with transaction.atomic():
        run = services.run_create(
            report=catalogue.get("member-register"), user=official, fmt="xlsx", params={}
        )
    # the page still answered; the run waits in the database
    assert ReportRun.objects.get(pk=run.pk).status == RunStatus.QUEUED

    broker(redis_url)  # Redis is back; beat's sweep (every 5 minutes) enqueues it again
    ReportRun.objects.filter(pk=run.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=5)
    )
    worker = start_worker(redis_url, media, "after-outage")
    try:
        assert requeue_stale() == 1
        assert wait_for(
            lambda: ReportRun.objects.get(pk=run.pk).status == RunStatus.DONE, timeout=90
        )
        assert ReportRun.objects.get(pk=run.pk).attempts == 1
    finally:
        stop(worker)


def test_the_heartbeat_sweep_hands_a_dead_workers_run_to_a_new_worker_within_minutes(
    redis_url, broker, tmp_path, slow_report, settings
):
    """The broker would redeliver the killed worker's task only after an hour; the run's
    silent heartbeat lets the sweep requeue it, and a new worker builds it exactly once."""
    import time

    from association.reports.tasks import requeue_stale

    media = tmp_path / "private"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(media)},
        },
    }
    timeout, interval, sweep_every = 4, 1, 1  # seconds (production: 120, 20 and 300)
    settings.REPORTS_HEARTBEAT_TIMEOUT = timeout  # the sweep runs in this process
    beats = {"REPORTS_HEARTBEAT_INTERVAL": str(interval)}
    flag, started = tmp_path / "go", tmp_path / "attempts"
    staff = UserFactory(roles=[Role.STAFF.value])
    broker(redis_url)
    first = start_worker(redis_url, media, "doomed", visibility_timeout=3600, **beats)
    second = None
    try:
        with transaction.atomic():
            run = ReportRun.objects.create(
                report="test-slow",
                title="测试用慢速报表",
                format="xlsx",
                parameters={"flag": str(flag), "started": str(started)},
                requested_by=staff,
            )
            from association.background import enqueue_on_commit

            enqueue_on_commit(build_report, run.pk)
        assert wait_for(lambda: ReportRun.objects.get(pk=run.pk).progress == 10, timeout=90)
        # the worker keeps beating while the build waits
        first_beat = ReportRun.objects.get(pk=run.pk).heartbeat_at
        assert wait_for(
            lambda: ReportRun.objects.get(pk=run.pk).heartbeat_at > first_beat, timeout=10
        ), "no heartbeat while building"
        os.kill(first.pid, signal.SIGKILL)
        first.wait(timeout=10)
        killed_at = time.monotonic()
        flag.touch()
        assert requeue_stale() == 0  # its heartbeat is still fresh: not requeued yet

        second = start_worker(redis_url, media, "rescuer", visibility_timeout=3600, **beats)
        requeued_at = None
        deadline = killed_at + 120
        while time.monotonic() < deadline:
            if requeue_stale() and requeued_at is None:  # beat's sweep, every second here
                requeued_at = time.monotonic()
            if ReportRun.objects.get(pk=run.pk).status == RunStatus.DONE:
                break
            time.sleep(sweep_every)
        done_at = time.monotonic()
        run.refresh_from_db()
        assert run.status == RunStatus.DONE, "the dead worker's run was not recovered"
        assert requeued_at is not None
        print(
            f"recovery: requeued {requeued_at - killed_at:.1f} s after the kill "
            f"(heartbeat timeout {timeout} s), done {done_at - killed_at:.1f} s after it; "
            f"in production at most {120 + 300} s to requeue (timeout 120 s + sweep 300 s)"
        )
        assert timeout <= requeued_at - killed_at < timeout + interval + 2 * sweep_every + 5
        assert run.attempts == 2
        assert len(list(started.iterdir())) == 2  # the killed attempt and the rescue
        files = [p for p in media.rglob("*") if p.is_file()]
        assert len(files) == 1 and files[0].name == run.file.name.rsplit("/", 1)[-1]
        assert requeue_stale() == 0  # nothing left to rescue
    finally:
        stop(first)
        if second is not None:
            stop(second)
