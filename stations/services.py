"""State changes of the stations app: one transaction each, permission and rule checks,
the audit trail (pghistory triggers plus the report workflow log)."""

from __future__ import annotations

import datetime
import statistics
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _

from association.accounts.roles import is_association_staff
from association.regions.choices import Level

from . import conf
from .choices import (
    EDITABLE_REPORT_STATUSES,
    REPORT_TRANSITIONS,
    STATUS_TRANSITIONS,
    AssessmentStatus,
    ReportAction,
    ReportStatus,
    StationStatus,
)
from .models import (
    Assessment,
    AssessmentRound,
    AssessmentScore,
    MonthUnlock,
    ReportEvent,
    ReportPhoto,
    ServiceReport,
    ServiceReportLine,
    StaffAssignment,
    Station,
    StationStatusChange,
)
from .months import lock_date
from .permissions import can_edit_reports, can_unlock, is_reviewer_of
from .selectors import StatusHistory

# --- helpers ----------------------------------------------------------------------------


def _require_staff(user) -> None:
    if not is_association_staff(user):
        raise PermissionDenied(_("只有协会工作人员可以办理此事项。"))


def _send_on_commit(signal: Signal, **kwargs) -> None:
    transaction.on_commit(lambda: signal.send(sender="stations", **kwargs))


# --- stations and their status history ---------------------------------------------------


@transaction.atomic
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
    _require_staff(by)
    if region.level != Level.TOWNSHIP:
        raise ValidationError(_("社工站只能设在乡镇(街道)。"))
    station = Station(region=region, name=name, operator=operator, **fields)
    station.full_clean(exclude=["service_areas"])
    station.save()
    station_status_record(station=station, status=status, effective_on=effective_on, by=by)
    station.refresh_from_db()
    return station


@transaction.atomic
def station_status_record(
    *, station: Station, status: str, by, effective_on: datetime.date | None = None, note: str = ""
) -> StationStatusChange:
    """Append a dated status change. Changes are appended in date order, never in the
    future, and follow ``STATUS_TRANSITIONS``; the station's cached status follows."""
    _require_staff(by)
    today = timezone.localdate()
    effective_on = effective_on or today
    station = Station.objects.select_for_update().get(pk=station.pk)
    last = station.status_changes.order_by("-effective_on", "-id").first()
    current = last.status if last else None
    if status not in STATUS_TRANSITIONS.get(current, set()):
        raise ValidationError(
            _("状态不能从“%(from)s”变为“%(to)s”。")
            % {
                "from": StationStatus(current).label if current else _("(无)"),
                "to": StationStatus(status).label,
            }
        )
    if effective_on > today:
        raise ValidationError(_("生效日期不能晚于今天:请在状态实际变化后登记。"))
    if last and effective_on <= last.effective_on:
        raise ValidationError(
            _("生效日期须晚于上一条状态记录(%(date)s)。") % {"date": last.effective_on}
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


def _require_station_manager(user, station: Station) -> None:
    if is_association_staff(user):
        return
    if station.operator_id and station.operator.admins.filter(user=user).exists():
        return
    raise PermissionDenied(_("只有协会工作人员或运营机构管理员可以调整驻站人员。"))


@transaction.atomic
def assignment_start(
    *, station: Station, worker, role: str, starts_on: datetime.date, by
) -> StaffAssignment:
    _require_station_manager(by, station)
    assignment = StaffAssignment(station=station, worker=worker, role=role, starts_on=starts_on)
    assignment.full_clean()
    assignment.save()
    return assignment


@transaction.atomic
def assignment_end(*, assignment: StaffAssignment, ends_on: datetime.date, by) -> StaffAssignment:
    _require_station_manager(by, assignment.station)
    assignment.ends_on = ends_on
    assignment.full_clean()
    assignment.save(update_fields=["ends_on"])
    return assignment


# --- monthly reports -------------------------------------------------------------------


def month_is_locked(
    station: Station, month: datetime.date, today: datetime.date | None = None
) -> bool:
    """Locked from ``STATIONS_LOCK_DAYS`` after the month's end, unless staff reopened it."""
    today = today or timezone.localdate()
    if today < lock_date(month):
        return False
    return not MonthUnlock.objects.filter(
        station=station, month=month, open_until__gte=today
    ).exists()


def _require_editor(user, report_or_station) -> None:
    station = getattr(report_or_station, "station", report_or_station)
    if not can_edit_reports(user, station):
        raise PermissionDenied(_("只有本站驻站社工或运营机构管理员可以填报月报。"))


def _require_open(station: Station, month: datetime.date) -> None:
    if month_is_locked(station, month):
        raise ValidationError(
            _("%(month)s 的数据已锁定,如需修改请联系协会工作人员解锁。")
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
            _("%(month)s 本站不在运营状态,无需填报月报。") % {"month": f"{month:%Y年%m月}"}
        )


@transaction.atomic
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
                _("%(area)s·%(kind)s:次数和人次不能为负数。") % {"area": area, "kind": kind}
            )
        elif person_times < activities:
            errors.append(
                _("%(area)s·%(kind)s:服务人次(%(p)d)不能少于服务次数(%(n)d)。")
                % {"area": area, "kind": kind, "p": person_times, "n": activities}
            )
        elif activities == 0 and person_times > 0:
            errors.append(
                _("%(area)s·%(kind)s:填写了服务人次,但服务次数为0。") % {"area": area, "kind": kind}
            )
    if for_submit:
        if not any(activities for activities, _p in lines.values()):
            errors.append(_("月报没有任何服务数据,不能报送。"))
        if len((narrative or "").strip()) < 10:
            errors.append(_("请填写工作概述(不少于10个字)。"))
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


@transaction.atomic
def report_save(
    *, report: ServiceReport, by, lines: dict, volunteers: int, narrative: str
) -> ServiceReport:
    """Save a draft (or a returned report being fixed)."""
    _require_editor(by, report)
    report = ServiceReport.objects.select_for_update().get(pk=report.pk)
    if report.status not in EDITABLE_REPORT_STATUSES:
        raise ValidationError(_("月报已报送,不能修改。"))
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


def outlier_check(report: ServiceReport) -> tuple[bool, str]:
    """Compare the report's person-times with the median of the station's own last twelve
    received reports (at least three needed)."""
    history = list(
        ServiceReport.objects.filter(
            station_id=report.station_id,
            month__lt=report.month,
            status__in=[ReportStatus.SUBMITTED, ReportStatus.APPROVED],
        )
        .order_by("-month")
        .values_list("total_person_times", flat=True)[:12]
    )
    if len(history) < 3:
        return False, ""
    median = Decimal(str(statistics.median(history)))
    factor = conf.outlier_factor()
    total = Decimal(report.total_person_times)
    if median > 0 and total > median * factor:
        return True, _("服务人次(%(total)s)超过本站近期中位数(%(median)s)的 %(factor)s 倍。") % {
            "total": report.total_person_times,
            "median": format(median.normalize(), "f"),
            "factor": format(factor.normalize(), "f"),
        }
    if median > 0 and total * factor < median:
        return True, _("服务人次(%(total)s)不足本站近期中位数(%(median)s)的 1/%(factor)s。") % {
            "total": report.total_person_times,
            "median": format(median.normalize(), "f"),
            "factor": format(factor.normalize(), "f"),
        }
    return False, ""


def _move(report: ServiceReport, action: str, by, comment: str = "") -> None:
    target = REPORT_TRANSITIONS.get((report.status, action))
    if target is None:
        raise ValidationError(
            _("“%(status)s”状态的月报不能%(action)s。")
            % {"status": report.get_status_display(), "action": ReportAction(action).label}
        )
    ReportEvent.objects.create(
        report=report,
        action=action,
        from_status=report.status,
        to_status=target,
        by=by,
        comment=comment,
    )
    report.status = target


def _lines_of(report: ServiceReport) -> dict:
    return {
        (line.area, line.kind): (line.activities, line.person_times)
        for line in report.lines.select_related("area", "kind")
    }


@transaction.atomic
def report_submit(*, report: ServiceReport, by) -> ServiceReport:
    """Submit the month's report to the reviewers; the first submission decides "on time"."""
    from .signals import report_submitted

    _require_editor(by, report)
    report = ServiceReport.objects.select_for_update().get(pk=report.pk)
    _require_open(report.station, report.month)
    errors = report_errors(_lines_of(report), narrative=report.narrative, for_submit=True)
    if errors:
        raise ValidationError(errors)
    _move(report, ReportAction.SUBMIT, by)
    now = timezone.now()
    report.submitted_at = now
    report.submitted_by = by
    if report.first_submitted_at is None:
        report.first_submitted_at = now
    report.is_outlier, report.outlier_note = outlier_check(report)
    report.save()
    _send_on_commit(report_submitted, report_id=report.pk)
    return report


def _require_reviewer(user, report: ServiceReport) -> None:
    if not is_reviewer_of(user, report.station):
        raise PermissionDenied(_("只有协会工作人员或本县审核人可以审核月报。"))


@transaction.atomic
def report_return(*, report: ServiceReport, by, comment: str) -> ServiceReport:
    """Send a submitted report back to the station with the reviewer's comments."""
    from .signals import report_returned

    _require_reviewer(by, report)
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError(_("退回月报须填写退回意见。"))
    report = ServiceReport.objects.select_for_update().get(pk=report.pk)
    _require_open(report.station, report.month)
    _move(report, ReportAction.RETURN, by, comment)
    report.reviewed_at = timezone.now()
    report.reviewed_by = by
    report.review_comment = comment
    report.save()
    _send_on_commit(report_returned, report_id=report.pk, comment=comment)
    return report


@transaction.atomic
def report_approve(*, report: ServiceReport, by, comment: str = "") -> ServiceReport:
    """Approve a submitted report: it counts in the service figures and can no longer change."""
    from .signals import report_approved

    _require_reviewer(by, report)
    report = ServiceReport.objects.select_for_update().get(pk=report.pk)
    _move(report, ReportAction.APPROVE, by, comment)
    report.reviewed_at = timezone.now()
    report.reviewed_by = by
    report.review_comment = comment
    report.save()
    _send_on_commit(report_approved, report_id=report.pk)
    return report


@transaction.atomic
def month_unlock(*, station: Station, month: datetime.date, by, reason: str) -> MonthUnlock:
    """Reopen a locked month of a station for ``STATIONS_UNLOCK_DAYS`` days; the reason is
    logged."""
    if not can_unlock(by):
        raise PermissionDenied(_("只有协会工作人员可以解锁已锁定的月份。"))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("请填写解锁原因。"))
    today = timezone.localdate()
    if today < lock_date(month):
        raise ValidationError(_("该月份尚未锁定,无需解锁。"))
    return MonthUnlock.objects.create(
        station=station,
        month=month,
        reason=reason,
        unlocked_by=by,
        open_until=today + datetime.timedelta(days=conf.unlock_days()),
    )


@transaction.atomic
def photo_add(*, report: ServiceReport, by, image, caption: str = "") -> ReportPhoto:
    from association.files import validate_upload

    _require_editor(by, report)
    if report.status not in EDITABLE_REPORT_STATUSES:
        raise ValidationError(_("月报已报送,不能添加照片。"))
    _require_open(report.station, report.month)
    validate_upload(image, types=("jpg", "jpeg", "png"), max_mb=5)
    if report.photos.count() >= 9:
        raise ValidationError(_("每份月报最多上传9张照片。"))
    return ReportPhoto.objects.create(report=report, image=image, caption=caption)


# --- assessments ---------------------------------------------------------------------------


@transaction.atomic
def assessment_score(
    *, round: AssessmentRound, station: Station, by, scores: dict, comment: str = ""
) -> Assessment:
    """Record an assessor's scores (indicator id -> Decimal) and compute the total and
    grade: total = Σ score / maximum × weight, graded by the round's thresholds."""
    _require_staff(by)
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
        raise ValidationError(_("考核结果已公布,不能再修改。"))
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


@transaction.atomic
def assessment_publish(*, assessment: Assessment, by) -> Assessment:
    """Publish a scored assessment: the operator and the station can then see it."""
    _require_staff(by)
    if not assessment.grade:
        raise ValidationError(_("尚未评分,不能公布。"))
    assessment.status = AssessmentStatus.PUBLISHED
    assessment.save(update_fields=["status"])
    return assessment
