"""Report runs: request, build (in the background or from the command line), expire.

``run_build`` is the one function that builds a run; the Celery task, the command line
and the eager mode of the quick start all call it. It is safe to call twice and from a
redelivered task: a finished run is never rebuilt, and each attempt claims the run with
a fresh token under ``select_for_update``, so only the attempt that holds the current
claim may write progress or the file.

A building attempt beats a heartbeat (``heartbeat_at``) when it starts, at every progress
step and every ``REPORTS_HEARTBEAT_INTERVAL`` seconds from a thread beside the build. A run
whose heartbeat is fresh is left to its worker: a duplicate delivery does not take it over.
A run whose heartbeat is older than ``REPORTS_HEARTBEAT_TIMEOUT`` lost its worker; the
sweep (``runs_requeue``, every five minutes) puts it back in the queue, at most
``REPORTS_MAX_ATTEMPTS`` builds in all, then records it as failed.
"""

from __future__ import annotations

import datetime
import logging
import os
import socket
import tempfile
import threading
import uuid
from pathlib import Path

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.db import DatabaseError, close_old_connections, connection, transaction
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from association.accounts.choices import Role
from association.accounts.roles import require
from association.background import enqueue_on_commit
from association.regions.scope import limited_to
from association.services import send_on_commit, service
from association.workflow import transition

from . import catalogue, conf
from .catalogue import Report
from .choices import FINISHED, RUN_TRANSITIONS, Format, RunStatus
from .documents import Document
from .models import ReportRun
from .render import render
from .signals import run_finished

logger = logging.getLogger(__name__)


class ReportError(Exception):
    """A report cannot be built; the message (in Chinese) is shown to the user as is."""


def _alive(run: ReportRun, now: datetime.datetime) -> bool:
    """Whether a worker is building the run now: it is running and beat recently."""
    last = run.heartbeat_at or run.started_at
    return (
        run.status == RunStatus.RUNNING
        and last is not None
        and now - last < conf.heartbeat_timeout()
    )


def params_from_form(form) -> dict:
    """The parameters as text, exactly as the form would post them (JSON-safe)."""
    raw = {}
    for name in form.fields:
        value = form[name].value()
        raw[name] = "" if value is None else str(value)
    return raw


@service
def run_create(*, report: Report, user, fmt: str, params: dict) -> ReportRun:
    """Queue a run of ``report`` for ``user``; the file is built in the background."""
    require(report.may_run(user), _("您无权生成该报表。"))
    if fmt not in Format.values or fmt not in report.formats:
        raise ValidationError(_("该报表不提供这种格式。"))
    report.clean(params)  # invalid parameters never reach the worker
    run = ReportRun.objects.create(
        report=report.slug,
        title=report.title,
        format=fmt,
        parameters=params,
        parameters_text=report.describe(params),
        requested_by=user,
    )
    from .tasks import build_report

    enqueue_on_commit(build_report, run.pk)
    return run


def run_rebuild(run: ReportRun) -> ReportRun:
    """A new run of a failed run, for the same person with the same parameters (the
    admin's action); the failed run stays in the history."""
    report = catalogue.get(run.report)
    if report is None:
        raise ValidationError(_("该报表已不再提供。"))
    return run_create(report=report, user=run.requested_by, fmt=run.format, params=run.parameters)


@service
def run_create_scheduled(
    *, slug: str, fmt: str, audience_role: str, schedule: str = "", today=None
) -> ReportRun:
    """A scheduled run, shared with everyone holding ``audience_role``. A report that can
    no longer run is recorded as failed, and its recipients are told why."""
    today = today or timezone.localdate()
    report = catalogue.get(slug)
    params = report.scheduled_params(today) if report else {}
    run = ReportRun.objects.create(
        report=slug,
        title=report.title if report else slug,
        format=fmt if fmt in Format.values else Format.XLSX,
        parameters=params,
        parameters_text=report.describe(params) if report else "",
        audience_role=audience_role,
        schedule=schedule,
    )
    if report is None:
        _fail(
            run.pk,
            None,
            _("报表“%(slug)s”不存在或暂不可用，请联系协会调整定时任务。") % {"slug": slug},
        )
        return run
    from .tasks import build_report

    enqueue_on_commit(build_report, run.pk)
    return run


def _this_worker() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _worker_gone(worker: str) -> bool:
    """Whether the process that claimed a run is known to be dead: it ran on this host and
    its pid is gone (a killed pool process whose task is redelivered at once)."""
    host, _sep, pid = worker.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False  # another machine: only its heartbeat tells
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except OSError:
        return False
    return False


def _claim(run_id: int) -> tuple[ReportRun | None, uuid.UUID | None]:
    with transaction.atomic():
        run = ReportRun.objects.select_for_update().filter(pk=run_id).first()
        if run is None or run.status in FINISHED:
            return run, None
        now = timezone.now()
        if run.status == RunStatus.RUNNING:  # an earlier attempt did not finish
            if _alive(run, now) and not _worker_gone(run.worker):
                # a duplicate delivery while another worker builds it: that one finishes it
                logger.info("report run %s is being built elsewhere; delivery ignored", run_id)
                return run, None
            if run.attempts >= conf.max_attempts():
                # a report that kills its worker every time is not redelivered for ever
                return _fail(run_id, None, _dead_run_message(run.attempts)), None
        token = uuid.uuid4()
        transition(run, RunStatus.RUNNING, RUN_TRANSITIONS)
        run.claim = token
        run.attempts += 1
        run.progress = 0
        run.started_at = now
        run.heartbeat_at = now
        run.worker = _this_worker()
        run.error = ""
        run.save(
            update_fields=[
                "status",
                "claim",
                "worker",
                "attempts",
                "progress",
                "started_at",
                "heartbeat_at",
                "error",
            ]
        )
        return run, token


def _beat(run_id: int, token: uuid.UUID, **fields) -> bool:
    """Record that the attempt holding ``token`` is alive; False once it lost the run."""
    return bool(
        ReportRun.objects.filter(pk=run_id, claim=token, status=RunStatus.RUNNING).update(
            heartbeat_at=timezone.now(), **fields
        )
    )


class _Heartbeat:
    """Beats every ``interval`` seconds from a daemon thread while the build runs, so a
    long step without progress (a big PDF) still shows a live worker. Not started inside
    a transaction (tests, eager runs within a request): the thread's own connection would
    wait on the caller's row locks."""

    def __init__(self, run_id: int, token: uuid.UUID, interval: float):
        self.run_id, self.token, self.interval = run_id, token, interval
        self.stopped = threading.Event()
        self.thread = None

    def __enter__(self):
        if self.interval > 0 and not connection.in_atomic_block:
            self.thread = threading.Thread(
                target=self._loop, name=f"report-heartbeat-{self.run_id}", daemon=True
            )
            self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stopped.set()
        if self.thread is not None:
            self.thread.join(timeout=10)
        return False

    def _loop(self):
        try:
            while not self.stopped.wait(self.interval):
                try:
                    if not _beat(self.run_id, self.token):
                        return  # finished, failed or handed to another attempt
                except DatabaseError:  # the next beat tries again
                    logger.warning("report run %s: heartbeat failed", self.run_id, exc_info=True)
                    close_old_connections()
        finally:
            connection.close()


def _progress_callback(run_id: int, token: uuid.UUID):
    last = {"value": -1}

    def progress(percent: int) -> None:
        percent = max(0, min(int(percent), 99))
        if percent == last["value"]:
            return
        last["value"] = percent
        _beat(run_id, token, progress=percent)

    return progress


def user_message(exc: BaseException) -> str:
    """An error in words a user understands; technical detail goes to the log."""
    if isinstance(exc, ReportError):
        return str(exc)
    if isinstance(exc, ValidationError):
        return "".join(exc.messages)
    if isinstance(exc, SoftTimeLimitExceeded):
        return _("报表生成超时，请缩小统计范围（例如选择更短的期间）后重试。")
    if isinstance(exc, DatabaseError):
        return _("数据库暂时不可用，报表未能生成，请稍后重试。")
    return _("生成报表时发生内部错误，已记录在系统日志中，请稍后重试或联系协会技术人员。")


def storage_name_for(run: ReportRun) -> str:
    """The stored file's name (ASCII; the download is named by :func:`filename_for`)."""
    stamp = timezone.localtime(run.created_at).strftime("%Y%m%d-%H%M")
    return f"{run.report}-{stamp}.{run.format}"


def period_label(params: dict, on: datetime.date) -> str:
    """The period a run covers, in words for its file name: ``2026年11月``, ``2025年度``,
    ``2025年1月1日至2025年6月30日``, or the day of a snapshot."""
    from association.exports import day_label, month_label, span_label

    def day(value):
        try:
            return datetime.date.fromisoformat(str(value))
        except ValueError:
            return None

    params = params or {}
    if params.get("month"):
        try:
            year, month = (int(p) for p in str(params["month"]).split("-")[:2])
            return month_label(datetime.date(year, month, 1))
        except ValueError:
            pass
    if params.get("year"):
        return _("%(year)s年度") % {"year": params["year"]}
    start, end = day(params.get("start") or ""), day(params.get("end") or "")
    if start and end:
        return span_label(start, end)
    return day_label(day(params.get("on") or "") or on)


def file_title(report: Report | None, slug: str) -> str:
    """The title without its parenthesis: 社工站覆盖与人员配备（按区县）→ 社工站覆盖与人员配备."""
    if report is None:
        return slug
    title = str(getattr(report, "file_title", "") or report.title)
    for opening in ("（", "("):  # full- and half-width
        if opening in title and not title.startswith(opening):
            title = title.split(opening, 1)[0]
    return title.strip()


def filename_for(run: ReportRun) -> str:
    """The download's name: ``许昌市社会工作行业协会_社工站覆盖与人员配备_2026年11月.xlsx``."""
    from association.exports import download_name

    with translation.override(settings.LANGUAGE_CODE):
        title = file_title(catalogue.get(run.report), run.report)
        period = period_label(run.parameters, timezone.localtime(run.created_at).date())
        return download_name(title, period, run.format)


def build_document(report: Report, params: dict, progress=None) -> Document:
    """Build ``report`` in the site's language (reports go to the bureau in Chinese)."""
    with translation.override(settings.LANGUAGE_CODE):
        cleaned = report.clean(params)
        document = report.build(cleaned, progress or (lambda percent: None))
        document.generated_at = timezone.now()
        return document


def write_streamed(report: Report, params: dict, fmt: str, path: Path, progress=None) -> None:
    """Write a streaming report (``report.streams``) straight to ``path``: its rows go from
    the database cursor to the file, never into a Document."""
    if fmt not in report.formats:
        raise ReportError(_("该报表不提供这种格式。"))
    with translation.override(settings.LANGUAGE_CODE):
        report.write(report.clean(params), fmt, path, progress or (lambda percent: None))


def render_document(document: Document, fmt: str) -> bytes:
    """The document as a file; a PDF of more table rows than ``REPORTS_PDF_MAX_ROWS`` is
    refused with a message (ReportError) instead of taking the worker's memory."""
    if fmt == "pdf":
        rows = sum(len(table.rows) for section in document.sections for table in section.tables())
        if rows > conf.pdf_max_rows():
            raise ReportError(
                _(
                    "这份报表有 %(rows)s 行，超过 PDF 的上限（%(limit)s 行）："
                    "请生成 xlsx，或缩小范围后再生成 PDF。"
                )
                % {"rows": f"{rows:,}", "limit": f"{conf.pdf_max_rows():,}"}
            )
    with translation.override(settings.LANGUAGE_CODE):
        return render(document, fmt)


def run_build(run_id: int) -> ReportRun | None:
    """Build the run's file. Idempotent: a finished run is returned untouched."""
    run, token = _claim(run_id)
    if token is None:
        return run
    folder = tempfile.TemporaryDirectory()
    try:
        return _build_and_finish(run, token, Path(folder.name))
    finally:
        folder.cleanup()


def _build_and_finish(run: ReportRun, token: uuid.UUID, folder: Path) -> ReportRun:
    run_id = run.pk
    try:
        with _Heartbeat(run.pk, token, conf.heartbeat_interval()):
            report = catalogue.get(run.report)
            if report is None:
                raise ReportError(_("该报表已不再提供。"))
            progress = _progress_callback(run.pk, token)
            failures = ""
            # An official limited to a county gets the county's figures only.
            area = catalogue.limited_area(run.requested_by) if run.requested_by_id else None
            with limited_to(area):
                if report.streams:
                    content = folder / f"report.{run.format}"
                    write_streamed(report, run.parameters, run.format, content, progress)
                else:
                    document = build_document(report, run.parameters, progress)
                    content = render_document(document, run.format)
                    failures = "\n".join(document.failures)
    except Exception as exc:
        if not isinstance(exc, ReportError | ValidationError):
            logger.exception("report run %s (%s) failed", run_id, run.report)
        return _fail(run_id, token, user_message(exc))
    return _finish(run_id, token, content, failures)


def _recipients(run: ReportRun) -> list:
    if run.requested_by_id:
        return [run.requested_by]
    if not run.audience_role:
        return []
    if run.held:
        return _holders([Role.STAFF])  # held: never sent to officials, staff told why
    roles = [run.audience_role]
    if run.status == RunStatus.FAILED:
        roles.append(Role.STAFF)  # the association fixes what broke a scheduled report
    return _holders(roles)


def _holders(roles) -> list:
    # A scheduled run covers the association's whole area: not for an official limited
    # to a county (association/regions/scope.py), who runs the county's own.
    return list(
        get_user_model()
        .objects.filter(groups__name__in=roles, is_active=True)
        .exclude(region__level="county")
        .distinct()
        .order_by("pk")
    )


def _announce(run: ReportRun) -> None:
    send_on_commit(run_finished, sender=ReportRun, run=run, recipients=_recipients(run))


def _finish(run_id: int, token: uuid.UUID, content: bytes | Path, failures: str = "") -> ReportRun:
    """Store the file (``content``: bytes, or a written file streamed into storage) and
    the report's failed checks, if any."""
    with transaction.atomic():
        run = (
            ReportRun.objects.select_for_update(of=("self",))
            .select_related("requested_by")
            .get(pk=run_id)
        )
        if run.claim != token or run.status != RunStatus.RUNNING:
            return run  # another attempt holds the run now: it writes the file, not us
        if isinstance(content, Path):
            with content.open("rb") as handle:
                run.file.save(storage_name_for(run), File(handle), save=False)
            size = content.stat().st_size
        else:
            run.file.save(storage_name_for(run), ContentFile(content), save=False)
            size = len(content)
        try:
            transition(run, RunStatus.DONE, RUN_TRANSITIONS)
            now = timezone.now()
            run.progress = 100
            run.finished_at = now
            run.size = size
            run.check_failures = failures
            run.expires_at = now + datetime.timedelta(days=conf.retention_days())
            run.save()
        except Exception:
            run.file.delete(save=False)
            raise
        _announce(run)
    return run


def _fail(run_id: int, token: uuid.UUID | None, message: str) -> ReportRun:
    with transaction.atomic():
        run = (
            ReportRun.objects.select_for_update(of=("self",))
            .select_related("requested_by")
            .get(pk=run_id)
        )
        if token is not None and run.claim != token:
            return run
        if run.status in FINISHED:
            return run
        transition(run, RunStatus.FAILED, RUN_TRANSITIONS)
        run.error = message[:2000]
        run.finished_at = timezone.now()
        run.save(update_fields=["status", "error", "finished_at"])
        _announce(run)
    return run


def runs_expire(*, now=None, limit: int = 500) -> int:
    """Delete the files of runs past their retention; the rows stay in the history."""
    now = now or timezone.now()
    count = 0
    ids = list(
        ReportRun.objects.filter(status=RunStatus.DONE, expired=False, expires_at__lt=now)
        .order_by("expires_at")
        .values_list("pk", flat=True)[:limit]
    )
    for pk in ids:
        with transaction.atomic():
            run = ReportRun.objects.select_for_update(skip_locked=True).filter(pk=pk).first()
            if run is None or run.expired:
                continue
            if run.file:
                run.file.delete(save=False)
            run.file = ""
            run.expired = True
            run.save(update_fields=["file", "expired"])
            count += 1
    return count


def _dead_run_message(attempts: int) -> str:
    return _(
        "报表生成进程已意外中断 %(attempts)d 次，系统已停止重试。"
        "请稍后重新生成，或缩小统计范围（例如选择更短的期间）后重试。"
    ) % {"attempts": attempts}


def runs_reclaim_dead(*, now=None) -> tuple[list[int], int]:
    """Runs left "running" by a dead worker (no heartbeat for ``REPORTS_HEARTBEAT_TIMEOUT``)
    go back to the queue, their claim revoked, so a worker that was only stalled can no
    longer write; a run already built ``REPORTS_MAX_ATTEMPTS`` times is recorded as failed
    and its recipients are told. Returns (the runs put back in the queue, how many failed)."""
    now = now or timezone.now()
    cutoff = now - conf.heartbeat_timeout()
    requeued, failed = [], 0
    ids = list(
        ReportRun.objects.filter(status=RunStatus.RUNNING)
        .alias(last_beat=Coalesce("heartbeat_at", "started_at", "created_at"))
        .filter(last_beat__lt=cutoff)
        .order_by("pk")
        .values_list("pk", flat=True)[:500]
    )
    for pk in ids:
        with transaction.atomic():
            # a locked run is being claimed or finished right now: leave it alone
            run = ReportRun.objects.select_for_update(skip_locked=True).filter(pk=pk).first()
            if run is None or run.status != RunStatus.RUNNING or _alive(run, now):
                continue
            if run.attempts >= conf.max_attempts():
                logger.warning("report run %s: worker lost %s times, failed", pk, run.attempts)
                _fail(pk, None, _dead_run_message(run.attempts))
                failed += 1
                continue
            logger.warning("report run %s: worker lost (attempt %s), requeued", pk, run.attempts)
            transition(run, RunStatus.QUEUED, RUN_TRANSITIONS)
            run.claim = None
            run.progress = 0
            run.save(update_fields=["status", "claim", "progress"])
            requeued.append(pk)
    return requeued, failed


def runs_requeue(
    *, older_than: datetime.timedelta = datetime.timedelta(minutes=2), now=None
) -> int:
    """Enqueue again the runs still queued after ``older_than``: their first enqueue was
    lost (Redis was down when they were requested), or their worker died and
    :func:`runs_reclaim_dead` put them back. Building is idempotent, so a run enqueued
    twice is still built once. Returns how many were enqueued."""
    from .tasks import build_report

    now = now or timezone.now()
    reclaimed, _failed = runs_reclaim_dead(now=now)
    cutoff = now - older_than
    lost = ReportRun.objects.filter(status=RunStatus.QUEUED, created_at__lt=cutoff).exclude(
        pk__in=reclaimed
    )
    count = 0
    for pk in [*reclaimed, *lost.order_by("pk").values_list("pk", flat=True)[:500]]:
        try:
            build_report.apply_async(args=[pk])
        except Exception:  # still down: the next sweep tries again
            logger.warning("could not enqueue report run %s", pk, exc_info=True)
            break
        count += 1
    return count
