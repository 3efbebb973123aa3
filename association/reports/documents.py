"""What a report builds: a document of sections holding figures, tables, charts and notes.

The renderers (``render.py``) turn one document into xlsx or PDF, so both formats always
show the same figures. Values are plain Python (str, int, Decimal, date, None); the
renderers format them.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import ClassVar

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

Value = str | int | Decimal | datetime.date | None

NOT_IN_SYSTEM = gettext_lazy("该部分数据暂未纳入系统")


@dataclass
class Figure:
    """A headline figure: label, value and an optional unit."""

    kind: ClassVar[str] = "figure"

    label: str
    value: Value
    unit: str = ""


@dataclass
class Table:
    kind: ClassVar[str] = "table"

    caption: str
    columns: list[str]
    rows: list[list[Value]]
    total: list[Value] | None = None


@dataclass
class BarChart:
    """A simple bar chart, drawn as SVG in the PDF (and written as its data in xlsx)."""

    kind: ClassVar[str] = "chart"

    caption: str
    labels: list[str]
    values: list[int | Decimal]
    unit: str = ""

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

    def table(self, caption, columns, rows, total=None) -> Section:
        self.blocks.append(Table(caption, list(columns), [list(r) for r in rows], total))
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
        text = _("%(missing)s(%(detail)s)。") if detail else _("%(missing)s。")
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
