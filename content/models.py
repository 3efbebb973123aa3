"""Content items (news, notices, policies, disclosures), their attachments, and notices
sent to segments of members with one delivery row (and receipt) per recipient."""

from __future__ import annotations

import pghistory
from django.conf import settings
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from association.accounts.roles import is_association_staff

from .choices import Kind, Segment, SendStatus, Status, Visibility


class ArticleQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Status.PUBLISHED, published_at__lte=timezone.now())

    def public(self):
        """What an anonymous visitor, the feed and the sitemap may show."""
        return self.published().filter(visibility=Visibility.PUBLIC)

    def visible_to(self, user):
        """Anonymous: public items; members (content.permissions.reads_members_content):
        public and members-only items; anyone signed in: any notice sent to them; staff:
        everything published (drafts are in the admin). Withdrawn and future items are
        nobody's."""
        from .permissions import reads_members_content

        if not user.is_authenticated:
            return self.public()
        if is_association_staff(user):
            return self.published()
        if not reads_members_content(user):  # an applicant, an expert: not a member
            return self.published().filter(
                Q(visibility=Visibility.PUBLIC)
                | Q(pk__in=Delivery.objects.filter(user=user).values("article"))
            )
        return self.published().filter(
            Q(visibility__in=[Visibility.PUBLIC, Visibility.MEMBERS])
            | Q(pk__in=Delivery.objects.filter(user=user).values("article"))
        )


def _upload_to(instance, filename):
    return f"content/{timezone.now():%Y/%m}/{filename}"


@pghistory.track()
class Article(models.Model):
    """One content item (内容): a news story, a notice, a policy document or a disclosure.
    Its body is Markdown, rendered and sanitised when shown (content/rendering.py)."""

    kind = models.CharField(_("栏目"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("标题"), max_length=200)
    slug = models.SlugField(
        _("网址名"),
        max_length=100,
        unique=True,
        allow_unicode=True,
        blank=True,
        help_text=_("留空则按标题自动生成。"),
        error_messages={"unique": _("该网址名已被使用。")},
    )
    summary = models.CharField(
        _("摘要"), max_length=300, blank=True, help_text=_("列表页与分享卡片显示的简介。")
    )
    body = models.TextField(_("正文（Markdown）"), blank=True)
    cover = models.FileField(
        _("封面图片"),
        upload_to=_upload_to,
        blank=True,
        help_text=_("JPG 或 PNG，不超过 5 MB。"),
    )
    visibility = models.CharField(
        _("可见范围"), max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    status = models.CharField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    # Policies (政策法规)
    issuer = models.CharField(_("发文机关"), max_length=100, blank=True)
    document_number = models.CharField(_("文号"), max_length=60, blank=True)
    issued_on = models.DateField(_("发文日期"), null=True, blank=True)
    # Notices (通知公告) sent to members
    urgent = models.BooleanField(
        _("紧急"), default=False, help_text=_("紧急通知另以短信提醒收件人。")
    )
    reply_by = models.DateField(
        _("回执截止日期"), null=True, blank=True, help_text=_("需要收件人回执时填写。")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("撰稿人"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = _("网站内容")
        verbose_name_plural = _("网站内容")
        ordering = ["-published_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=Status.PUBLISHED) | Q(published_at__isnull=False),
                name="content_article_published_has_date",
                violation_error_message=_("已发布的内容必须有发布时间。"),
            ),
        ]
        indexes = [
            models.Index(fields=["kind", "status", "visibility", "-published_at"]),
            # icontains is UPPER(title) LIKE UPPER('%…%'): the trigram index serves it for
            # queries of three characters or more (README: 站内搜索).
            GinIndex(OpClass(Upper("title"), name="gin_trgm_ops"), name="content_title_trgm"),
            GinIndex(OpClass(Upper("body"), name="gin_trgm_ops"), name="content_body_trgm"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            from .rendering import make_slug

            self.slug = make_slug(self)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("content:article_detail", args=[self.slug])

    @property
    def is_public(self) -> bool:
        return (
            self.status == Status.PUBLISHED
            and self.visibility == Visibility.PUBLIC
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )


@pghistory.track()
class Attachment(models.Model):
    """A file attached to a content item (a policy's PDF, a notice's form to fill in)."""

    article = models.ForeignKey(
        Article, verbose_name=_("内容"), on_delete=models.CASCADE, related_name="attachments"
    )
    title = models.CharField(_("附件名称"), max_length=200)
    file = models.FileField(_("文件"), upload_to=_upload_to)
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        ordering = ["article_id", "id"]

    def __str__(self):
        return self.title


@pghistory.track()
class RecipientList(models.Model):
    """A named list of recipients staff keep for notices no other segment covers (the
    heads of the pilot stations, the members of a working group)."""

    name = models.CharField(
        _("名单名称"),
        max_length=100,
        unique=True,
        error_messages={"unique": _("已有同名的收件人名单。")},
    )
    users = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("收件人"),
        related_name="+",
        blank=True,
    )
    note = models.CharField(_("说明"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("收件人名单")
        verbose_name_plural = _("收件人名单")
        ordering = ["name"]

    def __str__(self):
        return self.name


@pghistory.track()
class Distribution(models.Model):
    """One sending of a notice to a segment (下发): the background task's state and
    progress. Recipients are resolved into delivery rows first, then notified in batches."""

    article = models.ForeignKey(
        Article, verbose_name=_("通知"), on_delete=models.PROTECT, related_name="distributions"
    )
    segment = models.CharField(_("发送对象"), max_length=20, choices=Segment.choices)
    county = models.ForeignKey(
        "regions.Region",
        verbose_name=_("县（市、区）"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    round = models.ForeignKey(
        "projects.RecruitmentRound",
        verbose_name=_("招募批次"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    recipient_list = models.ForeignKey(
        RecipientList,
        verbose_name=_("收件人名单"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="distributions",
    )
    status = models.CharField(
        _("发送状态"), max_length=10, choices=SendStatus.choices, default=SendStatus.QUEUED
    )
    total = models.PositiveIntegerField(_("收件人数"), default=0)
    sent = models.PositiveIntegerField(_("已送达"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发送人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("通知下发")
        verbose_name_plural = _("通知下发")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(segment=Segment.COUNTY_STATIONS) | Q(county__isnull=False),
                name="content_distribution_county",
                violation_error_message=_("发送给某县（市、区）的社工站时必须选择县（市、区）。"),
            ),
            models.CheckConstraint(
                condition=~Q(segment=Segment.GRADUATES) | Q(round__isnull=False),
                name="content_distribution_round",
                violation_error_message=_("发送给毕业生社工时必须选择招募批次。"),
            ),
            models.CheckConstraint(
                condition=~Q(segment=Segment.SAVED_LIST) | Q(recipient_list__isnull=False),
                name="content_distribution_list",
                violation_error_message=_("发送给已保存的名单时必须选择名单。"),
            ),
        ]

    def __str__(self):
        return self.get_segment_display()

    @property
    def percent(self) -> int:
        if not self.total:  # recipients not resolved yet, or a segment of nobody
            return 100 if self.status == SendStatus.DONE else 0
        return round(100 * self.sent / self.total)


@pghistory.track()
class Delivery(models.Model):
    """A notice as one recipient has it: when it reached their inbox, and their receipt
    (已阅，or a reply with a short text and a file). One row per notice and recipient,
    so a re-run of an interrupted send finds the row and sends nothing twice."""

    article = models.ForeignKey(
        Article, verbose_name=_("通知"), on_delete=models.CASCADE, related_name="deliveries"
    )
    distribution = models.ForeignKey(
        Distribution, verbose_name=_("下发"), on_delete=models.CASCADE, related_name="deliveries"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("收件人"),
        on_delete=models.CASCADE,
        related_name="content_deliveries",
    )
    unit = models.CharField(
        _("所属单位"), max_length=200, blank=True, help_text=_("社工站或单位名称。")
    )
    county = models.ForeignKey(
        "regions.Region",
        verbose_name=_("县（市、区）"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    notified_at = models.DateTimeField(_("送达时间"), null=True, blank=True)
    sms_sent_at = models.DateTimeField(_("短信时间"), null=True, blank=True)
    read_at = models.DateTimeField(_("已阅时间"), null=True, blank=True)
    replied_at = models.DateTimeField(_("回复时间"), null=True, blank=True)
    reply_text = models.TextField(_("回复内容"), max_length=1000, blank=True)
    reply_file = models.FileField(_("回复附件"), upload_to=_upload_to, blank=True)
    reminded_at = models.DateTimeField(_("最近提醒时间"), null=True, blank=True)
    reminders = models.PositiveSmallIntegerField(_("提醒次数"), default=0)

    class Meta:
        verbose_name = _("通知回执")
        verbose_name_plural = _("通知回执")
        ordering = ["article_id", "county__name", "unit", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "user"],
                name="content_delivery_once",
                violation_error_message=_("该通知已发送给此收件人。"),
            ),
            models.CheckConstraint(
                condition=Q(replied_at__isnull=True) | Q(read_at__isnull=False),
                name="content_delivery_reply_is_read",
                violation_error_message=_("回复的通知必然已阅。"),
            ),
        ]
        indexes = [models.Index(fields=["distribution", "notified_at"])]

    def __str__(self):
        return self.unit or str(self.user_id)

    @property
    def state(self) -> str:
        from .choices import ReceiptState

        if self.replied_at:
            return ReceiptState.REPLIED
        if self.read_at:
            return ReceiptState.READ
        return ReceiptState.PENDING
