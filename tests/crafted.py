"""Hostile spreadsheets, built byte by byte, for the upload tests of every parser.

Each is what an attacker can send in a few kilobytes: a declared dimension of the whole
sheet (openpyxl pads every row to it and fills the rows in between), a zip bomb, a file
named .xlsx that is not a zip, and an honest file with too many rows or columns.
"""

from __future__ import annotations

import contextlib
import functools
import io
import signal
import time
import zipfile
from xml.sax.saxutils import escape

from openpyxl.utils import get_column_letter

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006"
SHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
BOOK_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"


def cell(row: int, col: int, value) -> str:
    ref = f"{get_column_letter(col)}{row}"
    if isinstance(value, int | float):
        return f'<c r="{ref}"><v>{value}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(str(value))}</t></is></c>'


def sheet_xml(rows: dict[int, list], *, dimension: str | None = None) -> bytes:
    """A worksheet: ``rows`` maps a row number to its values from column A."""
    body = "".join(
        f'<row r="{number}">'
        + "".join(cell(number, col, v) for col, v in enumerate(values, 1) if v is not None)
        + "</row>"
        for number, values in sorted(rows.items())
    )
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{MAIN}">'
        f"{dim}<sheetData>{body}</sheetData></worksheet>"
    ).encode()


def xlsx(sheet: bytes) -> bytes:
    """The smallest package openpyxl (and Excel) opens: one workbook, one worksheet."""
    parts = {
        "[Content_Types].xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="{PKG}/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{BOOK_TYPE}"/>'
            f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{SHEET_TYPE}"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG}/relationships">'
            f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>"
        ),
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{REL}">'
            '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG}/relationships">'
            f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>'
            "</Relationships>"
        ),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
    return buffer.getvalue()


def crafted_dimension(header: list | None = None) -> bytes:
    """Declares the whole sheet, A1:XFD1048576, with a header row and one cell in the last
    row: about 1 KB that openpyxl turns into 1,048,576 rows of 16,384 cells."""
    rows = {1: header or ["乡镇代码"], 1048576: ["x"]}
    return xlsx(sheet_xml(rows, dimension="A1:XFD1048576"))


@functools.cache
def zip_bomb(megabytes: int = 60) -> bytes:
    """A worksheet padded with ``megabytes`` of whitespace: well-formed, about 1 KB per MB."""
    sheet = sheet_xml({1: ["乡镇代码"]})
    end = sheet.rindex(b"</worksheet>")
    return xlsx(sheet[:end] + b" " * (megabytes * 1024 * 1024) + sheet[end:])


def too_many_rows(rows: int, header: list | None = None) -> bytes:
    data = {1: header or ["乡镇代码"]}
    data.update({number: [f"{number}"] for number in range(2, rows + 1)})
    return xlsx(sheet_xml(data))


def too_many_cols(cols: int) -> bytes:
    return xlsx(sheet_xml({1: [f"列{n}" for n in range(1, cols + 1)]}))


NOT_A_ZIP = "乡镇代码,站点名称\n411002001,甲站\n".encode()
BROKEN_ZIP = b"PK\x03\x04" + b"\x00" * 200  # the signature an extension check looks for


@contextlib.contextmanager
def within(seconds: float, *, give_up_after: float = 10):
    """Assert the block takes under ``seconds``; interrupt it after ``give_up_after`` (so
    that the old code, which spends minutes on a crafted file, fails instead of hanging)."""

    def interrupt(signum, frame):
        raise TimeoutError(f"still working after {give_up_after} s")

    previous = signal.signal(signal.SIGALRM, interrupt)
    signal.setitimer(signal.ITIMER_REAL, give_up_after)
    started = time.monotonic()
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    elapsed = time.monotonic() - started
    assert elapsed < seconds, f"took {elapsed:.2f} s"
