"""年度工作报告 for the annual inspection (年检), assembled from every app that exists.

Each section reuses the section builder of the report that owns the figures (members,
stations, projects, finance), so the annual report says what the other reports and the
dashboards say. A section whose app is not installed (or whose selector does not exist
yet) is kept with the words "该部分数据暂未纳入系统" instead of figures: nothing is
invented. Names of individuals never appear: officers and council are counted.
"""

from __future__ import annotations

import datetime

from django import forms
from django.apps import apps
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..catalogue import OFFICIAL_ROLES, Report, exists, register, year_field
from ..documents import Document


class AnnualForm(forms.Form):
    year = year_field(help_text=gettext_lazy("报告年度（年检报送上一年度的工作报告）。"))


def governance_sections(document: Document, year: int, first: str, second: str) -> None:
    from django.db.models import Count

    from association.governance.choices import MeetingKind, MeetingStatus
    from association.governance.models import Meeting
    from association.governance.selectors import office_history, offices_with_current

    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    section = document.section(first)
    held = dict(
        Meeting.objects.filter(status=MeetingStatus.CLOSED, starts_at__year=year)
        .values_list("kind")
        .annotate(n=Count("id"))
        .order_by()
    )
    section.table(
        _("%(year)s 年召开的会议和活动") % {"year": year},
        [_("类型"), _("次数")],
        [[kind.label, held.get(kind.value, 0)] for kind in MeetingKind],
        total=[_("合计"), sum(held.values())],
    )
    section = document.section(second)
    offices = list(offices_with_current(end))
    terms = list(office_history())
    rows = []
    for office in sorted(offices, key=lambda o: (o.order, o.pk)):
        took_office = sum(
            1 for t in terms if t.office_id == office.pk and start <= t.starts_on <= end
        )
        left_office = sum(
            1
            for t in terms
            if t.office_id == office.pk
            and start <= (t.ended_on or t.ends_on) <= end
            and (t.ended_on or t.ends_on) < datetime.date(year + 1, 1, 1)
        )
        rows.append([office.name, len(office.current), took_office, left_office])
    section.table(
        _("职务与变动（%(date)s）") % {"date": end.isoformat()},
        [_("职务"), _("年末在任人数"), _("本年新任"), _("本年离任")],
        rows,
    )
    officers = sum(len(o.current) for o in offices if o.is_officer)
    section.figure(_("负责人（会长、副会长、秘书长）"), officers, _("人"))
    section.note(_("本节只列人数；负责人姓名等信息以登记管理机关备案材料为准。"))


@register
class AnnualReport(Report):
    slug = "annual-report"
    title = gettext_lazy("年度工作报告")
    description = gettext_lazy(
        "年检用年度工作报告：会议和活动、负责人与理事会及其变动、会员（单位 + 个人 = 总数）、"
        "社工站建设与覆盖、公益项目与成效、资金来源与使用、三大财务报表。每年 3 月 1 日自动"
        "生成上一年度草稿发送给民政部门（3 月 31 日前报业务主管单位，5 月 31 日前报登记管理机关）。"
    )
    roles = OFFICIAL_ROLES
    form_class = AnnualForm
    order = 10

    def scheduled_params(self, today):
        return {"year": str(today.year - 1)}

    def build(self, params, progress):
        year = params["year"]
        end = datetime.date(year, 12, 31)
        document = Document(
            title=_("%(year)s 年度工作报告") % {"year": year},
            subtitle=_("许昌市社会工作行业协会 · 年度检查材料（草稿）"),
        )
        steps = [
            (_("一、会议和活动"), self._governance),
            (_("三、会员情况"), self._members),
            (_("四、社工站建设与覆盖"), self._stations),
            (_("五、公益项目与成效"), self._projects),
            (_("六、资金来源与使用"), self._funds),
            (_("七、财务报表"), self._statements),
        ]
        for index, (heading, step) in enumerate(steps):
            step(document, year, end, heading)
            progress(10 + 85 * (index + 1) // len(steps))
        return document

    def _governance(self, document, year, end, heading):
        if not apps.is_installed("association.governance"):
            document.missing_section(heading, _("会议管理"))
            document.missing_section(_("二、负责人、理事会及其变动"), _("职务与任期"))
            return
        governance_sections(document, year, heading, _("二、负责人、理事会及其变动"))

    def _members(self, document, year, end, heading):
        if not apps.is_installed("members"):
            document.missing_section(heading, _("会员管理"))
            return
        from .members import members_section

        section, overview = members_section(document, end, heading)
        section.table(
            _("社会工作者职业资格"),
            [_("资格等级"), _("人数")],
            overview.by_qualification,
            total=[_("合计"), sum(n for _label, n in overview.by_qualification)],
        )

    def _stations(self, document, year, end, heading):
        if not apps.is_installed("stations"):
            document.missing_section(heading, _("社工站管理"))
            return
        from .stations import coverage_section

        coverage_section(document, end, heading)
        from stations.selectors import person_times_by_area

        rows = person_times_by_area(year)
        document.sections[-1].table(
            _("%(year)s 年服务人次（按服务领域，已审核月报）") % {"year": year},
            [_("服务领域"), _("服务次数"), _("服务人次")],
            [[r["area"].name, r["activities"], r["person_times"]] for r in rows],
            total=[
                _("合计"),
                sum(r["activities"] for r in rows),
                sum(r["person_times"] for r in rows),
            ],
        )

    def _projects(self, document, year, end, heading):
        if not apps.is_installed("projects"):
            document.missing_section(heading, _("公益项目管理"))
            return
        from projects.models import Programme

        from .projects import projects_section

        programmes = Programme.objects.filter(start_date__lte=end).order_by("start_date", "name")
        projects_section(document, heading, programmes)
        document.sections[-1].note(_("各计划数字为计划开始以来的累计数。"))

    def _funds(self, document, year, end, heading):
        if not exists("association.finance.selectors.dues_disclosure"):
            document.missing_section(heading, _("财务管理"))
            return
        from .finance import dues_section

        dues_section(document, heading, year)
        document.sections[-1].note(_("各项收入来源和费用支出见下文业务活动表。"))

    def _statements(self, document, year, end, heading):
        if not exists("association.finance.statements.statement_build"):
            document.missing_section(heading, _("财务管理"))
            return
        from .finance import statements_sections

        statements_sections(document, datetime.date(year, 1, 1), end, number=heading)
