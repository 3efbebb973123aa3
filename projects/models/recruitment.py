"""Graduates' applications and their pipeline: screening, interview, offer, agreement,
training, assessments, completion or withdrawal, and the follow-up after the service."""

from __future__ import annotations

import pghistory
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from association.accounts.roles import is_association_staff

from ..choices import ApplicationStatus, Degree, FollowUpOutcome, Gender


class ApplicationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Staff see every application; a graduate their own; the operating organisation
        and the mentor of the project a graduate was offered see that graduate's."""
        if not user.is_authenticated:
            return self.none()
        if is_association_staff(user):
            return self
        own = (
            Q(applicant=user)
            | Q(project__operator__admins__user=user)
            | Q(project__team__user=user, project__team__role="mentor")
        )
        return self.filter(pk__in=Application.objects.filter(own).values("pk"))


@pghistory.track()
class Application(models.Model):
    """A graduate's application to a recruitment round, and where it stands."""

    round = models.ForeignKey(
        "projects.RecruitmentRound",
        verbose_name=_("招募批次"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申请人账户"),
        on_delete=models.PROTECT,
        related_name="project_applications",
    )
    name = models.CharField(_("姓名"), max_length=50)
    gender = models.CharField(_("性别"), max_length=10, choices=Gender.choices)
    mobile = models.CharField(_("手机号码"), max_length=11)
    university = models.CharField(_("毕业院校"), max_length=100)
    major = models.CharField(_("专业"), max_length=100)
    degree = models.CharField(_("学历"), max_length=20, choices=Degree.choices)
    graduation_year = models.PositiveSmallIntegerField(_("毕业年份"))
    statement = models.TextField(_("个人陈述"), blank=True)
    resume = models.FileField(_("个人简历"), upload_to="projects/resumes/%Y/")
    preferences = models.ManyToManyField(
        "projects.Project",
        verbose_name=_("意向项目"),
        through="projects.Preference",
        related_name="preferred_by",
    )
    status = models.CharField(
        _("状态"),
        max_length=12,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.SUBMITTED,
    )
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("录取项目"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
    )
    screening_note = models.TextField(_("资格审查意见"), blank=True)
    decision_reason = models.TextField(
        _("未通过/撤回原因"), blank=True, help_text=_("不予录取、放弃录取或撤回申请时填写。")
    )
    offered_at = models.DateTimeField(_("录取时间"), null=True, blank=True)
    responded_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    completed_on = models.DateField(_("服务期满日期"), null=True, blank=True)
    certificate_number = models.CharField(
        _("结业证书编号"), max_length=40, blank=True, null=True, unique=True
    )
    submitted_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("毕业生报名")
        verbose_name_plural = _("毕业生报名")
        ordering = ["-submitted_at", "-id"]
        permissions = [("export_application", _("可以导出毕业生报名"))]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "applicant"],
                name="projects_application_once_per_round",
                violation_error_message=_("您已报名本批次，请在“我的报名”中查看进度。"),
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["offered", "accepted", "serving", "completed"])
                | Q(project__isnull=False),
                name="projects_application_seat_has_project",
                violation_error_message=_("录取时须确定录取项目。"),
            ),
        ]
        indexes = [models.Index(fields=["round", "project", "status"])]

    def __str__(self):
        return self.name


class Preference(models.Model):
    """A project the graduate would like to join, ranked (1 = first choice)."""

    application = models.ForeignKey(
        Application, verbose_name=_("报名"), on_delete=models.CASCADE, related_name="ranked"
    )
    project = models.ForeignKey(
        "projects.Project", verbose_name=_("公益项目"), on_delete=models.CASCADE, related_name="+"
    )
    rank = models.PositiveSmallIntegerField(_("志愿顺序"))

    class Meta:
        verbose_name = _("志愿")
        verbose_name_plural = _("志愿")
        ordering = ["application_id", "rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "project"],
                name="projects_preference_unique",
                violation_error_message=_("同一项目不能重复填报。"),
            ),
            models.UniqueConstraint(
                fields=["application", "rank"],
                name="projects_preference_rank_unique",
                violation_error_message=_("志愿顺序不能重复。"),
            ),
        ]

    def __str__(self):
        return str(self.rank)


class ApplicationTransition(models.Model):
    """One move of an application through the pipeline: from, to, who, when, why."""

    application = models.ForeignKey(
        Application, verbose_name=_("报名"), on_delete=models.CASCADE, related_name="transitions"
    )
    from_status = models.CharField(
        _("原状态"), max_length=12, choices=ApplicationStatus.choices, blank=True
    )
    to_status = models.CharField(_("新状态"), max_length=12, choices=ApplicationStatus.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("报名进度记录")
        verbose_name_plural = _("报名进度记录")
        ordering = ["application_id", "at", "id"]

    def __str__(self):
        return f"{self.from_status}→{self.to_status}"


class InterviewScore(models.Model):
    """One interviewer's score of an applicant (0–100)."""

    application = models.ForeignKey(
        Application, verbose_name=_("报名"), on_delete=models.CASCADE, related_name="scores"
    )
    interviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("面试官"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    score = models.DecimalField(_("面试成绩"), max_digits=5, decimal_places=2)
    comment = models.TextField(_("评语"), blank=True)
    scored_at = models.DateTimeField(_("评分时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("面试成绩")
        verbose_name_plural = _("面试成绩")
        ordering = ["application_id", "scored_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "interviewer"],
                name="projects_score_once_per_interviewer",
                violation_error_message=_("每位面试官对同一申请人只评一次分。"),
            ),
            models.CheckConstraint(
                condition=Q(score__gte=0) & Q(score__lte=100),
                name="projects_score_range",
                violation_error_message=_("面试成绩应在0到100之间。"),
            ),
        ]

    def __str__(self):
        return f"{self.score}"


@pghistory.track()
class Agreement(models.Model):
    """The service agreement (服务协议) signed by a selected graduate."""

    application = models.OneToOneField(
        Application, verbose_name=_("报名"), on_delete=models.PROTECT, related_name="agreement"
    )
    signed_on = models.DateField(_("签署日期"))
    starts_on = models.DateField(_("服务开始日期"))
    ends_on = models.DateField(_("服务结束日期"))
    monthly_stipend = models.DecimalField(_("每月补贴（元）"), max_digits=14, decimal_places=2)
    signed_file = models.FileField(_("已签协议扫描件"), upload_to="projects/agreements/%Y/")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("服务协议")
        verbose_name_plural = _("服务协议")
        ordering = ["-signed_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gt=models.F("starts_on")),
                name="projects_agreement_dates",
                violation_error_message=_("服务结束日期须晚于开始日期。"),
            ),
            models.CheckConstraint(
                condition=Q(monthly_stipend__gte=0),
                name="projects_agreement_stipend_nonneg",
                violation_error_message=_("补贴不能为负数。"),
            ),
        ]

    def __str__(self):
        return f"{self.starts_on}–{self.ends_on}"


class TrainingSession(models.Model):
    """A training session (系统培训) of a programme's graduates."""

    programme = models.ForeignKey(
        "projects.Programme",
        verbose_name=_("公益计划"),
        on_delete=models.CASCADE,
        related_name="training_sessions",
    )
    title = models.CharField(_("培训主题"), max_length=200)
    date = models.DateField(_("日期"))
    hours = models.DecimalField(_("学时"), max_digits=5, decimal_places=1)
    trainer = models.CharField(_("授课人"), max_length=100, blank=True)
    location = models.CharField(_("地点"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("培训")
        verbose_name_plural = _("培训")
        ordering = ["-date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gt=0) & Q(hours__lte=200),
                name="projects_training_hours_range",
                violation_error_message=_("学时应大于0且不超过200。"),
            )
        ]

    def __str__(self):
        return self.title


class Attendance(models.Model):
    """A graduate's attendance at a training session; the hours count as continuing
    education when the graduate is a registered social worker."""

    session = models.ForeignKey(
        TrainingSession, verbose_name=_("培训"), on_delete=models.CASCADE, related_name="attendance"
    )
    application = models.ForeignKey(
        Application, verbose_name=_("报名"), on_delete=models.CASCADE, related_name="attendance"
    )
    hours = models.DecimalField(_("实际学时"), max_digits=5, decimal_places=1)
    education = models.ForeignKey(
        "members.ContinuingEducation",
        verbose_name=_("继续教育记录"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    education_note = models.CharField(_("继续教育说明"), max_length=200, blank=True)
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("培训出勤")
        verbose_name_plural = _("培训出勤")
        ordering = ["session_id", "application_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "application"],
                name="projects_attendance_unique",
                violation_error_message=_("该毕业生的出勤已登记。"),
            ),
            models.CheckConstraint(
                condition=Q(hours__gt=0),
                name="projects_attendance_hours_positive",
                violation_error_message=_("学时应大于0。"),
            ),
        ]

    def __str__(self):
        return f"{self.hours}"


class Assessment(models.Model):
    """A periodic assessment (定期考核) of a serving graduate by the project's mentor."""

    application = models.ForeignKey(
        Application, verbose_name=_("报名"), on_delete=models.CASCADE, related_name="assessments"
    )
    period = models.CharField(_("考核期"), max_length=30, help_text=_("如“2024年第二季度”。"))
    score = models.DecimalField(_("得分"), max_digits=5, decimal_places=2)
    strengths = models.TextField(_("主要表现"), blank=True)
    improvements = models.TextField(_("改进建议"), blank=True)
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("考核人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    assessed_on = models.DateField(_("考核日期"))

    class Meta:
        verbose_name = _("定期考核")
        verbose_name_plural = _("定期考核")
        ordering = ["application_id", "-assessed_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "period"],
                name="projects_assessment_once_per_period",
                violation_error_message=_("本考核期已考核。"),
            ),
            models.CheckConstraint(
                condition=Q(score__gte=0) & Q(score__lte=100),
                name="projects_assessment_score_range",
                violation_error_message=_("得分应在0到100之间。"),
            ),
        ]

    def __str__(self):
        return self.period


class FollowUp(models.Model):
    """What a graduate did after the service (跟踪联系)."""

    application = models.ForeignKey(
        Application, verbose_name=_("报名"), on_delete=models.CASCADE, related_name="follow_ups"
    )
    contacted_on = models.DateField(_("联系日期"))
    outcome = models.CharField(_("去向"), max_length=20, choices=FollowUpOutcome.choices)
    employer = models.CharField(_("就业单位/学校"), max_length=200, blank=True)
    note = models.TextField(_("情况说明"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("跟踪回访")
        verbose_name_plural = _("跟踪回访")
        ordering = ["application_id", "-contacted_on"]

    def __str__(self):
        return f"{self.contacted_on}"
