"""Station reports: coverage and workforce by county, and the monthly service summary.

Every figure comes from ``stations.selectors`` (the functions behind the 社工站覆盖
dashboard): coverage_by_county / coverage_by_township, build_plan_progress,
reporting_rates / reporting_rates_by_area and person_times_by_area.
"""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..catalogue import OFFICIAL_ROLES, MonthField, Report, previous_month, register
from ..documents import Document


class CoverageForm(forms.Form):
    on = forms.DateField(
        label=gettext_lazy("统计日期"),
        required=False,
        help_text=gettext_lazy("留空为今天。"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": gettext_lazy("日期格式应为 2025-12-31。")},
    )
    townships = forms.BooleanField(
        label=gettext_lazy("附各区县分乡镇(街道)明细"), required=False, initial=True
    )


def coverage_section(document: Document, on: datetime.date, heading: str):
    """Coverage and workforce by county (also a section of the annual report)."""
    from stations.selectors import coverage_by_county

    rows, total = coverage_by_county(on=on)
    section = document.section(heading)
    section.figure(_("乡镇(街道)数"), total.townships)
    section.figure(_("社工站数(不含已撤销)"), total.stations)
    section.figure(_("运营中的社工站"), total.operating)
    section.figure(_("覆盖率(运营站点 / 乡镇街道)"), total.coverage, "%")
    section.figure(_("驻站社会工作者"), total.workers, _("人"))
    section.figure(_("其中持证"), total.certified, _("人"))
    section.figure(_("持证比例"), total.certified_ratio, "%")
    section.figure(_("低于配备标准的站点"), total.understaffed)
    section.table(
        _("按区县"),
        [
            _("区县"),
            _("乡镇(街道)"),
            _("社工站"),
            _("运营中"),
            _("覆盖率(%)"),
            _("社会工作者"),
            _("持证"),
            _("持证比例(%)"),
            _("站均人数"),
            _("配备不足站点"),
        ],
        [coverage_row(row.region.name, row) for row in rows],
        total=coverage_row(_("合计"), total),
    )
    section.chart(
        _("各区县覆盖率"),
        [row.region.name for row in rows],
        [row.coverage or 0 for row in rows],
        "%",
    )
    return section, rows, total


def coverage_row(name, row) -> list:
    return [
        name,
        row.townships,
        row.stations,
        row.operating,
        row.coverage,
        row.workers,
        row.certified,
        row.certified_ratio,
        row.workers_per_station,
        row.understaffed,
    ]


@register
class StationCoverageReport(Report):
    slug = "station-coverage"
    title = gettext_lazy("社工站覆盖与人员配备(按区县)")
    description = gettext_lazy(
        "各区县乡镇(街道)社工站数量、运营站点覆盖率、驻站社会工作者及持证比例、"
        "配备不足站点和建设计划完成情况。"
    )
    roles = OFFICIAL_ROLES
    requires = ("stations",)
    form_class = CoverageForm
    order = 20

    def build(self, params, progress):
        from stations import conf
        from stations.selectors import build_plan_progress, coverage_by_township

        on = params.get("on") or timezone.localdate()
        document = Document(
            title=str(self.title), subtitle=_("统计日期:%(date)s") % {"date": on.isoformat()}
        )
        progress(10)
        section, rows, _total = coverage_section(document, on, _("一、覆盖与人员配备"))
        section.note(
            _("配备标准:每站不少于 %(workers)s 名社会工作者,持证比例不低于 %(ratio)s%%。")
            % {"workers": conf.min_workers(), "ratio": int(conf.min_certified_ratio() * 100)}
        )
        progress(40)
        plan = build_plan_progress(on.year, today=on)
        section = document.section(_("二、%(year)s 年建设计划完成情况") % {"year": on.year})
        if plan:
            section.table(
                _("各区县年度目标"),
                [_("区县"), _("完成期限"), _("目标运营站点"), _("实际运营"), _("完成率(%)")],
                [[p.county.name, p.due_on, p.target, p.operating, p.progress] for p in plan],
            )
        else:
            section.note(_("该年度未录入建设计划目标。"))
        progress(50)
        if params.get("townships"):
            section = document.section(_("三、分乡镇(街道)明细"))
            for index, row in enumerate(rows):
                township_rows, township_total = coverage_by_township(row.region, on=on)
                section.table(
                    row.region.name,
                    [
                        _("乡镇(街道)"),
                        _("社工站"),
                        _("运营中"),
                        _("社会工作者"),
                        _("持证"),
                        _("配备不足站点"),
                    ],
                    [
                        [
                            r.region.name,
                            r.stations,
                            r.operating,
                            r.workers,
                            r.certified,
                            r.understaffed,
                        ]
                        for r in township_rows
                    ],
                    total=[
                        _("合计"),
                        township_total.stations,
                        township_total.operating,
                        township_total.workers,
                        township_total.certified,
                        township_total.understaffed,
                    ],
                )
                progress(50 + 45 * (index + 1) // max(len(rows), 1))
        return document


class MonthlyForm(forms.Form):
    month = MonthField(error_messages={"required": gettext_lazy("请选择月份。")})


@register
class StationMonthlyReport(Report):
    slug = "station-monthly"
    title = gettext_lazy("社工站服务月报汇总")
    description = gettext_lazy(
        "所选月份各区县月报应报、已报、按时报送和审核通过情况,报送率与按时率,"
        "以及本年度按服务领域统计的服务次数和服务人次。每月 10 日自动发送给民政部门。"
    )
    roles = OFFICIAL_ROLES
    requires = ("stations",)
    form_class = MonthlyForm
    order = 30

    def scheduled_params(self, today):
        return {"month": previous_month(today).strftime("%Y-%m")}

    def build(self, params, progress):
        from stations.selectors import (
            person_times_by_area,
            reporting_rates,
            reporting_rates_by_area,
        )

        month = params["month"]
        label = _("%(year)s年%(month)s月") % {"year": month.year, "month": month.month}
        document = Document(title=str(self.title), subtitle=label)
        progress(10)
        rates = reporting_rates(month)
        section = document.section(_("一、月报报送情况"))
        section.figure(_("应报站点(当月运营)"), rates.expected)
        section.figure(_("已报送"), rates.received)
        section.figure(_("按时报送"), rates.on_time)
        section.figure(_("审核通过"), rates.approved)
        section.figure(_("未报送"), rates.missing)
        section.figure(_("报送率"), rates.rate, "%")
        section.figure(_("按时率"), rates.on_time_rate, "%")
        section.note(
            _("报送截止日期:%(date)s。应报站点为当月至少有一天处于运营状态的社工站。")
            % {"date": rates.deadline.isoformat()}
        )
        progress(30)
        by_county = reporting_rates_by_area(month)
        section.table(
            _("按区县"),
            [
                _("区县"),
                _("应报"),
                _("已报"),
                _("按时"),
                _("审核通过"),
                _("报送率(%)"),
                _("按时率(%)"),
            ],
            [
                [area.name, r.expected, r.received, r.on_time, r.approved, r.rate, r.on_time_rate]
                for area, r in by_county
            ],
            total=[
                _("合计"),
                rates.expected,
                rates.received,
                rates.on_time,
                rates.approved,
                rates.rate,
                rates.on_time_rate,
            ],
        )
        progress(50)
        section = document.section(_("二、%(year)s 年服务人次(按服务领域)") % {"year": month.year})
        section.note(_("本节为所选月份所在年度已审核月报的累计数。"))
        city_rows = person_times_by_area(month.year)
        section.table(
            _("全市"),
            [_("服务领域"), _("服务次数"), _("服务人次")],
            [[r["area"].name, r["activities"], r["person_times"]] for r in city_rows],
            total=[
                _("合计"),
                sum(r["activities"] for r in city_rows),
                sum(r["person_times"] for r in city_rows),
            ],
        )
        section.chart(
            _("服务人次(按服务领域)"),
            [r["area"].name for r in city_rows],
            [r["person_times"] for r in city_rows],
            _("人次"),
        )
        counties = [area for area, _rates in by_county]
        areas = [r["area"] for r in city_rows]
        county_rows = []
        for index, county in enumerate(counties):
            by_area = {
                r["area"].pk: r["person_times"] for r in person_times_by_area(month.year, county)
            }
            values = [by_area.get(area.pk, 0) for area in areas]
            county_rows.append([county.name, *values, sum(values)])
            progress(50 + 45 * (index + 1) // max(len(counties), 1))
        section.table(
            _("服务人次(按区县、服务领域)"),
            [_("区县"), *[area.name for area in areas], _("合计")],
            county_rows,
        )
        return document
