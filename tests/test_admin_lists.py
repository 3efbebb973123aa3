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


def test_the_stations_region_filter_names_each_county_with_its_city_when_there_are_two(root):
    one = StationFactory()
    other = StationFactory()
    counties = {one.region.parent, other.region.parent}
    page = root.get("/admin/stations/station/").content.decode()
    for county in counties:
        label = county.name
        if len({c.parent_id for c in counties}) > 1:
            label = f"{county.parent.name} / {county.name}"
        assert label in page


@pytest.mark.django_db(transaction=True)
def test_the_region_filters_counties_are_kept_until_a_station_or_region_changes(client_for):
    """Read once while the stations and regions stand still, whatever else is written (a
    monthly report), and at once when a station opens in a new county."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from association.regions.models import Region
    from tests.members.factories import township

    root = client_for(UserFactory(email="root@example.org", is_staff=True, is_superuser=True))
    one = StationFactory()

    def counties_read() -> bool:
        with CaptureQueriesContext(connection) as queries:
            assert root.get("/admin/stations/servicereport/").status_code == 200
        return any(q["sql"].startswith('SELECT "regions_region"."id"') for q in queries)

    assert counties_read()
    assert not counties_read()  # kept
    ReportFactory(station=one)
    assert not counties_read()  # a report changes no county
    other = StationFactory(region=township(name="新设镇", county="禹州市"))
    page = root.get("/admin/stations/station/").content.decode()
    assert f"?region={other.region.parent.code}" in page
    Region.objects.filter(pk=other.region.parent_id).update(name="禹州")
    assert ">禹州<" in root.get("/admin/stations/station/").content.decode()


def test_the_employer_filter_offers_what_djangos_related_filter_offers(db, rf):
    from django.contrib.admin import RelatedFieldListFilter

    from association.admin_filters import RelatedNameFilter
    from members.models import SocialWorker
    from tests.members.factories import OrganisationFactory

    for name in ("乙机构", "甲机构", "丙机构"):
        OrganisationFactory(name=name)
    request = rf.get("/admin/members/socialworker/")
    request.user = UserFactory(is_staff=True, is_superuser=True)
    model_admin = django_admin.site._registry[SocialWorker]
    field = SocialWorker._meta.get_field("employer")

    def choices(kind):
        return kind(field, request, {}, SocialWorker, model_admin, "employer").lookup_choices

    assert choices(RelatedNameFilter) == choices(RelatedFieldListFilter)
    assert len(choices(RelatedNameFilter)) == 3


# The rows: association/templatetags/admin_rows.py writes them from a plan of each column;
# every cell must be Django's own. tests/test_demo_instance.py compares every change list
# of the project on the demo; these are the kinds of value the demo may not hold.


class _EveryKindAdmin(ModelAdmin):
    """Columns of each kind ``items_for_result`` distinguishes, with values that differ by
    row: two decimals that are equal but print differently, dates and times, empty and
    blank values, a boolean display, HTML that must be escaped and HTML that is safe, lazy
    labels (one of them empty)."""

    list_display = [
        "name",
        "code",
        "order",
        "is_active",
        "decimal",
        "day",
        "moment",
        "flag",
        "blank",
        "nothing",
        "markup",
        "safe",
        "lazy",
        "__str__",
    ]

    def decimal(self, obj):
        from decimal import Decimal

        return [Decimal("1.0"), Decimal("1.00"), Decimal("-0"), 3][obj.pk % 4]

    def day(self, obj):
        return datetime.date(2026, 1, 1 + obj.pk % 2)

    def moment(self, obj):
        return datetime.datetime(2026, 1, 1, 8, obj.pk % 3, tzinfo=datetime.UTC)

    @django_admin.display(boolean=True)
    def flag(self, obj):
        return [True, False, None][obj.pk % 3]

    def blank(self, obj):
        return "  "

    @django_admin.display(empty_value="（无）")
    def nothing(self, obj):
        return None

    def markup(self, obj):
        return f"<script>{obj.pk}</script> & 社工"

    def safe(self, obj):
        from django.utils.html import format_html

        return format_html("<b>{}</b>", obj.pk)

    def lazy(self, obj):
        from django.utils.translation import gettext_lazy

        return [gettext_lazy("正常"), gettext_lazy(""), gettext_lazy("<b>欠费</b>")][obj.pk % 3]


def _compare(changelist):
    from django.contrib.admin.templatetags import admin_list

    from association.templatetags.admin_rows import rows

    django_rows = ["".join(row) for row in admin_list.results(changelist)]
    assert django_rows
    assert ["".join(row) for row in rows(changelist)] == django_rows
    return django_rows


@pytest.mark.parametrize(
    ("query", "links"),
    [
        ("", ()),
        ("?o=2.-1&q=", ()),
        ("?is_active__exact=1", ["code", "day"]),
        ("?_popup=1&_to_field=id", ()),
        ("", None),
    ],
)
def test_the_rows_are_djangos_for_every_kind_of_column(db, rf, query, links):
    from django.contrib.admin import AdminSite
    from django.urls import resolve

    from stations.models import ServiceArea

    assert ServiceArea.objects.count() >= 4  # the catalogue's seed (migration 0002)
    site = AdminSite(name="admin")  # the project's URL names, this admin's columns
    model_admin = _EveryKindAdmin(ServiceArea, site)
    model_admin.list_display_links = links
    model_admin.list_filter = ["is_active"]
    request = rf.get("/admin/stations/servicearea/" + query)
    request.resolver_match = resolve(request.path)  # the preserved filters need it
    request.user = UserFactory(is_staff=True, is_superuser=True)
    changelist = model_admin.get_changelist_instance(request)
    changelist.formset = None  # as changelist_view sets it for a list without list_editable
    rows = _compare(changelist)
    assert "&lt;script&gt;" in rows[0]
    if links is None:
        assert "<a href" not in rows[0]
    elif "_popup" in query:
        assert "data-popup-opener=" in rows[0]
    elif query:
        assert "?_changelist_filters=" in rows[0]


def test_a_change_list_with_its_own_row_links_keeps_them(db, rf):
    """The change URL is reversed once a page and each row's key put in it, unless the
    change list makes its links its own way: then its ``url_for_result`` is asked each row."""
    from django.contrib.admin import AdminSite
    from django.contrib.admin.views.main import ChangeList
    from django.urls import resolve

    from stations.models import ServiceArea

    class OwnLinks(ChangeList):
        def url_for_result(self, result):
            return f"/areas/{result.code}/?from=list&pk={result.pk}"

    class OwnLinksAdmin(_EveryKindAdmin):
        def get_changelist(self, request, **kwargs):
            return OwnLinks

    request = rf.get("/admin/stations/servicearea/")
    request.resolver_match = resolve(request.path)
    request.user = UserFactory(is_staff=True, is_superuser=True)
    changelist = OwnLinksAdmin(ServiceArea, AdminSite(name="admin")).get_changelist_instance(
        request
    )
    changelist.formset = None
    rows = _compare(changelist)
    first = changelist.result_list[0]
    assert f'href="/areas/{first.code}/?from=list&amp;pk={first.pk}"' in rows[0]


def test_a_list_with_editable_fields_keeps_djangos_rows_and_forms(root):
    response = root.get("/admin/stations/servicearea/")
    changelist = response.context["cl"]
    assert changelist.formset is not None
    _compare(changelist)
    assert 'name="form-0-order"' in response.content.decode()


def test_the_change_list_page_writes_the_planned_rows(root):
    MembershipFactory()
    response = root.get("/admin/members/membership/")
    from association.templatetags.admin_rows import rows

    planned = rows(response.context["cl"])
    assert "".join(planned[0]) in response.content.decode()
    assert "admin/change_list.html" in [t.name for t in response.templates]


@pytest.mark.parametrize(
    ("language", "shown"), [("zh-hans", "2021年5月1日"), ("en", "May 1, 2021")]
)
def test_the_dates_kept_in_the_process_are_djangos_in_each_language(db, rf, language, shown):
    """A date's rendering is kept in the process by language (admin_rows ``_dates``): the
    rows are Django's in each language, whichever was rendered first."""
    from django.urls import resolve
    from django.utils import translation

    from association.templatetags import admin_rows

    admin_rows._dates.clear()
    MembershipFactory(applied_on=datetime.date(2021, 5, 1))
    MembershipFactory(applied_on=datetime.date(2024, 3, 1))
    user = UserFactory(is_staff=True, is_superuser=True)
    for active in ("en" if language == "zh-hans" else "zh-hans", language):
        with translation.override(active):
            request = rf.get("/admin/members/membership/")
            request.resolver_match = resolve(request.path)
            request.user = user
            changelist = django_admin.site._registry[Membership].get_changelist_instance(request)
            changelist.formset = None
            rows = _compare(changelist)
    assert shown in "".join(rows)
    assert (language, datetime.date(2021, 5, 1)) in admin_rows._dates
