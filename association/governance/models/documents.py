"""Governing documents (章程，选举办法，...) and their versions."""

import pghistory
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..choices import DocumentKind, VersionStatus


@pghistory.track()
class Document(models.Model):
    """A governing document of the association; its text lives in its versions."""

    kind = models.CharField(_("类别"), max_length=20, choices=DocumentKind.choices)
    title = models.CharField(_("标题"), max_length=200, unique=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=100)

    class Meta:
        verbose_name = _("制度文件")
        verbose_name_plural = _("制度文件")
        ordering = ["order", "title"]

    def __str__(self):
        return self.title


class DocumentVersionQuerySet(models.QuerySet):
    def public(self):
        return self.filter(status__in=[VersionStatus.ADOPTED, VersionStatus.SUPERSEDED])


@pghistory.track()
class DocumentVersion(models.Model):
    """One version of a document: draft → proposed → adopted → superseded. A version is
    adopted only by a motion that passed; adopting it supersedes the previous one."""

    document = models.ForeignKey(
        Document, verbose_name=_("文件"), on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveSmallIntegerField(_("版本号"))
    text = models.TextField(_("正文"))
    pdf = models.FileField(_("PDF 文本"), upload_to="governance/documents/%Y/", blank=True)
    change_summary = models.TextField(_("修改说明"), blank=True)
    status = models.CharField(
        _("状态"), max_length=12, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    adopted_by = models.ForeignKey(
        "governance.Motion",
        verbose_name=_("通过该版本的议案"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="adopted_versions",
    )
    adopted_on = models.DateField(_("通过日期"), null=True, blank=True)
    superseded_on = models.DateField(_("废止日期"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("起草人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = DocumentVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("文件版本")
        verbose_name_plural = _("文件版本")
        ordering = ["document_id", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "number"],
                name="governance_version_unique_number",
                violation_error_message=_("该文件已有此版本号。"),
            ),
            models.UniqueConstraint(
                fields=["document"],
                condition=Q(status="adopted"),
                name="governance_version_one_adopted",
                violation_error_message=_("一份文件只能有一个现行版本。"),
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["adopted", "superseded"])
                | Q(adopted_by__isnull=False, adopted_on__isnull=False),
                name="governance_version_adopted_by_motion",
                violation_error_message=_("通过的版本须记录通过它的议案和日期。"),
            ),
        ]

    def __str__(self):
        return f"v{self.number}"
