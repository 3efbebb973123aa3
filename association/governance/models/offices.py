"""Offices (会长，副会长，秘书长，理事，...) and the terms of their holders."""

import pghistory
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..choices import OfficeCode


@pghistory.track()
class Office(models.Model):
    """A position of the association; officers (负责人) are only 会长，副会长，秘书长."""

    code = models.CharField(_("代码"), max_length=20, choices=OfficeCode.choices, unique=True)
    name = models.CharField(_("名称"), max_length=50)
    seats = models.PositiveSmallIntegerField(_("通常名额"), default=1)
    is_officer = models.BooleanField(_("属于负责人"), default=False)
    order = models.PositiveSmallIntegerField(_("排序"), default=100)

    class Meta:
        verbose_name = _("职务")
        verbose_name_plural = _("职务")
        ordering = ["order", "id"]

    def __str__(self):
        return self.name


class TermQuerySet(models.QuerySet):
    def current(self, day=None):
        day = day or timezone.localdate()
        return self.filter(starts_on__lte=day).filter(
            Q(ended_on__isnull=True) | Q(ended_on__gt=day)
        )


@pghistory.track()
class Term(models.Model):
    """One person's term in an office: from the certification of their election until
    the end of the term or until a successor is certified."""

    office = models.ForeignKey(
        Office, verbose_name=_("职务"), on_delete=models.PROTECT, related_name="terms"
    )
    holder_name = models.CharField(_("姓名"), max_length=50)
    affiliation = models.CharField(_("工作单位及职务"), max_length=200, blank=True)
    worker = models.ForeignKey(
        "members.SocialWorker",
        verbose_name=_("社会工作者档案"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="terms",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户账户"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="office_terms",
    )
    starts_on = models.DateField(_("任职日期"))
    ends_on = models.DateField(_("任期届满日期"))
    ended_on = models.DateField(_("实际离任日期"), null=True, blank=True)
    basis = models.CharField(_("产生依据"), max_length=200)
    election_ref = models.PositiveBigIntegerField(_("选举编号"), null=True, blank=True)

    objects = TermQuerySet.as_manager()

    class Meta:
        verbose_name = _("任职记录")
        verbose_name_plural = _("任职记录")
        ordering = ["office__order", "-starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gt=models.F("starts_on"))
                & (Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("starts_on"))),
                name="governance_term_dates",
                violation_error_message=_("任期结束日期须晚于任职日期。"),
            )
        ]

    def __str__(self):
        return self.holder_name
