"""Renderers: one :class:`Document` to an xlsx workbook or a PDF, with the same figures.

xlsx is written by the project's one writer, :class:`association.exports.XlsxBook`
(streamed to disk; print settings, number formats and safe cells are its job): the
cover sheet, then each section's figures, charts and notes on a sheet of their own and
each table on its own sheet, so every printed page repeats the header of its table.
The PDF is rendered by WeasyPrint with the Noto CJK fonts; charts are inline SVG drawn
by a template from geometry computed here (no charting dependency): the label column is
as wide as the longest label needs, and a label too long for it wraps.
"""

from __future__ import annotations

import re
import tempfile
from decimal import Decimal
from pathlib import Path

from django.utils.translation import gettext as _

from association.exports import (
    NUMERIC_KINDS,
    Column,
    Kind,
    XlsxBook,
    association_name,
    display,
    text_width,
)
from association.pdf import render_pdf

from .documents import BarChart, Document, Figure, Note, Table

CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def format_value(value) -> str:
    """How a value reads in the PDF and in e-mails (counts with thousands separators)."""
    return display(value)


# --- xlsx ------------------------------------------------------------------------------


def _table_groups(section) -> list[list[Table]]:
    """The section's tables; consecutive tables with the same columns share one sheet
    (one header, each table a group of rows with its caption and its total)."""
    groups: list[list[Table]] = []
    previous = None
    for block in section.blocks:
        if isinstance(block, Table):
            if groups and previous is block.__class__ and groups[-1][-1].columns == block.columns:
                groups[-1].append(block)
            else:
                groups.append([block])
        previous = block.__class__
    return groups


def _ordinal(heading: str) -> str:
    match = re.match(r"^([一二三四五六七八九十]+、|[((][一二三四五六七八九十\d]+[))])", heading)
    return match.group(1) if match else ""


def _period_line(document: Document) -> str:
    unit = _("编制单位：%(unit)s") % {"unit": association_name()}
    if not document.subtitle:
        return unit
    if association_name() in document.subtitle:
        return document.subtitle
    return f"{unit}    {document.subtitle}"


def _table_columns(tables: list[Table]) -> list[Column]:
    first = tables[0]
    merged = Table(
        first.caption,
        first.columns,
        [row for t in tables for row in [*t.rows, *([t.total] if t.total else [])]],
        kinds=first.kinds,
    )
    return [
        Column(header, kind, places)
        for header, kind, places in zip(
            merged.headers(), merged.column_kinds(), merged.column_places(), strict=False
        )
    ]


def _write_table_sheet(book, document, section, tables, name, notes):
    caption = tables[0].caption
    heading = section.heading
    if len(tables) == 1 and caption and caption != heading:
        heading = f"{heading} · {caption}"
    sheet = book.sheet(
        name,
        _table_columns(tables),
        title=document.title,
        subtitle=_period_line(document),
        heading=heading,
    )
    for table in tables:
        if len(tables) > 1:
            sheet.group(table.caption)
        for row in table.rows:
            sheet.write(row)
        if table.total:
            sheet.write(table.total, role="total")
        if not table.rows and not table.total:
            sheet.write([_("无数据")])
    if notes:
        sheet.skip()
        for note in notes:
            sheet.note(note.text)


def _write_section_sheet(book, document, section, name, blocks):
    has_figures = any(isinstance(b, Figure | BarChart) for b in blocks)
    columns = [Column(_("项目")), Column(_("数值"), Kind.NUMBER), Column(_("单位"))]
    sheet = book.sheet(
        name,
        columns if has_figures else [Column("")],
        title=document.title,
        subtitle=_period_line(document),
        heading=section.heading,
        header=has_figures,
    )
    for block in blocks:
        if isinstance(block, Figure):
            kind = block.value_kind
            sheet.write([block.label, block.value, block.display_unit], kinds=[Kind.TEXT, kind])
        elif isinstance(block, BarChart):
            sheet.group(block.caption)
            kind = block.value_kind
            unit = "" if kind == Kind.PERCENT else block.unit
            for label, value in zip(block.labels, block.values, strict=True):
                sheet.write([label, value, unit], kinds=[Kind.TEXT, kind])
        elif isinstance(block, Note):
            sheet.note(block.text)


def render_xlsx(document: Document, path: Path) -> None:
    book = XlsxBook(str(path))
    cover = book.sheet(
        _("说明"),
        [Column("", width=70)],
        title=document.title,
        subtitle=_period_line(document),
        header=False,
    )
    cover.note(_("生成时间：%(time)s") % {"time": format_value(document.generated_at)})
    cover.skip()
    cover.note(_("目录"))
    for section in document.sections:
        cover.note(section.heading)
    for section in document.sections:
        groups = _table_groups(section)
        notes = [b for b in section.blocks if isinstance(b, Note)]
        others = [b for b in section.blocks if isinstance(b, Figure | BarChart)]
        if others or not groups:
            _write_section_sheet(
                book,
                document,
                section,
                section.heading,
                [b for b in section.blocks if not isinstance(b, Table)],
            )
            notes = []
        for index, tables in enumerate(groups):
            if not others and len(groups) == 1:
                name = section.heading
            else:
                name = _ordinal(section.heading) + (
                    tables[0].caption if len(tables) == 1 else section.heading
                )
            _write_table_sheet(
                book, document, section, tables, name, notes if index == len(groups) - 1 else []
            )
    book.close()


def xlsx_bytes(document: Document) -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "report.xlsx"
        render_xlsx(document, path)
        return path.read_bytes()


# --- PDF -------------------------------------------------------------------------------

CHART_WIDTH = 640  # SVG user units (px): 169 mm, the text width of an A4 portrait page
FONT_SIZE = 11  # px (8.25 pt)
LINE_HEIGHT = 13
BAR_HEIGHT = 16
BAR_GAP = 6
MAX_LABEL_SHARE = 0.4  # labels take at most this part of the width, then wrap
PAD = 6


def _text_px(text: str) -> float:
    """Width of ``text`` at FONT_SIZE: a CJK character is 1 em, others about 0.6 em."""
    return text_width(text) * FONT_SIZE * 0.5 + (
        0.1 * FONT_SIZE * sum(1 for ch in text if ch.isascii())
    )


def _wrap(text: str, width: float) -> list[str]:
    """``text`` broken into lines no wider than ``width`` px (at any character: Chinese
    has no spaces to break at)."""
    lines, line = [], ""
    for ch in text:
        if line and _text_px(line + ch) > width:
            lines.append(line)
            line = ch
        else:
            line += ch
    return [*lines, line] if line else lines or [""]


def chart_geometry(chart: BarChart) -> dict:
    """Positions of the bars of a horizontal bar chart, in SVG user units.

    The label column is as wide as the longest label (at most 40 % of the chart; a
    longer label wraps onto more lines), and room is kept at the right for the widest
    value, so no text is cut at the chart's edge.
    """
    kind = chart.value_kind
    unit = "" if kind == Kind.PERCENT else (chart.unit or "")
    values = [display(v, kind) + unit if v is not None else "—" for v in chart.values]
    longest = max([_text_px(str(label)) for label in chart.labels] or [0])
    label_width = min(longest, CHART_WIDTH * MAX_LABEL_SHARE)
    value_width = max([_text_px(v) for v in values] or [0]) + PAD
    span = CHART_WIDTH - label_width - PAD * 2 - value_width
    maximum = chart.maximum or 1
    bars, y = [], 0
    for label, value, text in zip(chart.labels, chart.values, values, strict=True):
        lines = _wrap(str(label), label_width)
        height = max(BAR_HEIGHT, len(lines) * LINE_HEIGHT)
        width = 0 if not value else max(1, round(float(value) / float(maximum) * span, 1))
        middle = y + height / 2
        first_line = middle - (len(lines) - 1) * LINE_HEIGHT / 2 + FONT_SIZE * 0.35
        bars.append(
            {
                "label": label,
                "lines": [
                    {"text": line, "y": round(first_line + i * LINE_HEIGHT, 1)}
                    for i, line in enumerate(lines)
                ],
                "value": text,
                "y": round(middle - BAR_HEIGHT / 2, 1),
                "text_y": round(middle + FONT_SIZE * 0.35, 1),
                "width": width,
                "value_x": round(label_width + PAD + width + 4, 1),
            }
        )
        y += height + BAR_GAP
    return {
        "width": CHART_WIDTH,
        "height": max(y - BAR_GAP, BAR_HEIGHT),
        "font_size": FONT_SIZE,
        "label_width": round(label_width + PAD, 1),
        "label_x": round(label_width, 1),
        "bar_height": BAR_HEIGHT,
        "bars": bars,
    }


def _is_number(value, kind: Kind) -> bool:
    """Whether a cell is right-aligned: a numeric column, or a number outside a year column."""
    if kind in NUMERIC_KINDS:
        return True
    is_number = isinstance(value, int | Decimal | float) and not isinstance(value, bool)
    return is_number and kind != Kind.YEAR


def _indent(text: str) -> str:
    """Leading spaces (a statement line's indent) as ideographic spaces, which HTML keeps."""
    stripped = text.lstrip(" ")
    return "\u3000" * ((len(text) - len(stripped)) // 2) + stripped


# A column whose every cell is at most this wide (text_width: a CJK character counts 2, so
# 14 is 助理社会工作师) stays on one line in the PDF: a member number, a masked name, a
# date, a count or a standing broken over two lines doubles a row's height and the pages.
NOWRAP_WIDTH = 14
WIDE_TABLE_COLUMNS = 7  # document.html: a table of more columns is set smaller (table.wide)
PAGE_TEXT_WIDTH = (210 - 32) * 72 / 25.4  # pt: A4 less pdf/base.html's 16 mm margins


def _pdf_table(block: Table) -> dict:
    kinds = block.column_kinds()
    places = block.column_places()

    def cells(row):
        return [
            {
                "text": _indent(
                    display(
                        value,
                        kinds[i] if i < len(kinds) else Kind.TEXT,
                        places[i] if i < len(places) else 0,
                    )
                ),
                "num": _is_number(value, kinds[i] if i < len(kinds) else Kind.TEXT),
            }
            for i, value in enumerate(row)
        ]

    rows = [cells(row) for row in block.rows]
    total = cells(block.total) if block.total else None
    headers = [
        {"text": header, "num": kind in NUMERIC_KINDS}
        for header, kind in zip(block.headers(), kinds, strict=False)
    ]
    _keep_short_columns_whole(headers, [*rows, *([total] if total else [])])
    return {"headers": headers, "rows": rows, "total": total}


def _keep_short_columns_whole(headers: list[dict], rows: list[list[dict]]) -> None:
    """Mark the cells of the short columns ``nowrap``, if the table still fits the page's
    width with them on one line (a table of many short columns, such as a month's figures
    by service area, keeps wrapping where it must)."""
    wide = len(headers) > WIDE_TABLE_COLUMNS
    font, pad = (7.5, 7.0) if wide else (10.5, 11.0)  # document.html: table.wide, th/td
    unit = font * 0.55  # a text_width unit: half a CJK character, a digit a little more
    short, needed = {}, 0.0
    for index, header in enumerate(headers):
        widths = [text_width(row[index]["text"]) for row in rows if index < len(row)]
        longest = max(widths, default=0)
        if longest <= NOWRAP_WIDTH:
            # the header on one line too when it does not widen the column much (会籍状态)
            whole = text_width(str(header["text"])) <= max(longest, 8)
            short[index] = whole
            needed += max(longest, text_width(str(header["text"])) if whole else 0) * unit + pad
        else:
            needed += 8 * unit + pad  # four characters a line at least
    if needed > PAGE_TEXT_WIDTH:
        return
    for index, whole in short.items():
        for row in rows:
            if index < len(row):
                row[index]["nowrap"] = True
        headers[index]["nowrap"] = whole


def _pdf_blocks(section):
    """The section's blocks for the template; consecutive figures form one table."""
    items: list[dict] = []
    for block in section.blocks:
        if isinstance(block, Figure):
            if not items or items[-1]["kind"] != "figures":
                items.append({"kind": "figures", "figures": []})
            items[-1]["figures"].append(
                {
                    "label": block.label,
                    "value": display(block.value, block.value_kind),
                    "unit": block.display_unit,
                }
            )
            continue
        item = {"kind": block.kind, "block": block}
        if isinstance(block, Table):
            item.update(_pdf_table(block))
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
            "running_title": document.title,
        },
    )


def render(document: Document, fmt: str) -> bytes:
    # A document in a layout of its own (a statistical table) renders itself.
    own = getattr(document, "render_own", None)
    if own is not None:
        return own(fmt)
    if fmt == "xlsx":
        return xlsx_bytes(document)
    if fmt == "pdf":
        return pdf_bytes(document)
    raise ValueError(f"unknown format {fmt!r}")
