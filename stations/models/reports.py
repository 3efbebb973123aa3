"""Monthly service reports (服务月报), their lines, photos, workflow log, unlocks, reminders."""

from __future__ import annotations

import pghistory
import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from association import changes

from ..choices import ReminderKind, ReportAction, ReportStatus
from .stations import Station

# A report's township code, whatever a statement wrote there: its station's region's.
REGION_CODE = (
    "NEW.region_code := COALESCE((SELECT g.code FROM stations_station s"
    " JOIN regions_region g ON g.id = s.region_id WHERE s.id = NEW.station_id), '');"
    " RETURN NEW;"
)


class ServiceReportQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(station__in=Station.objects.visible_to(user))


# The station's township code is the list's order key, not a fact of the report: a station
# that moves rewrites it on its reports without making each one an event.
@pghistory.track(exclude=["region_code"])
class ServiceReport(models.Model):
    """A station's report of one month's services (服务台账月度汇总)."""

    station = models.ForeignKey(
        Station, verbose_name=_("社工站"), on_delete=models.PROTECT, related_name="reports"
    )
    month = models.DateField(_("月份"), help_text=_("该月的第一天。"))
    status = models.CharField(
        _("状态"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    volunteers = models.PositiveIntegerField(_("志愿者人次"), default=0)
    narrative = models.TextField(_("工作概述"), blank=True)
    # Denormalised totals of the lines, kept by the service (for lists and outlier checks).
    total_activities = models.PositiveIntegerField(_("服务次数合计"), default=0, editable=False)
    total_person_times = models.PositiveIntegerField(_("服务人次合计"), default=0, editable=False)
    is_outlier = models.BooleanField(_("数据异常提示"), default=False, editable=False)
    outlier_note = models.CharField(_("异常说明"), max_length=200, blank=True, editable=False)
    first_submitted_at = models.DateTimeField(
        _("首次报送时间"), null=True, blank=True, editable=False
    )
    submitted_at = models.DateTimeField(_("报送时间"), null=True, blank=True, editable=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("报送人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True, editable=False)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    review_comment = models.TextField(_("审核意见"), blank=True)
    # The station's township code, kept by the database (``REGION_CODE`` above, the station's
    # trigger, and migration 0010's on the regions): the lists' order (month, then township)
    # reads it from one index, not from the whole month's reports joined to their stations
    # and regions (2,400 at province scale, 14 ms a page).
    region_code = models.CharField(_("乡镇区划代码"), max_length=12, default="", editable=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ServiceReportQuerySet.as_manager()

    class Meta:
        # Figures read from this table are kept until it changes (association.changes).
        triggers = [
            changes.trigger("stations_servicereport"),
            pgtrigger.Trigger(
                name="stations_report_region_code",
                when=pgtrigger.Before,
                operation=pgtrigger.Insert | pgtrigger.UpdateOf("station_id", "region_code"),
                func=REGION_CODE,
            ),
        ]
        verbose_name = _("服务月报")
        verbose_name_plural = _("服务月报")
        # By township within a month, as staff read a month; the station breaks a tie (two
        # stations in one township) and makes the order total, so the admin adds no other key.
        ordering = ["-month", "region_code", "station_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["station", "month"],
                name="stations_report_one_per_month",
                violation_error_message=_("该社工站本月已有月报。"),
            ),
            models.CheckConstraint(
                condition=Q(month__day=1),
                name="stations_report_month_first_day",
                violation_error_message=_("月份须记为该月第一天。"),
            ),
        ]
        indexes = [
            # A month's reports in the lists' order, with what the reporting rates read of
            # them: a list's first page reads 100 entries, and the dashboard's rates by area
            # read the index alone (once vacuum has marked the pages visible), not 2,400 rows
            # spread over the table (at province scale the rates' query 9.5 → 7.3 ms).
            models.Index(
                fields=["-month", "region_code", "station"],
                include=["status", "first_submitted_at"],
                name="stations_report_month",
            ),
            # The reports waiting for review (a few hundred of 150,000 at province scale):
            # the review queue and the reviewers' to-do walked every report by station.
            models.Index(
                fields=["station"],
                condition=Q(status=ReportStatus.SUBMITTED),
                name="stations_report_submitted",
            ),
            # The review queue's order, oldest first: its first page reads 30 entries instead
            # of sorting every waiting report (1,646 at province scale: 6.2 → 0.6 ms).
            models.Index(
                fields=["submitted_at", "id"],
                condition=Q(status=ReportStatus.SUBMITTED),
                name="stations_report_queue",
            ),
        ]

    def __str__(self):
        return f"{self.month:%Y-%m}"


@pghistory.track()
class ServiceReportLine(models.Model):
    """One cell of a report: a service area × a kind of work, with its count and person-times."""

    report = models.ForeignKey(
        ServiceReport, verbose_name=_("服务月报"), on_delete=models.CASCADE, related_name="lines"
    )
    area = models.ForeignKey(
        "stations.ServiceArea", verbose_name=_("服务领域"), on_delete=models.PROTECT
    )
    kind = models.ForeignKey(
        "stations.WorkKind", verbose_name=_("服务形式"), on_delete=models.PROTECT
    )
    activities = models.PositiveIntegerField(_("次数"), default=0)
    person_times = models.PositiveIntegerField(_("服务人次"), default=0)

    class Meta:
        verbose_name = _("月报明细")
        verbose_name_plural = _("月报明细")
        ordering = ["report_id", "area__order", "kind__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "area", "kind"],
                name="stations_line_unique",
                violation_error_message=_("同一领域与形式只能填一行。"),
            )
        ]

    def __str__(self):
        return f"{self.activities}/{self.person_times}"


class AreaYearTotal(models.Model):
    """A station's approved activities and person-times in a year, by service area: the
    sums of its approved reports' lines, kept by the approval services in the same
    transaction (``stations.services.add_to_area_totals``). A report is approved once and
    its lines never change after (``REPORT_TRANSITIONS``), so the sums only ever grow.
    The dashboards read these (15,000 rows for a province's year) instead of summing the
    year's 200,000 lines; ``rebuild_area_totals`` computes them again from the lines."""

    station = models.ForeignKey(
        Station, verbose_name=_("社工站"), on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    area = models.ForeignKey(
        "stations.ServiceArea", verbose_name=_("服务领域"), on_delete=models.PROTECT
    )
    activities = models.PositiveIntegerField(_("次数"), default=0)
    person_times = models.PositiveIntegerField(_("服务人次"), default=0)

    class Meta:
        # Figures read from this table are kept until it changes (association.changes).
        triggers = [changes.trigger("stations_areayeartotal")]
        verbose_name = _("年度服务量")
        verbose_name_plural = _("年度服务量")
        constraints = [
            models.UniqueConstraint(
                fields=["station", "year", "area"], name="stations_area_year_total_unique"
            )
        ]
        # A year's sums with their area and figures, read from the index alone (the
        # dashboard's service volumes: 4.7 → 3.6 ms for a province's 15,000 sums).
        indexes = [
            models.Index(
                fields=["year", "station"],
                include=["area", "activities", "person_times"],
                name="stations_area_year",
            )
        ]

    def __str__(self):
        return f"{self.year} {self.activities}/{self.person_times}"


class ReportPhoto(models.Model):
    """A photo of the month's work, attached to a report (served only through a checked view)."""

    report = models.ForeignKey(
        ServiceReport, verbose_name=_("服务月报"), on_delete=models.CASCADE, related_name="photos"
    )
    image = models.FileField(_("照片"), upload_to="stations/photos/%Y/%m/", max_length=200)
    caption = models.CharField(_("说明"), max_length=100, blank=True)
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("月报照片")
        verbose_name_plural = _("月报照片")
        ordering = ["report_id", "id"]

    def __str__(self):
        return self.caption or f"#{self.pk}"


class ReportEvent(models.Model):
    """The workflow log of a report: who submitted, returned (with why) or approved it."""

    report = models.ForeignKey(
        ServiceReport, verbose_name=_("服务月报"), on_delete=models.CASCADE, related_name="workflow"
    )
    action = models.CharField(_("操作"), max_length=10, choices=ReportAction.choices)
    from_status = models.CharField(_("原状态"), max_length=10, choices=ReportStatus.choices)
    to_status = models.CharField(_("新状态"), max_length=10, choices=ReportStatus.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    comment = models.TextField(_("意见"), blank=True)

    class Meta:
        verbose_name = _("月报流转记录")
        verbose_name_plural = _("月报流转记录")
        ordering = ["report_id", "at", "id"]

    def __str__(self):
        return self.get_action_display()


class MonthUnlock(models.Model):
    """A staff member reopened a locked month of one station, with the reason (the log)."""

    station = models.ForeignKey(
        Station, verbose_name=_("社工站"), on_delete=models.CASCADE, related_name="unlocks"
    )
    month = models.DateField(_("月份"))
    reason = models.TextField(_("解锁原因"))
    open_until = models.DateField(_("开放至"))
    unlocked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("解锁人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    unlocked_at = models.DateTimeField(_("解锁时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("月份解锁记录")
        verbose_name_plural = _("月份解锁记录")
        ordering = ["-unlocked_at", "-id"]

    def __str__(self):
        return f"{self.month:%Y-%m}"


class SentReminder(models.Model):
    """A reminder already sent: the unique constraint makes the reminder task idempotent."""

    kind = models.CharField(_("类别"), max_length=20, choices=ReminderKind.choices)
    station = models.ForeignKey(
        Station, verbose_name=_("社工站"), on_delete=models.CASCADE, related_name="+"
    )
    month = models.DateField(_("月份"))
    sent_at = models.DateTimeField(_("发送时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("已发送提醒")
        verbose_name_plural = _("已发送提醒")
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "station", "month"],
                name="stations_reminder_once",
                violation_error_message=_("该提醒已发送。"),
            )
        ]

    def __str__(self):
        return f"{self.kind} {self.month:%Y-%m}"
