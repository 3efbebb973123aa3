"""State changes of the stations app: one transaction each (``@service``, which also
names the actor and the service in the change history), permission and rule checks, the
audit trail (pghistory triggers plus the report workflow log), signals after commit."""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from association.accounts.roles import is_association_staff, require, require_staff
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
    ReportStatus,
    StationStatus,
)
from .models import (
    AreaYearTotal,
    Assessment,
    AssessmentIndicator,
    AssessmentRound,
    AssessmentScore,
    BuildTarget,
    ChecklistEntry,
    CountyReviewer,
    MonthUnlock,
    ReportEvent,
    ReportPhoto,
    SentReminder,
    ServiceArea,
    ServiceContract,
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
    can_review_reports,
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
    service_areas=None,
    **fields,
) -> Station:
    """A new station of a township, with its first dated status (and, if given, the
    service areas it covers)."""
    require_staff(by)
    if region.level != Level.TOWNSHIP:
        raise ValidationError(_("社工站只能设在乡镇（街道）。"))
    station = Station(region=region, name=name, operator=operator, **fields)
    station.full_clean(exclude=["service_areas"])
    station.save()
    if service_areas is not None:
        station.service_areas.set(service_areas)
    station_status_record(station=station, status=status, effective_on=effective_on, by=by)
    station.refresh_from_db()
    return station


@service
def station_update(*, station: Station, by, service_areas=None, **fields) -> Station:
    """Change a station's particulars (name, operator, address, contacts, opening hours,
    notes, service areas); its status changes only through ``station_status_record``."""
    require_staff(by)
    governed = {"region", "current_status", "opened_on", "closed_on"} & set(fields)
    if governed:
        raise ValidationError(_("社工站的区划和状态不能在此修改。"))
    station = Station.objects.select_for_update().get(pk=station.pk)
    for field, value in fields.items():
        setattr(station, field, value)
    station.full_clean(exclude=["service_areas"])
    station.save()
    if service_areas is not None:
        station.service_areas.set(service_areas)
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


# --- the build plan, the checklist, the contracts ----------------------------------------


@service
def build_target_set(
    *, county, year: int, due_on: datetime.date, target_operating: int, by, note: str = ""
) -> BuildTarget:
    """Set a county's build target of a year (a second call for the same county and year
    replaces the figures: the plan was revised)."""
    require_staff(by)
    if county.level != Level.COUNTY:
        raise ValidationError(_("建设计划须按县（市、区）制定。"))
    target = BuildTarget.objects.filter(county=county, year=year).first() or BuildTarget(
        county=county, year=year
    )
    target.due_on = due_on
    target.target_operating = target_operating
    target.note = note
    target.full_clean()
    target.save()
    return target


@service
def checklist_record(
    *,
    station: Station,
    results: dict[str, bool],
    by,
    checked_on: datetime.date | None = None,
    note: str = "",
    evidence: dict | None = None,
) -> list[ChecklistEntry]:
    """Record a check of a station's “五有” items: ``results`` maps each item checked to
    whether it is met (a later check of an item replaces the earlier one; the change
    history keeps both). ``evidence`` maps an item to its new evidence file (``""``
    removes it); the items it leaves out keep theirs."""
    from association.files import validate_upload

    require_staff(by)
    evidence = evidence or {}
    today = timezone.localdate()
    checked_on = checked_on or today
    if checked_on > today:
        raise ValidationError(_("核查日期不能晚于今天。"))
    known = {entry.item: entry for entry in ChecklistEntry.objects.filter(station=station)}
    entries = []
    for item, is_met in results.items():
        entry = known.get(item) or ChecklistEntry(station=station, item=item)
        entry.is_met = is_met
        entry.checked_on = checked_on
        entry.note = note
        if item in evidence:
            if evidence[item] and not getattr(evidence[item], "_committed", False):
                validate_upload(evidence[item])
            entry.evidence = evidence[item] or ""
        entry.full_clean(exclude=["station"], validate_unique=False, validate_constraints=False)
        entry.save()
        entries.append(entry)
    return entries


@service
def contract_record(
    *,
    station: Station,
    year: int,
    purchaser: str,
    amount: Decimal,
    starts_on: datetime.date,
    ends_on: datetime.date,
    by,
    number: str = "",
) -> ServiceContract:
    """Register a purchase-of-service contract that funds a station."""
    require_staff(by)
    contract = ServiceContract(
        station=station,
        year=year,
        purchaser=purchaser,
        amount=amount,
        starts_on=starts_on,
        ends_on=ends_on,
        number=number,
    )
    # The station is given; the period and amount checks in Python spare the constraint
    # queries (the database enforces them as well).
    contract.full_clean(exclude=["station"], validate_constraints=False)
    errors = {}
    if ends_on < starts_on:
        errors["ends_on"] = _("服务期止不能早于服务期起。")
    if amount < 0:
        errors["amount"] = _("合同金额不能为负数。")
    if errors:
        raise ValidationError(errors)
    contract.save()
    return contract


# --- county reviewers and the catalogues ----------------------------------------------


@service
def county_reviewer_assign(*, county, user, by) -> CountyReviewer:
    """Make ``user`` a reviewer of a county's station reports."""
    require_staff(by)
    if county.level != Level.COUNTY:
        raise ValidationError(_("县级审核人须按县（市、区）指定。"))
    reviewer = CountyReviewer(county=county, user=user)
    reviewer.full_clean()
    reviewer.save()
    return reviewer


@service
def county_reviewer_remove(*, reviewer: CountyReviewer, by) -> None:
    """End a user's review of a county's station reports."""
    require_staff(by)
    CountyReviewer.objects.filter(pk=reviewer.pk).delete()


@service
def catalogue_entry_save(*, entry: ServiceArea | WorkKind, by) -> ServiceArea | WorkKind:
    """Add a service area or kind of work, or rename, reorder, retire or restore one. Its
    code never changes once saved (the defaults are known by it)."""
    require_staff(by)
    model = type(entry)
    if entry.pk is not None:
        code = model.objects.filter(pk=entry.pk).values_list("code", flat=True).first()
        if code is not None and code != entry.code:
            raise ValidationError(_("目录项的代码保存后不能修改。"))
    entry.full_clean()
    entry.save()
    return entry


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


def _area_totals_sql(where: str) -> str:
    """The sums by station, year and area of the lines of the reports ``where`` selects
    (``r`` is the report), as rows to insert into :class:`AreaYearTotal`."""
    return f"""
        INSERT INTO {AreaYearTotal._meta.db_table}
            (station_id, year, area_id, activities, person_times)
        SELECT r.station_id, EXTRACT(YEAR FROM r.month)::int, l.area_id,
               SUM(l.activities), SUM(l.person_times)
        FROM {ServiceReportLine._meta.db_table} l
        JOIN {ServiceReport._meta.db_table} r ON r.id = l.report_id
        WHERE {where}
        GROUP BY r.station_id, EXTRACT(YEAR FROM r.month), l.area_id
    """  # noqa: S608 - table names from the models, no user input


def add_to_area_totals(report_ids: list[int]) -> None:
    """Add the lines of reports being approved to their stations' yearly sums by area
    (:class:`AreaYearTotal`), in the caller's transaction. Called once per report, by the
    services that approve it: a report is approved once and its lines stay as they are."""
    table = AreaYearTotal._meta.db_table
    upsert = f"""
        ON CONFLICT (station_id, year, area_id) DO UPDATE
        SET activities = {table}.activities + EXCLUDED.activities,
            person_times = {table}.person_times + EXCLUDED.person_times
    """  # noqa: S608 - the table name from the model
    with connection.cursor() as cursor:
        cursor.execute(_area_totals_sql("r.id = ANY(%s)") + upsert, [list(report_ids)])


@transaction.atomic
def rebuild_area_totals() -> int:
    """Compute every :class:`AreaYearTotal` again from the approved reports' lines (after
    a bulk load that bypassed the services, such as the benchmark's generator). Returns
    the number of rows."""
    AreaYearTotal.objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute(_area_totals_sql("r.status = %s"), [ReportStatus.APPROVED])
        return cursor.rowcount


def _act(report: ServiceReport, action: str, *, by, comment: str = "") -> None:
    """Take a workflow action on a report locked by the caller: move it along
    ``REPORT_TRANSITIONS`` and log the action (the caller saves the report). Approval
    adds the report's lines to the yearly sums by area."""
    previous = transition(report, REPORT_ACTION_TARGETS[action], REPORT_TRANSITIONS)
    if report.status == ReportStatus.APPROVED:
        add_to_area_totals([report.pk])
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
    try:
        return reports_submit_many(rows=rows, by=by)
    except ValidationError as error:  # a race with another user: report and roll back
        raise BulkError(error.messages) from error


@service
def reports_submit_many(*, rows: list[dict], by) -> list[ServiceReport]:
    """Submit many months of many stations at once, every one or none (the bulk upload's
    path): each row is ``station``, ``month``, ``lines``, ``volunteers``, ``narrative``.

    The rules of ``report_start``/``report_save``/``report_submit``, checked for the whole
    batch in a few queries: ``by`` writes each station's reports, the month is over, the
    station operated in it, it is not locked, the report is new or still editable, the
    figures pass ``report_errors``. Each report goes draft (or returned) → submitted with
    its logged action, its outlier check, and the reviewers' notice after commit."""
    if not rows:
        return []
    today = timezone.localdate()
    stations = {row["station"].pk: row["station"] for row in rows}
    station_ids = list(stations)
    writable = set(
        Station.objects.filter(pk__in=station_ids)
        .filter(
            Q(operator__admins__user=by)
            | Q(
                pk__in=StaffAssignment.objects.current()
                .filter(worker__user=by)
                .values("station_id")
            )
        )
        .values_list("pk", flat=True)
    )
    history = StatusHistory.for_stations(station_ids)
    months = {row["month"] for row in rows}
    existing = {
        (r.station_id, r.month): r
        for r in ServiceReport.objects.select_for_update().filter(
            station_id__in=station_ids, month__in=months
        )
    }
    unlocked = set(
        MonthUnlock.objects.filter(
            station_id__in=station_ids, month__in=months, open_until__gte=today
        ).values_list("station_id", "month")
    )
    received = defaultdict(list)  # station -> [(month, person-times)], latest first
    for station_id, month, person_times in (
        ServiceReport.objects.filter(
            station_id__in=station_ids,
            month__lt=max(months),
            status__in=[ReportStatus.SUBMITTED, ReportStatus.APPROVED],
        )
        .order_by("station_id", "-month")
        .values_list("station_id", "month", "total_person_times")
    ):
        received[station_id].append((month, person_times))
    errors, seen = [], set()
    for row in rows:
        station, month = row["station"], row["month"]
        label = f"{station.name} {month:%Y年%m月}："
        problems = []
        if station.pk not in writable:
            problems.append(_("只有本站驻站社工或运营机构管理员可以填报月报。"))
        if month.day != 1 or month >= today.replace(day=1):
            problems.append(_("只能报送已结束月份的月报"))
        elif not history.operating_in_month(station.pk, month):
            problems.append(_("该站 %(month)s 不在运营状态") % {"month": f"{month:%Y-%m}"})
        if today >= lock_date(month) and (station.pk, month) not in unlocked:
            problems.append(_("该月已锁定，请联系协会工作人员解锁"))
        report = existing.get((station.pk, month))
        if report is not None and report.status not in EDITABLE_REPORT_STATUSES:
            problems.append(_("月报已报送，不能修改。"))
        if (station.pk, month) in seen:
            problems.append(_("同一站点同一月份重复"))
        seen.add((station.pk, month))
        problems += report_errors(row["lines"], narrative=row["narrative"], for_submit=True)
        if row["volunteers"] < 0:
            problems.append(_("志愿者人次不能为负数。"))
        if problems:
            errors.append(label + "；".join(problems))
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    new, changed, reports, previous = [], [], [], []
    for row in rows:
        station, month = row["station"], row["month"]
        report = existing.get((station.pk, month))
        if report is None:
            report = ServiceReport(station=station, month=month)
            new.append(report)
        else:
            changed.append(report)
        lines = row["lines"]
        report.volunteers = row["volunteers"]
        report.narrative = row["narrative"]
        report.total_activities = sum(a for a, _p in lines.values())
        report.total_person_times = sum(p for _a, p in lines.values())
        previous.append(transition(report, ReportStatus.SUBMITTED, REPORT_TRANSITIONS))
        report.submitted_at = now
        report.submitted_by = by
        report.first_submitted_at = report.first_submitted_at or now
        history_of = [p for m, p in received[station.pk] if m < month][:12]
        report.is_outlier, report.outlier_note = selectors.outlier_of(
            report.total_person_times, history_of
        )
        reports.append(report)
    ServiceReport.objects.bulk_create(new)
    fields = [
        "status",
        "volunteers",
        "narrative",
        "total_activities",
        "total_person_times",
        "submitted_at",
        "submitted_by",
        "first_submitted_at",
        "is_outlier",
        "outlier_note",
        "updated_at",
    ]
    for report in changed:
        report.updated_at = now
    ServiceReport.objects.bulk_update(changed, fields)
    ServiceReportLine.objects.filter(report__in=changed).delete()
    ServiceReportLine.objects.bulk_create(
        ServiceReportLine(report=report, area=area, kind=kind, activities=a, person_times=p)
        for report, row in zip(reports, rows, strict=True)
        for (area, kind), (a, p) in row["lines"].items()
        if a or p
    )
    ReportEvent.objects.bulk_create(
        ReportEvent(
            report=report,
            action=ReportAction.SUBMIT,
            from_status=from_status,
            to_status=report.status,
            by=by,
        )
        for report, from_status in zip(reports, previous, strict=True)
    )
    for report in reports:
        send_on_commit(signals.report_submitted, "stations", report_id=report.pk)
    return reports


@service
def reports_approve_many(*, reports, by, comment: str = "") -> list[ServiceReport]:
    """Approve many submitted reports at once, every one or none (the reviewer's "approve
    the selected reports"): the rules of ``report_approve`` in a few queries."""
    require(can_review_reports(by), _("只有协会工作人员或本县审核人可以审核月报。"))
    ids = [report.pk for report in reports]
    locked = list(
        ServiceReport.objects.select_for_update(of=("self",))
        .filter(pk__in=ids)
        .select_related("station__region")
        .order_by("pk")
    )
    reviewed_counties = (
        None
        if is_association_staff(by)
        else set(by.station_reviews.values_list("county_id", flat=True))
    )
    errors = []
    for report in locked:
        label = f"{report.station.name} {report.month:%Y年%m月}："
        if reviewed_counties is not None and (
            report.station.region.parent_id not in reviewed_counties
        ):
            errors.append(label + _("只有协会工作人员或本县审核人可以审核月报。"))
        elif not can_transition(report, ReportStatus.APPROVED, REPORT_TRANSITIONS):
            errors.append(label + _("只有已报送的月报可以审核通过。"))
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    events = []
    for report in locked:
        previous = transition(report, ReportStatus.APPROVED, REPORT_TRANSITIONS)
        report.reviewed_at = now
        report.reviewed_by = by
        report.review_comment = comment
        report.updated_at = now
        events.append(
            ReportEvent(
                report=report,
                action=ReportAction.APPROVE,
                from_status=previous,
                to_status=report.status,
                by=by,
                comment=comment,
            )
        )
    ServiceReport.objects.bulk_update(
        locked, ["status", "reviewed_at", "reviewed_by", "review_comment", "updated_at"]
    )
    ReportEvent.objects.bulk_create(events)
    add_to_area_totals([report.pk for report in locked])
    for report in locked:
        send_on_commit(signals.report_approved, "stations", report_id=report.pk)
    return locked


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
def assessment_round_create(
    *,
    year: int,
    title: str,
    by,
    indicators: list[tuple[str, Decimal, Decimal, str]],
    **thresholds: Decimal,
) -> AssessmentRound:
    """Open a year's assessment with its indicators: (name, weight, maximum, guidance),
    in order; the weights add up to 100. ``thresholds`` (``excellent_from``,
    ``good_from``, ``pass_from``) replace the default grade thresholds. The indicators
    are fixed once the round is open: the scores refer to them."""
    require_staff(by)
    unknown = set(thresholds) - set(ROUND_THRESHOLDS)
    if unknown:
        raise TypeError(f"unknown thresholds: {sorted(unknown)}")
    if AssessmentRound.objects.filter(year=year).exists():
        raise ValidationError(_("%(year)s年度的考核已经设立。") % {"year": year})
    if sum((Decimal(weight) for _n, weight, _m, _g in indicators), Decimal(0)) != 100:
        raise ValidationError(_("各项指标的权重之和应为100。"))
    round_ = AssessmentRound(year=year, title=title, **thresholds)
    round_.full_clean()
    round_.save()
    for order, (name, weight, maximum, guidance) in enumerate(indicators):
        indicator = AssessmentIndicator(
            round=round_, name=name, weight=weight, maximum=maximum, guidance=guidance, order=order
        )
        indicator.full_clean()
        indicator.save()
    return round_


ROUND_THRESHOLDS = ("excellent_from", "good_from", "pass_from")


@service
def assessment_round_update(
    *, round: AssessmentRound, by, title: str | None = None, **thresholds: Decimal
) -> AssessmentRound:
    """Rename a round or move its grade thresholds; the thresholds only while none of its
    assessments is scored (a grade once given follows the thresholds it was given by)."""
    require_staff(by)
    unknown = set(thresholds) - set(ROUND_THRESHOLDS)
    if unknown:
        raise TypeError(f"unknown thresholds: {sorted(unknown)}")
    round_ = AssessmentRound.objects.select_for_update().get(pk=round.pk)
    moved = {k: v for k, v in thresholds.items() if getattr(round_, k) != v}
    if moved and round_.assessments.exclude(grade="").exists():
        raise ValidationError(_("本年度已有评分结果，分数线不能再修改。"))
    if title is not None:
        round_.title = title
    for field, value in moved.items():
        setattr(round_, field, value)
    round_.full_clean()
    round_.save()
    return round_


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
