"""Exported files: safe cells, the one xlsx writer and the download's Chinese file name.

A cell that starts with ``=``, ``+``, ``-``, ``@`` (or a tab or carriage return) is read
as a formula by Excel and WPS: a value a member typed (``=cmd()``) would run on an
official's machine. Every export passes its text cells through :func:`safe_cell`, and
:class:`XlsxBook` writes text with ``write_string`` (never parsed as a formula).

:class:`XlsxBook` is the project's only xlsx writer (reports, financial statements,
bulk-upload templates, member exports): every sheet it writes prints as an official
files it — A4, landscape when wider than portrait, fit to one page wide, the title and
header rows repeated on every page, panes frozen under the header, "第 X 页 共 Y 页" in
the footer, columns wide enough for Chinese text (a CJK character counts as two), whole
numbers as ``#,##0``, money as ``#,##0.00``, percentages as real percentages
(``0.975`` shown ``97.5%``) and never a format that shows ``106.`` with a stray point.
Every book streams its rows to disk (``constant_memory``): a sheet is written top to
bottom, and a write above the current row raises :class:`OutOfOrderWrite`.
"""

from __future__ import annotations

import datetime
import io
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from django.conf import settings
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """Prefix a formula-like string with an apostrophe; other values pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def association_name() -> str:
    """The unit named on every file ("编制单位"), ``settings.ASSOCIATION_NAME`` if set."""
    return getattr(settings, "ASSOCIATION_NAME", "") or _("许昌市社会工作行业协会")


# --- Download names ------------------------------------------------------------------

_UNSAFE_IN_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def download_name(title: str, period: str, ext: str) -> str:
    """``许昌市社会工作行业协会_社工站覆盖_2026年11月.xlsx``: unit, title and period."""
    parts = [association_name(), str(title), str(period)]
    stem = "_".join(_UNSAFE_IN_NAME.sub("-", p).strip() for p in parts if p)
    return f"{stem}.{ext}"


def attach(response, filename: str):
    """Mark ``response`` as a download named ``filename`` (RFC 6266: an ASCII fallback
    and ``filename*=UTF-8''…`` for the Chinese name)."""
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def month_label(month: datetime.date) -> str:
    return _("%(year)s年%(month)s月") % {"year": month.year, "month": month.month}


def day_label(day: datetime.date) -> str:
    return _("%(year)s年%(month)s月%(day)s日") % {
        "year": day.year,
        "month": day.month,
        "day": day.day,
    }


def span_label(start: datetime.date, end: datetime.date) -> str:
    """A period as it reads in a file name: a whole year "2025年度", else from–to."""
    if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) and start.year == end.year:
        return _("%(year)s年度") % {"year": start.year}
    return _("%(start)s至%(end)s") % {"start": day_label(start), "end": day_label(end)}


# --- Kinds and how a value reads -------------------------------------------------------


class Kind(StrEnum):
    """What a figure or a column holds, which decides its number format."""

    TEXT = "text"
    COUNT = "count"  # whole numbers: #,##0
    NUMBER = "number"  # decimals, with the places they have
    PERCENT = "percent"  # percentage points (97.5) in the data, a real percentage in files
    MONEY = "money"  # yuan: #,##0.00
    YEAR = "year"  # 2025, never 2,025
    DATE = "date"


NUMERIC_KINDS = (Kind.COUNT, Kind.NUMBER, Kind.PERCENT, Kind.MONEY)
MAX_PLACES = 4


def places_of(values) -> int:
    """The most decimal places among ``values`` (0 for whole numbers), at most 4."""
    places = 0
    for value in values:
        if isinstance(value, float):
            value = Decimal(repr(value))
        if isinstance(value, Decimal) and value.is_finite():
            places = max(places, -value.as_tuple().exponent)  # 112000.00 keeps its 2
    return min(places, MAX_PLACES)


def display(value, kind: Kind = Kind.TEXT, places: int = 0) -> str:
    """How a value reads on paper (PDF, e-mail, and the widths of xlsx columns)."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, int | Decimal | float):
        if kind == Kind.PERCENT:
            return f"{Decimal(str(value)):.1f}%"
        if kind == Kind.MONEY:
            return f"{Decimal(str(value)):,.2f}"
        if kind == Kind.YEAR:
            return str(value)
        if isinstance(value, int):
            return f"{value:,}"
        places = places or places_of([value])
        return f"{Decimal(str(value)):,.{places}f}"
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def text_width(text: str) -> int:
    """Width in Excel's character units: a CJK (wide or full-width) character counts 2."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in str(text))


# --- The xlsx writer -------------------------------------------------------------------


@dataclass
class Column:
    header: str
    kind: Kind = Kind.TEXT
    places: int = 0
    width: float | None = None  # None: fit the content
    as_text: bool = False  # cells formatted "@": a code or month typed in stays text


_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
PORTRAIT_WIDTH = 95  # what A4 portrait holds at 100 % (in character units), margins 1.5 cm
MAX_TEXT_WIDTH = 44  # a longer text wraps
MAX_HEADER_WIDTH = 16  # a longer header wraps onto a second line
A4 = 9


def number_format(kind: Kind, places: int = 0) -> str:
    if kind == Kind.PERCENT:
        return "0.0%"
    if kind == Kind.MONEY:
        return "#,##0.00"
    if kind == Kind.YEAR:
        return "0"
    if kind == Kind.DATE:
        return "yyyy-mm-dd"
    if kind == Kind.NUMBER and places:
        return "#,##0." + "0" * places
    return "#,##0"


class OutOfOrderWrite(ValueError):
    """A cell (or a row's height) written above a row already written.

    Every book streams its rows to disk (xlsxwriter's ``constant_memory``): a row is
    flushed as soon as a later row is written, and xlsxwriter then drops whatever is
    written to it without a word. :class:`RowOrderedWorksheet` raises this instead, so a
    writer that goes back up fails its tests rather than losing cells in an official's
    file."""


def _row_of(args) -> int:
    """The (first) row of an xlsxwriter call, in row/column or in A1 notation."""
    first = args[0]
    if isinstance(first, str):
        from xlsxwriter.utility import xl_cell_to_rowcol

        return xl_cell_to_rowcol(first.split(":")[0])[0]
    return int(first)


class RowOrderedWorksheet:
    """An xlsxwriter worksheet that refuses writes above the current row.

    Cells of the current row may be written in any order (xlsxwriter keeps the row until
    a later one starts); a write to an earlier row raises :class:`OutOfOrderWrite`. A
    merged range spanning several rows writes its first row at once and the blanks of
    its lower rows when the sheet reaches them (xlsxwriter's own ``merge_range`` pads
    them at once, which would close the first row to the rest of a two-row header, and
    the next two-row range would be refused). Everything else
    (``set_column``, print settings, ``freeze_panes``…) passes through unchanged."""

    _ROW_WRITES = frozenset(
        {
            "write",
            "write_string",
            "write_number",
            "write_blank",
            "write_datetime",
            "write_boolean",
            "write_formula",
            "write_url",
            "write_rich_string",
            "write_row",
            "set_row",
        }
    )

    def __init__(self, worksheet, name: str = ""):
        self._worksheet = worksheet
        self._name = name
        self.current_row = 0
        self._padding: dict[int, list[tuple]] = {}  # row: the blanks of merged ranges

    def __getattr__(self, attr):
        value = getattr(self._worksheet, attr)
        if attr in self._ROW_WRITES:

            def checked(*args, **kwargs):
                self._reach(_row_of(args), attr)
                return value(*args, **kwargs)

            self.__dict__[attr] = checked  # made once: a sheet of 150,000 rows calls it often
            return checked
        if attr in ("write_column", "insert_image", "insert_textbox", "add_table"):
            raise AttributeError(f"{attr} is not supported by XlsxSheet's row-ordered writer")
        return value

    def _reach(self, row: int, what: str) -> None:
        if row < self.current_row:
            raise OutOfOrderWrite(
                f"{what} at row {row + 1} of sheet {self._name!r} after row "
                f"{self.current_row + 1} was written: rows are streamed to disk in order "
                "(constant_memory) and an earlier row can no longer be changed"
            )
        if row > self.current_row:
            self._pad_until(row)
            self.current_row = row

    def _pad_until(self, row: int) -> None:
        """Write the blanks of merged ranges in the rows up to ``row``, top to bottom."""
        for pad_row in sorted(r for r in self._padding if r <= row):
            for col, cell_format in self._padding.pop(pad_row):
                self._worksheet.write_blank(pad_row, col, None, cell_format)

    def merge_range(self, first_row, first_col, last_row, last_col, data, cell_format=None):
        self._reach(first_row, "merge_range")
        if last_row == first_row:
            return self._worksheet.merge_range(
                first_row, first_col, last_row, last_col, data, cell_format
            )
        # xlsxwriter's merge_range pads the rows below with blanks at once, which closes
        # the first row to the cells after the range (the rest of a two-row header), and
        # refuses a range whose first row is closed. So: the range is recorded as
        # merge_range records it, its first row written now, the blanks below when the
        # sheet reaches their rows.
        from xlsxwriter.exceptions import OverlappingRange
        from xlsxwriter.utility import xl_range

        ws = self._worksheet
        cell_range = xl_range(first_row, first_col, last_row, last_col)
        cells = [
            (row, col)
            for row in range(first_row, last_row + 1)
            for col in range(first_col, last_col + 1)
        ]
        for cell in cells:
            if ws.merged_cells.get(cell):
                raise OverlappingRange(
                    f"Merge range '{cell_range}' overlaps previous merge range "
                    f"'{ws.merged_cells[cell]}'."
                )
        for cell in cells:
            ws.merged_cells[cell] = cell_range
        ws.merge.append([first_row, first_col, last_row, last_col])
        ws.write(first_row, first_col, data, cell_format)
        for row, col in cells[1:]:
            if row == first_row:
                ws.write_blank(row, col, None, cell_format)
            else:
                self._padding.setdefault(row, []).append((col, cell_format))
        return 0

    def close_rows(self) -> None:
        """Write the blanks of merged ranges still waiting (before the book closes)."""
        if self._padding:
            self._pad_until(max(self._padding))


class XlsxBook:
    """One workbook; :meth:`sheet` adds a printable sheet, :meth:`close` finishes it.

    ``output`` is a path or a binary file; without one, :meth:`close` returns the bytes.
    Every book is written in xlsxwriter's ``constant_memory`` mode: each row goes to a
    temporary file (``tmpdir``, default the system's) as soon as a later row is started,
    and only the zipped result is kept in memory — 150,000 rows cost the worker a few MB
    instead of ~440 MB (docs/performance.md). Rows must therefore be written top to
    bottom: :class:`XlsxSheet` (and its ``worksheet``, a :class:`RowOrderedWorksheet`)
    raises :class:`OutOfOrderWrite` on a write above the current row instead of letting
    xlsxwriter drop it silently.
    """

    def __init__(self, output=None, *, tmpdir: str | None = None):
        import xlsxwriter

        self.buffer = io.BytesIO() if output is None else None
        target = self.buffer if self.buffer is not None else output
        options = {
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "constant_memory": True,
        }
        if tmpdir:
            options["tmpdir"] = tmpdir
        self.workbook = xlsxwriter.Workbook(target, options)
        self._formats: dict = {}
        self._names: set[str] = set()
        self.sheets: list[XlsxSheet] = []

    def format(self, role: str, kind: Kind = Kind.TEXT, places: int = 0, as_text=False):
        """The cell format of ``role`` (title, subtitle, heading, header, body, total,
        group, note) for a value of ``kind``."""
        key = (role, kind if role in ("body", "total") else Kind.TEXT, places, as_text)
        if key not in self._formats:
            spec: dict = {"valign": "vcenter"}
            if role == "title":
                spec.update(bold=True, font_size=14, align="center")
            elif role == "subtitle":
                spec.update(align="center", font_color="#333333")
            elif role == "heading":
                spec.update(bold=True, font_size=12)
            elif role == "header":
                spec.update(bold=True, bg_color="#EEF3F1", border=1, align="center", text_wrap=True)
            elif role in ("body", "total", "group"):
                spec.update(border=1)
                if role != "body":
                    spec["bold"] = True
                if role == "group":
                    spec["bg_color"] = "#F6F8F7"
                if kind in (*NUMERIC_KINDS, Kind.YEAR, Kind.DATE):
                    spec["num_format"] = number_format(kind, places)
                    if kind == Kind.YEAR:
                        spec["align"] = "center"
                else:
                    spec["text_wrap"] = True
                    if as_text:
                        spec["num_format"] = "@"
            elif role == "note":
                spec.update(font_color="#555555", text_wrap=False)
            self._formats[key] = self.workbook.add_format(spec)
        return self._formats[key]

    def sheet_name(self, name: str) -> str:
        base = _SHEET_FORBIDDEN.sub("", str(name)).strip("'").strip()[:28] or "Sheet"
        candidate, n = base, 2
        while candidate.lower() in self._names:
            candidate = f"{base[:26]}-{n}"
            n += 1
        self._names.add(candidate.lower())
        return candidate

    def sheet(
        self,
        name: str,
        columns: list[Column],
        *,
        title: str = "",
        subtitle: str = "",
        heading: str = "",
        header: bool = True,
        freeze_cols: int | None = None,
    ) -> XlsxSheet:
        if title and not subtitle:
            subtitle = _("编制单位：%(unit)s") % {"unit": association_name()}
        worksheet = self.workbook.add_worksheet(self.sheet_name(name))
        sheet = XlsxSheet(self, RowOrderedWorksheet(worksheet, worksheet.name), columns)
        sheet.start(title=title, subtitle=subtitle, heading=heading, header=header)
        if freeze_cols is not None:
            sheet.freeze_cols = freeze_cols
        self.sheets.append(sheet)
        return sheet

    def close(self) -> bytes | None:
        for sheet in self.sheets:
            sheet.finish()
        self.workbook.close()
        return self.buffer.getvalue() if self.buffer is not None else None


class XlsxSheet:
    """A sheet of one table: title rows, one header row, then the rows in order.

    ``row`` is the next row to write; it only moves down (:meth:`write`, :meth:`skip`,
    or set it to a later row after writing a custom header through ``worksheet``).
    Going back up raises :class:`OutOfOrderWrite`."""

    def __init__(self, book: XlsxBook, worksheet: RowOrderedWorksheet, columns: list[Column]):
        self.book = book
        self.worksheet = worksheet
        self.columns = columns
        self.row = 0
        self.widths = [0.0] * max(len(columns), 1)
        self.header_rows = 0
        self.title_width = 0.0
        self.finished = False
        self.freeze_cols = 1 if len(columns) > 2 else 0  # the row labels stay in view

    @property
    def ncols(self) -> int:
        return max(len(self.columns), 1)

    def _merged(self, text: str, fmt, scale: float = 1.0) -> None:
        self.title_width = max(self.title_width, text_width(text) * scale + 2)
        if self.ncols > 1:
            self.worksheet.merge_range(self.row, 0, self.row, self.ncols - 1, "", fmt)
        self.worksheet.write_string(self.row, 0, safe_cell(text), fmt)
        self.row += 1

    def start(self, *, title: str, subtitle: str, heading: str, header: bool) -> None:
        if title:
            self.worksheet.set_row(self.row, 24)
            self._merged(title, self.book.format("title"), scale=1.3)
        if subtitle:
            self._merged(subtitle, self.book.format("subtitle"))
        if heading:
            self.worksheet.write_string(
                self.row, 0, safe_cell(str(heading)), self.book.format("heading")
            )
            self.title_width = max(self.title_width, text_width(heading) * 1.1 + 2)
            self.row += 1
        if header and self.columns:
            fmt = self.book.format("header")
            for col, column in enumerate(self.columns):
                self.worksheet.write_string(self.row, col, safe_cell(str(column.header)), fmt)
                self._fit(col, min(text_width(column.header), MAX_HEADER_WIDTH))
            self.row += 1
        self.header_rows = self.row

    def _fit(self, col: int, width: float) -> None:
        while col >= len(self.widths):
            self.widths.append(0.0)
        self.widths[col] = max(self.widths[col], width)

    def cell(self, col: int, value, role: str = "body", kind: Kind | None = None) -> None:
        column = self.columns[col] if col < len(self.columns) else Column("")
        kind = kind or column.kind
        places = column.places
        ws, row = self.worksheet, self.row
        if value is None:  # a blank keeps its column's format (for what is typed in later)
            ws.write_blank(row, col, None, self.book.format(role, kind, places, column.as_text))
            return
        if isinstance(value, bool):
            value = _("是") if value else _("否")
        if isinstance(value, int | Decimal | float):
            if kind not in (*NUMERIC_KINDS, Kind.YEAR):
                kind = Kind.COUNT if isinstance(value, int) else Kind.NUMBER
            if kind == Kind.NUMBER and not places:
                places = places_of([value])
            if kind == Kind.COUNT and not isinstance(value, int):
                kind, places = Kind.NUMBER, places_of([value])
            if kind == Kind.PERCENT:
                number = float(Decimal(str(value)) / 100)
            elif isinstance(value, int) or (kind in (Kind.COUNT, Kind.YEAR)):
                number = int(value)
            elif kind == Kind.NUMBER and places == 0 and value == int(value):
                number = int(value)  # a whole Decimal is written as an int: never "106."
            else:
                number = float(value)
            ws.write_number(row, col, number, self.book.format(role, kind, places))
            self._fit(col, text_width(display(value, kind, places)))
            return
        if isinstance(value, datetime.datetime):
            value = display(value)
        if isinstance(value, datetime.date):
            ws.write_datetime(
                row,
                col,
                datetime.datetime.combine(value, datetime.time()),
                self.book.format(role, Kind.DATE),
            )
            self._fit(col, 10)
            return
        text = str(safe_cell(str(value)))
        ws.write_string(row, col, text, self.book.format(role, Kind.TEXT, as_text=column.as_text))
        longest = max((text_width(line) for line in text.splitlines()), default=0)
        self._fit(col, min(longest, MAX_TEXT_WIDTH))

    def write(self, values, role: str = "body", kinds: list[Kind] | None = None) -> None:
        """One row; missing cells are left blank (and bordered), extra ones written too."""
        values = list(values)
        for col in range(max(self.ncols, len(values))):
            value = values[col] if col < len(values) else None
            kind = kinds[col] if kinds and col < len(kinds) else None
            self.cell(col, value, role, kind)
        self.row += 1

    def group(self, text: str) -> None:
        """A row naming the group of rows below it (a county's townships)."""
        fmt = self.book.format("group")
        if self.ncols > 1:
            self.worksheet.merge_range(self.row, 0, self.row, self.ncols - 1, "", fmt)
        self.worksheet.write_string(self.row, 0, safe_cell(str(text)), fmt)
        self.row += 1

    def note(self, text: str) -> None:
        """A line of text below the table (a note, a source, a signature line)."""
        self.worksheet.write_string(self.row, 0, safe_cell(str(text)), self.book.format("note"))
        self.title_width = max(self.title_width, min(text_width(text), 160))
        self.row += 1

    def skip(self, n: int = 1) -> None:
        self.row += n

    def finish(self) -> None:
        """Column widths, orientation and the print settings (called by the book)."""
        if self.finished:
            return
        self.finished = True
        ws = self.worksheet
        ws.close_rows()
        widths = []
        for col, fitted in enumerate(self.widths):
            column = self.columns[col] if col < len(self.columns) else None
            width = column.width if column and column.width else max(fitted + 2, 6)
            widths.append(width)
        total = sum(widths)
        if total < self.title_width:  # the merged title must not be cut at the last column
            extra = (self.title_width - total) / len(widths)
            widths = [width + extra for width in widths]  # spread: labels stay near figures
            total = self.title_width
        for col, width in enumerate(widths):
            ws.set_column(col, col, width)
        ws.set_paper(A4)
        if total > PORTRAIT_WIDTH:
            ws.set_landscape()
        else:
            ws.set_portrait()
        ws.set_margins(left=0.6, right=0.6, top=0.8, bottom=0.8)
        ws.fit_to_pages(1, 0)  # one page wide, as many pages tall as it takes
        ws.center_horizontally()
        if self.header_rows:
            ws.repeat_rows(0, self.header_rows - 1)
            ws.freeze_panes(self.header_rows, self.freeze_cols)
        name = association_name().replace("&", "&&")
        ws.set_header(f"&L&9{name}")
        ws.set_footer("&C&9" + _("第 &P 页 共 &N 页"))
