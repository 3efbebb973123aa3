"""Uploaded spreadsheets (xlsx and CSV), checked before any parser iterates them.

openpyxl trusts a worksheet's declared ``<dimension>`` and pads every row to it, and fills
the rows a sheet skips: a 6 KB file declaring ``A1:XFD1048576`` becomes a million rows of
16,384 cells. So every parser of an uploaded table (member and station imports, bulk
monthly reports, region tables) first calls :func:`check_spreadsheet`, which reads at most
``max_mb`` and, without building any rows:

- for xlsx: that the file is a zip; the number of parts, their total uncompressed size and
  each part's compression ratio (Python's ``zipfile`` never inflates a part beyond the size
  its directory declares, so the declared sizes bound the work); then streams every XML
  part once through expat, rejecting a declared ``<dimension>``, a row number or a column
  beyond the limits, and any DTD or entity declaration;
- for CSV: the encoding (UTF-8 or GB18030), the number of rows and of columns in each row;
- all of it within ``seconds``.

openpyxl itself parses with defusedxml (it uses it whenever it is importable).
"""

from __future__ import annotations

import csv
import io
import re
import time
import zipfile
from pathlib import PurePath
from xml.parsers import expat

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_ZIP_PARTS = 200
MAX_UNCOMPRESSED_MB = 50
MAX_RATIO = 100  # a spreadsheet part compresses 5 to 20 times; a zip bomb 1,000 times
RATIO_FLOOR = 1024 * 1024  # parts smaller than this are not judged by their ratio
SECONDS = 5
CHUNK = 64 * 1024

_CELL = re.compile(r"\$?([A-Za-z]{1,3})\$?(\d+)")
_CORNER = re.compile(r"\$?([A-Za-z]*)\$?(\d*)")


class _Rejected(Exception):
    def __init__(self, error: ValidationError):
        super().__init__(error.messages)
        self.error = error


def check_spreadsheet(
    upload,
    *,
    max_rows: int,
    max_cols: int,
    max_mb: int = 5,
    kind: str | None = None,
    max_uncompressed_mb: int = MAX_UNCOMPRESSED_MB,
    max_ratio: int = MAX_RATIO,
    seconds: float = SECONDS,
) -> None:
    """Raise ``ValidationError`` (in Chinese) unless ``upload`` is a table within the limits.

    ``upload`` is an uploaded file (or any binary file object), bytes, or CSV text;
    ``kind`` ("xlsx" or "csv") defaults to the file name's extension. ``max_rows`` counts
    every line of the sheet, the header included. A file object is left at its start.
    """
    data = _read(upload, max_mb)
    if kind is None:
        kind = PurePath(getattr(upload, "name", "") or "").suffix.lower().lstrip(".")
    deadline = time.monotonic() + seconds
    if kind == "xlsx":
        _check_xlsx(
            data,
            max_rows=max_rows,
            max_cols=max_cols,
            max_bytes=max_uncompressed_mb * 1024 * 1024,
            max_ratio=max_ratio,
            deadline=deadline,
            seconds=seconds,
        )
    elif kind == "csv":
        _check_csv(data, max_rows=max_rows, max_cols=max_cols, deadline=deadline, seconds=seconds)
    else:
        raise ValidationError(_("只能上传 xlsx 或 CSV 格式的表格文件。"), code="file_type")


def _read(upload, max_mb: int) -> bytes | str:
    limit = max_mb * 1024 * 1024
    if isinstance(upload, bytes | str):
        data = upload
        size = len(upload.encode() if isinstance(upload, str) else upload)
    else:
        if hasattr(upload, "seek"):
            upload.seek(0)
        data = upload.read(limit + 1)
        if hasattr(upload, "seek"):
            upload.seek(0)
        size = len(data)
    if size > limit:
        raise ValidationError(
            _("文件超过 %(max)d MB 的上限，请分批上传。"), params={"max": max_mb}, code="file_size"
        )
    return data


def _unreadable(name: str = "xlsx") -> ValidationError:
    return ValidationError(
        _("无法读取该 %(kind)s 文件，请用 Excel 或 WPS 另存为 %(kind)s 后重新上传。"),
        params={"kind": name},
        code="file_content",
    )


def _too_slow(seconds: float) -> ValidationError:
    return ValidationError(
        _("检查表格用时超过 %(seconds)d 秒，请删除多余的内容或分批上传。"),
        params={"seconds": seconds},
        code="sheet_timeout",
    )


def _too_many_rows(max_rows: int) -> ValidationError:
    return ValidationError(
        _("表格超过 %(max)d 行（含表头），请分批上传。"),
        params={"max": max_rows},
        code="sheet_rows",
    )


def _too_many_cols(max_cols: int) -> ValidationError:
    return ValidationError(
        _("表格超过 %(max)d 列，请删除多余的列后重新上传。"),
        params={"max": max_cols},
        code="sheet_cols",
    )


def _column(letters: str) -> int:
    if len(letters) > 3:
        return 10**6  # beyond XFD: refused as too wide
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - 64
    return number


# --- xlsx -------------------------------------------------------------------------------


def _check_xlsx(data, *, max_rows, max_cols, max_bytes, max_ratio, deadline, seconds) -> None:
    if isinstance(data, str) or not data.startswith(b"PK\x03\x04"):
        raise ValidationError(
            _(
                "文件不是有效的 xlsx 表格（可能只是改了扩展名），"
                "请用 Excel 或 WPS 另存为 xlsx 后重新上传。"
            ),
            code="file_content",
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        parts = [info for info in archive.infolist() if not info.is_dir()]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as exc:
        raise _unreadable() from exc
    suspicious = ValidationError(
        _("文件解压后过大或压缩比异常，疑似恶意构造的文件，已拒绝。"), code="zip_bomb"
    )
    if len(parts) > MAX_ZIP_PARTS or sum(info.file_size for info in parts) > max_bytes:
        raise suspicious
    for info in parts:
        if info.file_size > RATIO_FLOOR and info.file_size > max_ratio * max(info.compress_size, 1):
            raise suspicious
    try:
        for info in parts:
            _scan_part(archive, info, max_rows, max_cols, deadline, seconds)
    except _Rejected as rejected:
        raise rejected.error from None
    except (zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError, EOFError) as exc:
        # A bad CRC, a part longer than declared, an encrypted or unknown compression.
        raise _unreadable() from exc


def _scan_part(archive, info, max_rows, max_cols, deadline, seconds) -> None:
    """Stream one part through expat, counting what openpyxl would make rows of.

    openpyxl takes every ``row`` element of a worksheet as a row and every child of one as
    a cell, at any depth, so any ``row`` in any part is counted. A part that is not XML
    stops expat at once; expat stopping part-way stops openpyxl at the same place.
    """
    parser = expat.ParserCreate(namespace_separator=" ")
    stack: list[str] = []
    position = {"row": 0, "col": 0}

    def start(name, attrs):
        local = name.rpartition(" ")[2]
        parent = stack[-1] if stack else ""
        stack.append(local)
        if local == "dimension" and "ref" in attrs:
            _check_dimension(attrs["ref"], max_rows, max_cols)
        elif local == "row":
            number = attrs.get("r")
            if number is None:
                position["row"] += 1
            else:
                try:
                    position["row"] = int(float(number))
                except (ValueError, OverflowError):
                    raise _Rejected(_unreadable()) from None
            position["col"] = 0
            if position["row"] > max_rows:
                raise _Rejected(_too_many_rows(max_rows))
        elif parent == "row":
            match = _CELL.fullmatch(attrs.get("r") or "")
            position["col"] = _column(match[1]) if match else position["col"] + 1
            if position["col"] > max_cols:
                raise _Rejected(_too_many_cols(max_cols))

    def end(name):
        stack.pop()

    def forbidden(*args):
        raise _Rejected(_unreadable())

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.StartDoctypeDeclHandler = forbidden
    parser.EntityDeclHandler = forbidden
    parser.ExternalEntityRefHandler = forbidden
    with archive.open(info) as source:
        try:
            while chunk := source.read(CHUNK):
                if time.monotonic() > deadline:
                    raise _Rejected(_too_slow(seconds))
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
        except expat.ExpatError:
            return  # not XML, or malformed from here on: openpyxl reads no further either


def _check_dimension(ref: str, max_rows: int, max_cols: int) -> None:
    """openpyxl pads rows to the far corner of the declared range ("A1:XFD1048576", or
    just columns, "A:XFD"), so either corner beyond the limits is refused."""
    rows = cols = 0
    for corner in ref.split(":"):
        match = _CORNER.fullmatch(corner.strip())
        if match is None:
            continue
        if match[1]:
            cols = max(cols, _column(match[1]))
        if match[2]:
            rows = max(rows, int(match[2]))
    if rows > max_rows or cols > max_cols:
        raise _Rejected(
            ValidationError(
                _(
                    "表格声明的范围为 %(ref)s，超过上限（%(rows)d 行、%(cols)d 列）。"
                    "请删除多余的行和列后另存，再重新上传。"
                ),
                params={"ref": ref[:40], "rows": max_rows, "cols": max_cols},
                code="sheet_dimension",
            )
        )


# --- CSV --------------------------------------------------------------------------------


def _check_csv(data, *, max_rows, max_cols, deadline, seconds) -> None:
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                text = data.decode("gb18030")
            except UnicodeDecodeError as exc:
                raise _unreadable("CSV") from exc
    else:
        text = data
    try:
        for number, row in enumerate(csv.reader(io.StringIO(text)), start=1):
            if number > max_rows:
                raise _too_many_rows(max_rows)
            if len(row) > max_cols:
                raise _too_many_cols(max_cols)
            if number % 1000 == 0 and time.monotonic() > deadline:
                raise _too_slow(seconds)
    except csv.Error as exc:
        raise _unreadable("CSV") from exc
