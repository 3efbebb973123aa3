"""Yearly assessment (考核) of stations: indicators are data, grades come from thresholds."""

from __future__ import annotations

from decimal import Decimal

import pghistory
from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from ..choices import AssessmentStatus, Grade
from .stations import Station


class AssessmentRound(models.Model):
    """The assessment of one year, with its grade thresholds (total out of 100)."""

    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    title = models.CharField(_("名称"), max_length=100)
    excellent_from = models.DecimalField(
        _("优秀分数线"), max_digits=5, decimal_places=2, default=Decimal("90")
    )
    good_from = models.DecimalField(
        _("良好分数线"), max_digits=5, decimal_places=2, default=Decimal("80")
    )
    pass_from = models.DecimalField(
        _("合格分数线"), max_digits=5, decimal_places=2, default=Decimal("60")
    )

    class Meta:
        verbose_name = _("考核年度")
        verbose_name_plural = _("考核年度")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(excellent_from__gt=F("good_from"))
                & Q(good_from__gt=F("pass_from"))
                & Q(pass_from__gte=0)
                & Q(excellent_from__lte=100),
                name="stations_round_thresholds",
                violation_error_message=_("分数线应满足：100 ≥ 优秀 > 良好 > 合格 ≥ 0。"),
            )
        ]

    def __str__(self):
        return self.title

    def grade_for(self, total: Decimal) -> str:
        if total >= self.excellent_from:
            return Grade.EXCELLENT
        if total >= self.good_from:
            return Grade.GOOD
        if total >= self.pass_from:
            return Grade.PASS
        return Grade.FAIL


class AssessmentIndicator(models.Model):
    """An indicator of a year's assessment: its weight (share of 100) and maximum raw score."""

    round = models.ForeignKey(
        AssessmentRound,
        verbose_name=_("考核年度"),
        on_delete=models.CASCADE,
        related_name="indicators",
    )
    name = models.CharField(_("指标"), max_length=100)
    weight = models.DecimalField(_("权重（分）"), max_digits=5, decimal_places=2)
    maximum = models.DecimalField(_("满分"), max_digits=6, decimal_places=2, default=Decimal("10"))
    guidance = models.TextField(_("评分说明"), blank=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("考核指标")
        verbose_name_plural = _("考核指标")
        ordering = ["round_id", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(weight__gt=0) & Q(maximum__gt=0),
                name="stations_indicator_positive",
                violation_error_message=_("权重和满分须大于0。"),
            ),
            models.UniqueConstraint(
                fields=["round", "name"],
                name="stations_indicator_unique",
                violation_error_message=_("本年度已有同名指标。"),
            ),
        ]

    def __str__(self):
        return self.name


class AssessmentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Staff see all; operators and station workers see published results of their stations."""
        from association.accounts.roles import is_association_staff

        if is_association_staff(user):
            return self
        return self.filter(
            status=AssessmentStatus.PUBLISHED, station__in=Station.objects.visible_to(user)
        )


@pghistory.track()
class Assessment(models.Model):
    """A station's assessment of one year: scores per indicator, a total and a grade."""

    round = models.ForeignKey(
        AssessmentRound,
        verbose_name=_("考核年度"),
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    station = models.ForeignKey(
        Station, verbose_name=_("社工站"), on_delete=models.PROTECT, related_name="assessments"
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT
    )
    total = models.DecimalField(_("总分"), max_digits=5, decimal_places=2, default=Decimal("0"))
    grade = models.CharField(_("等级"), max_length=10, choices=Grade.choices, blank=True)
    comment = models.TextField(_("考核意见"), blank=True)
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("评分人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    assessed_at = models.DateTimeField(_("评分时间"), null=True, blank=True)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("站点考核")
        verbose_name_plural = _("站点考核")
        ordering = ["-round__year", "station__region__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "station"],
                name="stations_assessment_unique",
                violation_error_message=_("该社工站本年度已有考核记录。"),
            )
        ]

    def __str__(self):
        return f"{self.total}"


class AssessmentScore(models.Model):
    """The raw score an assessor gave on one indicator."""

    assessment = models.ForeignKey(
        Assessment, verbose_name=_("站点考核"), on_delete=models.CASCADE, related_name="scores"
    )
    indicator = models.ForeignKey(
        AssessmentIndicator, verbose_name=_("考核指标"), on_delete=models.PROTECT, related_name="+"
    )
    score = models.DecimalField(_("得分"), max_digits=6, decimal_places=2)

    class Meta:
        verbose_name = _("指标得分")
        verbose_name_plural = _("指标得分")
        ordering = ["assessment_id", "indicator__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "indicator"],
                name="stations_score_unique",
                violation_error_message=_("每个指标只能评一次分。"),
            ),
            models.CheckConstraint(
                condition=Q(score__gte=0),
                name="stations_score_nonnegative",
                violation_error_message=_("得分不能为负数。"),
            ),
        ]

    def __str__(self):
        return f"{self.score}"
