"""A run whose worker died is found by its silent heartbeat and built again, at most
``REPORTS_MAX_ATTEMPTS`` times in all; a run whose worker is alive is left to it."""

import datetime
import socket
import subprocess
import sys
import threading
import time

import pytest
import time_machine
from django.utils import timezone

from association.notifications.models import Notification
from association.reports import services
from association.reports.catalogue import Report, register, unregister
from association.reports.choices import RunStatus
from association.reports.documents import Document
from association.reports.models import ReportRun
from association.reports.tasks import build_report, requeue_stale

T0 = datetime.datetime(2025, 11, 15, 10, 0, tzinfo=datetime.UTC)


class CountingReport(Report):
    slug = "test-heartbeat-counting"
    title = "计数报表"
    roles = ()
    builds = 0

    def build(self, params, progress):
        CountingReport.builds += 1
        document = Document(title=self.title)
        document.section("数字").figure("次数", CountingReport.builds)
        return document


@pytest.fixture
def counting():
    register(CountingReport)
    CountingReport.builds = 0
    yield CountingReport
    unregister(CountingReport.slug)


@pytest.fixture(autouse=True)
def _timeouts(settings):
    settings.REPORTS_HEARTBEAT_TIMEOUT = 120
    settings.REPORTS_MAX_ATTEMPTS = 3


def running_run(user, *, beat, attempts=1, worker="elsewhere:1"):
    """A run an earlier attempt left running, its last heartbeat at ``beat``."""
    run = ReportRun.objects.create(
        report=CountingReport.slug,
        title=CountingReport.title,
        format="xlsx",
        requested_by=user,
        status=RunStatus.RUNNING,
        attempts=attempts,
        progress=40,
        claim="00000000-0000-0000-0000-000000000001",
        started_at=beat - datetime.timedelta(minutes=1),
        heartbeat_at=beat,
        worker=worker,
    )
    ReportRun.objects.filter(pk=run.pk).update(created_at=beat - datetime.timedelta(minutes=2))
    return run


def files(root):
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.mark.django_db
def test_the_sweep_requeues_a_run_whose_heartbeat_is_stale_and_it_completes_once(
    cast, counting, _private_media
):
    run = running_run(cast.staff, beat=T0)
    with time_machine.travel(T0 + datetime.timedelta(seconds=121), tick=False):
        reclaimed, failed = services.runs_reclaim_dead()
        assert (reclaimed, failed) == ([run.pk], 0)
        run.refresh_from_db()
        assert (run.status, run.claim, run.progress) == (RunStatus.QUEUED, None, 0)
        # the stalled attempt, were it alive after all, may no longer write the file
        services._finish(run.pk, "00000000-0000-0000-0000-000000000001", b"stale")
        assert files(_private_media) == []
        # the sweep enqueues it at once (eager here: built now), exactly once
        assert requeue_stale() == 1
    run.refresh_from_db()
    assert (run.status, run.attempts, counting.builds) == (RunStatus.DONE, 2, 1)
    assert len(files(_private_media)) == 1
    build_report(run.pk)  # a late duplicate delivery changes nothing
    with time_machine.travel(T0 + datetime.timedelta(minutes=30), tick=False):
        assert requeue_stale() == 0
    run.refresh_from_db()
    assert (run.attempts, counting.builds, len(files(_private_media))) == (2, 1, 1)


@pytest.mark.django_db
def test_the_sweep_leaves_a_run_with_a_fresh_heartbeat_to_its_worker(cast, counting):
    run = running_run(cast.staff, beat=T0)
    with time_machine.travel(T0 + datetime.timedelta(seconds=119), tick=False):
        assert services.runs_reclaim_dead() == ([], 0)
        assert requeue_stale() == 0
        build_report(run.pk)  # a duplicate delivery does not take the run over
    run.refresh_from_db()
    assert (run.status, run.attempts, run.progress) == (RunStatus.RUNNING, 1, 40)
    assert counting.builds == 0


@pytest.mark.django_db
def test_a_run_that_lost_its_worker_too_often_fails_in_words(
    cast, counting, django_capture_on_commit_callbacks
):
    run = running_run(cast.staff, beat=T0, attempts=3)
    with (
        time_machine.travel(T0 + datetime.timedelta(minutes=7), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert services.runs_reclaim_dead() == ([], 1)
        assert requeue_stale() == 0
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED
    assert "意外中断 3 次" in run.error and "重新生成" in run.error
    assert counting.builds == 0
    assert Notification.objects.filter(user=cast.staff, kind="reports_failed").exists()


@pytest.mark.django_db
def test_a_redelivered_run_past_the_cap_fails_instead_of_building_again(cast, counting):
    run = running_run(cast.staff, beat=T0, attempts=3)
    with time_machine.travel(T0 + datetime.timedelta(minutes=3), tick=False):
        build_report(run.pk)
    run.refresh_from_db()
    assert (run.status, run.attempts, counting.builds) == (RunStatus.FAILED, 3, 0)


@pytest.mark.django_db
def test_a_run_whose_worker_process_is_gone_is_taken_over_at_once(cast, counting):
    """A pool process killed on this host: its task is redelivered at once, and the dead
    pid, not a two-minute silence, says the run is orphaned."""
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    here = socket.gethostname()
    orphan = running_run(cast.staff, beat=T0, worker=f"{here}:{dead.pid}")
    other_host = running_run(cast.staff, beat=T0, worker=f"another-{here}:{dead.pid}")
    with time_machine.travel(T0 + datetime.timedelta(seconds=5), tick=False):
        build_report(orphan.pk)
        build_report(other_host.pk)
    orphan.refresh_from_db()
    other_host.refresh_from_db()
    assert (orphan.status, orphan.attempts) == (RunStatus.DONE, 2)
    assert (other_host.status, other_host.attempts) == (RunStatus.RUNNING, 1)


@pytest.mark.django_db
def test_each_progress_step_beats_the_heartbeat(cast):
    seen = []

    class Stepping(Report):
        slug = "test-heartbeat-stepping"
        title = "分步报表"
        roles = ()

        def build(self, params, progress):
            for minute in (1, 2, 3):
                traveller.shift(datetime.timedelta(minutes=1))
                progress(minute * 20)
                seen.append(ReportRun.objects.get(pk=run.pk).heartbeat_at)
            return Document(title=self.title)

    register(Stepping)
    try:
        run = ReportRun.objects.create(
            report=Stepping.slug, title=Stepping.title, format="xlsx", requested_by=cast.staff
        )
        with time_machine.travel(T0, tick=False) as traveller:
            services.run_build(run.pk)
    finally:
        unregister(Stepping.slug)
    assert seen == [T0 + datetime.timedelta(minutes=m) for m in (1, 2, 3)]
    run.refresh_from_db()
    assert run.status == RunStatus.DONE


@pytest.mark.django_db(transaction=True)
def test_a_long_step_without_progress_still_beats_from_the_heartbeat_thread(
    settings, django_user_model
):
    """A worker outside a transaction (as in Celery) beats every interval by itself."""
    settings.REPORTS_HEARTBEAT_INTERVAL = 0.05
    seen = []

    class Quiet(Report):
        slug = "test-heartbeat-quiet"
        title = "长时间无进度的报表"
        roles = ()

        def build(self, params, progress):
            seen.append(ReportRun.objects.get(pk=run.pk).heartbeat_at)
            time.sleep(1.0)  # one long step, no progress call
            seen.append(ReportRun.objects.get(pk=run.pk).heartbeat_at)
            return Document(title=self.title)

    register(Quiet)
    user = django_user_model.objects.create(email="quiet@example.org")
    try:
        run = ReportRun.objects.create(
            report=Quiet.slug, title=Quiet.title, format="xlsx", requested_by=user
        )
        services.run_build(run.pk)
    finally:
        unregister(Quiet.slug)
    # The thread beat during the step (how often depends on the machine's load: only that it
    # beat at all is asserted, not a timing).
    assert seen[1] > seen[0]
    assert ReportRun.objects.get(pk=run.pk).status == RunStatus.DONE
    assert not [t for t in threading.enumerate() if t.name.startswith("report-heartbeat")]
    assert timezone.now() - ReportRun.objects.get(pk=run.pk).heartbeat_at < datetime.timedelta(
        seconds=5
    )
