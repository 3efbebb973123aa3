"""Station reports: coverage and workforce by county, and the monthly service summary.

Every figure comes from ``stations.selectors`` (the functions behind the 社工站覆盖
dashboard): coverage_by_county / coverage_by_township_of_counties, build_plan_progress,
reporting_rates / reporting_rates_by_area and person_times_by_area /
person_times_by_county_and_area. The breakdowns by county are one grouped query each,
never a selector called per county (a province has 159 counties).
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
        label=gettext_lazy("附各区县分乡镇（街道）明细"), required=False, initial=True
    )


def area_name() -> str:
    """The name of the area a report counts: the requester's region, or the association's."""
    from association.regions.models import Region
    from association.regions.scope import current

    region = current() or Region.objects.association_roots().order_by("code").first()
    return region.name if region else ""


def by_city(rows):
    """County rows of several cities (a province-wide run) summed up to one row a city,
    in the order of the cities' codes; None when the rows are of one city (or are the
    cities already): the report then keeps one row a county."""
    from association.regions.models import Region
    from association.regions.scope import current
    from stations.selectors import CoverageRow

    parents = {row.region.parent_id for row in rows if row.region.level == "county"}
    parents.discard(None)
    # The counties of the area's own city (or of the same city stored under two code
    # forms, 411000 and 411000000000) are one row each, as ever.
    area = current()
    roots = (
        {area.pk} if area else set(Region.objects.association_roots().values_list("pk", flat=True))
    )
    if len(parents - roots) < 2:
        return None
    cities = Region.objects.in_bulk(parents)  # one query, not one a county
    summed: dict[int, CoverageRow] = {}
    for row in rows:
        key = row.region.parent_id if row.region.parent_id in cities else row.region.pk
        city = cities.get(key, row.region)
        summed.setdefault(key, CoverageRow(region=city)).add(row)
    return sorted(summed.values(), key=lambda row: row.region.code)


def province_counties() -> int:
    """The counties of the area a province-wide run counts (one query)."""
    from association.regions.models import Region
    from association.regions.scope import current

    area = current()
    roots = Region.objects.filter(pk=area.pk) if area else Region.objects.association_roots()
    return Region.objects.below(roots).counties().count()


def coverage_section(document: Document, on: datetime.date, heading: str):
    """Coverage and workforce by county (also a section of the annual report); a
    province-wide run (counties of several cities) by city, one row a city: the counties
    of a city are in that city's own run, its townships in a county's run."""
    from stations.selectors import coverage_by_county

    rows, total = coverage_by_county(on=on)
    cities = by_city(rows)
    counties = len(rows)
    if cities is None and any(row.region.level == "city" for row in rows):
        # a province's area: the selectors' rows are its cities already
        cities, counties = rows, province_counties()
    section = document.section(heading)
    section.figure(_("乡镇（街道）数"), total.townships)
    section.figure(_("社工站数（不含已撤销）"), total.stations)
    section.figure(_("运营中的社工站"), total.operating)
    section.figure(_("覆盖率（运营站点 / 乡镇街道）"), total.coverage, "%")
    section.figure(_("驻站社会工作者"), total.workers, _("人"))
    section.figure(_("其中持证"), total.certified, _("人"))
    section.figure(_("持证比例"), total.certified_ratio, "%")
    section.figure(_("低于配备标准的站点"), total.understaffed)
    shown = cities if cities is not None else rows
    section.table(
        _("按市") if cities is not None else _("按区县"),
        [
            _("市") if cities is not None else _("区县"),
            _("乡镇（街道）"),
            _("社工站"),
            _("运营中"),
            _("覆盖率（%）"),
            _("社会工作者"),
            _("持证"),
            _("持证比例（%）"),
            _("站均人数"),
            _("配备不足站点"),
        ],
        [coverage_row(row.region.name, row) for row in shown],
        total=coverage_row(_("合计"), total),
    )
    section.chart(
        _("各市覆盖率") if cities is not None else _("各区县覆盖率"),
        [row.region.name for row in shown],
        [row.coverage or 0 for row in shown],
        "%",
    )
    if cities is not None:
        section.note(
            _(
                "统计范围涉及 %(cities)s 个市、%(counties)s 个区县，按市汇总；"
                "各区县的数字请按市生成本报表，逐乡镇（街道）的数字请按区县生成。"
            )
            % {"cities": len(cities), "counties": counties}
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
    title = gettext_lazy("社工站覆盖与人员配备（按区县）")
    description = gettext_lazy(
        "各区县乡镇（街道）社工站数量、运营站点覆盖率、驻站社会工作者及持证比例、"
        "配备不足站点和建设计划完成情况。"
    )
    roles = OFFICIAL_ROLES
    regional = True
    requires = ("stations",)
    form_class = CoverageForm
    order = 20
    # Above this many townships the detail is summed up by county (see township_summary).
    detail_limit = 400

    def build(self, params, progress):
        from stations import conf
        from stations.selectors import (
            CoverageRow,
            build_plan_progress,
            coverage_by_township_of_counties,
        )

        on = params.get("on") or timezone.localdate()
        document = Document(
            title=str(self.title),
            subtitle=_("统计范围：%(area)s；统计日期：%(date)s")
            % {"area": area_name(), "date": on.isoformat()},
        )
        progress(10)
        section, rows, _total = coverage_section(document, on, _("一、覆盖与人员配备"))
        section.note(
            _("配备标准：每站不少于 %(workers)s 名社会工作者，持证比例不低于 %(ratio)s%%。")
            % {"workers": conf.min_workers(), "ratio": int(conf.min_certified_ratio() * 100)}
        )
        progress(40)
        # a province's breakdown: by city (its counties of several cities, or its cities)
        province = by_city(rows) is not None or any(r.region.level == "city" for r in rows)
        plan = build_plan_progress(on.year, today=on)
        section = document.section(_("二、%(year)s 年建设计划完成情况") % {"year": on.year})
        if plan and province:
            section.table(
                _("各市年度目标"),
                [_("市"), _("目标运营站点"), _("实际运营"), _("完成率（%）")],
                plan_by_city(plan),
            )
        elif plan:
            section.table(
                _("各区县年度目标"),
                [_("区县"), _("完成期限"), _("目标运营站点"), _("实际运营"), _("完成率（%）")],
                [[p.county.name, p.due_on, p.target, p.operating, p.progress] for p in plan],
            )
        else:
            section.note(_("该年度未录入建设计划目标。"))
        progress(50)
        # Rows that are townships already (a county's report; a city's own townships) have
        # no detail of their own; a province-wide run lists no township (thousands of rows:
        # a county's run lists them).
        rows = [row for row in rows if row.region.level != "township"]
        if params.get("townships") and rows and not province:
            section = document.section(_("三、分乡镇（街道）明细"))
            by_county = coverage_by_township_of_counties(on=on)
            empty = ([], CoverageRow(region=None))
            counties = [(row.region, *by_county.get(row.region.pk, empty)) for row in rows]
            townships = sum(len(township_rows) for _c, township_rows, _t in counties)
            if townships > self.detail_limit:
                township_summary(section, counties, townships, self.detail_limit)
            else:
                township_detail(section, counties)
            progress(95)
        return document


def plan_by_city(plan) -> list[list]:
    """The year's targets of a province's counties summed up by city (one query for the
    cities)."""
    from association.regions.models import Region
    from stations.selectors import percent

    cities = Region.objects.in_bulk({p.county.parent_id for p in plan if p.county.parent_id})
    summed: dict = {}
    for p in plan:
        city = cities.get(p.county.parent_id, p.county)
        target, operating, met = summed.get(city, (0, 0, 0))
        # a county past its target does not make up for another's shortfall
        summed[city] = (
            target + p.target,
            operating + p.operating,
            met + min(p.operating, p.target),
        )
    return [
        [city.name, target, operating, percent(met, target)]
        for city, (target, operating, met) in sorted(summed.items(), key=lambda kv: kv[0].code)
    ]


def township_detail(section, counties) -> None:
    """One table a county, one row a township."""
    for county, township_rows, total in counties:
        section.table(
            county.name,
            [
                _("乡镇（街道）"),
                _("社工站"),
                _("运营中"),
                _("社会工作者"),
                _("持证"),
                _("配备不足站点"),
            ],
            [
                [r.region.name, r.stations, r.operating, r.workers, r.certified, r.understaffed]
                for r in township_rows
            ],
            total=[
                _("合计"),
                total.stations,
                total.operating,
                total.workers,
                total.certified,
                total.understaffed,
            ],
        )


def township_summary(section, counties, townships: int, limit: int) -> None:
    """A province-wide run: each county's townships counted by their situation, one row a
    county, instead of thousands of township rows (a 60-page PDF that WeasyPrint lays out
    in minutes and hundreds of MB). The dashboard lists a county's townships one by one."""
    section.note(
        _(
            "统计范围内共 %(count)s 个乡镇（街道），超过 %(limit)s 个时按区县汇总各乡镇（街道）的"
            "情况，不逐一列出；逐乡镇（街道）的数字请在社工站覆盖页面选择区县查看。"
        )
        % {"count": townships, "limit": limit}
    )
    table_rows, totals = [], [0, 0, 0, 0]
    for county, township_rows, _total in counties:
        staffed = sum(1 for r in township_rows if r.operating and not r.understaffed)
        understaffed = sum(1 for r in township_rows if r.operating and r.understaffed)
        without = sum(1 for r in township_rows if not r.operating)
        figures = [len(township_rows), staffed, understaffed, without]
        totals = [a + b for a, b in zip(totals, figures, strict=True)]
        table_rows.append([county.name, *figures])
    section.table(
        _("各区县乡镇（街道）覆盖情况"),
        [
            _("区县"),
            _("乡镇（街道）"),
            _("有运营站点且配备达标"),
            _("有运营站点但配备不足"),
            _("无运营站点"),
        ],
        table_rows,
        total=[_("合计"), *totals],
    )


class MonthlyForm(forms.Form):
    month = MonthField(error_messages={"required": gettext_lazy("请选择月份。")})


@register
class StationMonthlyReport(Report):
    slug = "station-monthly"
    title = gettext_lazy("社工站服务月报汇总")
    description = gettext_lazy(
        "所选月份各区县月报应报、已报、按时报送和审核通过情况，报送率与按时率，"
        "以及本年度按服务领域统计的服务次数和服务人次。每月 10 日自动发送给民政部门。"
    )
    roles = OFFICIAL_ROLES
    regional = True
    requires = ("stations",)
    form_class = MonthlyForm
    order = 30

    def scheduled_params(self, today):
        return {"month": previous_month(today).strftime("%Y-%m")}

    def build(self, params, progress):
        from stations.selectors import (
            person_times_by_area,
            person_times_by_county_and_area,
            reporting_rates,
            reporting_rates_by_area,
        )

        month = params["month"]
        label = _("%(year)s年%(month)s月") % {"year": month.year, "month": month.month}
        document = Document(title=str(self.title), subtitle=label)
        progress(10)
        rates = reporting_rates(month)
        section = document.section(_("一、月报报送情况"))
        section.figure(_("应报站点（当月运营）"), rates.expected)
        section.figure(_("已报送"), rates.received)
        section.figure(_("按时报送"), rates.on_time)
        section.figure(_("审核通过"), rates.approved)
        section.figure(_("未报送"), rates.missing)
        section.figure(_("报送率"), rates.rate, "%")
        section.figure(_("按时率"), rates.on_time_rate, "%")
        section.note(
            _("报送截止日期：%(date)s。应报站点为当月至少有一天处于运营状态的社工站。")
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
                _("报送率（%）"),
                _("按时率（%）"),
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
        section = document.section(
            _("二、%(year)s 年服务人次（按服务领域）") % {"year": month.year}
        )
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
            _("服务人次（按服务领域）"),
            [r["area"].name for r in city_rows],
            [r["person_times"] for r in city_rows],
            _("人次"),
        )
        counties = [area for area, _rates in by_county]
        areas = [r["area"] for r in city_rows]
        by_county_area = person_times_by_county_and_area(month.year)
        county_rows = []
        for county in counties:
            by_area = by_county_area.get(county.pk, {})
            values = [by_area.get(area.pk, {}).get("person_times", 0) for area in areas]
            county_rows.append([county.name, *values, sum(values)])
        progress(95)
        section.table(
            _("服务人次（按区县、服务领域）"),
            [_("区县"), *[area.name for area in areas], _("合计")],
            county_rows,
        )
        return document


class MonthlyExportForm(forms.Form):
    first = MonthField(label=gettext_lazy("起始月份"), required=False)
    last = MonthField(label=gettext_lazy("截止月份"), required=False)
    county = forms.TypedChoiceField(
        label=gettext_lazy("区县"), required=False, coerce=int, empty_value=None, choices=()
    )

    def __init__(self, *args, **kwargs):
        from association.regions.models import Region

        super().__init__(*args, **kwargs)
        self.fields["county"].choices = [("", gettext_lazy("全部"))] + [
            (str(pk), name)
            for pk, name in Region.objects.counties()
            .filter(children__stations__isnull=False)
            .distinct()
            .order_by("code")
            .values_list("pk", "name")
        ]

    def clean(self):
        data = super().clean()
        if data.get("first") and data.get("last") and data["first"] > data["last"]:
            raise forms.ValidationError(_("起始月份不能晚于截止月份。"))
        return data


def print_wide_sheet(sheet) -> None:
    """Print settings of the export's one wide sheet (the header row stays row 1, for a
    spreadsheet to filter): A4 landscape, fit to one page wide, the header row repeated on
    every page, the unit in the page header and "第 X 页 共 Y 页" in the footer."""
    from association.exports import A4, association_name

    sheet.set_paper(A4)
    sheet.set_landscape()
    sheet.set_margins(left=0.6, right=0.6, top=0.8, bottom=0.8)
    sheet.fit_to_pages(1, 0)  # one page wide, as many pages tall as it takes
    sheet.repeat_rows(0)
    name = association_name().replace("&", "&&")
    sheet.set_header(f"&L&9{name}")
    sheet.set_footer("&C&9" + _("第 &P 页 共 &N 页"))


@register
class StationMonthlyExport(Report):
    """Every monthly report with its figures by service area, one row each, for staff to
    analyse in a spreadsheet. Written row by row (xlsxwriter ``constant_memory``, rows read
    with a server-side cursor), so 150,000 reports cost the worker no more memory than 1,000."""

    slug = "station-monthly-export"
    title = gettext_lazy("社工站服务月报明细导出")
    description = gettext_lazy(
        "全部服务月报逐份一行：区县、乡镇（街道）、社工站、运营机构、月份、状态、首次报送时间、"
        "志愿者人次，以及各服务领域的服务次数和服务人次。只提供 xlsx 格式。"
    )
    requires = ("stations",)
    form_class = MonthlyExportForm
    formats = ("xlsx",)
    streams = True
    order = 35
    chunk_size = 2000

    def _rows(self, params):
        """(areas, header, an iterator of rows of plain values, how many rows)."""
        from association.regions.models import Region
        from stations.choices import ReportStatus
        from stations.selectors import report_export_rows

        region = Region.objects.get(pk=params["county"]) if params.get("county") else None
        areas, rows = report_export_rows(
            first=params.get("first"), last=params.get("last"), region=region
        )
        header = [
            _("区县"),
            _("乡镇（街道）"),
            _("社工站"),
            _("运营机构"),
            _("月份"),
            _("状态"),
            _("首次报送时间"),
            _("志愿者人次"),
        ]
        for area in areas:
            header += [
                _("%(area)s服务次数") % {"area": area.name},
                _("%(area)s服务人次") % {"area": area.name},
            ]
        header += [_("服务次数合计"), _("服务人次合计")]
        labels = dict(ReportStatus.choices)
        keys = [
            key
            for area in areas
            for key in (f"area_{area.pk}_activities", f"area_{area.pk}_person_times")
        ]

        def values():
            for row in rows.iterator(chunk_size=self.chunk_size):
                submitted = row["first_submitted_at"]
                yield [
                    row["county"],
                    row["township"],
                    row["station_name"],
                    row["operator"] or "",
                    row["month"].strftime("%Y-%m"),
                    str(labels.get(row["status"], row["status"])),
                    timezone.localtime(submitted).strftime("%Y-%m-%d %H:%M") if submitted else "",
                    row["volunteers"],
                    *[row[key] for key in keys],
                    row["total_activities"],
                    row["total_person_times"],
                ]

        return header, values, rows.count

    def _subtitle(self, params) -> str:
        first, last = params.get("first"), params.get("last")
        if first or last:
            return _("%(first)s 至 %(last)s") % {
                "first": first.strftime("%Y-%m") if first else _("最早"),
                "last": last.strftime("%Y-%m") if last else _("最近"),
            }
        return _("全部月份")

    def build(self, params, progress):
        """The same rows as a Document (small exports, previews, tests)."""
        header, values, _count = self._rows(params)
        document = Document(title=str(self.title), subtitle=self._subtitle(params))
        document.section(_("月报明细")).table(_("服务月报"), header, list(values()))
        return document

    def write(self, params, fmt, path, progress):
        import xlsxwriter

        from association.exports import RowOrderedWorksheet, safe_cell

        header, values, count = self._rows(params)
        total = count() or 1
        progress(5)
        workbook = xlsxwriter.Workbook(
            str(path),
            {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False},
        )
        # rows go to disk in order; a write above the current row raises (never dropped)
        sheet = RowOrderedWorksheet(workbook.add_worksheet(_("服务月报")), _("服务月报"))
        bold = workbook.add_format({"bold": True, "text_wrap": True, "valign": "vcenter"})
        sheet.write_row(0, 0, [str(h) for h in header], bold)
        sheet.freeze_panes(1, 0)
        wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
        whole = workbook.add_format({"num_format": "#,##0", "valign": "top"})
        # 22 columns: narrow enough to print one A4 landscape page wide, still legible
        sheet.set_column(0, 3, 18)
        sheet.set_column(4, 4, 9)  # 2025-10
        sheet.set_column(5, 5, 12)  # 已审核通过
        sheet.set_column(6, 6, 17)  # 2025-11-03 10:00
        sheet.set_column(7, len(header) - 1, 10)  # counts, under a wrapped header
        print_wide_sheet(sheet)
        for index, row in enumerate(values(), start=1):
            for col, value in enumerate(row):
                if isinstance(value, str):
                    # write_string: a text cell is never parsed as a formula or a number
                    sheet.write_string(index, col, safe_cell(value), wrap)
                else:
                    sheet.write_number(index, col, value, whole)
            if index % 5000 == 0:
                progress(5 + 90 * index // total)
        workbook.close()
