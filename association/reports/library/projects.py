"""公益项目成效：graduates recruited, serving and completed, activities and person-times,
and court referrals as counts only. Figures come from ``projects.selectors`` (the
programme page's ``programme_rollup`` and ``activity_rollup_by_*``, ``referral_counts``)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..catalogue import OFFICIAL_ROLES, Report, register
from ..documents import Document


def _programme_choices():
    from projects.models import Programme

    return [("", gettext_lazy("全部计划"))] + [
        (str(p.pk), p.name) for p in Programme.objects.order_by("-start_date", "name")
    ]


class ProjectOutcomesForm(forms.Form):
    programme = forms.TypedChoiceField(
        label=gettext_lazy("计划"), required=False, coerce=int, empty_value=None, choices=()
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].choices = _programme_choices()


def projects_section(document: Document, heading: str, programmes) -> dict:
    """The programmes' figures (also a section of the annual report); returns the totals."""
    from projects.selectors import programme_rollup

    section = document.section(heading)
    keys = [
        "rounds",
        "projects",
        "applications",
        "graduates",
        "serving",
        "completed",
        "activities",
        "beneficiaries",
        "person_times",
    ]
    totals = dict.fromkeys(keys, 0)
    rows = []
    for programme in programmes:
        figures = programme_rollup(programme)
        rows.append([programme.name, *[figures[k] for k in keys], figures["budget"]])
        for key in keys:
            totals[key] += figures[key]
    section.table(
        _("各计划"),
        [
            _("计划"),
            _("招募批次"),
            _("项目"),
            _("报名"),
            _("录取（在岗或已完成）"),
            _("服务中"),
            _("服务期满"),
            _("服务活动"),
            _("服务对象"),
            _("服务人次"),
            _("计划预算（元）"),
        ],
        rows,
        total=[_("合计"), *[totals[k] for k in keys], None] if len(rows) > 1 else None,
    )
    section.figure(_("录取的毕业生"), totals["graduates"], _("人"))
    section.figure(_("服务中"), totals["serving"], _("人"))
    section.figure(_("服务期满"), totals["completed"], _("人"))
    section.figure(_("服务活动"), totals["activities"])
    section.figure(_("服务人次"), totals["person_times"], _("人次"))
    return totals


@register
class ProjectOutcomesReport(Report):
    slug = "project-outcomes"
    title = gettext_lazy("公益项目成效")
    description = gettext_lazy(
        "各公益计划的招募、录取、在岗和服务期满人数，服务活动与服务人次，以及司法社工转介的"
        "数量统计（只含数量，不含任何个案信息）。"
    )
    roles = OFFICIAL_ROLES
    requires = ("projects",)
    form_class = ProjectOutcomesForm
    order = 50

    def build(self, params, progress):
        from projects.choices import ActivityKind, ReferralStatus
        from projects.models import Programme
        from projects.selectors import (
            activity_rollup_by_kind,
            activity_rollup_by_project,
            referral_counts,
        )

        programmes = Programme.objects.order_by("-start_date", "name")
        programme = None
        if params.get("programme"):
            programme = programmes.get(pk=params["programme"])
            programmes = [programme]
        document = Document(
            title=str(self.title), subtitle=programme.name if programme else _("全部计划")
        )
        progress(10)
        projects_section(document, _("一、招募与服务"), programmes)
        progress(50)
        section = document.section(_("二、服务活动"))
        section.table(
            _("按项目"),
            [_("项目"), _("服务活动"), _("服务对象"), _("服务人次")],
            [
                [p.name, p.activity_count, p.beneficiaries, p.person_times]
                for p in activity_rollup_by_project(programme=programme)
            ],
        )
        by_kind = list(activity_rollup_by_kind(programme=programme))
        section.table(
            _("按活动类型"),
            [_("活动类型"), _("服务活动"), _("服务对象"), _("服务人次")],
            [
                [
                    ActivityKind(r["kind"]).label,
                    r["activity_count"],
                    r["beneficiaries"] or 0,
                    r["person_times"] or 0,
                ]
                for r in by_kind
            ],
        )
        progress(80)
        counts = referral_counts()
        section = document.section(_("三、司法社工转介（仅数量）"))
        section.note(_("转介个案涉及未成年人，依法封存保护；本报表只统计数量，不含任何个案信息。"))
        section.table(
            _("按办理状态"),
            [_("状态"), _("件数")],
            [[s.label, counts["by_status"].get(s.value, 0)] for s in ReferralStatus],
            total=[_("合计"), counts["total"]],
        )
        return document
