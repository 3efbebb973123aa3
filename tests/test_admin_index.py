"""The admin: pending work on the index, and the changelists of monthly reports and vouchers."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse

from stations.choices import ReportStatus
from tests.conftest import assert_constant_queries
from tests.stations.factories import ReportFactory, StationFactory

D = datetime.date


def admin_page(client_for, user, url) -> str:
    response = client_for(user).get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


ROW = re.compile(r'<a href="[^"]+">([^<]+)</a></th>\s*<td[^>]*><strong>(\d+)')


def pending(page: str) -> dict[str, int]:
    """The index's block of pending work: label -> count."""
    if 'id="pending-work"' not in page:
        return {}
    block = page.split('id="pending-work"', 1)[1].split("</div>", 1)[0]
    return {label: int(count) for label, count in ROW.findall(block)}


def test_the_index_counts_pending_work_and_drops_what_is_done(cast, client_for):
    from members.models import Membership
    from tests.members.factories import MembershipFactory

    first = ReportFactory(status=ReportStatus.SUBMITTED)
    ReportFactory(status=ReportStatus.SUBMITTED, month=D(2024, 4, 1))
    ReportFactory(status=ReportStatus.APPROVED, month=D(2024, 5, 1))
    MembershipFactory(state="applied", number=None, member_since=None)

    counts = pending(admin_page(client_for, cast.staff, reverse("admin:index")))
    assert counts["待审核的服务月报"] == 2
    assert counts["待办理的入会申请"] == 1
    assert "审批中的报销单" not in counts  # none: a model without pending work is not listed

    first.status = ReportStatus.APPROVED
    first.save()
    Membership.objects.update(state="rejected")
    counts = pending(admin_page(client_for, cast.staff, reverse("admin:index")))
    assert counts["待审核的服务月报"] == 1
    assert "待办理的入会申请" not in counts


def test_the_counts_link_to_the_filtered_changelist(cast, client_for):
    ReportFactory(status=ReportStatus.SUBMITTED)
    page = admin_page(client_for, cast.staff, reverse("admin:index"))
    url = reverse("admin:stations_servicereport_changelist") + "?status__exact=submitted"
    assert f'href="{url}"' in page
    assert admin_page(client_for, cast.staff, url)


def test_the_index_shows_counts_only_of_what_the_user_may_view(cast, client_for):
    from association.accounts.choices import Role
    from tests.factories import UserFactory

    ReportFactory(status=ReportStatus.SUBMITTED)
    finance_only = UserFactory(is_staff=True, roles=[])
    from django.contrib.auth.models import Permission

    finance_only.user_permissions.add(
        Permission.objects.get(codename="view_expenseclaim", content_type__app_label="finance")
    )
    assert Role.STAFF.value not in finance_only.groups.values_list("name", flat=True)
    counts = pending(admin_page(client_for, finance_only, reverse("admin:index")))
    assert "待审核的服务月报" not in counts


def test_the_report_changelist_reads_the_month_and_flags_anomalies(cast, client_for):
    ReportFactory(month=D(2026, 11, 1), is_outlier=True, outlier_note="人次异常")
    ReportFactory(month=D(2026, 10, 1))
    page = admin_page(client_for, cast.staff, reverse("admin:stations_servicereport_changelist"))
    assert "2026年11月" in page and "2026年10月" in page
    assert page.count('class="anomaly-badge"') == 1 and "有异常" in page


def test_the_county_filter_is_a_tree(cast, client_for):
    from tests.members.factories import township

    a = ReportFactory(station=StationFactory(region=township(name="甲镇", county="禹州市")))
    b = ReportFactory(station=StationFactory(region=township(name="乙镇", county="长葛市")))
    url = reverse("admin:stations_servicereport_changelist")
    page = admin_page(client_for, cast.staff, url)
    assert "禹州市" in page and "长葛市" in page
    assert "甲镇" not in page.split('id="changelist-filter"', 1)[1]  # no flat township list

    county = a.station.region.parent
    response = client_for(cast.staff).get(url, {"region": county.code})
    assert list(response.context["cl"].queryset) == [a]
    assert "甲镇" in response.content.decode().split('id="changelist-filter"', 1)[1]
    township = a.station.region
    response = client_for(cast.staff).get(url, {"region": township.code})
    assert list(response.context["cl"].queryset) == [a]
    assert b not in response.context["cl"].queryset


def test_monthly_reports_export_with_safe_cells(cast, client_for):
    from stations.resources import ServiceReportResource

    ReportFactory(month=D(2026, 11, 1), narrative='=HYPERLINK（"http://x"）本月开展走访活动')
    row = ServiceReportResource().export().dict[0]
    assert row["月份"] == "2026年11月"
    assert row["工作概述"].startswith("'=HYPERLINK")
    assert "报送人" not in row  # no person's data

    fields = {f"servicereportresource_{name}": "on" for name in ServiceReportResource().fields}
    response = client_for(cast.staff).post(
        reverse("admin:stations_servicereport_export"), {"format": "0", "resource": "0", **fields}
    )
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    assert "2026年11月" in text and "'=HYPERLINK" in text


def test_only_who_may_export_stations_exports_reports(cast, client_for):
    response = client_for(cast.officer).get(reverse("admin:stations_servicereport_export"))
    assert response.status_code == 200  # officers hold stations.export_station
    from tests.factories import UserFactory

    viewer = UserFactory(is_staff=True)
    from django.contrib.auth.models import Permission

    viewer.user_permissions.add(
        Permission.objects.get(codename="view_servicereport", content_type__app_label="stations")
    )
    assert client_for(viewer).get(reverse("admin:stations_servicereport_export")).status_code == 403


@pytest.mark.usefixtures("db")
def test_the_report_changelist_costs_the_same_as_rows_grow(cast, client_for):
    client = client_for(cast.staff)
    url = reverse("admin:stations_servicereport_changelist")

    def grow(n):
        for _ in range(n):
            ReportFactory(is_outlier=True)

    assert_constant_queries(lambda: client.get(url), grow)


def test_the_voucher_changelist_shows_amounts_in_one_query(cast, client_for):
    from association.finance.chart import chart_load
    from tests.finance.factories import general, post

    chart_load()
    fund = general()
    client = client_for(cast.staff)
    url = reverse("admin:finance_voucher_changelist")
    days = iter(range(1, 200))

    def grow(n):
        for _ in range(n):
            day = D(2026, 1, 1) + datetime.timedelta(days=next(days))
            post(cast.staff, day, ("1002", "D", "120.50", fund), ("4101", "C", "120.50", fund))

    assert_constant_queries(lambda: client.get(url), grow)
    assert "120.50" in client.get(url).content.decode()


def test_the_index_costs_the_same_as_pending_work_grows(cast, client_for):
    from tests.members.factories import MembershipFactory

    client = client_for(cast.staff)

    def grow(n):
        for _ in range(n):
            ReportFactory(status=ReportStatus.SUBMITTED)
            MembershipFactory(state="applied", number=None, member_since=None)

    assert_constant_queries(lambda: client.get(reverse("admin:index")), grow)
