"""Social workers (individual members) and their continuing education."""

import datetime

import pghistory
from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from association import changes
from association.accounts.roles import is_association_staff
from association.crypto import EncryptedTextField, blind_index, mask

from ..choices import EducationKind, Gender, Qualification
from .register import worker_triggers

REGISTRATION_YEARS = 3


class SocialWorkerQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Staff see everyone; an organisation admin sees the organisation's roster; a
        social worker sees their own record."""
        if not user.is_authenticated:
            return self.none()
        if is_association_staff(user):
            return self
        return self.filter(Q(user=user) | Q(employer__admins__user=user)).distinct()


@pghistory.track(exclude=["id_number"])
class SocialWorker(models.Model):
    """A person: a (would-be) individual member, usually a certified social worker."""

    name = models.CharField(_("姓名"), max_length=50)
    gender = models.CharField(_("性别"), max_length=10, choices=Gender.choices)
    id_number = EncryptedTextField(_("公民身份号码"), help_text=_("加密保存，显示时打码。"))
    id_number_index = models.CharField(
        _("身份号码索引"),
        max_length=64,
        unique=True,
        editable=False,
        error_messages={"unique": _("该公民身份号码已登记。")},
    )
    mobile = models.CharField(_("手机号码"), max_length=11, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    employer = models.ForeignKey(
        "members.Organisation",
        verbose_name=_("工作单位"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="staff",
    )
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("所在区划"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="social_workers",
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户账户"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="social_worker",
    )
    qualification = models.CharField(
        _("职业资格"), max_length=20, choices=Qualification.choices, default=Qualification.NONE
    )
    certificate_number = models.CharField(_("资格证书编号"), max_length=50, blank=True)
    certificate_date = models.DateField(_("取得资格日期"), null=True, blank=True)
    registered_on = models.DateField(_("登记日期"), null=True, blank=True)
    registration_expires_on = models.DateField(
        _("登记有效期至"), null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = SocialWorkerQuerySet.as_manager()

    class Meta:
        verbose_name = _("社会工作者")
        verbose_name_plural = _("社会工作者")
        ordering = ["name", "id"]
        # Figures read from this table are kept until it changes (association.changes).
        # Figures read from this table are kept until it changes (association.changes); the
        # workers by county and qualification are kept as it changes (members.models.register).
        triggers = [changes.trigger("members_socialworker"), *worker_triggers()]
        permissions = [
            ("export_socialworker", _("可以导出社会工作者")),
            ("reveal_id_number", _("可以查看完整身份号码")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(qualification="none")
                | (Q(certificate_date__isnull=False) & ~Q(certificate_number="")),
                name="members_worker_certificate_required",
                violation_error_message=_("持有职业资格的，须填写证书编号和取得资格日期。"),
            ),
        ]
        indexes = [
            # Lists in this order (the admin's) read a page of workers, not sort all of
            # them: 51 ms a page at province scale.
            models.Index(fields=["name", "id"], name="members_worker_by_name"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.sync_derived()
        super().save(*args, **kwargs)

    @property
    def id_number_masked(self) -> str:
        return mask(self.id_number or "")

    def set_id_number(self, value: str) -> None:
        value = (value or "").strip().upper()
        self.id_number = value
        self.id_number_index = blind_index(value)

    def sync_derived(self) -> None:
        if self.id_number:
            self.id_number_index = blind_index(self.id_number)
        self.sync_registration_expiry()

    def sync_registration_expiry(self) -> None:
        self.registration_expires_on = (
            # 29 February + 3 years: 28 February (relativedelta keeps to the month's end)
            self.registered_on
            + relativedelta(years=REGISTRATION_YEARS)
            - datetime.timedelta(days=1)
            if self.registered_on
            else None
        )


class ContinuingEducationQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(worker__in=SocialWorker.objects.visible_to(user))


class ContinuingEducation(models.Model):
    """One piece of continuing education (继续教育) with its hours and evidence."""

    worker = models.ForeignKey(
        SocialWorker,
        verbose_name=_("社会工作者"),
        on_delete=models.CASCADE,
        related_name="education",
    )
    date = models.DateField(_("日期"))
    hours = models.DecimalField(_("学时"), max_digits=5, decimal_places=1)
    kind = models.CharField(_("形式"), max_length=20, choices=EducationKind.choices)
    title = models.CharField(_("内容"), max_length=200)
    provider = models.CharField(_("举办单位"), max_length=200)
    evidence = models.FileField(_("证明材料"), upload_to="members/education/%Y/", blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = ContinuingEducationQuerySet.as_manager()

    class Meta:
        verbose_name = _("继续教育记录")
        verbose_name_plural = _("继续教育记录")
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gt=0) & Q(hours__lte=200),
                name="members_education_hours_range",
                violation_error_message=_("学时应大于0且不超过200。"),
            )
        ]

    def __str__(self):
        return f"{self.date} {self.title}"
