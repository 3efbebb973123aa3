"""Finance reports: the three statements for a period and the yearly dues disclosure.
Figures come from ``association.finance.statements.statement_build`` (the statements
page and its downloads) and ``association.finance.selectors.dues_disclosure``."""

from __future__ import annotations

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..catalogue import OFFICIAL_ROLES, Report, register, year_field
from ..documents import Document

DATE_ERRORS = {
    "required": gettext_lazy("请填写日期。"),
    "invalid": gettext_lazy("日期格式应为 2025-12-31。"),
}


class PeriodForm(forms.Form):
    start = forms.DateField(
        label=gettext_lazy("开始日期"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages=DATE_ERRORS,
    )
    end = forms.DateField(
        label=gettext_lazy("截止日期"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages=DATE_ERRORS,
    )

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise ValidationError(_("开始日期不能晚于截止日期。"))
        return data


def statements_sections(document: Document, start: datetime.date, end: datetime.date, number=""):
    """The three statements, each a section (also part of the annual report)."""
    from association.finance.choices import StatementKind
    from association.finance.statements import statement_build

    built = []
    for index, kind in enumerate(StatementKind):
        statement = statement_build(kind, start=start, end=end)
        heading = statement.layout.title
        if number:
            heading = _("%(number)s（%(index)s）%(title)s") % {
                "number": number,
                "index": index + 1,
                "title": statement.layout.title,
            }
        section = document.section(heading)
        if statement.layout.form_code:
            section.note(
                _("表号：%(code)s；期间：%(start)s 至 %(end)s")
                % {"code": statement.layout.form_code, "start": start, "end": end}
            )
        section.table(
            statement.layout.title,
            [_("项目"), _("行次"), *[str(label) for _key, label in statement.columns]],
            [
                ["  " * row.line.indent + row.line.label, row.line.code, *row.cell_values]
                for row in statement.rows
            ],
        )
        if statement.tie_outs:
            section.table(
                _("勾稽检查"),
                [_("检查项"), _("左方"), _("右方"), _("结果")],
                [
                    [t.label, t.left, t.right, _("相符") if t.ok else _("不符")]
                    for t in statement.tie_outs
                ],
            )
        for t in statement.tie_outs:
            if not t.ok:
                document.fail(
                    _("%(statement)s：%(check)s 不符（左方 %(left)s，右方 %(right)s）")
                    % {
                        "statement": statement.layout.title,
                        "check": t.label,
                        "left": t.left,
                        "right": t.right,
                    }
                )
        built.append(statement)
    return built


@register
class FinancialStatementsReport(Report):
    slug = "financial-statements"
    title = gettext_lazy("财务报表（三大报表）")
    description = gettext_lazy(
        "所选期间的资产负债表、业务活动表和现金流量表（民间非营利组织会计制度），附勾稽检查。"
    )
    roles = OFFICIAL_ROLES
    requires = ("association.finance",)
    form_class = PeriodForm
    order = 60

    def scheduled_params(self, today):
        year = today.year - 1
        return {"start": f"{year}-01-01", "end": f"{year}-12-31"}

    def build(self, params, progress):
        start, end = params["start"], params["end"]
        document = Document(
            title=str(self.title),
            subtitle=_("%(start)s 至 %(end)s") % {"start": start, "end": end},
        )
        progress(20)
        statements_sections(document, start, end)
        return document


class YearForm(forms.Form):
    year = year_field()


def dues_section(document: Document, heading: str, year: int):
    from association.finance.selectors import dues_disclosure

    figures = dues_disclosure(year=year)
    section = document.section(heading)
    section.figure(_("会费收入"), figures["income"], _("元"))
    section.figure(_("缴费笔数"), figures["payers"])
    section.figure(_("一般资金支出合计"), figures["spent"], _("元"))
    section.table(
        _("支出明细（按费用科目）"),
        [_("科目编码"), _("科目名称"), _("金额（元）")],
        [[r["account__code"], r["account__name"], r["total"]] for r in figures["spending"]],
        total=[_("合计"), None, figures["spent"]],
    )
    section.note(_("会费计入非限定性的一般资金，与其他非限定性收入统筹用于章程规定的业务活动。"))
    return figures


@register
class DuesDisclosureReport(Report):
    slug = "dues-disclosure"
    title = gettext_lazy("年度会费收支公开")
    description = gettext_lazy(
        "按民发〔2014〕166号要求每年公开的会费收入和使用情况：会费收入、缴费笔数、"
        "一般资金按费用科目的支出。"
    )
    roles = OFFICIAL_ROLES
    requires = ("association.finance",)
    needs = ("association.finance.selectors.dues_disclosure",)
    form_class = YearForm
    order = 70

    def scheduled_params(self, today):
        return {"year": str(today.year - 1)}

    def build(self, params, progress):
        year = params["year"]
        document = Document(title=str(self.title), subtitle=_("%(year)s 年度") % {"year": year})
        progress(30)
        dues_section(document, _("会费收支情况"), year)
        return document
