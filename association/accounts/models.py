"""The portal's user: logs in by e-mail (or a mobile number), has a display name."""

import pghistory
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

mobile_validator = RegexValidator(
    r"^1[3-9]\d{9}$", _("请输入11位中国大陆手机号码，如 13800138000。")
)


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("email is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


@pghistory.track(exclude=["password", "last_login"])
class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in: association staff, a member's admin, a social worker, an official."""

    email = models.EmailField(_("电子邮箱"), unique=True)
    mobile = models.CharField(
        _("手机号码"),
        max_length=11,
        unique=True,
        null=True,
        blank=True,
        validators=[mobile_validator],
        help_text=_("可用于短信验证码登录。"),
    )
    mobile_verified = models.BooleanField(_("手机号码已验证"), default=False)
    display_name = models.CharField(_("显示名称"), max_length=100, blank=True)
    is_staff = models.BooleanField(
        _("协会后台权限"), default=False, help_text=_("可以登录协会管理后台。")
    )
    is_active = models.BooleanField(_("有效"), default=True)
    date_joined = models.DateTimeField(_("注册时间"), default=timezone.now)
    # A civil-affairs official's jurisdiction (a city or county of the association's area):
    # what their dashboard, reports and exports cover. Empty: the association's whole area.
    # Set through accounts.services.user_set_region (the user's admin page).
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("所辖区划"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"level__in": ["city", "county"]},
        help_text=_("民政部门用户只能看到该区划的统计；留空为协会所在的整个区域。"),
    )

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="accounts_user_email_ci_unique",
                violation_error_message=_("该电子邮箱已被使用。"),
            ),
        ]

    def __str__(self):
        return self.display_name or self.email

    def clean(self):
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()
        if self.mobile == "":
            self.mobile = None

    def has_module_perms(self, app_label):
        """Django's answer, kept on the user object as Django keeps the permissions it
        reads: the admin's app list asks it for each of its 77 models on every page, and
        each time the backends scan all of the user's permissions (4 ms a page for staff)."""
        cache = self.__dict__.setdefault("_module_perms_cache", {})
        if app_label not in cache:
            cache[app_label] = super().has_module_perms(app_label)
        return cache[app_label]

    def get_full_name(self):
        return self.display_name or self.email

    def get_short_name(self):
        return self.display_name or self.email.split("@")[0]


@pghistory.track()
class MFAEnrolmentGrant(models.Model):
    """Permission to enrol a first (or replacement) authenticator, held outside the password.

    A staff member, officer or expert who has no authenticator may enrol one only with a
    grant: a one-time link sent to their verified e-mail, or a code issued by another
    staff member. Whoever holds just the password can do neither. Only the SHA-256 of the
    secret is kept; the secret itself is shown or sent once.
    """

    class Kind(models.TextChoices):
        EMAIL_LINK = "email_link", _("邮件链接")
        STAFF_CODE = "staff_code", _("工作人员签发的启用码")
        SERVER_SHELL = "server_shell", _("服务器管理员签发的启用码")

    user = models.ForeignKey(
        "accounts.User",
        verbose_name=_("用户"),
        on_delete=models.CASCADE,
        related_name="mfa_enrolment_grants",
    )
    kind = models.CharField(_("方式"), max_length=16, choices=Kind.choices)
    secret_hash = models.CharField(_("密钥摘要"), max_length=64, unique=True)
    issued_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("签发人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("签发时间"), auto_now_add=True)
    expires_at = models.DateTimeField(_("失效时间"))
    used_at = models.DateTimeField(_("使用时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("两步验证启用授权")
        verbose_name_plural = _("两步验证启用授权")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="staff_code") | models.Q(issued_by__isnull=False),
                name="accounts_mfagrant_code_has_issuer",
                violation_error_message=_("工作人员签发的启用码必须记录签发人。"),
            ),
            models.CheckConstraint(
                condition=~models.Q(issued_by=models.F("user")),
                name="accounts_mfagrant_not_self_issued",
                violation_error_message=_("启用码不能签发给自己。"),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk}"
