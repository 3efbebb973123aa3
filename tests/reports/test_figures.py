"""Each report's key figures equal what the owning app's selectors (its dashboards) say."""

import pytest

from association.reports import catalogue
from association.reports.services import build_document
from members.selectors import members_overview

from .conftest import TODAY

pytestmark = pytest.mark.django_db


def build(slug, **params):
    return build_document(catalogue.get(slug), {k: str(v) for k, v in params.items()})


def test_it_counts_members_as_the_overview_page_does(members_data):
    document = build("member-register", on=TODAY.isoformat())
    overview = members_overview(today=TODAY)
    section = "一、会员数量与会籍状态"
    assert document.figure(section, "单位会员（有效）") == overview.by_type["单位会员"] == 2
    assert document.figure(section, "个人会员（有效）") == overview.by_type["个人会员"] == 2
    assert document.figure(section, "会员总数（单位会员 + 个人会员）") == 4
    qualification = document.get("二、社会工作者职业资格").tables()[0]
    assert [row[:2] for row in qualification.rows] == [list(r) for r in overview.by_qualification]
    assert qualification.total == ["合计", 4]


def test_it_reports_continuing_education_by_the_members_rule(members_data):
    document = build("member-register", on=TODAY.isoformat())
    section = "三、继续教育达标情况"
    assert document.figure(section, "本周期已达标") == 1
    assert document.figure(section, "学时不足（周期剩余 90 天以上）") == 1
    assert document.figure(section, "持证但未登记") == 1


def test_it_counts_admissions_by_year_including_withdrawn_members(members_data):
    growth = build("member-register", on=TODAY.isoformat()).get("四、历年增长").tables()[0]
    assert growth.rows == [[2023, 2, 0, 2], [2024, 1, 2, 3]]


def test_it_reports_coverage_as_the_dashboard_does(stations_data):
    from stations.selectors import coverage_by_county

    document = build("station-coverage", on=TODAY.isoformat(), townships="on")
    rows, total = coverage_by_county(on=TODAY)
    section = "一、覆盖与人员配备"
    assert document.figure(section, "乡镇（街道）数") == total.townships == 5
    assert document.figure(section, "运营中的社工站") == total.operating == 3
    assert document.figure(section, "社工站数（不含已撤销）") == total.stations == 4
    assert document.figure(section, "覆盖率（运营站点 / 乡镇街道）") == total.coverage
    assert str(total.coverage) == "60.0"
    assert document.figure(section, "驻站社会工作者") == total.workers == 6
    assert document.figure(section, "低于配备标准的站点") == total.understaffed == 1
    table = document.get(section).tables()[0]
    assert [row[0] for row in table.rows] == [row.region.name for row in rows]
    assert {row[0]: row[3] for row in table.rows} == {"魏都区": 2, "禹州市": 1}
    detail = document.get("三、分乡镇（街道）明细").tables()
    assert {t.caption for t in detail} == {"魏都区", "禹州市"}


def test_it_summarises_the_month_as_the_dashboard_does(stations_data):
    from stations.selectors import person_times_by_area, reporting_rates

    month = stations_data["month"]
    document = build("station-monthly", month="2025-10")
    rates = reporting_rates(month)
    section = "一、月报报送情况"
    assert document.figure(section, "应报站点（当月运营）") == rates.expected == 3
    assert document.figure(section, "已报送") == rates.received == 2
    assert document.figure(section, "按时报送") == rates.on_time == 1
    assert document.figure(section, "报送率") == rates.rate
    assert document.figure(section, "按时率") == rates.on_time_rate
    areas = document.get("二、2025 年服务人次（按服务领域）").tables()
    city = areas[0]
    expected = person_times_by_area(2025)
    assert [row[2] for row in city.rows] == [r["person_times"] for r in expected]
    assert city.total[2] == 165
    by_county = {row[0]: row[-1] for row in areas[1].rows}
    assert by_county == {"魏都区": 120, "禹州市": 45}


def test_it_refuses_a_malformed_month():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="月份格式应为"):
        build("station-monthly", month="2025/10")
