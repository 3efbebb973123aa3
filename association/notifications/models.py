"""What a user is told: in-app notifications, and the e-mail outbox that carries them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class NotificationQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(user=user)

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """One message in a user's inbox."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("收件人"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("类别"), max_length=50)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("站内通知")
        verbose_name_plural = _("站内通知")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["user", "created_at"],
                name="notif_unread_idx",
                condition=Q(read_at__isnull=True),
            )
        ]

    def __str__(self):
        return self.title


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("待发送")
    SENT = "sent", _("已发送")
    FAILED = "failed", _("发送失败")


class OutboxEmail(models.Model):
    """An e-mail waiting to be sent. Written in the same transaction as what caused it,
    drained by a Celery task, so a Redis or SMTP outage loses nothing."""

    to = models.EmailField(_("收件地址"))
    subject = models.CharField(_("主题"), max_length=255)
    body = models.TextField(_("正文"))
    notification = models.ForeignKey(
        Notification,
        verbose_name=_("站内通知"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="emails",
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=OutboxStatus.choices, default=OutboxStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    last_error = models.TextField(_("最近错误"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("待发邮件")
        verbose_name_plural = _("待发邮件")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(
                fields=["created_at"], name="outbox_pending_idx", condition=Q(status="pending")
            ),
        ]

    def __str__(self):
        return f"{self.to}: {self.subject}"


class NotificationPreference(models.Model):
    """How a user wants to hear about one kind of notification. Without a row, the
    defaults apply: in the inbox and by e-mail straight away."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        on_delete=models.CASCADE,
        related_name="notification_preferences",
    )
    kind = models.CharField(_("类别"), max_length=50)
    in_app = models.BooleanField(_("站内通知"), default=True)
    email = models.BooleanField(_("电子邮件"), default=True)
    digest = models.BooleanField(
        _("每日汇总"),
        default=False,
        help_text=_("选中后，邮件不再逐条发送，而是每天早上汇总为一封。"),
    )

    class Meta:
        verbose_name = _("通知偏好")
        verbose_name_plural = _("通知偏好")
        ordering = ["user_id", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind"],
                name="notification_preference_unique",
                violation_error_message=_("每个用户每类通知只能有一条偏好设置。"),
            )
        ]

    def __str__(self):
        return self.kind


class DigestItem(models.Model):
    """A notification waiting for the user's daily digest e-mail."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("收件人"),
        on_delete=models.CASCADE,
        related_name="digest_items",
    )
    kind = models.CharField(_("类别"), max_length=50)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    sent_at = models.DateTimeField(_("汇总发送时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("待汇总通知")
        verbose_name_plural = _("待汇总通知")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(
                fields=["user", "created_at"],
                name="digest_pending_idx",
                condition=Q(sent_at__isnull=True),
            )
        ]

    def __str__(self):
        return self.title
