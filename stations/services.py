"""State changes of the stations app: one transaction each (``@service``, which also
names the actor and the service in the change history), permission and rule checks, the
audit trail (pghistory triggers plus the report workflow log), signals after commit."""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from association.accounts.roles import require, require_staff
from association.regions.choices import Level
from association.services import send_on_commit, service
from association.workflow import can_transition, transition

from . import conf, selectors, signals
from .choices import (
    DEFAULT_SERVICE_AREAS,
    DEFAULT_WORK_KINDS,
    EDITABLE_REPORT_STATUSES,
    INITIAL_STATION_STATUSES,
    REPORT_ACTION_TARGETS,
    REPORT_TRANSITIONS,
    STATION_TRANSITIONS,
    AssessmentStatus,
    ReminderKind,
    ReportAction,
    StationStatus,
)
from .models import (
    Assessment,
    AssessmentRound,
    AssessmentScore,
    MonthUnlock,
    ReportEvent,
    ReportPhoto,
    SentReminder,
    ServiceArea,
    ServiceReport,
    ServiceReportLine,
    StaffAssignment,
    Station,
    StationStatusChange,
    WorkKind,
)
from .permissions import (
    can_edit_reports,
    can_manage_staff,
    can_unlock,
    is_operator_admin,
    is_reviewer_of,
)
from .selectors import StatusHistory, lock_date, month_is_locked

# --- the catalogues ----------------------------------------------------------------------


def catalogue_ensure(*, using: str = "default") -> None:
    """Create the default service areas and kinds of work whose codes are missing (after
    every ``migrate``/``flush``); entries staff renamed or retired are left as they are."""
    for model, entries in ((ServiceArea, DEFAULT_SERVICE_AREAS), (WorkKind, DEFAULT_WORK_KINDS)):
        known = set(model.objects.using(using).values_list("code", flat=True))
        model.objects.using(using).bulk_create(
            model(code=code, name=name, order=order)
            for order, (code, name) in enumerate(entries, start=1)
            if code not in known
        )


# --- stations and their status history ---------------------------------------------------


@service
def station_create(
    *,
    region,
    name: str,
    by,
    status: str = StationStatus.PLANNED,
    effective_on: datetime.date | None = None,
    operator=None,
    **fields,
) -> Station:
    """A new station of a township, with its first dated status."""
    require_staff(by)
    if region.level != Level.TOWNSHIP:
        raise ValidationError(_("社工站只能设在乡镇（街道）。"))
    station = Station(region=region, name=name, operator=operator, **fields)
    station.full_clean(exclude=["service_areas"])
    station.save()
    station_status_record(station=station, status=status, effective_on=effective_on, by=by)
    station.refresh_from_db()
    return station


@service
def station_status_record(
    *, station: Station, status: str, by, effective_on: datetime.date | None = None, note: str = ""
) -> StationStatusChange:
    """Append a dated status change. Changes are appended in date order, never in the
    future, and follow ``STATION_TRANSITIONS`` (a new station starts in one of
    ``INITIAL_STATION_STATUSES``); the station's cached status follows."""
    require_staff(by)
    today = timezone.localdate()
    effective_on = effective_on or today
    station = Station.objects.select_for_update().get(pk=station.pk)
    last = station.status_changes.order_by("-effective_on", "-id").first()
    current = last.status if last else None
    allowed = (
        status in INITIAL_STATION_STATUSES
        if last is None
        else can_transition(last, status, STATION_TRANSITIONS)
    )
    if not allowed:
        raise ValidationError(
            _("状态不能从“%(from)s”变为“%(to)s”。")
            % {
                "from": StationStatus(current).label if current else _("（无）"),
                "to": StationStatus(status).label,
            }
        )
    if effective_on > today:
        raise ValidationError(_("生效日期不能晚于今天：请在状态实际变化后登记。"))
    if last and effective_on <= last.effective_on:
        raise ValidationError(
            _("生效日期须晚于上一条状态记录（%(date)s）。") % {"date": last.effective_on}
        )
    change = StationStatusChange.objects.create(
        station=station, status=status, effective_on=effective_on, note=note, recorded_by=by
    )
    station.current_status = status
    fields = ["current_status", "updated_at"]
    if status == StationStatus.CLOSED:
        station.closed_on = effective_on
        fields.append("closed_on")
    if status == StationStatus.OPERATING and station.opened_on is None:
        station.opened_on = effective_on
        fields.append("opened_on")
    station.save(update_fields=fields)
    return change


# --- staff -----------------------------------------------------------------------------


@service
def assignment_start(
    *, station: Station, worker, role: str, starts_on: datetime.date, by
) -> StaffAssignment:
    require(can_manage_staff(by, station), _("只有协会工作人员或运营机构管理员可以调整驻站人员。"))
    assignment = StaffAssignment(station=station, worker=worker, role=role, starts_on=starts_on)
    assignment.full_clean()
    assignment.save()
    return assignment


@service
def assignment_end(*, assignment: StaffAssignment, ends_on: datetime.date, by) -> StaffAssignment:
    require(
        can_manage_staff(by, assignment.station),
        _("只有协会工作人员或运营机构管理员可以调整驻站人员。"),
    )
    assignment.ends_on = ends_on
    assignment.full_clean()
    assignment.save(update_fields=["ends_on"])
    return assignment


# --- monthly reports -------------------------------------------------------------------


def _require_editor(user, station: Station) -> None:
    require(can_edit_reports(user, station), _("只有本站驻站社工或运营机构管理员可以填报月报。"))


def _require_open(station: Station, month: datetime.date) -> None:
    if month_is_locked(station, month):
        raise ValidationError(
            _("%(month)s 的数据已锁定，如需修改请联系协会工作人员解锁。")
            % {"month": f"{month:%Y年%m月}"}
        )


def _check_month(station: Station, month: datetime.date) -> None:
    today = timezone.localdate()
    if month.day != 1:
        raise ValidationError(_("月份须记为该月第一天。"))
    if month > today.replace(day=1):
        raise ValidationError(_("不能填报未来月份的月报。"))
    history = StatusHistory.for_stations([station.pk])
    if not history.operating_in_month(station.pk, month):
        raise ValidationError(
            _("%(month)s 本站不在运营状态，无需填报月报。") % {"month": f"{month:%Y年%m月}"}
        )


@service
def report_start(*, station: Station, month: datetime.date, by) -> ServiceReport:
    """The station's report of ``month``: the existing one, or a new draft."""
    _require_editor(by, station)
    existing = ServiceReport.objects.filter(station=station, month=month).first()
    if existing is not None:
        return existing
    _check_month(station, month)
    _require_open(station, month)
    report, _created = ServiceReport.objects.get_or_create(station=station, month=month)
    return report


def report_errors(lines: dict, *, narrative: str, for_submit: bool) -> list[str]:
    """The validation rules of a report, as Chinese messages (empty when it passes).

    ``lines`` maps ``(area, kind)`` (objects with ``name``) to ``(activities, person_times)``.
    """
    errors = []
    for (area, kind), (activities, person_times) in lines.items():
        if activities < 0 or person_times < 0:
            errors.append(
                _("%(area)s·%(kind)s：次数和人次不能为负数。") % {"area": area, "kind": kind}
            )
        elif person_times < activities:
            errors.append(
                _("%(area)s·%(kind)s：服务人次（%(p)d）不能少于服务次数（%(n)d）。")
                % {"area": area, "kind": kind, "p": person_times, "n": activities}
            )
        elif activities == 0 and person_times > 0:
            errors.append(
                _("%(area)s·%(kind)s：填写了服务人次，但服务次数为0。")
                % {"area": area, "kind": kind}
            )
    if for_submit:
        if not any(activities for activities, _p in lines.values()):
            errors.append(_("月报没有任何服务数据，不能报送。"))
        if len((narrative or "").strip()) < 10:
            errors.append(_("请填写工作概述（不少于10个字）。"))
    return errors


def _write_lines(report: ServiceReport, lines: dict) -> None:
    report.lines.all().delete()
    ServiceReportLine.objects.bulk_create(
        ServiceReportLine(
            report=report, area=area, kind=kind, activities=activities, person_times=person_times
        )
        for (area, kind), (activities, person_times) in lines.items()
        if activities or person_times
    )
    report.total_activities = sum(a for a, _p in lines.values())
    report.total_person_times = sum(p for _a, p in lines.values())


@service
def report_save(
    *, report: ServiceReport, by, lines: dict, volunteers: int, narrative: str
) -> ServiceReport:
    """Save a draft (or a returned report being fixed)."""
    _require_editor(by, report.station)
    report = ServiceReport.objects.select_for_update().get(pk=report.pk)
    if report.status not in EDITABLE_REPORT_STATUSES:
        raise ValidationError(_("月报已报送，不能修改。"))
    _require_open(report.station, report.month)
    errors = report_errors(lines, narrative=narrative, for_submit=False)
    if volunteers < 0:
        errors.append(_("志愿者人次不能为负数。"))
    if errors:
        raise ValidationError(errors)
    _write_lines(report, lines)
    report.volunteers = volunteers
    report.narrative = narrative
    report.save()
    return report


class ReportConflict(Exception):
    """The report changed on the server after the version a draft was based on (saved
    from another device, submitted, returned by a reviewer): the draft is not saved, the
    worker chooses cell by cell. ``report`` is the report as it is now."""

    def __init__(self, report: ServiceReport):
        super().__init__(_("该月报在您开始填写之后已被修改。"))
        self.report = report


_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


def report_version(report: ServiceReport) -> str:
    """The version of a report a draft is based on: its last change, in microseconds
    (every service that changes a report saves it, which moves ``updated_at``)."""
    return str((report.updated_at - _EPOCH) // datetime.timedelta(microseconds=1))


@service
def report_save_draft(
    *, report: ServiceReport, by, based_on: str, lines: dict, volunteers: int, narrative: str
) -> ServiceReport:
    """Save a draft typed on a phone, perhaps offline and synchronised later: only if the
    report is still the version the draft was based on and may still be edited, else
    ``ReportConflict`` and nothing is written (never a silent overwrite)."""
    _require_editor(by, report.station)
    current = ServiceReport.objects.select_for_update().get(pk=report.pk)
    if report_version(current) != str(based_on) or current.status not in EDITABLE_REPORT_STATUSES:
        raise ReportConflict(current)
    return report_save(
        report=current, by=by, lines=lines, volunteers=volunteers, narrative=narrative
    )


def _lines_of(report: ServiceReport) -> dict:
    return {
        (line.area, line.kind): (line.activities, line.person_times)
        for line in report.lines.select_related("area", "kind")
    }


def _act(report: ServiceReport, action: str, *, by, comment: str = "") -> None:
    """Take a workflow action on a report locked by the caller: move it along
    ``REPORT_TRANSITIONS`` and log the action (the caller saves the report)."""
    previous = transition(report, REPORT_ACTION_TARGETS[action], REPORT_TRANSITIONS)
    ReportEvent.objects.create(
        report=report,
        action=action,
        from_status=previous,
        to_status=report.status,
        by=by,
        comment=comment,
    )


@service
def report_submit(*, report: ServiceReport, by) -> ServiceReport:
    """Submit the month's report to the reviewers; the first submission decides "on time"."""
    _require_editor(by, report.station)
    report = ServiceReport.objects.select_for_update().get(pk=report.pk)
    _require_open(report.station, report.month)
    errors = report_errors(_lines_of(report), narrative=report.narrative, for_submit=True)
    if errors:
        raise ValidationError(errors)
    _act(report, ReportAction.SUBMIT, by=by)
    now = timezone.now()
    report.submitted_at = now
    report.submitted_by = by
    if report.first_submitted_at is None:
        report.first_submitted_at = now
    report.is_outlier, report.outlier_note = selectors.outlier_check(report)
    report.save()
    send_on_commit(signals.report_submitted, "stations", report_id=report.pk)
    return report


def _require_reviewer(user, report: ServiceReport) -> None:
    require(is_reviewer_of(user, report.station), _("只有协会工作人员或本县审核人可以审核月报。"))


@service
def report_return(*, report: ServiceReport, by, comment: str) -> ServiceReport:
    """Send a submitted report back to the station with the reviewer's comments."""
    _require_reviewer(by, report)
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError(_("退回月报须填写退回意见。"))
    report = ServiceReport.objects.select_for_update().get(pk=report.pk)
    _require_open(report.station, report.month)
    _act(report, ReportAction.RETURN, by=by, comment=comment)
    report.reviewed_at = timezone.now()
    report.reviewed_by = by
    report.review_comment = comment
    report.save()
    send_on_commit(signals.report_returned, "stations", report_id=report.pk, comment=comment)
    return report


@service
def report_approve(*, report: ServiceReport, by, comment: str = "") -> ServiceReport:
    """Approve a submitted report: it counts in the service figures and can no longer change."""
    _require_reviewer(by, report)
    report = ServiceReport.objects.select_for_update().get(pk=report.pk)
    _act(report, ReportAction.APPROVE, by=by, comment=comment)
    report.reviewed_at = timezone.now()
    report.reviewed_by = by
    report.review_comment = comment
    report.save()
    send_on_commit(signals.report_approved, "stations", report_id=report.pk)
    return report


@service
def month_unlock(*, station: Station, month: datetime.date, by, reason: str) -> MonthUnlock:
    """Reopen a locked month of a station for ``STATIONS_UNLOCK_DAYS`` days; the reason is
    logged."""
    require(can_unlock(by), _("只有协会工作人员可以解锁已锁定的月份。"))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("请填写解锁原因。"))
    today = timezone.localdate()
    if today < lock_date(month):
        raise ValidationError(_("该月份尚未锁定，无需解锁。"))
    return MonthUnlock.objects.create(
        station=station,
        month=month,
        reason=reason,
        unlocked_by=by,
        open_until=today + datetime.timedelta(days=conf.unlock_days()),
    )


@service
def photo_add(*, report: ServiceReport, by, image, caption: str = "") -> ReportPhoto:
    from association.files import validate_upload

    _require_editor(by, report.station)
    if report.status not in EDITABLE_REPORT_STATUSES:
        raise ValidationError(_("月报已报送，不能添加照片。"))
    _require_open(report.station, report.month)
    validate_upload(image, types=("jpg", "jpeg", "png"), max_mb=5)
    if report.photos.count() >= 9:
        raise ValidationError(_("每份月报最多上传9张照片。"))
    return ReportPhoto.objects.create(report=report, image=image, caption=caption)


# --- bulk submission ---------------------------------------------------------------------


@service
def reports_bulk_submit(*, upload, by) -> list[ServiceReport]:
    """Check an uploaded bulk file (``bulk.parse``) and submit every row, or nothing."""
    from .bulk import BulkError, parse

    require(is_operator_admin(by), _("只有社工站运营机构的管理员可以批量报送。"))
    rows = parse(upload, by)
    reports = []
    try:
        for row in rows:
            report = report_start(station=row["station"], month=row["month"], by=by)
            report_save(
                report=report,
                by=by,
                lines=row["lines"],
                volunteers=row["volunteers"],
                narrative=row["narrative"],
            )
            reports.append(report_submit(report=report, by=by))
    except ValidationError as error:  # a race with another user: report and roll back
        raise BulkError(error.messages) from error
    return reports


# --- reminders -----------------------------------------------------------------------------


def _reminder_claim(kind: str, station: Station, month: datetime.date) -> bool:
    """Record the reminder; False when it was already sent."""
    try:
        with transaction.atomic():
            SentReminder.objects.create(kind=kind, station=station, month=month)
    except IntegrityError:
        return False
    return True


@service
def report_reminders_send(today: datetime.date | None = None) -> dict[str, int]:
    """Send the reminders about last month's reports due on ``today`` (daily, from the
    ``stations.send_report_reminders`` task); returns how many stations each kind named.

    - From ``STATIONS_REMINDER_DAYS_BEFORE`` days before the deadline until the deadline:
      stations expected to report that have not submitted hear from us once (their
      current workers and their operator's admins).
    - After the deadline (until the month locks): the operator's admins and the county's
      reviewers hear once about each station still missing.

    A ``SentReminder`` row (unique per kind, station and month) is written in the same
    transaction as the signal is queued, so running it twice sends nothing twice.
    """
    today = today or timezone.localdate()
    month = selectors.last_month(today)
    deadline = selectors.report_deadline(month)
    counts = {"due_soon": 0, "overdue": 0}
    if deadline - datetime.timedelta(days=conf.reminder_days_before()) <= today <= deadline:
        kind, signal, key = ReminderKind.BEFORE_DEADLINE, signals.reports_due_soon, "due_soon"
    elif deadline < today < lock_date(month):
        kind, signal, key = ReminderKind.OVERDUE, signals.reports_overdue, "overdue"
    else:
        return counts
    missing = [
        station
        for station in selectors.stations_missing_report(month)
        if _reminder_claim(kind, station, month)
    ]
    if not missing:
        return counts
    users = (
        selectors.report_writers(missing, today)
        if kind == ReminderKind.BEFORE_DEADLINE
        else selectors.report_overseers(missing)
    )
    by_user: dict[int, list[int]] = defaultdict(list)
    for station in missing:
        for user_id in users.get(station.pk, ()):
            by_user[user_id].append(station.pk)
    counts[key] = len(missing)
    send_on_commit(
        signal,
        "stations",
        month=month.isoformat(),
        deadline=deadline.isoformat(),
        recipients={str(user): ids for user, ids in by_user.items()},
    )
    return counts


# --- assessments ---------------------------------------------------------------------------


@service
def assessment_score(
    *, round: AssessmentRound, station: Station, by, scores: dict, comment: str = ""
) -> Assessment:
    """Record an assessor's scores (indicator id -> Decimal) and compute the total and
    grade: total = Σ score / maximum × weight, graded by the round's thresholds."""
    require_staff(by)
    indicators = {ind.pk: ind for ind in round.indicators.all()}
    errors = []
    for indicator in indicators.values():
        score = scores.get(indicator.pk)
        if score is None:
            errors.append(_("请为指标“%(name)s”评分。") % {"name": indicator.name})
        elif score < 0 or score > indicator.maximum:
            errors.append(
                _("指标“%(name)s”的得分应在 0 到 %(max)s 之间。")
                % {"name": indicator.name, "max": format(indicator.maximum.normalize(), "f")}
            )
    if not indicators:
        errors.append(_("本年度尚未设置考核指标。"))
    if errors:
        raise ValidationError(errors)
    assessment, _created = Assessment.objects.select_for_update().get_or_create(
        round=round, station=station
    )
    if assessment.status == AssessmentStatus.PUBLISHED:
        raise ValidationError(_("考核结果已公布，不能再修改。"))
    AssessmentScore.objects.filter(assessment=assessment).delete()
    AssessmentScore.objects.bulk_create(
        AssessmentScore(assessment=assessment, indicator_id=pk, score=scores[pk])
        for pk in indicators
    )
    total = sum(
        (scores[pk] / ind.maximum * ind.weight for pk, ind in indicators.items()), Decimal(0)
    ).quantize(Decimal("0.01"))
    assessment.total = total
    assessment.grade = round.grade_for(total)
    assessment.comment = comment
    assessment.assessor = by
    assessment.assessed_at = timezone.now()
    assessment.save()
    return assessment


@service
def assessment_publish(*, assessment: Assessment, by) -> Assessment:
    """Publish a scored assessment: the operator and the station can then see it."""
    require_staff(by)
    if not assessment.grade:
        raise ValidationError(_("尚未评分，不能公布。"))
    assessment.status = AssessmentStatus.PUBLISHED
    assessment.save(update_fields=["status"])
    return assessment
