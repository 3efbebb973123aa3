"""Court referrals: registration, sealing, consent, matching and assignment, sessions,
the social investigation report, closure, and the check on published stories.

Who may act: the referral's *manager* is its designated officer, sealed or not; other
staff register referrals but neither read nor manage them. Assigned experts act on their
own assignments once they accept them."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Case, Count, F, IntegerField, Q, When
from django.utils import timezone
from django.utils.translation import gettext as _

from association.accounts.choices import Role
from association.accounts.models import User
from association.accounts.roles import has_role
from association.audit.services import access_record

from .. import signals
from ..choices import (
    ACTIVE_ASSIGNMENT,
    SERVICE_DOMAIN,
    AssignmentStatus,
    ReferralService,
    ReferralStatus,
    ReportStatus,
    StoryStatus,
)
from ..models import (
    Assignment,
    Consent,
    Expert,
    InvestigationReport,
    Referral,
    ReferralSession,
    Story,
)
from ..permissions import can_read_referral_personal_data, referral_access_ground
from .common import require_staff, send_on_commit

R = ReferralStatus
TRANSITIONS: dict[str, set[str]] = {
    R.RECEIVED: {R.ASSIGNED, R.CLOSED},
    R.ASSIGNED: {R.IN_PROGRESS, R.CLOSED},
    R.IN_PROGRESS: {R.REPORTED, R.CLOSED},
    R.REPORTED: {R.CLOSED},
    R.CLOSED: set(),
}


def _move(referral: Referral, target: str) -> None:
    if target not in TRANSITIONS[referral.status]:
        raise ValidationError(
            _("转介当前状态为“%(state)s”,不能变更为“%(target)s”。")
            % {"state": referral.get_status_display(), "target": R(target).label}
        )
    referral.status = target


def can_manage(user: User, referral: Referral) -> bool:
    """The manager of a referral is its designated officer, sealed or not: other staff
    may not read its personal data (``projects.permissions``), so they do not manage it."""
    return referral.designated_officer_id == user.pk and can_read_referral_personal_data(
        user, referral
    )


def _require_manager(user: User, referral: Referral) -> None:
    if not can_manage(user, referral):
        raise PermissionDenied(_("只有该转介的指定负责人可以办理此事项。"))


def _lock(referral: Referral) -> Referral:
    return Referral.objects.select_for_update().get(pk=referral.pk)


def record_read(
    *, referral: Referral, user: User, reason: str = "", request=None, action="view_referral"
):
    """Every read of a referral's documents (page, PDF, letter, admin) goes to the access
    log with its reason: the ground on which the reader may read it (designated officer,
    accepted expert) and, for a sealed referral, the purpose the reader stated."""
    ground = referral_access_ground(user, referral)
    if ground is None:
        raise PermissionDenied(_("您无权查阅该转介。"))
    reason = reason.strip()
    if referral.sealed and not reason:
        raise ValidationError(_("查阅封存记录须填写事由。"))
    return access_record(
        user=user,
        obj=referral,
        action=action,
        reason=f"{ground}：{reason}" if reason else ground,
        request=request,
    )


@transaction.atomic
def referral_register(*, referral: Referral, by: User) -> Referral:
    """Staff register a commission letter; the designated officer must be staff."""
    from members.services import next_number

    require_staff(by)
    if not (
        referral.designated_officer.is_superuser
        or has_role(referral.designated_officer, Role.STAFF, Role.OFFICER)
    ):
        raise ValidationError({"designated_officer": _("指定负责人须为协会工作人员或负责人。")})
    unknown = set(referral.services) - set(ReferralService.values)
    if unknown or not referral.services:
        raise ValidationError({"services": _("请选择委托事项。")})
    referral.created_by = by
    referral.status = R.RECEIVED
    year = referral.received_on.year
    referral.reference = f"ZJ{year}-{next_number(f'projects:referral:{year}'):04d}"
    referral.full_clean()
    referral.save()
    return referral


@transaction.atomic
def referral_seal(*, referral: Referral, by: User, sealed: bool = True) -> Referral:
    """Seal (or, by the designated officer alone, unseal) a referral."""
    referral = _lock(referral)
    if sealed:
        _require_manager(by, referral)
    elif referral.designated_officer_id != by.pk:
        raise PermissionDenied(_("只有指定负责人可以解除封存。"))
    referral.sealed = sealed
    referral.save(update_fields=["sealed"])
    access_record(user=by, obj=referral, action="seal_referral" if sealed else "unseal_referral")
    return referral


def _active_expert_assignment(user: User, referral: Referral, service: str | None = None):
    assignments = Assignment.objects.filter(
        referral=referral, expert__user=user, status=AssignmentStatus.ACCEPTED
    )
    if service:
        assignments = assignments.filter(service=service)
    return assignments.first()


@transaction.atomic
def consent_record(*, consent: Consent, referral: Referral, by: User) -> Consent:
    if not (can_manage(by, referral) or _active_expert_assignment(by, referral)):
        raise PermissionDenied(_("您无权登记该转介的知情同意。"))
    if consent.recorded_on > timezone.localdate():
        raise ValidationError({"recorded_on": _("日期不能晚于今天。")})
    if set(consent.services) - set(referral.services):
        raise ValidationError({"services": _("同意的服务须在委托事项之内。")})
    consent.referral = referral
    consent.recorded_by = by
    consent.full_clean()
    consent.save()
    return consent


def consent_given(referral: Referral, service: str) -> bool:
    """The latest guardian record for this service says yes (a later refusal revokes)."""
    latest = (
        Consent.objects.filter(referral=referral, party="guardian", services__contains=[service])
        .order_by("-recorded_on", "-id")
        .first()
    )
    return latest is not None and latest.given


def experts_suggest(*, referral: Referral, service: str, limit: int = 10):
    """Experts of the service's domain who can take it: the referral's county first, then
    the least loaded. ``load`` counts their offered and accepted assignments."""
    return (
        Expert.objects.filter(
            domain=SERVICE_DOMAIN[ReferralService(service)],
            active=True,
            available=True,
            user__isnull=False,
        )
        .select_related("county")
        .annotate(
            load=Count("assignments", filter=Q(assignments__status__in=ACTIVE_ASSIGNMENT)),
            same_county=Case(
                When(county_id=referral.county_id, then=1), default=0, output_field=IntegerField()
            ),
        )
        .filter(load__lt=F("max_load"))
        .exclude(
            pk__in=Assignment.objects.filter(
                referral=referral, service=service, status__in=ACTIVE_ASSIGNMENT
            ).values("expert")
        )
        .order_by("-same_county", "load", "name", "pk")[:limit]
    )


@transaction.atomic
def assignment_create(*, referral: Referral, expert: Expert, service: str, by: User) -> Assignment:
    """The manager assigns an expert of the right domain with spare capacity; the expert
    row is locked so two assignments at once cannot overload them."""
    referral = _lock(referral)
    _require_manager(by, referral)
    if referral.status == R.CLOSED:
        raise ValidationError(_("已结案的转介不能再指派。"))
    if service not in referral.services:
        raise ValidationError(_("该事项不在委托事项之内。"))
    expert = Expert.objects.select_for_update().get(pk=expert.pk)
    if expert.domain != SERVICE_DOMAIN[ReferralService(service)]:
        raise ValidationError(_("专家的专业领域与承办事项不符。"))
    if not (expert.active and expert.available) or expert.user_id is None:
        raise ValidationError(_("该专家当前不能接受指派。"))
    load = expert.assignments.filter(status__in=ACTIVE_ASSIGNMENT).count()
    if load >= expert.max_load:
        raise ValidationError(_("该专家的承办量已达上限。"))
    assignment = Assignment(referral=referral, expert=expert, service=service, assigned_by=by)
    assignment.full_clean()
    assignment.save()
    if referral.status == R.RECEIVED:
        _move(referral, R.ASSIGNED)
        referral.save(update_fields=["status"])
    send_on_commit(signals.assignment_offered, assignment_id=assignment.pk)
    return assignment


def _require_expert(assignment: Assignment, by: User) -> None:
    if assignment.expert.user_id != by.pk:
        raise PermissionDenied(_("只有被指派的专家本人可以答复。"))


@transaction.atomic
def assignment_accept(*, assignment: Assignment, by: User) -> Assignment:
    assignment = (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("expert")
        .get(pk=assignment.pk)
    )
    _require_expert(assignment, by)
    if assignment.status != AssignmentStatus.OFFERED:
        raise ValidationError(_("该指派已答复。"))
    assignment.status = AssignmentStatus.ACCEPTED
    assignment.responded_at = timezone.now()
    assignment.save(update_fields=["status", "responded_at"])
    send_on_commit(signals.assignment_answered, assignment_id=assignment.pk, accepted=True)
    return assignment


@transaction.atomic
def assignment_decline(*, assignment: Assignment, by: User, reason: str) -> Assignment:
    assignment = (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("expert")
        .get(pk=assignment.pk)
    )
    _require_expert(assignment, by)
    if assignment.status != AssignmentStatus.OFFERED:
        raise ValidationError(_("该指派已答复。"))
    if not reason.strip():
        raise ValidationError({"decline_reason": _("请写明谢绝理由。")})
    assignment.status = AssignmentStatus.DECLINED
    assignment.responded_at = timezone.now()
    assignment.decline_reason = reason.strip()
    assignment.save(update_fields=["status", "responded_at", "decline_reason"])
    send_on_commit(signals.assignment_answered, assignment_id=assignment.pk, accepted=False)
    return assignment


@transaction.atomic
def session_log(
    *,
    assignment: Assignment,
    by: User,
    date: datetime.date,
    minutes: int,
    summary: str,
    next_steps: str = "",
) -> ReferralSession:
    """The assigned expert logs a session; the guardian must have consented to the
    service (the social investigation itself is ordered by the court and needs none)."""
    assignment = Assignment.objects.select_related("expert", "referral").get(pk=assignment.pk)
    _require_expert(assignment, by)
    if assignment.status != AssignmentStatus.ACCEPTED:
        raise ValidationError(_("请先接受指派。"))
    referral = _lock(assignment.referral)
    if referral.status == R.CLOSED:
        raise ValidationError(_("已结案的转介不能再登记服务。"))
    if assignment.service != ReferralService.INVESTIGATION and not consent_given(
        referral, assignment.service
    ):
        raise ValidationError(_("监护人尚未同意该项服务,请先登记知情同意。"))
    if date > timezone.localdate():
        raise ValidationError({"date": _("日期不能晚于今天。")})
    session = ReferralSession(
        referral=referral,
        assignment=assignment,
        date=date,
        minutes=minutes,
        summary=summary,
        next_steps=next_steps,
    )
    session.full_clean()
    session.save()
    if referral.status == R.ASSIGNED:
        _move(referral, R.IN_PROGRESS)
        referral.save(update_fields=["status"])
    return session


@transaction.atomic
def report_save(*, referral: Referral, by: User, sections: dict, finalise: bool = False):
    """The expert who accepted the social investigation writes the report's sections."""
    if not _active_expert_assignment(by, referral, ReferralService.INVESTIGATION):
        raise PermissionDenied(_("只有承办社会调查的专家可以撰写调查报告。"))
    report, _created = InvestigationReport.objects.select_for_update().get_or_create(
        referral=referral, defaults={"author": by}
    )
    if report.status != ReportStatus.DRAFT:
        raise ValidationError(_("报告已定稿,不能再修改。"))
    for name in InvestigationReport.SECTIONS:
        if name in sections:
            setattr(report, name, sections[name].strip())
    if finalise:
        missing = [
            str(InvestigationReport._meta.get_field(name).verbose_name)
            for name in InvestigationReport.SECTIONS
            if not getattr(report, name)
        ]
        if missing:
            raise ValidationError(
                _("定稿前请填写:%(sections)s。") % {"sections": "、".join(missing)}
            )
        report.status = ReportStatus.FINAL
        report.finalised_at = timezone.now()
    report.save()
    return report


@transaction.atomic
def report_deliver(*, referral: Referral, by: User, on: datetime.date) -> InvestigationReport:
    referral = _lock(referral)
    _require_manager(by, referral)
    report = getattr(referral, "report", None)
    if report is None or report.status != ReportStatus.FINAL:
        raise ValidationError(_("报告定稿后才能送达。"))
    if on > timezone.localdate():
        raise ValidationError(_("送达日期不能晚于今天。"))
    report.status = ReportStatus.DELIVERED
    report.delivered_on = on
    report.save(update_fields=["status", "delivered_on", "updated_at"])
    if referral.status in (R.ASSIGNED, R.IN_PROGRESS):
        if referral.status == R.ASSIGNED:
            _move(referral, R.IN_PROGRESS)
        _move(referral, R.REPORTED)
        referral.save(update_fields=["status"])
    return report


@transaction.atomic
def referral_close(*, referral: Referral, by: User, note: str) -> Referral:
    referral = _lock(referral)
    _require_manager(by, referral)
    if not note.strip():
        raise ValidationError({"closure_note": _("请填写结案说明。")})
    if ReferralService.INVESTIGATION in referral.services and referral.status != R.RECEIVED:
        report = InvestigationReport.objects.filter(referral=referral).first()
        if report is None or report.status != ReportStatus.DELIVERED:
            raise ValidationError(_("社会调查报告送达后才能结案。"))
    _move(referral, R.CLOSED)
    referral.closure_note = note.strip()
    referral.closed_on = timezone.localdate()
    referral.save(update_fields=["status", "closure_note", "closed_on"])
    referral.assignments.filter(status=AssignmentStatus.ACCEPTED).update(
        status=AssignmentStatus.COMPLETED
    )
    referral.assignments.filter(status=AssignmentStatus.OFFERED).update(
        status=AssignmentStatus.DECLINED, decline_reason=_("转介已结案")
    )
    return referral


# --- Stories ---------------------------------------------------------------------------


def _identifiers(referral: Referral) -> list[str]:
    names = []
    name = (referral.minor_name or "").strip()
    if name:
        names.append(name)
        if len(name) >= 3:  # the given name alone (王小明 → 小明)
            names.append(name[1:])
    for value in (referral.minor_school, referral.minor_address, referral.guardian_name):
        if value and value.strip():
            names.append(value.strip())
    return names


def story_problems(*, story: Story) -> list[str]:
    """What in the story would identify the minor: their name, school or address."""
    if story.referral_id is None:
        return []
    text = "".join(f"{story.title}\n{story.body}".split())
    problems = []
    labels = {
        "name": _("未成年人姓名"),
        "school": _("就读学校"),
        "address": _("住址"),
        "guardian": _("监护人姓名"),
    }
    referral = story.referral
    checks = [
        ("name", [v for v in _identifiers(referral)[:2] if v]),
        ("school", [referral.minor_school]),
        ("address", [referral.minor_address]),
        ("guardian", [referral.guardian_name]),
    ]
    for key, values in checks:
        for value in values:
            value = "".join((value or "").split())
            if value and value in text:
                problems.append(_("稿件含有%(what)s,发布前须删除。") % {"what": labels[key]})
                break
    return problems


@transaction.atomic
def story_publish(*, story: Story, by: User) -> Story:
    """Publish a story of a case once it names neither the minor nor their school or
    address (nor the guardian, whose name would identify the minor)."""
    require_staff(by)
    story = Story.objects.select_for_update().get(pk=story.pk)
    if story.referral_id and not can_manage(by, story.referral):
        raise PermissionDenied(_("只有该转介的指定负责人可以发布此稿件。"))
    problems = story_problems(story=story)
    if problems:
        raise ValidationError(problems)
    story.status = StoryStatus.PUBLISHED
    story.published_at = timezone.now()
    story.save(update_fields=["status", "published_at"])
    return story
