"""Court referrals: registration, sealing, consent, matching and assignment, sessions,
the social investigation report, closure, and the check on published stories.

Who may act: the referral's *manager* is its designated officer, sealed or not; other
staff register referrals but neither read nor manage them. Assigned experts act on their
own assignments once they accept them."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from association.accounts.choices import Role
from association.accounts.models import User
from association.accounts.roles import has_role, require, require_staff
from association.audit.services import access_record
from association.services import send_on_commit, service
from association.workflow import transition

from .. import signals
from ..choices import (
    ACTIVE_ASSIGNMENT,
    ASSIGNMENT_TRANSITIONS,
    REFERRAL_TRANSITIONS,
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
from ..permissions import (
    can_manage_referral,
    can_record_consent,
    is_assigned_expert,
    referral_access_ground,
    writes_investigation_report,
)
from ..rules import story_problems
from ..selectors import consent_given


def _lock(referral: Referral) -> Referral:
    return Referral.objects.select_for_update().get(pk=referral.pk)


def record_read(
    *, referral: Referral, user: User, reason: str = "", request=None, action="view_referral"
):
    """Every read of a referral's documents (page, PDF, letter, admin) goes to the access
    log with its reason: the ground on which the reader may read it (designated officer,
    accepted expert) and, for a sealed referral, the purpose the reader stated."""
    ground = referral_access_ground(user, referral)
    require(ground is not None, _("您无权查阅该转介。"))
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


@service
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
    referral.status = ReferralStatus.RECEIVED
    year = referral.received_on.year
    referral.reference = f"ZJ{year}-{next_number(f'projects:referral:{year}'):04d}"
    referral.full_clean()
    referral.save()
    return referral


@service
def referral_seal(*, referral: Referral, by: User, sealed: bool = True) -> Referral:
    """Seal (or, by the designated officer alone, unseal) a referral."""
    referral = _lock(referral)
    if sealed:
        require(can_manage_referral(by, referral), _("只有该转介的指定负责人可以办理此事项。"))
    else:
        require(referral.designated_officer_id == by.pk, _("只有指定负责人可以解除封存。"))
    referral.sealed = sealed
    referral.save(update_fields=["sealed"])
    access_record(user=by, obj=referral, action="seal_referral" if sealed else "unseal_referral")
    return referral


@service
def consent_record(*, consent: Consent, referral: Referral, by: User) -> Consent:
    require(can_record_consent(by, referral), _("您无权登记该转介的知情同意。"))
    if consent.recorded_on > timezone.localdate():
        raise ValidationError({"recorded_on": _("日期不能晚于今天。")})
    if set(consent.services) - set(referral.services):
        raise ValidationError({"services": _("同意的服务须在委托事项之内。")})
    consent.referral = referral
    consent.recorded_by = by
    consent.full_clean()
    consent.save()
    return consent


@service
def assignment_create(*, referral: Referral, expert: Expert, service: str, by: User) -> Assignment:
    """The manager assigns an expert of the right domain with spare capacity; the expert
    row is locked so two assignments at once cannot overload them."""
    referral = _lock(referral)
    require(can_manage_referral(by, referral), _("只有该转介的指定负责人可以办理此事项。"))
    if referral.status == ReferralStatus.CLOSED:
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
    if referral.status == ReferralStatus.RECEIVED:
        transition(referral, ReferralStatus.ASSIGNED, REFERRAL_TRANSITIONS)
        referral.save(update_fields=["status"])
    send_on_commit(signals.assignment_offered, "projects", assignment_id=assignment.pk)
    return assignment


@service
def assignment_accept(*, assignment: Assignment, by: User) -> Assignment:
    assignment = (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("expert")
        .get(pk=assignment.pk)
    )
    require(is_assigned_expert(by, assignment), _("只有被指派的专家本人可以答复。"))
    transition(assignment, AssignmentStatus.ACCEPTED, ASSIGNMENT_TRANSITIONS)
    assignment.responded_at = timezone.now()
    assignment.save(update_fields=["status", "responded_at"])
    send_on_commit(
        signals.assignment_answered, "projects", assignment_id=assignment.pk, accepted=True
    )
    return assignment


@service
def assignment_decline(*, assignment: Assignment, by: User, reason: str) -> Assignment:
    assignment = (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("expert")
        .get(pk=assignment.pk)
    )
    require(is_assigned_expert(by, assignment), _("只有被指派的专家本人可以答复。"))
    if not reason.strip():
        raise ValidationError({"decline_reason": _("请写明谢绝理由。")})
    transition(assignment, AssignmentStatus.DECLINED, ASSIGNMENT_TRANSITIONS)
    assignment.responded_at = timezone.now()
    assignment.decline_reason = reason.strip()
    assignment.save(update_fields=["status", "responded_at", "decline_reason"])
    send_on_commit(
        signals.assignment_answered, "projects", assignment_id=assignment.pk, accepted=False
    )
    return assignment


@service
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
    require(is_assigned_expert(by, assignment), _("只有被指派的专家本人可以答复。"))
    if assignment.status != AssignmentStatus.ACCEPTED:
        raise ValidationError(_("请先接受指派。"))
    referral = _lock(assignment.referral)
    if referral.status == ReferralStatus.CLOSED:
        raise ValidationError(_("已结案的转介不能再登记服务。"))
    if assignment.service != ReferralService.INVESTIGATION and not consent_given(
        referral, assignment.service
    ):
        raise ValidationError(_("监护人尚未同意该项服务，请先登记知情同意。"))
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
    if referral.status == ReferralStatus.ASSIGNED:
        transition(referral, ReferralStatus.IN_PROGRESS, REFERRAL_TRANSITIONS)
        referral.save(update_fields=["status"])
    return session


@service
def report_save(*, referral: Referral, by: User, sections: dict, finalise: bool = False):
    """The expert who accepted the social investigation writes the report's sections."""
    require(
        writes_investigation_report(by, referral),
        _("只有承办社会调查的专家可以撰写调查报告。"),
    )
    report, _created = InvestigationReport.objects.select_for_update().get_or_create(
        referral=referral, defaults={"author": by}
    )
    if report.status != ReportStatus.DRAFT:
        raise ValidationError(_("报告已定稿，不能再修改。"))
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
                _("定稿前请填写：%(sections)s。") % {"sections": "、".join(missing)}
            )
        report.status = ReportStatus.FINAL
        report.finalised_at = timezone.now()
    report.save()
    return report


@service
def report_deliver(*, referral: Referral, by: User, on: datetime.date) -> InvestigationReport:
    referral = _lock(referral)
    require(can_manage_referral(by, referral), _("只有该转介的指定负责人可以办理此事项。"))
    report = getattr(referral, "report", None)
    if report is None or report.status != ReportStatus.FINAL:
        raise ValidationError(_("报告定稿后才能送达。"))
    if on > timezone.localdate():
        raise ValidationError(_("送达日期不能晚于今天。"))
    report.status = ReportStatus.DELIVERED
    report.delivered_on = on
    report.save(update_fields=["status", "delivered_on", "updated_at"])
    if referral.status in (ReferralStatus.ASSIGNED, ReferralStatus.IN_PROGRESS):
        if referral.status == ReferralStatus.ASSIGNED:
            transition(referral, ReferralStatus.IN_PROGRESS, REFERRAL_TRANSITIONS)
        transition(referral, ReferralStatus.REPORTED, REFERRAL_TRANSITIONS)
        referral.save(update_fields=["status"])
    return report


@service
def referral_close(*, referral: Referral, by: User, note: str) -> Referral:
    referral = _lock(referral)
    require(can_manage_referral(by, referral), _("只有该转介的指定负责人可以办理此事项。"))
    if not note.strip():
        raise ValidationError({"closure_note": _("请填写结案说明。")})
    if (
        ReferralService.INVESTIGATION in referral.services
        and referral.status != ReferralStatus.RECEIVED
    ):
        report = InvestigationReport.objects.filter(referral=referral).first()
        if report is None or report.status != ReportStatus.DELIVERED:
            raise ValidationError(_("社会调查报告送达后才能结案。"))
    transition(referral, ReferralStatus.CLOSED, REFERRAL_TRANSITIONS)
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


# --- The expert pool and stories --------------------------------------------------------


@service
def expert_save(*, expert: Expert, by: User) -> Expert:
    """Staff enrol an expert in the pool (with their portal account, if they have one) or
    amend their particulars, availability and load."""
    require_staff(by)
    expert.full_clean()
    expert.save()
    return expert


@service
def story_save(*, story: Story, by: User) -> Story:
    """Staff write or amend a story's draft (``story_publish`` publishes it)."""
    require_staff(by)
    if story.pk is None:
        story.author = by
    elif story.status == StoryStatus.PUBLISHED:
        raise ValidationError(_("已发布的稿件不能修改。"))
    story.full_clean()
    story.save()
    return story


# --- Stories ---------------------------------------------------------------------------


@service
def story_publish(*, story: Story, by: User) -> Story:
    """Publish a story of a case once it names neither the minor nor their school or
    address (nor the guardian, whose name would identify the minor)."""
    require_staff(by)
    story = Story.objects.select_for_update().get(pk=story.pk)
    if story.referral_id:
        require(
            can_manage_referral(by, story.referral),
            _("只有该转介的指定负责人可以发布此稿件。"),
        )
    problems = story_problems(story=story)
    if problems:
        raise ValidationError(problems)
    story.status = StoryStatus.PUBLISHED
    story.published_at = timezone.now()
    story.save(update_fields=["status", "published_at"])
    return story
