"""What a report builds: a document of sections holding figures, tables, charts and notes.

The renderers (``render.py``) turn one document into xlsx or PDF, so both formats always
show the same figures. Values are plain Python (str, int, Decimal, date, None); the
renderers format them by the *kind* of each figure and column (:class:`Kind`):

- a figure whose unit is ``"%"`` and a column headed ``…（%）`` hold percentages in points
  (``97.5``, as the selectors compute them): they are written as real percentages (the
  xlsx cell holds ``0.975`` formatted ``0.0%``, the PDF shows ``97.5%``), with no
  separate "%" cell;
- a figure in 元/万元 and a column headed ``…（元）``/``…（万元）`` or ``金额…`` is money (two
  decimals); a column headed 年份/年度 holds years (no thousands separator);
- otherwise the values decide: whole numbers are counts (``#,##0``), decimals keep their
  places. A report may also pass ``kinds=`` to :meth:`Section.table` explicitly.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import ClassVar

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from association.exports import Kind, places_of

Value = str | int | Decimal | datetime.date | None

NOT_IN_SYSTEM = gettext_lazy("该部分数据暂未纳入系统")


PERCENT_MARKS = ("（%）", "(%)", "(％)", "（％）")  # full- and half-width
# The half-width spellings (typed by hand, or in old data) written as escapes: the
# tree-wide typography fix (tools/check_typography.py --fix) would turn them full-width.
MONEY_MARKS = ("（元）", "\x28元\x29", "（万元）", "\x28万元\x29", "金额")
MONEY_UNITS = ("元", "万元")
YEAR_HEADERS = ("年份", "年度", "年")


def unit_kind(unit: str) -> Kind | None:
    """The kind a figure's unit implies (``"%"``: a percentage, ``"元"``: money)."""
    unit = str(unit or "").strip()
    if unit in ("%", "％"):
        return Kind.PERCENT
    if unit in MONEY_UNITS:
        return Kind.MONEY
    return None


def header_kind(header: str) -> Kind | None:
    """The kind a column's header declares (``覆盖率（%）``, ``金额（元）``, ``年份``)."""
    header = str(header or "").strip()
    if header.endswith(PERCENT_MARKS):
        return Kind.PERCENT
    if any(mark in header for mark in MONEY_MARKS):
        return Kind.MONEY
    if header in YEAR_HEADERS:
        return Kind.YEAR
    return None


def value_kind(values) -> Kind:
    """The kind of a column from its values: counts, decimals, dates or text."""
    kinds = set()
    for value in values:
        if value is None or isinstance(value, str):
            continue
        if isinstance(value, bool):
            kinds.add(Kind.TEXT)
        elif isinstance(value, int):
            kinds.add(Kind.COUNT)
        elif isinstance(value, Decimal | float):
            kinds.add(Kind.NUMBER)
        elif isinstance(value, datetime.date):
            kinds.add(Kind.DATE)
    if kinds == {Kind.COUNT}:
        return Kind.COUNT
    if kinds and kinds <= {Kind.COUNT, Kind.NUMBER}:
        return Kind.NUMBER
    if kinds == {Kind.DATE}:
        return Kind.DATE
    return Kind.TEXT


@dataclass
class Figure:
    """A headline figure: label, value and an optional unit."""

    kind: ClassVar[str] = "figure"

    label: str
    value: Value
    unit: str = ""

    @property
    def value_kind(self) -> Kind:
        return unit_kind(self.unit) or value_kind([self.value])

    @property
    def display_unit(self) -> str:
        """The unit shown beside the value ("%" is part of a percentage's value)."""
        return "" if self.value_kind == Kind.PERCENT else self.unit


@dataclass
class Table:
    kind: ClassVar[str] = "table"

    caption: str
    columns: list[str]
    rows: list[list[Value]]
    total: list[Value] | None = None
    kinds: list[Kind] | None = None  # None: from the headers and the values

    def column_kinds(self) -> list[Kind]:
        """Each column's kind: declared, else from its header, else from its values."""
        if self.kinds:
            return [Kind(k) for k in self.kinds]
        body = [*self.rows, *([self.total] if self.total else [])]
        kinds = []
        for index, header in enumerate(self.columns):
            values = [row[index] for row in body if index < len(row)]
            kind = header_kind(header) or value_kind(values)
            if kind == Kind.MONEY and value_kind(values) == Kind.TEXT:
                kind = Kind.TEXT  # a 金额 column of words stays words
            kinds.append(kind)
        return kinds

    def column_places(self) -> list[int]:
        """The decimal places each column shows (the most its values have)."""
        body = [*self.rows, *([self.total] if self.total else [])]
        return [
            places_of(row[index] for row in body if index < len(row))
            for index in range(len(self.columns))
        ]

    def headers(self) -> list[str]:
        """The headers as printed: a percentage column drops its "(%)" (its cells say it)."""
        out = []
        for header, kind in zip(self.columns, self.column_kinds(), strict=False):
            header = str(header)
            if kind == Kind.PERCENT:
                for mark in PERCENT_MARKS:
                    header = header.removesuffix(mark)
            out.append(header)
        return out


@dataclass
class BarChart:
    """A simple bar chart, drawn as SVG in the PDF (and written as its data in xlsx)."""

    kind: ClassVar[str] = "chart"

    caption: str
    labels: list[str]
    values: list[int | Decimal]
    unit: str = ""

    @property
    def value_kind(self) -> Kind:
        return unit_kind(self.unit) or value_kind(self.values)

    @property
    def maximum(self):
        return max([v for v in self.values if v is not None] or [0])


@dataclass
class Note:
    kind: ClassVar[str] = "note"

    text: str
    missing: bool = False  # the section's data is not in the system yet


@dataclass
class Section:
    heading: str
    blocks: list = field(default_factory=list)

    def figure(self, label, value, unit="") -> Section:
        self.blocks.append(Figure(label, value, unit))
        return self

    def table(self, caption, columns, rows, total=None, kinds=None) -> Section:
        self.blocks.append(Table(caption, list(columns), [list(r) for r in rows], total, kinds))
        return self

    def chart(self, caption, labels, values, unit="") -> Section:
        self.blocks.append(BarChart(caption, list(labels), list(values), unit))
        return self

    def note(self, text, missing=False) -> Section:
        self.blocks.append(Note(text, missing))
        return self

    def figures(self) -> list[Figure]:
        return [b for b in self.blocks if isinstance(b, Figure)]

    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]


@dataclass
class Document:
    title: str
    subtitle: str = ""
    sections: list[Section] = field(default_factory=list)
    generated_at: datetime.datetime | None = None
    # The report's own checks that failed (a statement's tie-out, say): the run says so
    # and a scheduled run is held from its audience (reports.services).
    failures: list[str] = field(default_factory=list)

    def fail(self, reason: str) -> None:
        self.failures.append(reason)

    def section(self, heading: str) -> Section:
        section = Section(heading)
        self.sections.append(section)
        return section

    def missing_section(self, heading: str, detail: str = "") -> Section:
        """A section whose app is not in the system yet: said so, never invented."""
        section = self.section(heading)
        text = _("%(missing)s（%(detail)s）。") if detail else _("%(missing)s。")
        section.note(text % {"missing": NOT_IN_SYSTEM, "detail": detail}, missing=True)
        return section

    def get(self, heading: str) -> Section:
        for section in self.sections:
            if section.heading == heading:
                return section
        raise KeyError(heading)

    def figure(self, heading: str, label: str):
        """The value of figure ``label`` in section ``heading`` (for tests and e-mails)."""
        for block in self.get(heading).figures():
            if block.label == label:
                return block.value
        raise KeyError(label)
