"""Project outcomes, financial statements, dues disclosure and the annual work report:
their figures are the owning apps' selectors' figures."""

import datetime
from decimal import Decimal

import pytest

from association.reports import catalogue
from association.reports.services import build_document, render_document

from .test_render import cells, pdf_text

pytestmark = pytest.mark.django_db

START, END = datetime.date(2025, 1, 1), datetime.date(2025, 12, 31)


def build(slug, **params):
    report = catalogue.get(slug)
    assert report is not None, f"{slug} is not available"
    return build_document(report, {k: str(v) for k, v in params.items()})


@pytest.fixture
def projects_data(db):
    from projects.choices import ApplicationStatus, ReferralStatus
    from tests.projects.factories import (
        ActivityFactory,
        ApplicationFactory,
        ProgrammeFactory,
        ProjectFactory,
        ReferralFactory,
        RoundFactory,
    )

    programme = ProgrammeFactory(name="毕业季红岩社工计划", start_date=datetime.date(2025, 3, 1))
    round_ = RoundFactory(programme=programme)
    project = ProjectFactory(programme=programme, name="幸福颐养")
    for status in (
        ApplicationStatus.SERVING,
        ApplicationStatus.SERVING,
        ApplicationStatus.COMPLETED,
        ApplicationStatus.REJECTED,
    ):
        seat = status != ApplicationStatus.REJECTED
        ApplicationFactory(round=round_, status=status, project=project if seat else None)
    ActivityFactory(project=project, beneficiaries=40, person_times=180)
    ActivityFactory(project=project, beneficiaries=10, person_times=20)
    ReferralFactory(status=ReferralStatus.RECEIVED)
    ReferralFactory(status=ReferralStatus.CLOSED, minor_name="李小红")
    return programme


def test_it_reports_project_outcomes_as_the_programme_page_does(projects_data):
    from projects.selectors import programme_rollup, referral_counts

    document = build("project-outcomes")
    figures = programme_rollup(projects_data)
    section = "一、招募与服务"
    assert document.figure(section, "服务中") == figures["serving"] == 2
    assert document.figure(section, "服务期满") == figures["completed"] == 1
    assert document.figure(section, "录取的毕业生") == figures["graduates"]
    assert document.figure(section, "服务人次") == figures["person_times"] == 200
    referrals = document.get("三、司法社工转介（仅数量）").tables()[0]
    assert referrals.total == ["合计", referral_counts()["total"]] == ["合计", 2]
    text = pdf_text(render_document(document, "pdf")).replace("\n", "")
    assert "毕业季红岩社工计划" in text
    # referrals as counts only: nothing of the sealed case reaches the file
    for secret in ("王小明", "李小红", "411002201005010011", "豫10刑初", "虚构"):
        assert secret not in text
        assert all(
            secret not in str(v)
            for s in cells(render_document(document, "xlsx")).values()
            for v in s
        )


@pytest.fixture
def ledger(cast):
    from association.finance.chart import chart_load
    from tests.finance.factories import FundFactory, post

    chart_load()
    grant = FundFactory(name="社工站运营补助")
    post(
        cast.staff,
        "2024-12-31",
        ("1002", "D", 100000),
        ("3101", "C", 80000),
        ("3102", "C", 20000, grant),
        summary="期初余额",
    )
    post(cast.staff, "2025-01-15", ("1002", "D", 5000), ("4201", "C", 5000))
    post(cast.staff, "2025-02-01", ("1002", "D", 60000), ("4401", "C", 60000, grant))
    post(cast.staff, "2025-03-10", ("5101", "D", 45000, grant), ("1002", "C", 45000, grant))
    post(cast.staff, "2025-04-20", ("5201", "D", 8000), ("1002", "C", 8000))
    return grant


def test_it_reports_the_three_statements_as_the_statements_page_does(ledger):
    from association.finance.statements import activities, balance_sheet

    document = build("financial-statements", start=START, end=END)
    sheet = balance_sheet(start=START, end=END)
    table = document.sections[0].tables()[0]
    closing = {row[1]: row[3] for row in table.rows}
    assert closing["60"] == sheet.value("60", "closing") == Decimal("112000.00")
    statement = activities(start=START, end=END)
    table = document.sections[1].tables()[0]
    totals = {row[1]: row[4] for row in table.rows}
    assert totals["11"] == statement.value("11", "total") == Decimal("65000.00")
    assert len(document.sections) == 3
    text = pdf_text(render_document(document, "pdf"))
    assert "资产负债表" in text and "业务活动表" in text and "现金流量表" in text
    assert "112,000.00" in text


def test_it_refuses_a_period_that_ends_before_it_starts():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="开始日期不能晚于截止日期"):
        build("financial-statements", start=END, end=START)


def test_it_discloses_dues_as_the_disclosure_page_does(ledger):
    if not catalogue.exists("association.finance.selectors.dues_disclosure"):
        pytest.skip("finance has no dues_disclosure selector yet")
    from association.finance.selectors import dues_disclosure

    document = build("dues-disclosure", year=2025)
    figures = dues_disclosure(year=2025)
    assert document.figure("会费收支情况", "会费收入") == figures["income"] == Decimal("5000.00")
    assert document.figure("会费收支情况", "一般资金支出合计") == figures["spent"]


# The annual work report's parts and figures: tests/reports/test_annual.py.


def test_the_annual_draft_of_march_covers_the_previous_year():
    report = catalogue.get("annual-report")
    assert report.scheduled_params(datetime.date(2026, 3, 1)) == {"year": "2025"}
