"""Service activities of projects, start-up grants of graduate teams, and practice bases."""

from __future__ import annotations

import pghistory
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..choices import ActivityKind, GrantStatus, MilestoneStatus


class ServiceActivity(models.Model):
    """One service activity of a project: what, when, for whom, how many."""

    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("公益项目"),
        on_delete=models.CASCADE,
        related_name="activities",
    )
    date = models.DateField(_("日期"))
    kind = models.CharField(_("服务形式"), max_length=10, choices=ActivityKind.choices)
    title = models.CharField(_("活动名称"), max_length=200)
    target_group = models.CharField(_("服务对象"), max_length=100, help_text=_("如“独居老人”。"))
    beneficiaries = models.PositiveIntegerField(_("服务对象人数"))
    person_times = models.PositiveIntegerField(_("服务人次"))
    narrative = models.TextField(_("活动记述"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("服务活动")
        verbose_name_plural = _("服务活动")
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(person_times__gte=models.F("beneficiaries")),
                name="projects_activity_person_times",
                violation_error_message=_("服务人次不能少于服务对象人数。"),
            )
        ]
        indexes = [models.Index(fields=["project", "date"])]

    def __str__(self):
        return self.title


class ActivityPhoto(models.Model):
    """A photo of a service activity (served only through a permission-checking view)."""

    activity = models.ForeignKey(
        ServiceActivity, verbose_name=_("服务活动"), on_delete=models.CASCADE, related_name="photos"
    )
    image = models.FileField(_("照片"), upload_to="projects/activities/%Y/")
    caption = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("活动照片")
        verbose_name_plural = _("活动照片")
        ordering = ["activity_id", "id"]

    def __str__(self):
        return self.caption or str(self.pk)


@pghistory.track()
class StartupGrant(models.Model):
    """A start-up grant (创业资助) that a graduate team applies for."""

    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("公益项目"),
        on_delete=models.PROTECT,
        related_name="grants",
    )
    team_name = models.CharField(_("创业团队名称"), max_length=200)
    plan = models.TextField(_("创业计划"))
    amount_requested = models.DecimalField(_("申请金额（元）"), max_digits=14, decimal_places=2)
    amount_awarded = models.DecimalField(
        _("资助金额（元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    status = models.CharField(
        _("状态"), max_length=12, choices=GrantStatus.choices, default=GrantStatus.APPLIED
    )
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申请人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    applied_on = models.DateField(_("申请日期"))
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("评审人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    review_note = models.TextField(_("评审意见"), blank=True)
    decided_on = models.DateField(_("决定日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("创业资助")
        verbose_name_plural = _("创业资助")
        ordering = ["-applied_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_requested__gt=0),
                name="projects_grant_requested_positive",
                violation_error_message=_("申请金额应大于0。"),
            ),
            models.CheckConstraint(
                condition=Q(amount_awarded__isnull=True)
                | (Q(amount_awarded__gt=0) & Q(amount_awarded__lte=models.F("amount_requested"))),
                name="projects_grant_awarded_range",
                violation_error_message=_("资助金额应大于0且不超过申请金额。"),
            ),
        ]

    def __str__(self):
        return self.team_name


class GrantMilestone(models.Model):
    """A milestone of an awarded grant; its tranche is paid through finance once achieved."""

    grant = models.ForeignKey(
        StartupGrant,
        verbose_name=_("创业资助"),
        on_delete=models.CASCADE,
        related_name="milestones",
    )
    title = models.CharField(_("里程碑"), max_length=200)
    due_on = models.DateField(_("计划完成日期"))
    amount = models.DecimalField(_("拨付金额（元）"), max_digits=14, decimal_places=2)
    status = models.CharField(
        _("状态"), max_length=10, choices=MilestoneStatus.choices, default=MilestoneStatus.PENDING
    )
    achieved_on = models.DateField(_("完成日期"), null=True, blank=True)
    evidence = models.FileField(_("佐证材料"), upload_to="projects/grants/%Y/", blank=True)
    payment_reference = models.CharField(
        _("拨付凭证号"), max_length=50, blank=True, help_text=_("财务拨付后填写的凭证号。")
    )

    class Meta:
        verbose_name = _("资助里程碑")
        verbose_name_plural = _("资助里程碑")
        ordering = ["grant_id", "due_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="projects_milestone_amount_positive",
                violation_error_message=_("拨付金额应大于0。"),
            )
        ]

    def __str__(self):
        return self.title


@pghistory.track()
class PracticeBase(models.Model):
    """A practice base (实习实践基地) set up with a partner university in a station or a
    community."""

    name = models.CharField(_("基地名称"), max_length=200)
    university = models.CharField(_("合作高校"), max_length=100)
    host_station = models.ForeignKey(
        "stations.Station",
        verbose_name=_("依托社工站"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="practice_bases",
    )
    host_community = models.CharField(_("所在社区"), max_length=200, blank=True)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("所在区划"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="practice_bases",
    )
    capacity = models.PositiveSmallIntegerField(_("同时接纳学生数"))
    agreement_starts_on = models.DateField(_("协议开始日期"))
    agreement_ends_on = models.DateField(_("协议结束日期"))
    agreement_file = models.FileField(_("合作协议"), upload_to="projects/bases/%Y/", blank=True)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("实习实践基地")
        verbose_name_plural = _("实习实践基地")
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(agreement_ends_on__gt=models.F("agreement_starts_on")),
                name="projects_base_agreement_dates",
                violation_error_message=_("协议结束日期须晚于开始日期。"),
            ),
            models.CheckConstraint(
                condition=Q(capacity__gt=0),
                name="projects_base_capacity_positive",
                violation_error_message=_("接纳人数应大于0。"),
            ),
            models.CheckConstraint(
                condition=Q(host_station__isnull=False) | ~Q(host_community=""),
                name="projects_base_host",
                violation_error_message=_("请选择依托的社工站，或填写所在社区。"),
            ),
        ]

    def __str__(self):
        return self.name


class PracticeParticipation(models.Model):
    """A student's placement at a practice base (实习、志愿服务或社会公益活动)."""

    base = models.ForeignKey(
        PracticeBase,
        verbose_name=_("实习实践基地"),
        on_delete=models.CASCADE,
        related_name="participations",
    )
    student_name = models.CharField(_("学生姓名"), max_length=50)
    university = models.CharField(_("所在高校"), max_length=100)
    major = models.CharField(_("专业"), max_length=100, blank=True)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    hours = models.DecimalField(_("实践时长（小时）"), max_digits=6, decimal_places=1, default=0)
    activity = models.CharField(_("实践内容"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("学生实践")
        verbose_name_plural = _("学生实践")
        ordering = ["base_id", "-starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="projects_participation_dates",
                violation_error_message=_("结束日期不能早于开始日期。"),
            )
        ]

    def __str__(self):
        return self.student_name
