"""Organisations (unit members), the users who administer them, and their change requests."""

import secrets

import pghistory
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from association import changes
from association.accounts.roles import is_association_staff

from ..choices import ChangeRequestStatus, OrganisationKind
from ..validators import validate_credit_code
from .register import organisation_triggers

# The items of an organisation's registration (登记事项): an organisation admin proposes
# changes to these, staff review them; everything else the admin edits directly.
REGISTERED_FIELDS = (
    "name",
    "legal_representative",
    "kind",
    "registration_authority",
    "registered_on",
    "registered_capital",
    "business_scope",
    "address",
)


class OrganisationQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        if is_association_staff(user):
            return self
        return self.filter(admins__user=user)


@pghistory.track()
class Organisation(models.Model):
    """A social-work organisation or other body that is, or applies to be, a unit member."""

    name = models.CharField(_("单位名称"), max_length=200)
    credit_code = models.CharField(
        _("统一社会信用代码"),
        max_length=18,
        unique=True,
        validators=[validate_credit_code],
        error_messages={"unique": _("该统一社会信用代码已登记。")},
    )
    kind = models.CharField(_("单位类型"), max_length=30, choices=OrganisationKind.choices)
    legal_representative = models.CharField(_("法定代表人"), max_length=50)
    registration_authority = models.CharField(_("登记管理机关"), max_length=100, blank=True)
    registered_on = models.DateField(_("成立登记日期"), null=True, blank=True)
    registered_capital = models.DecimalField(
        _("注册资金（万元）"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    business_scope = models.TextField(_("业务范围"), blank=True)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("所在区划"),
        on_delete=models.PROTECT,
        related_name="organisations",
    )
    address = models.CharField(_("住所"), max_length=200)
    contact_name = models.CharField(_("联系人"), max_length=50)
    contact_phone = models.CharField(_("联系电话"), max_length=30)
    contact_email = models.EmailField(_("联系邮箱"), blank=True)
    website = models.URLField(_("网站"), blank=True)
    # What the organisation agreed to show in the public member directory (会员名录): listed
    # there (by name) only when it agreed to at least one item.
    directory_fields = ArrayField(
        models.CharField(
            max_length=20,
            choices=[
                ("county", _("县（市、区）")),
                ("business_scope", _("业务范围")),
                ("address", _("住所")),
                ("contact_name", _("联系人")),
                ("contact_phone", _("联系电话")),
                ("contact_email", _("联系邮箱")),
                ("website", _("网站")),
            ],
        ),
        verbose_name=_("会员名录公开项"),
        default=list,
        blank=True,
        help_text=_("单位同意在协会网站会员名录中公开的信息；不选则不列入名录。"),
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        ordering = ["name"]
        # Figures read from this table are kept until it changes (association.changes), and
        # a move of region moves its workers' county (members.models.register).
        triggers = [changes.trigger("members_organisation"), *organisation_triggers()]
        permissions = [("export_organisation", _("可以导出单位"))]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.credit_code = (self.credit_code or "").strip().upper()
        super().save(*args, **kwargs)


class OrganisationAdmin(models.Model):
    """A user who administers an organisation in the portal (role 机构管理员)."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("单位"), on_delete=models.CASCADE, related_name="admins"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        on_delete=models.CASCADE,
        related_name="administered_organisations",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("单位管理员")
        verbose_name_plural = _("单位管理员")
        ordering = ["organisation_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user"],
                name="members_orgadmin_unique",
                violation_error_message=_("该用户已是本单位的管理员。"),
            )
        ]

    def __str__(self):
        return f"{self.organisation_id}/{self.user_id}"


@pghistory.track()
class OrganisationChangeRequest(models.Model):
    """A change of registered items proposed by an organisation, applied when staff approve it."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("单位"),
        on_delete=models.CASCADE,
        related_name="change_requests",
    )
    changes = models.JSONField(_("变更内容"), help_text=_("字段名 → 新值"))
    reason = models.TextField(_("变更事由"), blank=True)
    status = models.CharField(
        _("状态"),
        max_length=10,
        choices=ChangeRequestStatus.choices,
        default=ChangeRequestStatus.PENDING,
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提交人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    decision_note = models.TextField(_("审核意见"), blank=True)

    class Meta:
        verbose_name = _("登记事项变更申请")
        verbose_name_plural = _("登记事项变更申请")
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(status="pending"),
                name="members_changerequest_one_pending",
                violation_error_message=_("本单位已有一份待审核的变更申请。"),
            )
        ]

    def __str__(self):
        return f"#{self.pk}"


def _invitation_token() -> str:
    return secrets.token_urlsafe(24)


class StaffInvitation(models.Model):
    """An organisation's invitation to a social worker to join its staff roster."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("单位"), on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("受邀人邮箱"))
    name = models.CharField(_("受邀人姓名"), max_length=50)
    token = models.CharField(_("邀请码"), max_length=64, unique=True, default=_invitation_token)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("邀请人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("邀请时间"), auto_now_add=True)
    accepted_at = models.DateTimeField(_("接受时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("人员邀请")
        verbose_name_plural = _("人员邀请")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.email
