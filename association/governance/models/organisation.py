"""The association as a registered organisation (社会团体): its registration record, its
full-time staff, branches and representative offices, changes of registered items, the
results of the annual inspection, its evaluation grade and the rewards and penalties it
received, and the statements it makes each year in its annual work report (年度工作报告书).

These are what 社会团体年度工作报告书 asks that no other part of the portal holds. Every row
is written through ``governance.services.organisation`` (the admin calls them).
"""

import pghistory
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

CREDIT_CODE = RegexValidator(
    r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$",
    _("统一社会信用代码应为 18 位数字或大写字母（不含 I、O、Z、S、V）。"),
)


def not_before(*, start: str, end: str, name: str, message) -> models.CheckConstraint:
    """The constraint of a row with a start date and an optional end date (a leaving, a
    closing, an approval): the end, once known, is not before the start."""
    return models.CheckConstraint(
        condition=Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": models.F(start)}),
        name=name,
        violation_error_message=message,
    )


def year_field(label) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(label, unique=True)


class YearRecord(models.Model):
    """A row about one year (the year's inspection result, the year's filing): one per
    year, the latest first, the year within 1990 to 2100. A subclass re-declares ``year``
    only to give it its own label."""

    year = year_field(_("年度"))

    class Meta:
        abstract = True
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(year__gte=1990, year__lte=2100),
                name="%(class)s_year_range",
                violation_error_message=_("年度须在 1990 到 2100 之间。"),
            ),
        ]


@pghistory.track()
class Registration(models.Model):
    """The association's own registration record (登记证书上的事项): one row."""

    singleton = models.PositiveSmallIntegerField(default=1, unique=True, editable=False)
    name = models.CharField(_("社会团体名称"), max_length=200)
    credit_code = models.CharField(
        _("统一社会信用代码"), max_length=18, blank=True, validators=[CREDIT_CODE]
    )
    domicile = models.CharField(_("住所"), max_length=300, blank=True)
    postcode = models.CharField(
        _("邮政编码"),
        max_length=6,
        blank=True,
        validators=[RegexValidator(r"^\d{6}$", _("邮政编码应为 6 位数字。"))],
    )
    legal_representative = models.CharField(_("法定代表人"), max_length=50, blank=True)
    supervising_body = models.CharField(_("业务主管单位"), max_length=200, blank=True)
    registration_authority = models.CharField(_("登记管理机关"), max_length=200, blank=True)
    registered_on = models.DateField(_("成立登记日期"), null=True, blank=True)
    area = models.CharField(_("活动地域"), max_length=200, blank=True)
    business_scope = models.TextField(_("业务范围"), blank=True)
    registered_capital = models.DecimalField(
        _("注册资金（万元）"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    phone = models.CharField(_("联系电话"), max_length=50, blank=True)
    website = models.URLField(_("网站"), blank=True)

    class Meta:
        verbose_name = _("登记信息")
        verbose_name_plural = _("登记信息")
        constraints = [
            models.CheckConstraint(
                condition=Q(singleton=1),
                name="registration_single_row",
                violation_error_message=_("登记信息只有一条。"),
            ),
            models.CheckConstraint(
                condition=Q(registered_capital__isnull=True) | Q(registered_capital__gte=0),
                name="registration_capital_not_negative",
                violation_error_message=_("注册资金不能为负数。"),
            ),
        ]

    def __str__(self):
        return self.name


class StaffKind(models.TextChoices):
    FULL_TIME = "full_time", _("专职")
    PART_TIME = "part_time", _("兼职")


@pghistory.track()
class StaffMember(models.Model):
    """One person working for the association's secretariat (秘书处工作人员)."""

    name = models.CharField(_("姓名"), max_length=50)
    post = models.CharField(_("岗位"), max_length=100)
    kind = models.CharField(
        _("用工形式"), max_length=12, choices=StaffKind.choices, default=StaffKind.FULL_TIME
    )
    started_on = models.DateField(_("入职日期"))
    ended_on = models.DateField(_("离职日期"), null=True, blank=True)
    social_insurance = models.BooleanField(_("缴纳社会保险"), default=True)

    class Meta:
        verbose_name = _("工作人员")
        verbose_name_plural = _("工作人员")
        ordering = ["started_on", "id"]
        constraints = [
            not_before(
                start="started_on",
                end="ended_on",
                name="staffmember_ends_after_start",
                message=_("离职日期不能早于入职日期。"),
            ),
        ]

    def __str__(self):
        return f"{self.name}（{self.post}）"


class BranchKind(models.TextChoices):
    BRANCH = "branch", _("分支机构")
    REPRESENTATIVE = "representative", _("代表机构")


@pghistory.track()
class Branch(models.Model):
    """A branch (分支机构) or representative office (代表机构) of the association."""

    kind = models.CharField(_("类别"), max_length=16, choices=BranchKind.choices)
    name = models.CharField(_("名称"), max_length=200, unique=True)
    head = models.CharField(_("负责人"), max_length=50, blank=True)
    domicile = models.CharField(_("地址"), max_length=300, blank=True)
    established_on = models.DateField(_("设立日期"))
    decision = models.CharField(
        _("设立依据"), max_length=200, help_text=_("理事会或常务理事会决议及日期。")
    )
    closed_on = models.DateField(_("注销日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("分支机构、代表机构")
        verbose_name_plural = _("分支机构、代表机构")
        ordering = ["kind", "established_on", "id"]
        constraints = [
            not_before(
                start="established_on",
                end="closed_on",
                name="branch_closes_after_opening",
                message=_("注销日期不能早于设立日期。"),
            ),
        ]

    def __str__(self):
        return self.name


class RegisteredItem(models.TextChoices):
    NAME = "name", _("名称")
    DOMICILE = "domicile", _("住所")
    LEGAL_REPRESENTATIVE = "legal_representative", _("法定代表人")
    SCOPE = "scope", _("业务范围")
    CAPITAL = "capital", _("注册资金")
    SUPERVISING_BODY = "supervising_body", _("业务主管单位")
    OTHER = "other", _("其他")


@pghistory.track()
class RegistrationChange(models.Model):
    """A change of a registered item (变更登记) and its approval by the authority."""

    item = models.CharField(_("变更事项"), max_length=24, choices=RegisteredItem.choices)
    before = models.CharField(_("变更前"), max_length=300)
    after = models.CharField(_("变更后"), max_length=300)
    decided_on = models.DateField(_("内部决议日期"))
    approved_on = models.DateField(_("核准日期"), null=True, blank=True)
    approval_ref = models.CharField(_("核准文号"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("登记事项变更")
        verbose_name_plural = _("登记事项变更")
        ordering = ["decided_on", "id"]
        constraints = [
            not_before(
                start="decided_on",
                end="approved_on",
                name="registrationchange_approved_after_decision",
                message=_("核准日期不能早于内部决议日期。"),
            ),
        ]

    def __str__(self):
        return f"{self.get_item_display()}：{self.before} → {self.after}"


class InspectionOutcome(models.TextChoices):
    PASSED = "passed", _("合格")
    BASICALLY_PASSED = "basically_passed", _("基本合格")
    FAILED = "failed", _("不合格")


@pghistory.track()
class InspectionResult(YearRecord):
    """The registration authority's conclusion on one year's annual inspection (年检)."""

    year = year_field(_("年检年度"))
    outcome = models.CharField(_("年检结论"), max_length=20, choices=InspectionOutcome.choices)
    concluded_on = models.DateField(_("结论日期"))
    remarks = models.CharField(_("备注"), max_length=300, blank=True)

    class Meta(YearRecord.Meta):
        verbose_name = _("年检结果")
        verbose_name_plural = _("年检结果")

    def __str__(self):
        return f"{self.year}：{self.get_outcome_display()}"


class Grade(models.TextChoices):
    A1 = "1A", _("1A 级")
    A2 = "2A", _("2A 级")
    A3 = "3A", _("3A 级")
    A4 = "4A", _("4A 级")
    A5 = "5A", _("5A 级")


@pghistory.track()
class EvaluationGrade(models.Model):
    """A grade awarded in the social-organisation evaluation (社会组织评估等级)."""

    grade = models.CharField(_("评估等级"), max_length=2, choices=Grade.choices)
    awarded_on = models.DateField(_("评定日期"))
    valid_until = models.DateField(_("有效期至"))
    awarded_by = models.CharField(_("评定机关"), max_length=200)
    reference = models.CharField(_("文号"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("评估等级")
        verbose_name_plural = _("评估等级")
        ordering = ["-awarded_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gt=models.F("awarded_on")),
                name="evaluationgrade_valid_after_award",
                violation_error_message=_("有效期须晚于评定日期。"),
            ),
        ]

    def __str__(self):
        return f"{self.get_grade_display()}（{self.awarded_on}）"


class SanctionKind(models.TextChoices):
    REWARD = "reward", _("表彰奖励")
    PENALTY = "penalty", _("行政处罚")
    OTHER = "other", _("其他处理（约谈、责令整改等）")


@pghistory.track()
class RewardOrPenalty(models.Model):
    """A reward the association received, or a penalty or measure taken against it."""

    kind = models.CharField(_("类别"), max_length=10, choices=SanctionKind.choices)
    on = models.DateField(_("日期"))
    title = models.CharField(_("名称或事由"), max_length=300)
    authority = models.CharField(_("作出机关"), max_length=200)
    reference = models.CharField(_("文号"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("奖惩情况")
        verbose_name_plural = _("奖惩情况")
        ordering = ["-on", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()}：{self.title}"


class AuditOpinion(models.TextChoices):
    UNQUALIFIED = "unqualified", _("无保留意见")
    QUALIFIED = "qualified", _("保留意见")
    ADVERSE = "adverse", _("否定意见")
    DISCLAIMER = "disclaimer", _("无法表示意见")


@pghistory.track()
class AnnualFiling(YearRecord):
    """What the association states in one year's annual work report in its own words:
    its main work, cooperation, information disclosure, the audit of its accounts and
    who signs the report."""

    year = year_field(_("报告年度"))
    main_work = models.TextField(_("主要业务活动"), blank=True)
    cooperation = models.TextField(_("对外合作与交流"), blank=True)
    disclosure = models.TextField(
        _("信息公开情况"), blank=True, help_text=_("公开的渠道、内容和次数。")
    )
    audit_opinion = models.CharField(
        _("审计意见类型"), max_length=12, choices=AuditOpinion.choices, blank=True
    )
    auditor = models.CharField(_("审计机构"), max_length=200, blank=True)
    audit_report_ref = models.CharField(_("审计报告文号"), max_length=100, blank=True)
    head = models.CharField(_("单位负责人"), max_length=50, blank=True)
    preparer = models.CharField(_("填表人"), max_length=50, blank=True)
    phone = models.CharField(_("联系电话"), max_length=50, blank=True)
    filed_on = models.DateField(_("填表日期"), null=True, blank=True)

    class Meta(YearRecord.Meta):
        verbose_name = _("年度工作报告填报信息")
        verbose_name_plural = _("年度工作报告填报信息")
        constraints = [
            *YearRecord.Meta.constraints,
            models.CheckConstraint(
                condition=Q(audit_opinion="") | ~Q(auditor=""),
                name="annualfiling_opinion_has_auditor",
                violation_error_message=_("填写审计意见时须同时填写审计机构。"),
            ),
        ]

    def __str__(self):
        return str(_("%(year)s 年度工作报告填报信息") % {"year": self.year})
