"""The graduates' pipeline. The allowed moves of ``Application.status`` are listed once,
in ``choices.APPLICATION_TRANSITIONS``; every service below moves an application only
through ``_transition`` (``association.workflow``), which also writes the move's log row."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from association.accounts.choices import Role
from association.accounts.models import User
from association.accounts.roles import require, require_staff
from association.accounts.services import user_create
from association.services import send_on_commit, service
from association.workflow import can_transition, transition

from .. import signals
from ..choices import APPLICATION_TRANSITIONS, ApplicationStatus, TeamRole
from ..models import (
    Agreement,
    Application,
    ApplicationTransition,
    Assessment,
    Attendance,
    FollowUp,
    InterviewScore,
    Preference,
    Project,
    RecruitmentRound,
    RoundQuota,
    TeamMember,
    TrainingSession,
)
from ..permissions import is_applicant, is_mentor
from ..rules import eligibility_failures
from ..selectors import eligibility_rules, seats_taken

MAX_PREFERENCES = 3


def _lock(application: Application) -> Application:
    return Application.objects.select_for_update().get(pk=application.pk)


def _transition(application: Application, target: str, *, by: User, note: str = "") -> None:
    """Move a locked application through ``APPLICATION_TRANSITIONS``, write the move to its
    log (``ApplicationTransition``) and announce it after commit; the caller saves."""
    if not can_transition(application, target, APPLICATION_TRANSITIONS):
        # the pipeline's own wording (graduates and staff read it on the application page)
        raise ValidationError(
            _("报名当前状态为“%(state)s”，不能变更为“%(target)s”。")
            % {
                "state": application.get_status_display(),
                "target": ApplicationStatus(target).label,
            },
            code="invalid_transition",
        )
    previous = transition(application, target, APPLICATION_TRANSITIONS)
    ApplicationTransition.objects.create(
        application=application, from_status=previous, to_status=target, by=by, note=note
    )
    send_on_commit(
        signals.application_moved, "projects", application_id=application.pk, status=target
    )


@service
def application_submit(
    *,
    round_: RecruitmentRound,
    application: Application,
    preferences: list[Project],
    user: User | None = None,
    account: dict | None = None,
    today: datetime.date | None = None,
) -> Application:
    """A graduate applies to an open round. ``application`` is unsaved (résumé already
    checked by the form); ``user`` is the signed-in graduate, or ``account`` (email,
    password, display_name) makes a new account with the role 申请人."""
    today = today or timezone.localdate()
    if not round_.is_open(today):
        raise ValidationError(_("本批次不在报名时间内。"))
    if not preferences:
        raise ValidationError({"preferences": _("请至少填报一个意向项目。")})
    if len(preferences) > MAX_PREFERENCES:
        raise ValidationError({"preferences": _("最多填报三个意向项目。")})
    if len({p.pk for p in preferences}) != len(preferences):
        raise ValidationError({"preferences": _("同一项目不能重复填报。")})
    offered = set(
        RoundQuota.objects.filter(round=round_, seats__gt=0).values_list("project_id", flat=True)
    )
    if any(p.pk not in offered for p in preferences):
        raise ValidationError({"preferences": _("所选项目不在本批次招募范围内。")})
    failures = eligibility_failures(
        eligibility_rules(round_),
        {
            "graduation_year": application.graduation_year,
            "major": application.major,
            "university": application.university,
            "degree": application.degree,
        },
    )
    if failures:
        raise ValidationError(failures)
    if user is None:
        user = user_create(**account)
    elif Application.objects.filter(round=round_, applicant=user).exists():
        raise ValidationError(_("您已报名本批次，请在“我的报名”中查看进度。"))
    user.groups.add(Group.objects.get(name=Role.APPLICANT.value))
    application.round = round_
    application.applicant = user
    application.status = ApplicationStatus.SUBMITTED
    application.full_clean()
    application.save()
    Preference.objects.bulk_create(
        Preference(application=application, project=project, rank=rank)
        for rank, project in enumerate(preferences, start=1)
    )
    ApplicationTransition.objects.create(
        application=application, from_status="", to_status=ApplicationStatus.SUBMITTED, by=user
    )
    send_on_commit(signals.application_submitted, "projects", application_id=application.pk)
    return application


@service
def application_screen(
    *, application: Application, by: User, passed: bool, note: str = ""
) -> Application:
    """Staff check the papers: passed goes on to interview, failed is rejected (with why)."""
    require_staff(by)
    application = _lock(application)
    if not passed and not note.strip():
        raise ValidationError({"screening_note": _("未通过资格审查的，请写明原因。")})
    _transition(
        application,
        ApplicationStatus.SCREENED if passed else ApplicationStatus.REJECTED,
        by=by,
        note=note.strip(),
    )
    application.screening_note = note.strip()
    if not passed:
        application.decision_reason = note.strip()
    application.save()
    return application


@service
def interview_score_add(
    *, application: Application, by: User, score: Decimal, comment: str = ""
) -> InterviewScore:
    """An interviewer's score; the first one marks the applicant as interviewed."""
    require_staff(by)
    application = _lock(application)
    if application.status == ApplicationStatus.SCREENED:
        _transition(application, ApplicationStatus.INTERVIEWED, by=by)
        application.save()
    elif application.status != ApplicationStatus.INTERVIEWED:
        raise ValidationError(_("只有通过资格审查的申请人可以录入面试成绩。"))
    if InterviewScore.objects.filter(application=application, interviewer=by).exists():
        raise ValidationError(_("每位面试官对同一申请人只评一次分。"))
    result = InterviewScore(application=application, interviewer=by, score=score, comment=comment)
    result.full_clean()
    result.save()
    return result


@service
def application_offer(*, application: Application, project: Project, by: User) -> Application:
    """Select an interviewed applicant for one of their preferred projects. The project's
    quota row of the round is locked first, so two staff selecting at once never fill
    more seats than the quota (a declined offer frees its seat)."""
    require_staff(by)
    try:
        quota = RoundQuota.objects.select_for_update().get(
            round_id=application.round_id, project=project
        )
    except RoundQuota.DoesNotExist:
        raise ValidationError(_("该项目在本批次没有招募名额。")) from None
    application = _lock(application)
    if not Preference.objects.filter(application=application, project=project).exists():
        raise ValidationError(_("只能录取到申请人填报的意向项目。"))
    if seats_taken(round_id=application.round_id, project_id=project.pk) >= quota.seats:
        raise ValidationError(
            _("“%(project)s”本批次的 %(seats)s 个名额已满。")
            % {"project": project.name, "seats": quota.seats}
        )
    _transition(application, ApplicationStatus.OFFERED, by=by)
    application.project = project
    application.offered_at = timezone.now()
    application.save()
    return application


@service
def application_reject(*, application: Application, by: User, reason: str) -> Application:
    require_staff(by)
    if not reason.strip():
        raise ValidationError({"decision_reason": _("请写明不予录取的原因。")})
    application = _lock(application)
    _transition(application, ApplicationStatus.REJECTED, by=by, note=reason.strip())
    application.decision_reason = reason.strip()
    application.save()
    return application


@service
def offer_accept(*, application: Application, by: User) -> Application:
    """The graduate accepts the offer and joins the project's team."""
    require(is_applicant(by, application), _("只有申请人本人可以确认录取。"))
    application = _lock(application)
    _transition(application, ApplicationStatus.ACCEPTED, by=by)
    application.responded_at = timezone.now()
    application.save()
    member, _created = TeamMember.objects.get_or_create(
        project_id=application.project_id,
        user=by,
        defaults={
            "name": application.name,
            "role": TeamRole.MEMBER,
            "application": application,
            "joined_on": timezone.localdate(),
        },
    )
    if member.left_on is not None:
        member.left_on = None
        member.application = application
        member.save(update_fields=["left_on", "application"])
    return application


@service
def offer_decline(*, application: Application, by: User, reason: str = "") -> Application:
    """The graduate declines: the seat goes back to the project's quota."""
    require(is_applicant(by, application), _("只有申请人本人可以确认录取。"))
    application = _lock(application)
    _transition(application, ApplicationStatus.DECLINED, by=by, note=reason.strip())
    application.responded_at = timezone.now()
    application.decision_reason = reason.strip()
    application.save()
    return application


@service
def agreement_sign(
    *,
    application: Application,
    by: User,
    signed_on: datetime.date,
    starts_on: datetime.date,
    ends_on: datetime.date,
    monthly_stipend: Decimal,
    signed_file,
) -> Agreement:
    """Record the signed service agreement: the graduate starts serving."""
    require_staff(by)
    application = _lock(application)
    if signed_on > timezone.localdate():
        raise ValidationError({"signed_on": _("签署日期不能晚于今天。")})
    _transition(application, ApplicationStatus.SERVING, by=by)
    application.save()
    agreement = Agreement(
        application=application,
        signed_on=signed_on,
        starts_on=starts_on,
        ends_on=ends_on,
        monthly_stipend=monthly_stipend,
        signed_file=signed_file,
        recorded_by=by,
    )
    agreement.full_clean()
    agreement.save()
    return agreement


@service
def training_session_create(*, session: TrainingSession, by: User) -> TrainingSession:
    """Staff schedule a training session of a programme (attendance is taken after it)."""
    require_staff(by)
    session.full_clean()
    session.save()
    return session


@service
def attendance_take(
    *, session: TrainingSession, applications: list[Application], by: User
) -> list[Attendance]:
    """Take a session's attendance at once (the ticked graduates): each is recorded with
    ``attendance_record``, all or none; graduates already recorded are left as they are."""
    require_staff(by)
    if not applications:
        raise ValidationError(_("请勾选出席培训的毕业生。"))
    recorded = set(
        Attendance.objects.filter(session=session).values_list("application_id", flat=True)
    )
    return [
        attendance_record(session=session, application=application, by=by)
        for application in applications
        if application.pk not in recorded
    ]


@service
def attendance_record(
    *, session: TrainingSession, application: Application, by: User, hours: Decimal | None = None
) -> Attendance:
    """A graduate attended a training session. If the graduate is a registered social
    worker (members), the hours are added to their continuing education."""
    require_staff(by)
    if application.round.programme_id != session.programme_id:
        raise ValidationError(_("该毕业生不属于本培训所在的计划。"))
    if application.status not in (
        ApplicationStatus.ACCEPTED,
        ApplicationStatus.SERVING,
        ApplicationStatus.COMPLETED,
    ):
        raise ValidationError(_("只有已接受录取的毕业生可以登记培训出勤。"))
    if session.date > timezone.localdate():
        raise ValidationError(_("培训尚未举行，不能登记出勤。"))
    hours = hours if hours is not None else session.hours
    if hours > session.hours:
        raise ValidationError({"hours": _("实际学时不能超过培训学时。")})
    attendance = Attendance(session=session, application=application, hours=hours)
    attendance.full_clean()
    worker = getattr(application.applicant, "social_worker", None)
    if worker is None:
        attendance.education_note = _("申请人未登记为社会工作者，学时未计入继续教育。")
    else:
        from members.choices import EducationKind
        from members.models import ContinuingEducation
        from members.services import education_add

        attendance.education = education_add(
            worker=worker,
            by=by,
            record=ContinuingEducation(
                date=session.date,
                hours=hours,
                kind=EducationKind.TRAINING,
                title=session.title[:200],
                provider=session.programme.name[:200],
            ),
        )
        attendance.education_note = _("已计入继续教育学时。")
    attendance.save()
    return attendance


@service
def assessment_record(
    *,
    application: Application,
    by: User,
    period: str,
    score: Decimal,
    strengths: str = "",
    improvements: str = "",
    on: datetime.date | None = None,
) -> Assessment:
    """The project's mentor assesses a serving graduate once per period."""
    require(is_mentor(by, application.project_id), _("只有本项目的督导可以考核。"))
    if application.status != ApplicationStatus.SERVING:
        raise ValidationError(_("只有服务中的毕业生可以考核。"))
    if Assessment.objects.filter(application=application, period=period.strip()).exists():
        raise ValidationError({"period": _("本考核期已考核。")})
    assessment = Assessment(
        application=application,
        period=period.strip(),
        score=score,
        strengths=strengths,
        improvements=improvements,
        assessor=by,
        assessed_on=on or timezone.localdate(),
    )
    assessment.full_clean()
    assessment.save()
    return assessment


@service
def application_complete(
    *, application: Application, by: User, on: datetime.date | None = None
) -> Application:
    """The service period is over: the graduate gets a numbered completion certificate."""
    from members.services import next_number

    require_staff(by)
    application = _lock(application)
    on = on or timezone.localdate()
    _transition(application, ApplicationStatus.COMPLETED, by=by)
    code = application.round.programme.code.upper()
    number = next_number(f"projects:certificate:{code}:{on.year}")
    application.completed_on = on
    application.certificate_number = f"{code}-{on.year}-{number:04d}"
    application.save()
    TeamMember.objects.filter(application=application, left_on__isnull=True).update(left_on=on)
    return application


@service
def application_withdraw(*, application: Application, by: User, reason: str) -> Application:
    """The graduate (or staff for them) withdraws, with the reason."""
    if not is_applicant(by, application):
        require_staff(by)
    if not reason.strip():
        raise ValidationError({"decision_reason": _("请写明撤回申请的原因。")})
    application = _lock(application)
    _transition(application, ApplicationStatus.WITHDRAWN, by=by, note=reason.strip())
    application.decision_reason = reason.strip()
    application.save()
    TeamMember.objects.filter(application=application, left_on__isnull=True).update(
        left_on=timezone.localdate()
    )
    return application


@service
def follow_up_record(
    *,
    application: Application,
    by: User,
    contacted_on: datetime.date,
    outcome: str,
    employer: str = "",
    note: str = "",
) -> FollowUp:
    """What the graduate did after the service (tracked after completion or withdrawal)."""
    require_staff(by)
    if application.status not in (ApplicationStatus.COMPLETED, ApplicationStatus.WITHDRAWN):
        raise ValidationError(_("服务期满或撤回申请后才进行跟踪回访。"))
    if contacted_on > timezone.localdate():
        raise ValidationError({"contacted_on": _("联系日期不能晚于今天。")})
    follow_up = FollowUp(
        application=application,
        contacted_on=contacted_on,
        outcome=outcome,
        employer=employer,
        note=note,
        recorded_by=by,
    )
    follow_up.full_clean()
    follow_up.save()
    return follow_up
