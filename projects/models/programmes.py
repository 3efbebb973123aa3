"""Programmes, their eligibility rules and recruitment rounds; projects, their teams and
their checklist of the seven standard steps."""

from __future__ import annotations

import pghistory
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from association.accounts.roles import is_association_staff

from ..choices import (
    Criterion,
    ProgrammeStatus,
    ProjectStatus,
    ServiceDomain,
    StandardStep,
    StepStatus,
    TeamRole,
)


@pghistory.track()
class Programme(models.Model):
    """A public-benefit programme (e.g. 毕业季社工计划): rules, budget and recruitment rounds.

    The budget is a plain amount here; the finance app may later hold it as a restricted
    fund and read it from this row (finance sits above projects)."""

    name = models.CharField(_("计划名称"), max_length=200)
    code = models.SlugField(_("计划代码"), max_length=30, unique=True)
    description = models.TextField(_("计划简介"), blank=True)
    rules = models.TextField(
        _("管理规定"),
        blank=True,
        help_text=_("项目管理办法、资金使用管理办法、项目评估实施办法等要点。"),
    )
    budget = models.DecimalField(_("计划预算（元）"), max_digits=14, decimal_places=2, default=0)
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("结束日期"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=ProgrammeStatus.choices, default=ProgrammeStatus.ACTIVE
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("公益计划")
        verbose_name_plural = _("公益计划")
        ordering = ["-start_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(budget__gte=0),
                name="projects_programme_budget_nonneg",
                violation_error_message=_("预算不能为负数。"),
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="projects_programme_dates",
                violation_error_message=_("结束日期不能早于开始日期。"),
            ),
        ]

    def __str__(self):
        return self.name


class RecruitmentRound(models.Model):
    """One recruitment round (招募批次) of a programme, with its application window."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("公益计划"), on_delete=models.PROTECT, related_name="rounds"
    )
    number = models.PositiveSmallIntegerField(_("批次"))
    name = models.CharField(_("批次名称"), max_length=100)
    opens_on = models.DateField(_("报名开始日期"))
    closes_on = models.DateField(_("报名截止日期"))
    service_starts_on = models.DateField(_("服务开始日期"), null=True, blank=True)
    service_ends_on = models.DateField(_("服务结束日期"), null=True, blank=True)
    notes = models.TextField(_("招募说明"), blank=True)

    class Meta:
        verbose_name = _("招募批次")
        verbose_name_plural = _("招募批次")
        ordering = ["programme_id", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "number"],
                name="projects_round_number_unique",
                violation_error_message=_("本计划已有该批次。"),
            ),
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")),
                name="projects_round_dates",
                violation_error_message=_("报名截止日期不能早于开始日期。"),
            ),
        ]

    def __str__(self):
        return self.name

    def is_open(self, today) -> bool:
        return self.opens_on <= today <= self.closes_on


class EligibilityRule(models.Model):
    """A condition an applicant must meet, kept as data: the criterion and its allowed
    values. A rule without a round applies to every round of the programme. Within one
    criterion any listed value admits; every criterion that has rules must be met."""

    programme = models.ForeignKey(
        Programme,
        verbose_name=_("公益计划"),
        on_delete=models.CASCADE,
        related_name="eligibility_rules",
    )
    round = models.ForeignKey(
        RecruitmentRound,
        verbose_name=_("招募批次"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="eligibility_rules",
        help_text=_("留空表示适用于本计划的所有批次。"),
    )
    criterion = models.CharField(_("条件"), max_length=20, choices=Criterion.choices)
    allowed = models.TextField(
        _("允许的取值"),
        help_text=_(
            "每行一个。毕业年份可写区间，如“2023-2024”；专业按包含匹配，如“社会工作”"
            "可匹配“社会工作（专业硕士）”；院校、学历须完全一致。"
        ),
    )
    description = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("报名条件")
        verbose_name_plural = _("报名条件")
        ordering = ["programme_id", "criterion", "id"]

    def __str__(self):
        return f"{self.get_criterion_display()}: {self.allowed}"

    def values(self) -> list[str]:
        return [line.strip() for line in self.allowed.splitlines() if line.strip()]


class ProjectQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Staff see every project; an operating organisation's admins its projects; a
        team member (leader, member, mentor) the projects of their team."""
        if not user.is_authenticated:
            return self.none()
        if is_association_staff(user):
            return self
        own = Q(operator__admins__user=user) | Q(team__user=user)
        return self.filter(pk__in=Project.objects.filter(own).values("pk"))


@pghistory.track()
class Project(models.Model):
    """A community public-service project under a programme: one project, one team."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("公益计划"), on_delete=models.PROTECT, related_name="projects"
    )
    name = models.CharField(_("项目名称"), max_length=200)
    domain = models.CharField(_("服务领域"), max_length=20, choices=ServiceDomain.choices)
    summary = models.TextField(_("项目简介"), blank=True)
    host_station = models.ForeignKey(
        "stations.Station",
        verbose_name=_("依托社工站"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="projects",
    )
    host_community = models.CharField(
        _("服务社区"), max_length=200, blank=True, help_text=_("未设在社工站的，填写服务的社区。")
    )
    operator = models.ForeignKey(
        "members.Organisation",
        verbose_name=_("运营机构"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="projects",
    )
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("结束日期"))
    budget = models.DecimalField(_("项目预算（元）"), max_digits=14, decimal_places=2, default=0)
    status = models.CharField(
        _("状态"), max_length=10, choices=ProjectStatus.choices, default=ProjectStatus.PLANNED
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("公益项目")
        verbose_name_plural = _("公益项目")
        ordering = ["programme_id", "name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="projects_project_dates",
                violation_error_message=_("结束日期不能早于开始日期。"),
            ),
            models.CheckConstraint(
                condition=Q(budget__gte=0),
                name="projects_project_budget_nonneg",
                violation_error_message=_("预算不能为负数。"),
            ),
            models.CheckConstraint(
                condition=Q(host_station__isnull=False) | ~Q(host_community=""),
                name="projects_project_host",
                violation_error_message=_("请选择依托的社工站，或填写服务社区。"),
            ),
        ]

    def __str__(self):
        return self.name


class ProjectStep(models.Model):
    """One of the seven standard steps of a project's checklist, with status, date and
    evidence."""

    project = models.ForeignKey(
        Project, verbose_name=_("公益项目"), on_delete=models.CASCADE, related_name="steps"
    )
    step = models.CharField(_("环节"), max_length=20, choices=StandardStep.choices)
    position = models.PositiveSmallIntegerField(_("顺序"))
    status = models.CharField(
        _("状态"), max_length=12, choices=StepStatus.choices, default=StepStatus.PENDING
    )
    done_on = models.DateField(_("完成日期"), null=True, blank=True)
    evidence = models.FileField(_("佐证材料"), upload_to="projects/steps/%Y/", blank=True)
    note = models.TextField(_("说明"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("更新人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("项目环节")
        verbose_name_plural = _("项目环节")
        ordering = ["project_id", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "step"],
                name="projects_step_unique",
                violation_error_message=_("该项目已有此环节。"),
            ),
            models.CheckConstraint(
                condition=~Q(status="done") | Q(done_on__isnull=False),
                name="projects_step_done_has_date",
                violation_error_message=_("已完成的环节须填写完成日期。"),
            ),
        ]

    def __str__(self):
        return self.get_step_display()


class RoundQuota(models.Model):
    """How many graduates a project takes in a round: the row that selection locks."""

    round = models.ForeignKey(
        RecruitmentRound,
        verbose_name=_("招募批次"),
        on_delete=models.CASCADE,
        related_name="quotas",
    )
    project = models.ForeignKey(
        Project, verbose_name=_("公益项目"), on_delete=models.CASCADE, related_name="quotas"
    )
    seats = models.PositiveSmallIntegerField(_("招募名额"))

    class Meta:
        verbose_name = _("招募名额")
        verbose_name_plural = _("招募名额")
        ordering = ["round_id", "project_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "project"],
                name="projects_quota_unique",
                violation_error_message=_("该项目在本批次已设名额。"),
            )
        ]

    def __str__(self):
        return f"{self.seats}"


class TeamMember(models.Model):
    """A member of a project's team: leader, member (a graduate) or mentor (督导)."""

    project = models.ForeignKey(
        Project, verbose_name=_("公益项目"), on_delete=models.CASCADE, related_name="team"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        on_delete=models.PROTECT,
        related_name="project_teams",
    )
    name = models.CharField(_("姓名"), max_length=50)
    role = models.CharField(_("团队角色"), max_length=10, choices=TeamRole.choices)
    application = models.OneToOneField(
        "projects.Application",
        verbose_name=_("报名"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="team_member",
    )
    joined_on = models.DateField(_("加入日期"))
    left_on = models.DateField(_("离开日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("团队成员")
        verbose_name_plural = _("团队成员")
        ordering = ["project_id", "role", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "user"],
                name="projects_team_member_unique",
                violation_error_message=_("此人已在该项目团队中。"),
            ),
            models.UniqueConstraint(
                fields=["project"],
                condition=Q(role="leader", left_on__isnull=True),
                name="projects_team_one_leader",
                violation_error_message=_("一个项目团队只有一位负责人。"),
            ),
        ]

    def __str__(self):
        return self.name
