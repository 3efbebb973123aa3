"""The admin's large change lists: the same page for fewer rows read and less rendering.

At province scale (108,000 dues, 149,000 monthly reports, 25,000 memberships) the lists
read every row for their date hierarchy and value filters, and rendered each row's action
checkbox through the template engine (docs/performance.md). These tests pin what replaced
them: the same checkbox, a year filter from the first and last year, the stations' region
filter one level at a time.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.contrib import admin as django_admin
from django.contrib.admin import ModelAdmin

from members.models import Dues, Membership
from stations.models import ServiceReport, Station
from tests.factories import UserFactory
from tests.members.factories import DuesFactory, MembershipFactory
from tests.stations.factories import ReportFactory, StationFactory


@pytest.fixture
def root(db, client_for):
    return client_for(UserFactory(email="root@example.org", is_staff=True, is_superuser=True))


def test_the_action_checkbox_is_the_element_django_renders(db):
    membership = MembershipFactory()
    model_admin = django_admin.site._registry[Membership]
    assert model_admin.action_checkbox(membership) == ModelAdmin.action_checkbox(
        model_admin, membership
    )


def _years(page: str, parameter: str) -> list[str]:
    return re.findall(rf'href="\?{parameter}=(\d{{4}})"', page)


def test_dues_filter_by_the_years_between_the_first_and_the_last(root):
    membership = MembershipFactory()
    for year in (2022, 2023, 2025):
        DuesFactory(membership=membership, year=year)
    page = root.get("/admin/members/dues/").content.decode()
    assert _years(page, "year") == ["2025", "2024", "2023", "2022"]
    listed = root.get("/admin/members/dues/?year=2023")
    assert [d.year for d in listed.context["cl"].result_list] == [2023]
    assert list(root.get("/admin/members/dues/?year=2024").context["cl"].result_list) == []
    assert Dues.objects.count() == 3


def test_a_year_that_is_not_a_number_lists_nothing(root):
    DuesFactory()
    response = root.get("/admin/members/dues/?year=abc")
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == []


def test_memberships_filter_by_year_of_application(root):
    old = MembershipFactory(applied_on=datetime.date(2021, 5, 1))
    new = MembershipFactory(applied_on=datetime.date(2024, 3, 1))
    page = root.get("/admin/members/membership/").content.decode()
    assert _years(page, "applied") == ["2024", "2023", "2022", "2021"]
    listed = root.get("/admin/members/membership/?applied=2021").context["cl"].result_list
    assert [m.pk for m in listed] == [old.pk]
    assert new.pk not in [m.pk for m in listed]


def test_monthly_reports_filter_by_year_of_the_month(root):
    station = StationFactory()
    early = ReportFactory(station=station, month=datetime.date(2023, 12, 1))
    ReportFactory(station=station, month=datetime.date(2024, 1, 1))
    page = root.get("/admin/stations/servicereport/").content.decode()
    assert _years(page, "year") == ["2024", "2023"]
    listed = root.get("/admin/stations/servicereport/?year=2023").context["cl"].result_list
    assert [r.pk for r in listed] == [early.pk]
    assert ServiceReport.objects.count() == 2


def test_an_empty_table_offers_no_years(root):
    page = root.get("/admin/stations/servicereport/").content.decode()
    assert _years(page, "year") == []


def test_stations_filter_by_county_then_township(root):
    one = StationFactory()
    other = StationFactory()
    county = one.region.parent
    page = root.get("/admin/stations/station/").content.decode()
    assert f"?region={county.code}" in page
    # Townships are offered once their county is chosen, not as a list of every region.
    assert f"?region={one.region.code}" not in page
    chosen = root.get(f"/admin/stations/station/?region={county.code}")
    assert f"?region={one.region.code}" in chosen.content.decode()
    stations = {s.pk for s in chosen.context["cl"].result_list}
    assert one.pk in stations
    township = root.get(f"/admin/stations/station/?region={one.region.code}")
    assert [s.pk for s in township.context["cl"].result_list] == [one.pk]
    assert Station.objects.filter(pk=other.pk).exists()
