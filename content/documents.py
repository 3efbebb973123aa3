"""The replies of a notice as one zip: an index xlsx (the project's report writer) and each
reply's file, named by county and unit so staff can file them."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import PurePath
from urllib.parse import quote

from django.utils import timezone
from django.utils.translation import gettext as _

from association.reports.documents import Document
from association.reports.render import xlsx_bytes

from .choices import ReceiptState
from .models import Article, Delivery

UNSAFE = re.compile(r'[\\/:*?"<>|\s]+')


def _safe(name: str) -> str:
    return UNSAFE.sub("_", name).strip("_")[:60] or "_"


def attachment_header(filename: str) -> str:
    return f"attachment; filename*=UTF-8''{quote(filename)}"


def _local(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def replies_zip(article: Article) -> bytes:
    deliveries = list(
        Delivery.objects.filter(article=article)
        .select_related("user", "county")
        .order_by("county__name", "unit", "id")
    )
    labels = dict(ReceiptState.choices)
    rows, files = [], []
    for n, delivery in enumerate(deliveries, start=1):
        filename = ""
        if delivery.reply_file:
            extension = PurePath(delivery.reply_file.name).suffix
            county = delivery.county.name if delivery.county else _("其他")
            filename = (
                f"{n:04d}_{_safe(county)}_{_safe(delivery.unit or str(delivery.user))}{extension}"
            )
            files.append((filename, delivery.reply_file))
        rows.append(
            [
                n,
                delivery.county.name if delivery.county else "",
                delivery.unit,
                str(delivery.user),
                str(labels[delivery.state]),
                _local(delivery.read_at),
                _local(delivery.replied_at),
                delivery.reply_text,
                filename,
            ]
        )
    document = Document(title=article.title, subtitle=_("通知回执汇总"))
    document.section(_("回执")).table(
        _("回执一览"),
        [
            _("序号"),
            _("县（市、区）"),
            _("单位"),
            _("收件人"),
            _("状态"),
            _("阅读时间"),
            _("回复时间"),
            _("回复内容"),
            _("附件文件名"),
        ],
        rows,
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(_("回执索引.xlsx"), xlsx_bytes(document))
        for filename, fieldfile in files:
            with fieldfile.open("rb") as handle:
                archive.writestr(f"{_('附件')}/{filename}", handle.read())
    return buffer.getvalue()
