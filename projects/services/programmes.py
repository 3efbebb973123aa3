"""Programmes, their rounds and eligibility rules; projects, their checklist of the seven
standard steps, teams and quotas."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from association.accounts.models import User
from association.accounts.roles import require, require_staff
from association.services import service

from ..choices import STEP_ORDER, StandardStep, StepStatus, TeamRole
from ..models import (
    EligibilityRule,
    Programme,
    Project,
    ProjectStep,
    RecruitmentRound,
    RoundQuota,
    TeamMember,
)
from ..permissions import can_manage_project
from ..selectors import seats_taken


@service
def programme_save(*, programme: Programme, by: User) -> Programme:
    """Staff open a programme or amend its particulars (budget, rules, dates, status)."""
    require_staff(by)
    programme.full_clean()
    programme.save()
    return programme


@service
def round_save(*, round_: RecruitmentRound, by: User) -> RecruitmentRound:
    """Staff open a recruitment round of a programme or amend its dates (the seats are set
    per project with ``quota_set``)."""
    require_staff(by)
    round_.full_clean()
    round_.save()
    return round_


@service
def eligibility_rule_save(*, rule: EligibilityRule, by: User) -> EligibilityRule:
    """Staff set who may apply: a rule of the whole programme, or of one of its rounds."""
    require_staff(by)
    if rule.round_id is not None and rule.round.programme_id != rule.programme_id:
        raise ValidationError(_("批次不属于该计划。"))
    rule.full_clean()
    rule.save()
    return rule


@service
def project_update(*, project: Project, by: User) -> Project:
    """Staff amend a project's particulars (its checklist moves with ``step_update``)."""
    require_staff(by)
    project.full_clean()
    project.save()
    return project


@service
def project_create(*, project: Project, by: User) -> Project:
    """A new project with its checklist of the seven standard steps."""
    require_staff(by)
    project.full_clean()
    project.save()
    ProjectStep.objects.bulk_create(
        ProjectStep(project=project, step=step, position=STEP_ORDER[step])
        for step in StandardStep.values
    )
    return project


@service
def step_update(
    *,
    step: ProjectStep,
    by: User,
    status: str,
    done_on: datetime.date | None = None,
    note: str = "",
    evidence=None,
) -> ProjectStep:
    """Move a checklist step; a step is done only with its date, and only after the steps
    before it are done (the workflow is ordered)."""
    step = (
        ProjectStep.objects.select_for_update(of=("self",))
        .select_related("project")
        .get(pk=step.pk)
    )
    require(can_manage_project(by, step.project), _("您无权维护该项目的工作清单。"))
    if status == StepStatus.DONE:
        if done_on is None:
            raise ValidationError({"done_on": _("已完成的环节须填写完成日期。")})
        if done_on > timezone.localdate():
            raise ValidationError({"done_on": _("完成日期不能晚于今天。")})
        earlier = ProjectStep.objects.filter(
            project_id=step.project_id, position__lt=step.position
        ).exclude(status=StepStatus.DONE)
        if earlier.exists():
            raise ValidationError(_("请先完成前面的环节。"))
    else:
        done_on = None
    step.status = status
    step.done_on = done_on
    step.note = note
    if evidence:
        step.evidence = evidence
    step.updated_by = by
    step.full_clean()
    step.save()
    return step


@service
def team_member_add(
    *, project: Project, user: User, role: str, by: User, name: str = ""
) -> TeamMember:
    """Staff appoint the team's leader and mentor (graduates join by accepting an offer)."""
    require_staff(by)
    if (
        role == TeamRole.LEADER
        and project.team.filter(role=TeamRole.LEADER, left_on__isnull=True).exists()
    ):
        raise ValidationError(_("一个项目团队只有一位负责人。"))
    member = TeamMember(
        project=project,
        user=user,
        name=name or user.get_full_name(),
        role=role,
        joined_on=timezone.localdate(),
    )
    member.full_clean()
    member.save()
    return member


@service
def quota_set(*, round_: RecruitmentRound, project: Project, seats: int, by: User) -> RoundQuota:
    """Set a project's seats in a round; never below the seats already offered."""
    require_staff(by)
    if project.programme_id != round_.programme_id:
        raise ValidationError(_("项目与批次不属于同一计划。"))
    quota, _created = RoundQuota.objects.select_for_update().get_or_create(
        round=round_, project=project, defaults={"seats": seats}
    )
    taken = seats_taken(round_id=round_.pk, project_id=project.pk)
    if seats < taken:
        raise ValidationError(_("已录取 %(taken)s 人，名额不能少于已录取人数。") % {"taken": taken})
    quota.seats = seats
    quota.save(update_fields=["seats"])
    return quota
