"""社工站统计表：the station figures by county in the layout of a Chinese statistical table.

A statistical table (统计报表) filed with the civil-affairs bureau carries in its header the
表号，制表机关，批准机关，批准文号 and 有效期至 of the statistical survey system it belongs to
(``REPORTS_STATISTICS_TABLE``, they change by province and year), the 填报单位 and the
period; a unit row; columns numbered by 栏次（甲 for the row labels, then 1, 2, …）；the
总计 row first, then one row a county; and at its foot 单位负责人，统计负责人，填表人 and
报出日期. The figures come from grouped queries of ``stations.selectors`` (coverage and
staffing, stations built, funding from service contracts, services by area): one query
each, never a selector called per county.

The layout does not fit the generic :class:`Document` renderers, so the document renders
itself (:meth:`StatisticalDocument.render_own`, called by ``render.render``): the xlsx
through the project's writer :class:`~association.exports.XlsxBook` (its print settings,
formats and safe cells), the PDF through ``association.pdf`` on A4 landscape.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from association.exports import (
    Column,
    Kind,
    XlsxBook,
    association_name,
    day_label,
    display,
    text_width,
)

from ..catalogue import OFFICIAL_ROLES, Report, register, year_field
from ..conf import statistics_header
from ..documents import Document

TEN_THOUSAND = Decimal(10000)


def _initial(key: str):
    return lambda: statistics_header()[key]


class StatisticsForm(forms.Form):
    year = year_field(label=gettext_lazy("统计年度"))
    head = forms.CharField(
        label=gettext_lazy("单位负责人"), max_length=20, required=False, initial=_initial("head")
    )
    statistician = forms.CharField(
        label=gettext_lazy("统计负责人"),
        max_length=20,
        required=False,
        initial=_initial("statistician"),
    )
    preparer = forms.CharField(
        label=gettext_lazy("填表人"), max_length=20, required=False, initial=_initial("preparer")
    )
    reported_on = forms.DateField(
        label=gettext_lazy("报出日期"),
        required=False,
        help_text=gettext_lazy("留空为生成当天。"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": gettext_lazy("日期格式应为 2025-12-31。")},
    )


@dataclass
class StatColumn:
    label: str
    unit: str
    kind: Kind = Kind.COUNT
    group: str = ""  # columns of one group share a header cell above their own


@dataclass
class StatisticalDocument(Document):
    """A Document that is one statistical table (its section holds the same table for
    whatever reads documents generically)."""

    header: list[tuple[str, str]] = field(default_factory=list)  # 表号 … 有效期至
    unit_line: str = ""
    period: str = ""
    columns: list[StatColumn] = field(default_factory=list)  # without the 甲 column
    row_label: str = ""
    rows: list[list] = field(default_factory=list)
    total: list | None = None
    foot: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def render_own(self, fmt: str) -> bytes:
        if fmt == "xlsx":
            return statistical_xlsx(self)
        if fmt == "pdf":
            return statistical_pdf(self)
        raise ValueError(f"unknown format {fmt!r}")

    @property
    def body(self) -> list[list]:
        """The rows as printed: 总计 first, then one a county."""
        return [*([self.total] if self.total else []), *self.rows]

    def groups(self) -> list[tuple[str, int]]:
        """The top header row: (group label, span) of consecutive columns; a column with
        no group spans both header rows (span 0 marks it)."""
        out: list[tuple[str, int]] = []
        for column in self.columns:
            if column.group and out and out[-1][0] == column.group and out[-1][1]:
                out[-1] = (column.group, out[-1][1] + 1)
            elif column.group:
                out.append((column.group, 1))
            else:
                out.append((column.label, 0))
        return out

    def heading_of(self, column: StatColumn, lines: bool = False) -> str:
        """``乡镇（街道）（个）``; with ``lines``, the unit on a line of its own (the xlsx's
        header cells wrap, and a spreadsheet may break before a closing bracket)."""
        if not column.unit:
            return column.label
        return f"{column.label}{chr(10) if lines else ''}（{column.unit}）"


def wan(amount: Decimal | None) -> Decimal | None:
    """Yuan as 万元 with two decimals."""
    if amount is None:
        return None
    return (Decimal(amount) / TEN_THOUSAND).quantize(Decimal("0.01"), ROUND_HALF_UP)


@register
class StationStatisticsReport(Report):
    slug = "station-statistics"
    title = gettext_lazy("社会工作服务站基本情况统计表")
    description = gettext_lazy(
        "按统计报表格式：表头含表号、制表机关、批准机关、批准文号、有效期至；各区县及总计的"
        "乡镇（街道）数、建成站点、运营站点、配备达标站点、驻站社会工作者及持证人数、"
        "财政投入和各服务领域服务次数、服务人次；表尾含单位负责人、统计负责人、填表人和报出日期。"
    )
    roles = OFFICIAL_ROLES
    requires = ("stations",)
    form_class = StatisticsForm
    order = 25

    def scheduled_params(self, today):
        return {"year": str(today.year - 1)}

    def build(self, params, progress):
        from stations.models import ServiceArea
        from stations.selectors import (
            built_by_county,
            coverage_by_county,
            funding_by_county,
            person_times_by_county_and_area,
        )

        year = params["year"]
        today = timezone.localdate()
        on = min(datetime.date(year, 12, 31), today)
        progress(10)
        county_rows, _total = coverage_by_county(on=on)
        built = built_by_county(on)
        funding = funding_by_county(year)
        progress(40)
        volumes = person_times_by_county_and_area(year)
        areas = list(ServiceArea.objects.order_by("order", "id"))
        progress(70)

        columns = [
            StatColumn(_("乡镇（街道）"), _("个")),
            StatColumn(_("建成站点"), _("个"), group=_("社会工作服务站")),
            StatColumn(_("其中：运营"), _("个"), group=_("社会工作服务站")),
            StatColumn(_("配备达标"), _("个"), group=_("社会工作服务站")),
            StatColumn(_("驻站社会工作者"), _("人"), group=_("人员")),
            StatColumn(_("其中：持证"), _("人"), group=_("人员")),
            StatColumn(_("财政投入"), _("万元"), Kind.MONEY),
        ]
        # under each service area: 次数 (次) and 人次 (人次), the unit in the label itself
        for area in [*[a.name for a in areas], _("服务合计")]:
            columns.append(StatColumn(_("次数"), "", group=area))
            columns.append(StatColumn(_("人次"), "", group=area))

        def figures(row, county_id):
            by_area = volumes.get(county_id, {}) if county_id else {}
            services = [
                by_area.get(area.pk, {}).get(key, 0)
                for area in areas
                for key in ("activities", "person_times")
            ]
            return [
                row.townships,
                built.get(county_id, 0),
                row.operating,
                row.operating - row.understaffed,
                row.workers,
                row.certified,
                wan(funding.get(county_id)) if county_id in funding else None,
                *services,
                sum(services[0::2]),
                sum(services[1::2]),
            ]

        rows = [[row.region.name, *figures(row, row.region.pk)] for row in county_rows]
        # 总计: the sum of the county rows, column by column (a blank stays blank if all are)
        total = [_("总计")]
        for index in range(1, len(columns) + 1):
            values = [row[index] for row in rows if row[index] is not None]
            total.append(sum(values) if values else None)

        header = statistics_header()
        reported_on = params.get("reported_on") or today
        document = StatisticalDocument(
            title=str(self.title),
            subtitle=_("%(year)s年") % {"year": year},
            period=_("%(year)s年") % {"year": year},
            header=[
                (_("表　　号"), header["number"]),
                (_("制表机关"), header["authority"]),
                (_("批准机关"), header["approver"]),
                (_("批准文号"), header["approval"]),
                (_("有效期至"), header["valid_until"]),
            ],
            unit_line=_("单位：个、人、次、人次、万元"),
            columns=columns,
            row_label=_("区县"),
            rows=rows,
            total=total,
            foot=[
                (_("单位负责人"), params.get("head") or header["head"]),
                (_("统计负责人"), params.get("statistician") or header["statistician"]),
                (_("填表人"), params.get("preparer") or header["preparer"]),
                (_("报出日期"), day_label(reported_on)),
            ],
            notes=[
                _(
                    "说明：1. 乡镇（街道）、站点和人员为 %(date)s 的情况；"
                    "建成站点指运营中或暂停运营的站点，配备达标指运营站点中社会工作者人数和持证比例均达到配备标准的站点。"
                )
                % {"date": on.isoformat()},
                _(
                    "2. 财政投入为该年度社工站政府购买服务合同金额之和，未录入合同的区县留空。"
                    "服务次数、服务人次为该年度已审核月报的累计数。"
                ),
                _("3. 总计 = 各区县之和。"),
            ],
        )
        section = document.section(str(self.title))
        section.table(
            _("各区县"),
            [document.row_label, *[f"{c.group}{document.heading_of(c)}" for c in columns]],
            rows,
            total=total,
        )
        progress(95)
        return document


# --- xlsx ------------------------------------------------------------------------------


def statistical_xlsx(document: StatisticalDocument) -> bytes:
    book = XlsxBook()
    workbook = book.workbook
    ncols = len(document.columns) + 1
    label_width = max([12, *[len(str(row[0])) * 2 + 2 for row in document.body]])
    columns = [Column(document.row_label, Kind.TEXT, width=label_width)]
    for column in document.columns:
        # wide enough for its label on one line (乡镇（街道）), up to 13: the unit wraps below
        width = max(10 if column.kind == Kind.MONEY else 8, min(13, text_width(column.label) + 1))
        columns.append(
            Column(column.label, column.kind, 2 if column.kind == Kind.MONEY else 0, width)
        )
    sheet = book.sheet(document.title, columns, header=False)
    ws = sheet.worksheet
    formats = {
        "title": workbook.add_format(
            {"bold": True, "font_size": 16, "align": "center", "valign": "vcenter"}
        ),
        "left": workbook.add_format({"align": "left", "valign": "vcenter"}),
        "right": workbook.add_format({"align": "left", "valign": "vcenter", "font_size": 9}),
        "header": book.format("header"),
    }
    meta_cols = 5 if ncols >= 15 else 3
    left_last = ncols - meta_cols - 1
    # rows 0-4: the title at the left of the 表号 block; 填报单位, period and unit below it
    lefts = [
        (document.title, formats["title"]),
        (_("填报单位：%(unit)s") % {"unit": association_name()}, formats["left"]),
        (_("统计时期：%(period)s") % {"period": document.period}, formats["left"]),
        ("", formats["left"]),
        (document.unit_line, formats["left"]),
    ]
    # Row by row, top to bottom: the book streams its rows (constant_memory), so a row
    # cannot be gone back to once a later one is written.
    for row, (text, fmt) in enumerate(lefts):
        ws.set_row(row, 22 if row else 30)
        ws.merge_range(row, 0, row, left_last, str(text), fmt)
        if row < len(document.header):
            label, value = document.header[row]
            ws.merge_range(
                row, left_last + 1, row, ncols - 1, f"{label}：{value}", formats["right"]
            )
    # rows 5-6: two header rows (a group over its columns), row 7: the 栏次
    top, sub, numbers = 5, 6, 7
    header = formats["header"]
    ws.set_row(top, 30)
    ws.merge_range(top, 0, sub, 0, str(document.row_label), header)
    col = 1
    subs: list[tuple[int, str]] = []  # the second header row, written once the first is
    for label, span in document.groups():
        if span == 0:
            heading = document.heading_of(document.columns[col - 1], lines=True)
            ws.merge_range(top, col, sub, col, heading, header)
            col += 1
            continue
        if span > 1:
            ws.merge_range(top, col, top, col + span - 1, str(label), header)
        else:
            ws.write_string(top, col, str(label), header)
        for offset in range(span):
            column = document.columns[col - 1 + offset]
            subs.append((col + offset, document.heading_of(column, lines=True)))
        col += span
    ws.set_row(sub, 45)
    for index, heading in subs:
        ws.write_string(sub, index, heading, header)
    ws.write_string(numbers, 0, _("甲"), header)
    for index in range(1, ncols):
        ws.write_string(numbers, index, str(index), header)
    sheet.row = numbers + 1
    sheet.header_rows = sheet.row
    for index, row in enumerate(document.body):
        sheet.write(row, role="total" if document.total and index == 0 else "body")
    sheet.skip()
    foot = "　　".join(f"{label}：{value}" for label, value in document.foot)
    sheet.note(foot)
    for note in document.notes:
        sheet.note(note)
    return book.close()


# --- PDF -------------------------------------------------------------------------------


def statistical_pdf(document: StatisticalDocument) -> bytes:
    from association.pdf import render_pdf

    kinds = [Kind.TEXT, *[c.kind for c in document.columns]]
    body = []
    for index, row in enumerate(document.body):
        body.append(
            {
                "total": bool(document.total) and index == 0,
                "cells": [
                    {
                        "text": display(value, kinds[i], 2 if kinds[i] == Kind.MONEY else 0)
                        if value is not None
                        else "",
                        "num": i > 0,
                    }
                    for i, value in enumerate(row)
                ],
            }
        )
    groups, col = [], 0
    for label, span in document.groups():
        if span == 0:
            groups.append({"label": document.heading_of(document.columns[col]), "span": 0})
            col += 1
        else:
            groups.append({"label": label, "span": span})
            col += span
    return render_pdf(
        "reports/pdf/statistical_table.html",
        {
            "document": document,
            "unit": association_name(),
            "groups": groups,
            "subs": [document.heading_of(c) for c in document.columns if c.group],
            "numbers": list(range(1, len(document.columns) + 1)),
            # the columns with a unit in their header (the stations and staff) are wider
            "col_classes": ["c-fixed" if c.unit else "c-area" for c in document.columns],
            "body": body,
            "running_title": document.title,
        },
    )
