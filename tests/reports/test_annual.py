"""The annual work report (社会团体年度工作报告书): its parts in the form's order, every
figure from the owning app's selector, each part present and saying so when there is
nothing to report, its own checks (a statement's tie-out, the members against the
register) holding a scheduled send, and its xlsx printing as an official files it."""

from __future__ import annotations

import datetime
import io
import os
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from association.accounts.choices import Role
from association.notifications.models import Notification
from association.reports import catalogue
from association.reports.models import ReportRun
from association.reports.services import build_document, render_document
from association.reports.tasks import run_scheduled

from .test_more_reports import ledger, projects_data  # noqa: F401 (fixtures)
from .test_print import check_cells, check_sheet
from .test_render import pdf_text

pytestmark = pytest.mark.django_db

D = datetime.date
YEAR = 2025
END = D(YEAR, 12, 31)

HEADINGS = [
    "一、基本信息",
    "二、内部治理（一）会员（代表）大会和理事会",
    "二、内部治理（二）负责人、理事会及其变动",
    "二、内部治理（三）分支机构、代表机构",
    "二、内部治理（四）章程修改",
    "二、内部治理（五）登记事项变更",
    "三、财务会计报告",
    "三、财务会计报告（1）资产负债表",
    "三、财务会计报告（2）业务活动表",
    "三、财务会计报告（3）现金流量表",
    "三、财务会计报告（4）会费收支",
    "四、业务活动（一）主要业务活动",
    "四、业务活动（一）主要业务活动 · 社工站建设与覆盖",
    "四、业务活动（二）公益活动",
    "四、业务活动（三）接受捐赠",
    "四、业务活动（四）对外合作与交流",
    "五、监督管理",
    "六、信息公开",
    "七、签署",
]


def build(year=YEAR):
    return build_document(catalogue.get("annual-report"), {"year": str(year)})


def notes(document, heading) -> list[str]:
    return [b.text for b in document.get(heading).blocks if b.kind == "note"]


def rows(document, heading, caption) -> list[list]:
    for table in document.get(heading).tables():
        if table.caption == caption:
            return table.rows
    raise KeyError(caption)


def field(document, heading, caption, label):
    return {row[0]: row[1] for row in rows(document, heading, caption)}[label]


@pytest.fixture
def organisation(cast):
    """The registration record and a year of annual-inspection data, entered through the
    services as the admin does."""
    from association.finance.models import Donation
    from association.finance.services import donation_save
    from association.governance.models import (
        AnnualFiling,
        Branch,
        EvaluationGrade,
        InspectionResult,
        Registration,
        RegistrationChange,
        RewardOrPenalty,
        StaffMember,
    )
    from association.governance.services import organisation_record_save as save

    by = cast.staff
    save(
        record=Registration(
            name="许昌市社会工作行业协会",
            credit_code="51411000MJY123456X",
            domicile="许昌市魏都区七一路 1 号",
            postcode="461000",
            legal_representative="王建国",
            supervising_body="许昌市民政局",
            registration_authority="许昌市民政局",
            registered_on=D(2019, 5, 20),
            area="许昌市",
            business_scope="行业自律、业务培训、专业交流、咨询服务",
            registered_capital=Decimal("3.00"),
            phone="0374-1234567",
        ),
        by=by,
    )
    for n, (kind, left) in enumerate(
        [
            ("full_time", None),
            ("full_time", None),
            ("part_time", None),
            ("full_time", D(2025, 6, 30)),
        ]
    ):
        save(
            record=StaffMember(
                name=f"工作人员{n}",
                post="秘书处干事",
                kind=kind,
                started_on=D(2022, 3, 1),
                ended_on=left,
            ),
            by=by,
        )
    save(
        record=Branch(
            kind="branch",
            name="许昌市社会工作行业协会督导专业委员会",
            head="李明",
            established_on=D(2025, 4, 1),
            decision="第一届理事会第三次会议决议（2025-03-28）",
        ),
        by=by,
    )
    save(
        record=RegistrationChange(
            item="domicile",
            before="许昌市魏都区文峰路 5 号",
            after="许昌市魏都区七一路 1 号",
            decided_on=D(2025, 3, 28),
            approved_on=D(2025, 5, 10),
            approval_ref="许民社〔2025〕12号",
        ),
        by=by,
    )
    save(
        record=InspectionResult(year=2024, outcome="passed", concluded_on=D(2025, 6, 30)),
        by=by,
    )
    save(
        record=EvaluationGrade(
            grade="4A",
            awarded_on=D(2023, 12, 1),
            valid_until=D(2028, 11, 30),
            awarded_by="许昌市民政局",
        ),
        by=by,
    )
    save(
        record=RewardOrPenalty(
            kind="reward", on=D(2025, 9, 1), title="全市先进社会组织", authority="许昌市民政局"
        ),
        by=by,
    )
    save(
        record=AnnualFiling(
            year=YEAR,
            main_work="推进乡镇（街道）社工站建设，开展社会工作者继续教育。",
            cooperation="与许昌学院共建社会工作实践基地。",
            disclosure="在协会网站公开年度工作报告和会费收支情况。",
            audit_opinion="unqualified",
            auditor="河南某某会计师事务所",
            head="王建国",
            preparer="张丽",
            phone="0374-1234567",
            filed_on=D(2026, 3, 15),
        ),
        by=by,
    )
    for amount, form, restricted in (
        (Decimal("20000.00"), "money", True),
        (Decimal("3500.50"), "in_kind", False),
    ):
        donation_save(
            donation=Donation(
                donor="许昌某某实业有限公司",
                donor_kind="organisation",
                received_on=D(2025, 8, 1),
                form=form,
                amount=amount,
                restricted=restricted,
                purpose="困境儿童关爱",
            ),
            by=by,
        )


def test_a_private_donor_is_masked_and_a_unit_donor_named(cast):
    from association.finance.models import Donation
    from association.finance.services import donation_save

    for donor, kind in (("张桂英", "individual"), ("许昌某某实业有限公司", "organisation")):
        donation_save(
            donation=Donation(
                donor=donor,
                donor_kind=kind,
                received_on=D(2025, 12, 18),
                amount=Decimal("1000.00"),
            ),
            by=cast.staff,
        )
    document = build()
    donors = [row[1] for row in rows(document, "四、业务活动（三）接受捐赠", "捐赠明细")]
    assert donors == ["张*英（个人）", "许昌某某实业有限公司"]
    assert "张桂英" not in pdf_text(render_document(document, "pdf"))


def test_a_fresh_instance_has_every_part_each_saying_there_is_nothing_to_report(db):
    document = build()
    assert [s.heading for s in document.sections] == HEADINGS
    for section in document.sections:
        assert section.blocks, f"{section.heading} is empty"
    assert document.failures == []
    said = {
        "二、内部治理（一）会员（代表）大会和理事会": "本年度无召开的会员（代表）大会",
        "二、内部治理（三）分支机构、代表机构": "本年度无分支机构、代表机构。",
        "二、内部治理（四）章程修改": "本年度无章程修改。",
        "二、内部治理（五）登记事项变更": "本年度无登记事项变更。",
        "四、业务活动（二）公益活动": "本年度无登记的公益项目服务活动。",
        "四、业务活动（三）接受捐赠": "本年度无接受捐赠。",
        "四、业务活动（四）对外合作与交流": "本年度无登记的对外合作与交流。",
        "五、监督管理": "本年度无受到的表彰奖励或行政处罚。",
        "六、信息公开": "本年度无登记的信息公开事项。",
    }
    for heading, words in said.items():
        assert any(note.startswith(words) for note in notes(document, heading)), heading
    assert document.figure("一、基本信息", "会员总数（单位会员 + 个人会员）") == 0
    assert document.figure("一、基本信息", "专职工作人员") == 0
    assert document.figure("四、业务活动（三）接受捐赠", "接受捐赠合计") == Decimal("0.00")
    basic = "一、基本信息"
    assert field(document, basic, "登记事项", "社会团体名称") == "许昌市社会工作行业协会"
    assert field(document, basic, "登记事项", "统一社会信用代码") is None  # printed "—"
    assert any("登记信息尚未录入" in n for n in notes(document, basic))
    assert field(document, "五、监督管理", "年检和评估", "上一年度年检结论") == "无年检记录"
    text = pdf_text(render_document(document, "pdf")).replace("\n", "")
    assert "社会团体年度工作报告书（2025 年度）" in text
    assert "本年度无章程修改" in text and "单位（盖章）" in text and "不符" not in text
    workbook = load_workbook(io.BytesIO(render_document(document, "xlsx")))
    for sheet in workbook.worksheets:
        check_sheet(sheet)
        check_cells(sheet)


def test_its_figures_are_the_selectors_figures(
    cast,
    organisation,
    members_data,
    stations_data,
    projects_data,  # noqa: F811
    ledger,  # noqa: F811
):
    from association.finance.selectors import donations_received, spending_by_fund
    from association.governance.selectors import council_sizes, staff_on
    from members.selectors import members_overview, register_in_good_standing
    from projects.selectors import activity_rollup_by_programme
    from tests.governance.factories import TermFactory, office
    from tests.projects.factories import ActivityFactory

    project = projects_data.projects.get()
    ActivityFactory(project=project, date=D(2025, 6, 1), beneficiaries=30, person_times=90)
    TermFactory(office=office("president"), holder_name="王建国", starts_on=D(2025, 7, 1))
    TermFactory(holder_name="理事甲")
    TermFactory(holder_name="王建国", starts_on=D(2025, 7, 1))  # one person, two offices
    document = build()
    assert [s.heading for s in document.sections] == HEADINGS
    assert document.failures == []
    basic = "一、基本信息"
    overview = members_overview(today=END)
    assert document.figure(basic, "单位会员（有效）") == overview.by_type["单位会员"] == 2
    assert document.figure(basic, "个人会员（有效）") == overview.by_type["个人会员"] == 2
    assert sum(register_in_good_standing(END).values()) == 4
    sizes = council_sizes(END)
    assert document.figure(basic, "理事会人数（含常务理事和负责人）") == sizes["council"] == 2
    assert document.figure(basic, "常务理事会人数（含负责人）") == sizes["standing_council"] == 1
    assert document.figure(basic, "专职工作人员") == staff_on(END)["full_time"] == 2
    assert document.figure(basic, "兼职工作人员") == 1
    assert field(document, basic, "登记事项", "统一社会信用代码") == "51411000MJY123456X"
    assert field(document, basic, "登记事项", "注册资金（万元）") == "3.00"
    changes = rows(document, "二、内部治理（二）负责人、理事会及其变动", "职务与变动（2025-12-31）")
    assert ["会长", 1, 1, 0] in changes
    branches = "二、内部治理（三）分支机构、代表机构"
    assert document.figure(branches, "年末分支机构") == 1
    assert document.figure(branches, "本年设立") == 1
    registered = rows(document, "二、内部治理（五）登记事项变更", "登记事项变更及核准")
    assert registered[0][0] == "住所" and registered[0][5] == "许民社〔2025〕12号"
    audit = field(document, "三、财务会计报告", "年度财务审计", "审计意见类型")
    assert audit == "无保留意见"
    assert document.figure("三、财务会计报告（4）会费收支", "会费收入") == Decimal("5000.00")
    public = rows(document, "四、业务活动（二）公益活动", "公益项目服务（2025 年）")
    programmes = list(activity_rollup_by_programme(YEAR))
    assert [
        [p.name, p.activity_count, p.beneficiaries, p.person_times] for p in programmes
    ] == public
    spending = rows(document, "四、业务活动（二）公益活动", "本年费用支出（按资金）")
    assert sum(r[2] for r in spending) == sum(r["total"] for r in spending_by_fund(YEAR))
    assert ["社工站运营补助", "限定性", Decimal("45000.00")] in spending
    donations = donations_received(YEAR)
    section = "四、业务活动（三）接受捐赠"
    assert document.figure(section, "接受捐赠合计") == donations["total"] == Decimal("23500.50")
    assert document.figure(section, "其中限定性") == Decimal("20000.00")
    supervision = "五、监督管理"
    assert field(document, supervision, "年检和评估", "上一年度年检结论").startswith(
        "2024 年度：合格"
    )
    assert field(document, supervision, "年检和评估", "社会组织评估等级").startswith("4A 级")
    assert rows(document, supervision, "奖惩情况")[0][2] == "全市先进社会组织"
    assert notes(document, "四、业务活动（四）对外合作与交流")[0].startswith("与许昌学院")
    assert field(document, "七、签署", "负责人和填表人", "填表人") == "张丽"
    assert field(document, "七、签署", "负责人和填表人", "填表日期") == "2026年3月15日"
    pdf, xlsx = render_document(document, "pdf"), render_document(document, "xlsx")
    if os.environ.get("PRINT_DUMP"):  # keep the files for a look (see test_print.py)
        folder = Path(os.environ["PRINT_DUMP"])
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "annual-report-full.pdf").write_bytes(pdf)
        (folder / "annual-report-full.xlsx").write_bytes(xlsx)
    text = pdf_text(pdf).replace("\n", "")
    assert "51411000MJY123456X" in text and "23,500.50" in text and "不符" not in text
    workbook = load_workbook(io.BytesIO(xlsx))
    for sheet in workbook.worksheets:
        check_sheet(sheet)
        check_cells(sheet)


def test_members_that_disagree_with_the_register_fail_its_check(members_data, monkeypatch):
    import members.selectors

    monkeypatch.setattr(
        members.selectors, "register_in_good_standing", lambda today: {"unit": 3, "individual": 2}
    )
    document = build()
    assert document.failures == ["单位会员人数与会员名册不符（报表 2，名册 3，2025-12-31）"]


@pytest.fixture
def register_disagrees(monkeypatch):
    import members.selectors

    monkeypatch.setattr(
        members.selectors, "register_in_good_standing", lambda today: {"unit": 1, "individual": 0}
    )


def test_a_scheduled_annual_report_failing_its_checks_is_held(
    cast, members_data, register_disagrees, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        run_pk = run_scheduled("annual-report", "pdf", Role.OFFICIAL.value, "年检")
    run = ReportRun.objects.get(pk=run_pk)
    assert run.held and "与会员名册不符" in run.check_failures
    assert not Notification.objects.filter(user=cast.official).exists()
    assert not ReportRun.objects.visible_to(cast.official).filter(pk=run_pk).exists()
    assert Notification.objects.filter(user=cast.staff, kind="reports_held").exists()


def test_a_scheduled_annual_report_whose_checks_pass_is_sent(
    cast, members_data, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        run_pk = run_scheduled("annual-report", "pdf", Role.OFFICIAL.value, "年检")
    run = ReportRun.objects.get(pk=run_pk)
    assert run.status == "done" and not run.held and run.check_failures == ""
    assert ReportRun.objects.visible_to(cast.official).filter(pk=run_pk).exists()


def test_a_statement_tie_out_that_fails_holds_the_annual_report(ledger):  # noqa: F811
    from association.finance.models import StatementLine

    StatementLine.objects.get(layout__kind="balance_sheet", code="1").accounts.clear()
    document = build()
    assert any("资产负债表" in failure and "不符" in failure for failure in document.failures)


def test_it_is_named_as_the_form_is_when_downloaded(cast):
    from association.reports.services import filename_for

    run = ReportRun(
        report="annual-report",
        format="xlsx",
        parameters={"year": "2025"},
        created_at=timezone.now(),
    )
    assert filename_for(run) == "许昌市社会工作行业协会_年度工作报告书_2025年度.xlsx"


def test_a_part_whose_app_is_not_installed_says_it_is_not_in_the_system(members_data, monkeypatch):
    from association.reports.documents import NOT_IN_SYSTEM
    from association.reports.library import annual

    monkeypatch.setattr(annual.apps, "is_installed", lambda name: name == "members")
    monkeypatch.setattr(annual, "exists", lambda path: False)
    document = build()
    missing = {
        s.heading for s in document.sections for b in s.blocks if getattr(b, "missing", False)
    }
    assert "三、财务会计报告（1）财务报表" in missing
    assert {"四、业务活动（二）公益活动", "四、业务活动（三）接受捐赠"} <= missing
    assert "一、基本信息" not in missing
    assert str(NOT_IN_SYSTEM) in pdf_text(render_document(document, "pdf"))
