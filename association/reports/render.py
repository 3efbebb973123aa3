"""Renderers: one :class:`Document` to an xlsx workbook or a PDF, with the same figures.

xlsx is written by xlsxwriter in ``constant_memory`` mode (rows streamed to disk, so a
large register does not grow the worker's memory); every text cell passes through
:func:`association.exports.safe_cell`, so nothing a member typed can run as a formula.
The PDF is rendered by WeasyPrint with the Noto CJK fonts; charts are inline SVG drawn
by a template from geometry computed here (no charting dependency).
"""

from __future__ import annotations

import datetime
import re
import tempfile
from decimal import Decimal
from pathlib import Path

import xlsxwriter
from django.utils import timezone
from django.utils.translation import gettext as _

from association.exports import safe_cell
from association.pdf import render_pdf

from .documents import BarChart, Document, Figure, Note, Table

CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def format_value(value) -> str:
    """How a value reads in the PDF and in e-mails."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, Decimal):
        return f"{value:,}"
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


# --- xlsx ------------------------------------------------------------------------------

_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def _sheet_name(heading: str, used: set[str]) -> str:
    base = _SHEET_FORBIDDEN.sub("", heading).strip("'")[:28] or "Sheet"
    name, n = base, 2
    while name.lower() in used:
        name = f"{base[:26]}-{n}"
        n += 1
    used.add(name.lower())
    return name


class _SheetWriter:
    def __init__(self, workbook, sheet, formats):
        self.sheet = sheet
        self.formats = formats
        self.row = 0

    def cell(self, col, value, fmt=None):
        value = safe_cell(value)
        if value is None:
            self.sheet.write_blank(self.row, col, None, fmt)
        elif isinstance(value, bool):
            self.sheet.write_boolean(self.row, col, value, fmt)
        elif isinstance(value, int | Decimal | float):
            self.sheet.write_number(self.row, col, value, fmt or self.formats["number"])
        elif isinstance(value, datetime.datetime):
            self.sheet.write_string(self.row, col, format_value(value), fmt)
        elif isinstance(value, datetime.date):
            self.sheet.write_datetime(
                self.row,
                col,
                datetime.datetime.combine(value, datetime.time()),
                self.formats["date"],
            )
        else:
            # write_string: a text cell is never parsed as a formula or a number.
            self.sheet.write_string(self.row, col, str(value), fmt)

    def line(self, values, fmt=None):
        for col, value in enumerate(values):
            self.cell(col, value, fmt)
        self.row += 1

    def skip(self, n=1):
        self.row += n


def render_xlsx(document: Document, path: Path) -> None:
    workbook = xlsxwriter.Workbook(
        str(path),
        {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False},
    )
    formats = {
        "title": workbook.add_format({"bold": True, "font_size": 14}),
        "heading": workbook.add_format({"bold": True, "font_size": 12}),
        "header": workbook.add_format({"bold": True, "bg_color": "#EEF3F1", "border": 1}),
        "bold": workbook.add_format({"bold": True}),
        "total": workbook.add_format({"bold": True, "top": 1}),
        "note": workbook.add_format({"italic": True, "font_color": "#666666"}),
        "number": workbook.add_format({"num_format": "#,##0.##########"}),
        "date": workbook.add_format({"num_format": "yyyy-mm-dd"}),
    }
    used: set[str] = set()
    cover = _SheetWriter(workbook, workbook.add_worksheet(_sheet_name(_("说明"), used)), formats)
    cover.sheet.set_column(0, 0, 60)
    cover.line([document.title], formats["title"])
    if document.subtitle:
        cover.line([document.subtitle])
    cover.line([_("生成时间:%(time)s") % {"time": format_value(document.generated_at)}])
    cover.skip()
    cover.line([_("目录")], formats["bold"])
    for section in document.sections:
        cover.line([section.heading])
    for section in document.sections:
        writer = _SheetWriter(
            workbook, workbook.add_worksheet(_sheet_name(section.heading, used)), formats
        )
        writer.sheet.set_column(0, 0, 28)
        writer.sheet.set_column(1, 12, 14)
        writer.line([section.heading], formats["heading"])
        writer.skip()
        for block in section.blocks:
            if isinstance(block, Figure):
                writer.line([block.label, block.value, block.unit])
            elif isinstance(block, Table):
                writer.skip()
                writer.line([block.caption], formats["bold"])
                writer.line(block.columns, formats["header"])
                for row in block.rows:
                    writer.line(row)
                if block.total:
                    writer.line(block.total, formats["total"])
            elif isinstance(block, BarChart):
                writer.skip()
                writer.line([block.caption], formats["bold"])
                for label, value in zip(block.labels, block.values, strict=True):
                    writer.line([label, value, block.unit])
            elif isinstance(block, Note):
                writer.line([block.text], formats["note"])
    workbook.close()


def xlsx_bytes(document: Document) -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "report.xlsx"
        render_xlsx(document, path)
        return path.read_bytes()


# --- PDF -------------------------------------------------------------------------------

CHART_WIDTH = 480
CHART_LABEL = 120
CHART_VALUE = 70
BAR_HEIGHT = 16
BAR_GAP = 6


def chart_geometry(chart: BarChart) -> dict:
    """Positions of the bars of a horizontal bar chart, in SVG user units."""
    span = CHART_WIDTH - CHART_LABEL - CHART_VALUE
    maximum = chart.maximum or 1
    bars = []
    for index, (label, value) in enumerate(zip(chart.labels, chart.values, strict=True)):
        y = index * (BAR_HEIGHT + BAR_GAP)
        width = 0 if not value else max(1, round(float(value) / float(maximum) * span, 1))
        bars.append(
            {
                "label": label,
                "value": format_value(value) + (chart.unit or ""),
                "y": y,
                "text_y": y + BAR_HEIGHT - 4,
                "width": width,
                "value_x": CHART_LABEL + width + 4,
            }
        )
    return {
        "width": CHART_WIDTH,
        "height": max(len(bars) * (BAR_HEIGHT + BAR_GAP), BAR_HEIGHT),
        "label_width": CHART_LABEL,
        "label_x": CHART_LABEL - 6,
        "bar_height": BAR_HEIGHT,
        "bars": bars,
    }


def _pdf_blocks(section):
    """The section's blocks for the template; consecutive figures form one table."""
    items: list[dict] = []
    for block in section.blocks:
        if isinstance(block, Figure):
            if not items or items[-1]["kind"] != "figures":
                items.append({"kind": "figures", "figures": []})
            items[-1]["figures"].append(
                {"label": block.label, "value": format_value(block.value), "unit": block.unit}
            )
            continue
        item = {"kind": block.kind, "block": block}
        if isinstance(block, Table):
            item["rows"] = [[format_value(v) for v in row] for row in block.rows]
            item["total"] = [format_value(v) for v in block.total] if block.total else None
        elif isinstance(block, BarChart):
            item["chart"] = chart_geometry(block)
        items.append(item)
    return items


def pdf_bytes(document: Document) -> bytes:
    sections = [
        {"heading": section.heading, "items": _pdf_blocks(section)} for section in document.sections
    ]
    return render_pdf(
        "reports/pdf/document.html",
        {
            "document": document,
            "sections": sections,
            "generated_at": format_value(document.generated_at),
        },
    )


def render(document: Document, fmt: str) -> bytes:
    if fmt == "xlsx":
        return xlsx_bytes(document)
    if fmt == "pdf":
        return pdf_bytes(document)
    raise ValueError(f"unknown format {fmt!r}")
