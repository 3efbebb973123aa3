"""Report runs: one request for one report, built in the background into a private file."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from association.accounts.choices import Role

from .choices import Format, RunStatus


def run_file_path(run: ReportRun, filename: str) -> str:
    """A folder of its own per file, under an unguessable name."""
    return f"reports/{timezone.now():%Y/%m}/{uuid.uuid4().hex}/{filename}"


class ReportRunQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The runs a user sees in the history: their own and those shared with one of
        their roles; the association's staff see every run (its status, not its file)."""
        from association.accounts.roles import is_association_staff

        if not user.is_authenticated:
            return self.none()
        if is_association_staff(user):
            return self
        return self.filter(Q(requested_by=user) | self.shared_with_q(user))

    def downloadable_by(self, user):
        """The runs whose file the user may fetch: their own, or one shared with their
        role (staff: every shared run). Never another user's private run."""
        from association.accounts.roles import is_association_staff

        if not user.is_authenticated:
            return self.none()
        shared = (
            Q(requested_by__isnull=True) & ~Q(audience_role="")
            if is_association_staff(user)
            else self.shared_with_q(user)
        )
        return self.filter(Q(requested_by=user) | shared)

    @staticmethod
    def shared_with_q(user) -> Q:
        roles = list(user.groups.values_list("name", flat=True))
        return Q(requested_by__isnull=True, audience_role__in=roles, check_failures="")


class ReportRun(models.Model):
    """A report built (or being built) with given parameters. ``requested_by`` is empty for
    scheduled runs, which are shared with everyone holding ``audience_role``."""

    report = models.CharField(_("报表"), max_length=50)
    title = models.CharField(_("标题"), max_length=200)
    format = models.CharField(_("格式"), max_length=10, choices=Format.choices)
    parameters = models.JSONField(_("参数"), default=dict, blank=True)
    parameters_text = models.CharField(_("参数说明"), max_length=500, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申请人"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="report_runs",
    )
    audience_role = models.CharField(
        _("共享给角色"),
        max_length=30,
        choices=Role.choices,
        blank=True,
        help_text=_("定时报表发送给该角色的全部用户。"),
    )
    schedule = models.CharField(_("定时任务"), max_length=200, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("进度（%）"), default=0)
    attempts = models.PositiveSmallIntegerField(_("执行次数"), default=0)
    claim = models.UUIDField(_("执行标识"), null=True, blank=True, editable=False)
    worker = models.CharField(_("执行进程"), max_length=200, blank=True, editable=False)
    created_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(
        _("最近心跳"),
        null=True,
        blank=True,
        help_text=_("生成中的报表定时更新此时间；长时间未更新说明执行进程已中断，将重新排队。"),
    )
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    file = models.FileField(_("文件"), upload_to=run_file_path, blank=True, max_length=300)
    size = models.PositiveIntegerField(_("文件大小（字节）"), default=0)
    error = models.TextField(_("失败原因"), blank=True)
    check_failures = models.TextField(
        _("核对未通过"),
        blank=True,
        help_text=_("报表自身核对（如报表勾稽关系）未通过的项目；定时报表因此暂停发送。"),
    )
    expires_at = models.DateTimeField(_("文件保留至"), null=True, blank=True)
    expired = models.BooleanField(_("文件已过期删除"), default=False)

    objects = ReportRunQuerySet.as_manager()

    class Meta:
        verbose_name = _("报表生成记录")
        verbose_name_plural = _("报表生成记录")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["requested_by", "-created_at"], name="reportrun_user_idx"),
            models.Index(
                fields=["expires_at"],
                name="reportrun_expiry_idx",
                condition=Q(expired=False, status="done"),
            ),
            models.Index(
                fields=["heartbeat_at"],
                name="reportrun_running_idx",
                condition=Q(status="running"),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__gte=0, progress__lte=100),
                name="reportrun_progress_range",
                violation_error_message=_("进度须在 0 到 100 之间。"),
            ),
            models.CheckConstraint(
                condition=~Q(status=RunStatus.DONE) | ~Q(file="") | Q(expired=True),
                name="reportrun_done_has_file",
                violation_error_message=_("已完成的报表必须有文件。"),
            ),
            models.CheckConstraint(
                condition=Q(requested_by__isnull=False) | ~Q(audience_role=""),
                name="reportrun_has_owner_or_audience",
                violation_error_message=_("报表须有申请人或共享角色。"),
            ),
        ]

    def __str__(self):
        return f"{self.title}({self.get_format_display()})"

    @property
    def held(self) -> bool:
        """A scheduled report that failed its own checks: kept from its audience."""
        return bool(self.check_failures) and self.requested_by_id is None

    @property
    def finished(self) -> bool:
        return self.status in (RunStatus.DONE, RunStatus.FAILED)

    @property
    def downloadable(self) -> bool:
        return self.status == RunStatus.DONE and not self.expired and bool(self.file)

    @property
    def shared(self) -> bool:
        return self.requested_by_id is None
