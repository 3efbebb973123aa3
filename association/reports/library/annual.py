"""年度工作报告 for the annual inspection (年检), in the structure of 社会团体年度工作报告书.

一、基本信息 (the registration record, members by kind, council and standing council,
full-time staff); 二、内部治理 (general and council meetings held, officers and their
changes, branches and representative offices, charter amendments, registered-item
changes with their approval); 三、财务会计报告 (the audit opinion, the three statements
and the dues disclosure); 四、业务活动 (main work, public-benefit activities with their
beneficiaries and spending, donations received, cooperation); 五、监督管理 (the last
inspection result, the evaluation grade, rewards and penalties); the part 六、信息公开 and the
signature block (单位负责人，填表人，联系电话 with the date and the seal).

Every figure comes from the selectors of the app that owns it (members, stations,
projects, governance, finance), the same functions the screens call. A part with no data
says so ("本年度无…") instead of disappearing; a part whose app is not installed says the
data is not in the system. The report checks itself: a statement's tie-out, and the
members by kind against the register counted one membership at a time; a failed check
marks the run and holds a scheduled send (``Document.fail``). Names of individuals other
than the signatories, the legal representative and the heads of branches (registered items
the form asks for) never appear: officers are counted, a private donor is masked (张*英).
"""

from __future__ import annotations

import datetime

from django import forms
from django.apps import apps
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from association.exports import association_name, day_label

from ..catalogue import OFFICIAL_ROLES, Report, exists, register, year_field
from ..documents import Document, Section


class AnnualForm(forms.Form):
    year = year_field(help_text=gettext_lazy("报告年度（年检报送上一年度的工作报告）。"))


def none_this_year(section: Section, what: str) -> Section:
    """A part with nothing to report: said so in the words of the form ("本年度无…")."""
    return section.note(_("本年度无%(what)s。") % {"what": what})


def _text(value) -> str | None:
    """A stored text as the form prints it (None, shown "—", when not filled in)."""
    return str(value).strip() or None if value not in (None, "") else None


# --- 一、基本信息 -----------------------------------------------------------------------


def basic_information(document: Document, year: int, end: datetime.date, heading: str) -> None:
    from association.governance.selectors import council_sizes, registration, staff_on

    record = registration()
    section = document.section(heading)
    capital = record.registered_capital if record else None
    registered_on = record.registered_on if record else None
    section.table(
        _("登记事项"),
        [_("项目"), _("内容")],
        [
            [_("社会团体名称"), record.name if record else association_name()],
            [_("统一社会信用代码"), _text(record.credit_code) if record else None],
            [_("住所"), _text(record.domicile) if record else None],
            [_("邮政编码"), _text(record.postcode) if record else None],
            [_("法定代表人"), _text(record.legal_representative) if record else None],
            [_("业务主管单位"), _text(record.supervising_body) if record else None],
            [_("登记管理机关"), _text(record.registration_authority) if record else None],
            [
                _("成立登记日期"),
                registered_on.isoformat() if registered_on else None,
            ],
            [_("注册资金（万元）"), f"{capital:,.2f}" if capital is not None else None],
            [_("活动地域"), _text(record.area) if record else None],
            [_("业务范围"), _text(record.business_scope) if record else None],
            [_("联系电话"), _text(record.phone) if record else None],
        ],
        kinds=["text", "text"],
    )
    if record is None:
        section.note(_("登记信息尚未录入：请在管理后台“协会治理 › 登记信息”中按登记证书填写。"))
    if apps.is_installed("members"):
        from members.choices import MemberType
        from members.selectors import members_overview, register_in_good_standing

        overview = members_overview(today=end)
        for label, count in overview.by_type.items():
            # units are counted in 个, people in 人, as the form asks
            unit = _("个") if label == MemberType.UNIT.label else _("人")
            section.figure(_("%(type)s（有效）") % {"type": label}, count, unit)
        total = sum(overview.by_type.values())
        section.figure(_("会员总数（单位会员 + 个人会员）"), total)
        check_members_against_register(document, overview, register_in_good_standing(end), end)
    else:
        section.note(_("会员数据暂未纳入系统（会员管理）。"), missing=True)
    sizes = council_sizes(end)
    section.figure(_("理事会人数（含常务理事和负责人）"), sizes["council"], _("人"))
    section.figure(_("常务理事会人数（含负责人）"), sizes["standing_council"], _("人"))
    section.figure(_("负责人（会长、副会长、秘书长）"), sizes["officers"], _("人"))
    staff = staff_on(end)
    section.figure(_("专职工作人员"), staff["full_time"], _("人"))
    section.figure(_("兼职工作人员"), staff["part_time"], _("人"))
    section.figure(_("其中缴纳社会保险"), staff["insured"], _("人"))
    section.note(
        _("会员、理事会和工作人员均为 %(date)s 的人数；有效会员指会费缴纳正常或在宽限期内的会员。")
        % {"date": end.isoformat()}
    )


def check_members_against_register(document: Document, overview, register: dict, end) -> None:
    """The members the report prints (counted by the database) against the register
    counted membership by membership through the dues rule: any difference fails."""
    from members.choices import MemberType

    for member_type in MemberType:
        printed = overview.by_type.get(member_type.label, 0)
        counted = register.get(member_type.value, 0)
        if printed != counted:
            document.fail(
                _("%(type)s人数与会员名册不符（报表 %(printed)s，名册 %(counted)s，%(date)s）")
                % {
                    "type": member_type.label,
                    "printed": printed,
                    "counted": counted,
                    "date": end.isoformat(),
                }
            )


# --- 二、内部治理 -----------------------------------------------------------------------


def internal_governance(document: Document, year: int, end: datetime.date, number: str) -> None:
    from association.governance.choices import MeetingKind
    from association.governance.selectors import (
        branch_changes,
        branches_on,
        charter_amendments,
        meetings_held,
        meetings_held_by_kind,
        office_changes,
        registration_changes,
    )

    section = document.section(_("%(n)s（一）会员（代表）大会和理事会") % {"n": number})
    by_kind = meetings_held_by_kind(year)
    section.table(
        _("%(year)s 年召开的会议和活动") % {"year": year},
        [_("类型"), _("次数")],
        [[kind.label, by_kind[kind.value]] for kind in MeetingKind],
        total=[_("合计"), sum(by_kind.values())],
    )
    held = list(meetings_held(year))
    if held:
        section.table(
            _("会员（代表）大会、理事会和常务理事会"),
            [_("日期"), _("会议类型"), _("会议名称"), _("表决事项")],
            [[m.starts_at.date(), m.get_kind_display(), m.title, m.decided] for m in held],
        )
    else:
        none_this_year(section, _("召开的会员（代表）大会、理事会或常务理事会"))

    section = document.section(_("%(n)s（二）负责人、理事会及其变动") % {"n": number})
    changes = office_changes(year)
    if changes:
        section.table(
            _("职务与变动（%(date)s）") % {"date": end.isoformat()},
            [_("职务"), _("年末在任人数"), _("本年新任"), _("本年离任")],
            [[c.office.name, c.holding, c.took_office, c.left_office] for c in changes],
        )
        if not any(c.took_office or c.left_office for c in changes):
            none_this_year(section, _("负责人和理事变动"))
    else:
        none_this_year(section, _("职务设置记录"))
    section.note(_("本节只列人数；负责人姓名等信息以登记管理机关备案材料为准。"))

    section = document.section(_("%(n)s（三）分支机构、代表机构") % {"n": number})
    branches = list(branches_on(end))
    moved = branch_changes(year)
    section.figure(_("年末分支机构"), sum(1 for b in branches if b.kind == "branch"))
    section.figure(_("年末代表机构"), sum(1 for b in branches if b.kind == "representative"))
    section.figure(_("本年设立"), moved["established"])
    section.figure(_("本年注销"), moved["closed"])
    if branches:
        section.table(
            _("年末存续的分支机构、代表机构"),
            [_("类别"), _("名称"), _("负责人"), _("设立日期"), _("设立依据")],
            [
                [b.get_kind_display(), b.name, b.head or None, b.established_on, b.decision]
                for b in branches
            ],
        )
    else:
        none_this_year(section, _("分支机构、代表机构"))

    section = document.section(_("%(n)s（四）章程修改") % {"n": number})
    amendments = list(charter_amendments(year))
    if amendments:
        section.table(
            _("章程修改"),
            [_("版本"), _("通过日期"), _("通过会议"), _("修改说明")],
            [
                [
                    _("第 %(n)s 版") % {"n": v.number},
                    v.adopted_on,
                    v.adopted_by.meeting.title if v.adopted_by_id else None,
                    v.change_summary or None,
                ]
                for v in amendments
            ],
        )
        section.note(_("修改后的章程须经业务主管单位审查同意，报登记管理机关核准后生效。"))
    else:
        none_this_year(section, _("章程修改"))

    section = document.section(_("%(n)s（五）登记事项变更") % {"n": number})
    registered = list(registration_changes(year))
    if registered:
        section.table(
            _("登记事项变更及核准"),
            [_("变更事项"), _("变更前"), _("变更后"), _("决议日期"), _("核准日期"), _("核准文号")],
            [
                [
                    r.get_item_display(),
                    r.before,
                    r.after,
                    r.decided_on,
                    r.approved_on,
                    r.approval_ref or (None if r.approved_on else _("待核准")),
                ]
                for r in registered
            ],
        )
    else:
        none_this_year(section, _("登记事项变更"))


# --- 三、财务会计报告 -------------------------------------------------------------------


def financial_report(document: Document, year: int, end: datetime.date, heading: str) -> None:
    from association.governance.selectors import annual_filing

    filing = annual_filing(year)
    section = document.section(heading)
    section.table(
        _("年度财务审计"),
        [_("项目"), _("内容")],
        [
            [_("审计机构"), _text(filing.auditor) if filing else None],
            [_("审计报告文号"), _text(filing.audit_report_ref) if filing else None],
            [
                _("审计意见类型"),
                filing.get_audit_opinion_display() if filing and filing.audit_opinion else None,
            ],
        ],
        kinds=["text", "text"],
    )
    if not (filing and filing.audit_opinion):
        section.note(_("本年度财务报告尚未登记审计意见（管理后台“年度工作报告填报信息”）。"))
    if not exists("association.finance.statements.statement_build"):
        document.missing_section(_("%(h)s（1）财务报表") % {"h": heading}, _("财务管理"))
        return
    from .finance import dues_section, statements_sections

    statements_sections(document, datetime.date(year, 1, 1), end, number=heading)
    if exists("association.finance.selectors.dues_disclosure"):
        dues_section(document, _("%(h)s（4）会费收支") % {"h": heading}, year)


# --- 四、业务活动 -----------------------------------------------------------------------


def activities(document: Document, year: int, end: datetime.date, number: str) -> None:
    from association.governance.selectors import annual_filing

    filing = annual_filing(year)
    section = document.section(_("%(n)s（一）主要业务活动") % {"n": number})
    if filing and filing.main_work.strip():
        section.note(filing.main_work.strip())
    else:
        section.note(_("主要业务活动尚未填写（管理后台“年度工作报告填报信息”）。"))
    if apps.is_installed("stations"):
        from stations.selectors import person_times_by_area

        from .stations import coverage_section

        coverage, _rows, _total = coverage_section(
            document, end, _("%(n)s（一）主要业务活动 · 社工站建设与覆盖") % {"n": number}
        )
        rows = person_times_by_area(year)
        if rows:
            coverage.table(
                _("%(year)s 年服务人次（按服务领域，已审核月报）") % {"year": year},
                [_("服务领域"), _("服务次数"), _("服务人次")],
                [[r["area"].name, r["activities"], r["person_times"]] for r in rows],
                total=[
                    _("合计"),
                    sum(r["activities"] for r in rows),
                    sum(r["person_times"] for r in rows),
                ],
            )
        else:
            none_this_year(coverage, _("已审核的社工站服务月报"))

    section = document.section(_("%(n)s（二）公益活动") % {"n": number})
    if apps.is_installed("projects"):
        from projects.selectors import activity_rollup_by_programme

        programmes = list(activity_rollup_by_programme(year))
        if programmes:
            section.table(
                _("公益项目服务（%(year)s 年）") % {"year": year},
                [_("公益项目"), _("服务活动"), _("受益对象"), _("服务人次")],
                [[p.name, p.activity_count, p.beneficiaries, p.person_times] for p in programmes],
                total=[
                    _("合计"),
                    sum(p.activity_count for p in programmes),
                    sum(p.beneficiaries for p in programmes),
                    sum(p.person_times for p in programmes),
                ],
            )
        else:
            none_this_year(section, _("登记的公益项目服务活动"))
    else:
        section.note(_("公益项目数据暂未纳入系统（公益项目管理）。"), missing=True)
    if exists("association.finance.selectors.spending_by_fund"):
        from association.finance.choices import Restriction
        from association.finance.selectors import spending_by_fund

        spending = spending_by_fund(year)
        if spending:
            section.table(
                _("本年费用支出（按资金）"),
                [_("资金"), _("限定性"), _("支出金额（元）")],
                [
                    [
                        r["fund__name"] or _("未指定资金"),
                        Restriction(r["fund__restriction"]).label
                        if r["fund__restriction"]
                        else None,
                        r["total"],
                    ]
                    for r in spending
                ],
                total=[_("合计"), None, sum(r["total"] for r in spending)],
            )
            section.note(_("限定性资金为项目资金，其支出即公益项目支出；一般资金支出含管理费用。"))
        else:
            none_this_year(section, _("记账的费用支出"))

    section = document.section(_("%(n)s（三）接受捐赠") % {"n": number})
    if exists("association.finance.selectors.donations_received"):
        from association.finance.selectors import donations_received

        donations = donations_received(year)
        section.figure(_("接受捐赠合计"), donations["total"], _("元"))
        section.figure(_("其中货币资金"), donations["money"], _("元"))
        section.figure(_("其中实物"), donations["in_kind"], _("元"))
        section.figure(_("其中限定性"), donations["restricted"], _("元"))
        if donations["rows"]:
            section.table(
                _("捐赠明细"),
                [_("接收日期"), _("捐赠人"), _("捐赠形式"), _("用途"), _("金额（元）")],
                [
                    [
                        d.received_on,
                        donor_name(d),
                        d.get_form_display(),
                        d.purpose or None,
                        d.amount,
                    ]
                    for d in donations["rows"]
                ],
                total=[_("合计"), None, None, None, donations["total"]],
            )
        else:
            none_this_year(section, _("接受捐赠"))
    else:
        section.note(_("捐赠数据暂未纳入系统（财务管理）。"), missing=True)

    section = document.section(_("%(n)s（四）对外合作与交流") % {"n": number})
    if filing and filing.cooperation.strip():
        section.note(filing.cooperation.strip())
    else:
        none_this_year(section, _("登记的对外合作与交流"))


def donor_name(donation) -> str:
    """A unit donor in full; a private person masked to the surname (张*英): the report goes
    to every official, and a donor is not a public officer of the association."""
    from association.finance.models.donations import DonorKind

    from .member_list import mask_name

    if donation.donor_kind == DonorKind.INDIVIDUAL:
        return _("%(name)s（个人）") % {"name": mask_name(donation.donor)}
    return donation.donor


# --- 五、监督管理 · 六、信息公开 · 签署 ---------------------------------------------------


def supervision(document: Document, year: int, end: datetime.date, heading: str) -> None:
    from association.governance.selectors import grade_on, last_inspection, rewards_and_penalties

    section = document.section(heading)
    inspection = last_inspection(year)
    grade = grade_on(end)
    section.table(
        _("年检和评估"),
        [_("项目"), _("内容")],
        [
            [
                _("上一年度年检结论"),
                _("%(year)s 年度：%(outcome)s（%(date)s）")
                % {
                    "year": inspection.year,
                    "outcome": inspection.get_outcome_display(),
                    "date": inspection.concluded_on.isoformat(),
                }
                if inspection
                else _("无年检记录"),
            ],
            [
                _("社会组织评估等级"),
                _("%(grade)s（%(by)s %(on)s 评定，有效期至 %(until)s）")
                % {
                    "grade": grade.get_grade_display(),
                    "by": grade.awarded_by,
                    "on": grade.awarded_on.isoformat(),
                    "until": grade.valid_until.isoformat(),
                }
                if grade
                else _("未参加评估或等级已过有效期"),
            ],
        ],
        kinds=["text", "text"],
    )
    sanctions = list(rewards_and_penalties(year))
    if sanctions:
        section.table(
            _("奖惩情况"),
            [_("日期"), _("类别"), _("名称或事由"), _("作出机关"), _("文号")],
            [
                [s.on, s.get_kind_display(), s.title, s.authority, s.reference or None]
                for s in sanctions
            ],
        )
    else:
        none_this_year(section, _("受到的表彰奖励或行政处罚"))


def disclosure(document: Document, year: int, heading: str) -> None:
    from association.governance.selectors import annual_filing

    filing = annual_filing(year)
    section = document.section(heading)
    if filing and filing.disclosure.strip():
        section.note(filing.disclosure.strip())
    else:
        none_this_year(section, _("登记的信息公开事项"))
    if exists("association.finance.selectors.dues_disclosure"):
        section.note(_("会费收支情况已按民发〔2014〕166号要求公开，见本报告财务会计报告部分。"))


def signature(document: Document, year: int, heading: str) -> None:
    from association.governance.selectors import annual_filing

    filing = annual_filing(year)
    section = document.section(heading)
    section.table(
        _("负责人和填表人"),
        [_("项目"), _("内容")],
        [
            [_("单位负责人（签字）"), _text(filing.head) if filing else None],
            [_("填表人"), _text(filing.preparer) if filing else None],
            [_("联系电话"), _text(filing.phone) if filing else None],
            [_("填表日期"), day_label(filing.filed_on) if filing and filing.filed_on else None],
        ],
        kinds=["text", "text"],
    )
    section.note(_("本报告内容真实、准确、完整。"))
    section.note(
        _("单位（盖章）：%(blank)s年%(gap)s月%(gap)s日")
        % {"blank": "\u3000" * 16, "gap": "\u3000" * 2}
    )


@register
class AnnualReport(Report):
    slug = "annual-report"
    title = gettext_lazy("年度工作报告")
    file_title = gettext_lazy("年度工作报告书")
    description = gettext_lazy(
        "年检用社会团体年度工作报告书：基本信息（登记事项、会员、理事会、专职工作人员），"
        "内部治理（会议、负责人变动、分支机构、章程修改、登记事项变更），财务会计报告（审计意见、"
        "三大财务报表），业务活动（主要业务、公益活动、接受捐赠、对外合作），监督管理（年检结论、"
        "评估等级、奖惩），信息公开和签署栏。报表勾稽或会员人数核对不符时标记为核对未通过，"
        "定时发送暂停。每年 3 月 1 日自动生成上一年度草稿发送给民政部门。"
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
            title=_("社会团体年度工作报告书（%(year)s 年度）") % {"year": year},
            subtitle=_("年度检查材料"),
        )
        steps = [
            lambda: basic_information(document, year, end, _("一、基本信息")),
            lambda: internal_governance(document, year, end, _("二、内部治理")),
            lambda: financial_report(document, year, end, _("三、财务会计报告")),
            lambda: activities(document, year, end, _("四、业务活动")),
            lambda: supervision(document, year, end, _("五、监督管理")),
            lambda: disclosure(document, year, _("六、信息公开")),
            lambda: signature(document, year, _("七、签署")),
        ]
        for index, step in enumerate(steps):
            step()
            progress(10 + 85 * (index + 1) // len(steps))
        return document
