"""会员名册统计：members by type and status, qualification levels, continuing-education
standing and growth by year. Aggregates only: no names or ID numbers (open to officials).

Figures come from ``members.selectors``: ``members_overview`` (the 会员概况 page),
``education_summary`` (the continuing-education rule behind each social worker's CE
page) and ``admitted_by_year``, so the report and the screens agree.
"""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..catalogue import OFFICIAL_ROLES, Report, register
from ..documents import Document


class MemberRegisterForm(forms.Form):
    on = forms.DateField(
        label=gettext_lazy("统计日期"),
        required=False,
        help_text=gettext_lazy("留空为今天。会籍状态按该日的会费缴纳情况计算。"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": gettext_lazy("日期格式应为 2025-12-31。")},
    )


def members_section(document: Document, today: datetime.date, heading: str | None = None):
    """The members figures (also a section of the annual report)."""
    from members.selectors import members_overview

    overview = members_overview(today=today)
    section = document.section(heading or _("会员情况"))
    total = sum(overview.by_type.values())
    for label, count in overview.by_type.items():
        section.figure(_("%(type)s（有效）") % {"type": label}, count)
    section.figure(_("会员总数（单位会员 + 个人会员）"), total)
    section.table(
        _("会籍状态"),
        [_("类型"), *overview.status_labels],
        [[label, *[n for _label, n in rows]] for label, rows in overview.by_status.items()],
    )
    return section, overview


@register
class MemberRegisterReport(Report):
    slug = "member-register"
    title = gettext_lazy("会员名册统计")
    description = gettext_lazy(
        "会员数量（单位、个人及合计）、会籍状态、社会工作者职业资格等级、继续教育达标情况、"
        "历年入会与持证增长。仅含统计数字，不含个人信息。"
    )
    roles = OFFICIAL_ROLES
    requires = ("members",)
    form_class = MemberRegisterForm
    order = 40

    def build(self, params, progress):
        today = params.get("on") or timezone.localdate()
        document = Document(
            title=str(self.title),
            subtitle=_("统计日期：%(date)s") % {"date": today.isoformat()},
        )
        progress(10)
        _section, overview = members_section(document, today, _("一、会员数量与会籍状态"))
        progress(40)
        section = document.section(_("二、社会工作者职业资格"))
        section.table(
            _("按资格等级"),
            [_("资格等级"), _("人数")],
            overview.by_qualification,
            total=[_("合计"), sum(n for _label, n in overview.by_qualification)],
        )
        section.chart(_("职业资格等级分布"), *zip(*overview.by_qualification, strict=True), _("人"))
        section.table(
            _("按区县"),
            [_("区县"), _("单位"), _("社会工作者"), _("其中持证")],
            overview.by_county,
        )
        progress(60)
        from members.selectors import admitted_by_year, education_summary

        standing = education_summary(today)
        section = document.section(_("三、继续教育达标情况"))
        section.note(
            _(
                "按登记日期起算的三年登记周期统计：助理社会工作师须满 72 学时，"
                "社会工作师和高级社会工作师须满 90 学时。"
            )
        )
        section.figure(_("本周期已达标"), standing["met"], _("人"))
        section.figure(_("学时不足（周期剩余 90 天以上）"), standing["short"], _("人"))
        section.figure(_("学时不足且周期将在 90 天内结束"), standing["warn"], _("人"))
        section.figure(_("持证但未登记"), standing["unregistered"], _("人"))
        progress(80)
        section = document.section(_("四、历年增长"))
        section.table(
            _("历年入会"),
            [_("年份"), _("单位会员"), _("个人会员"), _("合计")],
            admitted_by_year(),
        )
        section.table(
            _("历年持证社会工作者"),
            [_("年份"), _("当年取得"), _("累计")],
            overview.certified_by_year,
        )
        progress(95)
        return document
