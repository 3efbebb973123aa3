"""The juvenile-trial centre: the expert pool and the court's referrals (sealed records).

A referral names a minor: every personal field is encrypted at rest and shown masked. Any
referral, sealed or not, is read only by its designated officer and the experts who
accepted an assignment (``projects.permissions``); a sealed one (刑事诉讼法 art. 286,
2022 sealing measures) also needs a reason for each read; every read of any referral is
written to the access log; referrals never leave the system except as counts."""

from __future__ import annotations

import datetime

import pghistory
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from association.crypto import EncryptedTextField, mask

from ..choices import (
    AssignmentStatus,
    ConsentParty,
    ExpertDomain,
    ReferralService,
    ReferralStatus,
    ReferringBody,
    ReportStatus,
    StoryStatus,
)


@pghistory.track()
class Expert(models.Model):
    """An expert of the pool (专家库), by domain and county, with availability and load."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户账户"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="expert",
    )
    name = models.CharField(_("姓名"), max_length=50)
    domain = models.CharField(_("专业领域"), max_length=20, choices=ExpertDomain.choices)
    county = models.ForeignKey(
        "regions.Region",
        verbose_name=_("所在县（市、区）"),
        on_delete=models.PROTECT,
        related_name="experts",
    )
    workplace = models.CharField(_("工作单位"), max_length=200, blank=True)
    qualifications = models.TextField(
        _("资质"), blank=True, help_text=_("证书、职称、从业年限等。")
    )
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    available = models.BooleanField(_("当前可接受指派"), default=True)
    max_load = models.PositiveSmallIntegerField(
        _("同时承办上限"), default=3, help_text=_("同时进行中的指派不超过此数。")
    )
    active = models.BooleanField(_("在库"), default=True)
    joined_on = models.DateField(_("入库日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("专家")
        verbose_name_plural = _("专家库")
        ordering = ["domain", "name", "id"]

    def __str__(self):
        return self.name


class ReferralQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The referrals whose personal data ``user`` may read, sealed or not: their
        designated officer and the experts who accepted an assignment, nobody else (not
        other staff, not superusers). The one rule is ``projects.permissions``."""
        from ..permissions import referral_readers_q

        return self.filter(referral_readers_q(user))


def _masked_name(value: str) -> str:
    """王小明 → 王**: the surname only."""
    return value[0] + "*" * (len(value) - 1) if value else ""


@pghistory.track(
    exclude=[
        "minor_name",
        "minor_birth_date",
        "minor_id_number",
        "minor_school",
        "minor_address",
        "guardian_name",
        "guardian_phone",
        "guardian_id_number",
    ]
)
class Referral(models.Model):
    """A commission from a court or procuratorate to serve a minor (委托函)."""

    reference = models.CharField(
        _("登记编号"), max_length=20, unique=True, null=True, blank=True, editable=False
    )
    referring_body = models.CharField(
        _("委托机关类别"), max_length=20, choices=ReferringBody.choices
    )
    body_name = models.CharField(_("委托机关"), max_length=100)
    case_number = models.CharField(_("案号"), max_length=60)
    received_on = models.DateField(_("收到日期"))
    deadline = models.DateField(_("完成期限"))
    services = ArrayField(
        models.CharField(max_length=20, choices=ReferralService.choices),
        verbose_name=_("委托事项"),
    )
    commission_letter = models.FileField(_("委托函"), upload_to="projects/referrals/%Y/")
    county = models.ForeignKey(
        "regions.Region",
        verbose_name=_("所在县（市、区）"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    sealed = models.BooleanField(
        _("封存"), default=False, help_text=_("犯罪记录封存：仅指派的专家和指定负责人可查看。")
    )
    designated_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("指定负责人"),
        on_delete=models.PROTECT,
        related_name="designated_referrals",
    )
    status = models.CharField(
        _("状态"), max_length=12, choices=ReferralStatus.choices, default=ReferralStatus.RECEIVED
    )
    minor_name = EncryptedTextField(_("未成年人姓名"))
    minor_gender = models.CharField(
        _("未成年人性别"),
        max_length=10,
        choices=[("male", _("男")), ("female", _("女"))],
        blank=True,
    )
    minor_birth_date = EncryptedTextField(_("未成年人出生日期"), blank=True)
    minor_id_number = EncryptedTextField(_("未成年人身份号码"), blank=True)
    minor_school = EncryptedTextField(_("就读学校"), blank=True)
    minor_address = EncryptedTextField(_("住址"), blank=True)
    guardian_name = EncryptedTextField(_("监护人姓名"), blank=True)
    guardian_relation = models.CharField(_("与未成年人关系"), max_length=20, blank=True)
    guardian_id_number = EncryptedTextField(_("监护人身份号码"), blank=True)
    guardian_phone = EncryptedTextField(_("监护人电话"), blank=True)
    closure_note = models.TextField(_("结案说明"), blank=True)
    closed_on = models.DateField(_("结案日期"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = ReferralQuerySet.as_manager()

    class Meta:
        verbose_name = _("司法转介")
        verbose_name_plural = _("司法转介")
        ordering = ["-received_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(deadline__gte=models.F("received_on")),
                name="projects_referral_deadline",
                violation_error_message=_("完成期限不能早于收到日期。"),
            ),
            models.CheckConstraint(
                condition=~Q(services=[]),
                name="projects_referral_services",
                violation_error_message=_("请至少选择一项委托事项。"),
            ),
        ]

    def __str__(self):
        return self.reference or _("未编号转介")

    # Masked views of the personal fields, for every screen.
    @property
    def minor_name_masked(self) -> str:
        return _masked_name(self.minor_name)

    @property
    def guardian_name_masked(self) -> str:
        return _masked_name(self.guardian_name)

    @property
    def minor_id_number_masked(self) -> str:
        return mask(self.minor_id_number or "")

    @property
    def minor_school_masked(self) -> str:
        school = self.minor_school or ""
        return school[:2] + "*" * max(len(school) - 2, 0)

    @property
    def guardian_phone_masked(self) -> str:
        return mask(self.guardian_phone or "", keep_start=3, keep_end=4)

    @property
    def minor_birth(self) -> datetime.date | None:
        return datetime.date.fromisoformat(self.minor_birth_date) if self.minor_birth_date else None

    def service_labels(self) -> list[str]:
        return [str(ReferralService(value).label) for value in self.services]


class Consent(models.Model):
    """A consent record: the minor or the guardian agrees (or refuses) to services."""

    referral = models.ForeignKey(
        Referral, verbose_name=_("司法转介"), on_delete=models.CASCADE, related_name="consents"
    )
    party = models.CharField(_("同意方"), max_length=10, choices=ConsentParty.choices)
    services = ArrayField(
        models.CharField(max_length=20, choices=ReferralService.choices),
        verbose_name=_("同意的服务"),
    )
    given = models.BooleanField(_("同意"), default=True)
    recorded_on = models.DateField(_("日期"))
    method = models.CharField(_("方式"), max_length=50, help_text=_("如“书面签字”“当面口头”。"))
    document = models.FileField(_("同意书"), upload_to="projects/consents/%Y/", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("知情同意")
        verbose_name_plural = _("知情同意")
        ordering = ["referral_id", "-recorded_on", "-id"]

    def __str__(self):
        return self.get_party_display()


@pghistory.track()
class Assignment(models.Model):
    """An expert assigned to one service of a referral; the expert accepts or declines."""

    referral = models.ForeignKey(
        Referral, verbose_name=_("司法转介"), on_delete=models.CASCADE, related_name="assignments"
    )
    expert = models.ForeignKey(
        Expert, verbose_name=_("专家"), on_delete=models.PROTECT, related_name="assignments"
    )
    service = models.CharField(_("承办事项"), max_length=20, choices=ReferralService.choices)
    status = models.CharField(
        _("状态"),
        max_length=10,
        choices=AssignmentStatus.choices,
        default=AssignmentStatus.OFFERED,
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("指派人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    assigned_at = models.DateTimeField(_("指派时间"), auto_now_add=True)
    responded_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    decline_reason = models.TextField(_("谢绝理由"), blank=True)

    class Meta:
        verbose_name = _("专家指派")
        verbose_name_plural = _("专家指派")
        ordering = ["-assigned_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["referral", "expert", "service"],
                condition=Q(status__in=["offered", "accepted"]),
                name="projects_assignment_active_unique",
                violation_error_message=_("该专家已承办此事项。"),
            )
        ]

    def __str__(self):
        return self.get_service_display()


class ReferralSession(models.Model):
    """A service session logged by an assigned expert (counselling, education, visit)."""

    referral = models.ForeignKey(
        Referral, verbose_name=_("司法转介"), on_delete=models.CASCADE, related_name="sessions"
    )
    assignment = models.ForeignKey(
        Assignment, verbose_name=_("专家指派"), on_delete=models.PROTECT, related_name="sessions"
    )
    date = models.DateField(_("日期"))
    minutes = models.PositiveSmallIntegerField(_("时长（分钟）"))
    summary = EncryptedTextField(_("过程记录"))
    next_steps = models.TextField(_("后续安排"), blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("服务记录")
        verbose_name_plural = _("服务记录")
        ordering = ["referral_id", "-date", "-id"]

    def __str__(self):
        return f"{self.date}"


@pghistory.track(
    exclude=[
        "family",
        "upbringing",
        "schooling",
        "peers",
        "behaviour",
        "support",
        "opinion",
    ]
)
class InvestigationReport(models.Model):
    """The social investigation report (社会调查报告), written from the template's sections
    and delivered to the court as PDF. Its text is encrypted at rest (sealed material)."""

    referral = models.OneToOneField(
        Referral, verbose_name=_("司法转介"), on_delete=models.CASCADE, related_name="report"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("撰写人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    family = EncryptedTextField(_("家庭情况"), blank=True)
    upbringing = EncryptedTextField(_("成长经历"), blank=True)
    schooling = EncryptedTextField(_("学校教育"), blank=True)
    peers = EncryptedTextField(_("交往情况"), blank=True)
    behaviour = EncryptedTextField(_("日常表现"), blank=True)
    support = EncryptedTextField(_("可用的社会支持"), blank=True)
    opinion = EncryptedTextField(_("调查意见"), blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    finalised_at = models.DateTimeField(_("定稿时间"), null=True, blank=True)
    delivered_on = models.DateField(_("送达日期"), null=True, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    SECTIONS = ("family", "upbringing", "schooling", "peers", "behaviour", "support", "opinion")

    class Meta:
        verbose_name = _("社会调查报告")
        verbose_name_plural = _("社会调查报告")
        ordering = ["-updated_at"]

    def __str__(self):
        return self.get_status_display()


class Story(models.Model):
    """A published story of a case (宣传稿): its text must not name the minor, the school
    or the address (checked by ``story_publish``)."""

    referral = models.ForeignKey(
        Referral,
        verbose_name=_("司法转介"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="stories",
    )
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("正文"))
    status = models.CharField(
        _("状态"), max_length=10, choices=StoryStatus.choices, default=StoryStatus.DRAFT
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("作者"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("案例故事")
        verbose_name_plural = _("案例故事")
        ordering = ["-published_at", "-id"]

    def __str__(self):
        return self.title
