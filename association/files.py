"""Uploaded files: checked on the way in, served only through views that check permission."""

from __future__ import annotations

import mimetypes
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.utils.translation import gettext as _

# The first bytes of each accepted type: the extension alone proves nothing.
SIGNATURES = {
    "pdf": [b"%PDF-"],
    "jpg": [b"\xff\xd8\xff"],
    "jpeg": [b"\xff\xd8\xff"],
    "png": [b"\x89PNG\r\n\x1a\n"],
    "docx": [b"PK\x03\x04"],
    "xlsx": [b"PK\x03\x04"],
}
DOCUMENT_TYPES = ("pdf", "jpg", "jpeg", "png")


def validate_upload(upload, *, types=DOCUMENT_TYPES, max_mb: int = 10) -> None:
    """Raise ``ValidationError`` (in Chinese) unless ``upload`` has an allowed type and size."""
    extension = PurePath(upload.name).suffix.lower().lstrip(".")
    if extension not in types:
        raise ValidationError(
            _("不支持的文件类型“%(ext)s”，请上传 %(types)s 文件。"),
            params={"ext": extension or "?", "types": "、".join(types)},
            code="file_type",
        )
    if upload.size > max_mb * 1024 * 1024:
        raise ValidationError(
            _("文件过大（%(size).1f MB），上限为 %(max)d MB。"),
            params={"size": upload.size / 1024 / 1024, "max": max_mb},
            code="file_size",
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not any(head.startswith(sig) for sig in SIGNATURES[extension]):
        raise ValidationError(
            _("文件内容与扩展名“%(ext)s”不符，请检查后重新上传。"),
            params={"ext": extension},
            code="file_content",
        )


def private_file_response(fieldfile, *, filename: str | None = None) -> FileResponse:
    """Stream a private file; the caller has already checked permission."""
    name = filename or PurePath(fieldfile.name).name
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    response = FileResponse(
        fieldfile.open("rb"), as_attachment=True, filename=name, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
