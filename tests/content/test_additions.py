"""Saved recipient lists, the send's progress, station hours on the public cards, the
directory consent page of an organisation's admin, robots.txt and pinned query budgets."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from content import services
from content.choices import Kind, Segment, SendStatus
from content.models import Delivery, RecipientList
from tests.factories import UserFactory
from tests.members.factories import (
    MembershipFactory,
    OrganisationAdminFactory,
    OrganisationFactory,
    township,
)
from tests.stations.factories import AssignmentFactory, StationFactory

from .factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def notice(cast):
    return ArticleFactory(
        kind=Kind.NOTICE,
        title="关于参加社工站督导工作组会议的通知",
        body="请工作组成员按时参会。",
        reply_by=timezone.localdate() + datetime.timedelta(days=5),
    )


def _send(notice, by, **kwargs):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return services.notice_send(notice, by=by, **kwargs)


# --- Saved lists -------------------------------------------------------------------------
def test_staff_save_a_named_list_and_a_notice_reaches_exactly_its_members(cast, notice):
    station = StationFactory(name="禹州市褚河镇社工站", region=township("褚河镇", "禹州市"))
    worker = UserFactory(display_name="褚河站长")
    AssignmentFactory(station=station, worker__user=worker)
    org_admin = UserFactory(display_name="机构负责人")
    admin = OrganisationAdminFactory(user=org_admin, organisation__name="许昌市阳光社工中心")
    expert = UserFactory(display_name="督导专家")
    UserFactory(display_name="不在名单")
    saved = services.recipient_list_save(
        None, by=cast.staff, name="督导工作组", users=[worker, org_admin, expert]
    )
    distribution = _send(notice, cast.staff, segment=Segment.SAVED_LIST, recipient_list=saved)
    distribution.refresh_from_db()
    assert (distribution.status, distribution.total, distribution.sent) == (SendStatus.DONE, 3, 3)
    units = dict(Delivery.objects.filter(article=notice).values_list("user", "unit"))
    assert units == {
        worker.pk: "禹州市褚河镇社工站",
        org_admin.pk: admin.organisation.name,
        expert.pk: "督导专家",
    }
    county = Delivery.objects.get(article=notice, user=worker).county
    assert county is not None and county.name == "禹州市"


def test_a_list_is_for_staff_named_once_and_of_active_accounts(cast):
    user = UserFactory()
    with pytest.raises(PermissionDenied):
        services.recipient_list_save(None, by=cast.org_admin_a, name="名单", users=[user])
    services.recipient_list_save(None, by=cast.staff, name="名单", users=[user])
    with pytest.raises(ValidationError, match="同名"):
        services.recipient_list_save(None, by=cast.staff, name="名单", users=[user])
    with pytest.raises(ValidationError, match="至少"):
        services.recipient_list_save(None, by=cast.staff, name="空名单", users=[])
    gone = UserFactory(display_name="已离职", is_active=False)
    with pytest.raises(ValidationError, match="已离职"):
        services.recipient_list_save(None, by=cast.staff, name="另一名单", users=[gone])


def test_a_saved_list_must_be_chosen_to_send_to_one(cast, notice):
    from content.forms import SendForm

    form = SendForm({"segment": Segment.SAVED_LIST})
    assert not form.is_valid() and "recipient_list" in form.errors
    with pytest.raises(ValidationError):
        services.notice_send(notice, by=cast.staff, segment=Segment.SAVED_LIST)


def test_staff_keep_lists_in_the_admin_through_the_service(client_for, cast):
    users = UserFactory.create_batch(2)
    client = client_for(cast.staff)
    response = client.post(
        reverse("admin:content_recipientlist_add"),
        {"name": "试点站站长", "note": "2026年试点", "users": [u.pk for u in users]},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    saved = RecipientList.objects.get(name="试点站站长")
    assert set(saved.users.values_list("pk", flat=True)) == {u.pk for u in users}
    assert saved.created_by == cast.staff
    listing = client.get(reverse("admin:content_recipientlist_changelist")).content.decode()
    assert "试点站站长" in listing


# --- Progress ----------------------------------------------------------------------------
def test_the_receipts_page_shows_the_sends_progress_and_polls_while_it_runs(
    client_for, cast, notice
):
    for n in range(3):
        station = StationFactory()
        AssignmentFactory(station=station, worker__user=UserFactory(display_name=f"站员{n}"))
    distribution = services.notice_send(notice, by=cast.staff, segment=Segment.ALL_STATIONS)
    client = client_for(cast.staff)
    url = reverse("content:notice_receipts", args=[notice.pk])
    page = client.get(url).content.decode()
    assert 'hx-trigger="every 3s"' in page and 'value="0"' in page  # queued
    services.distribution_run(distribution.pk)
    live = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert live.lstrip().startswith("<div") and 'id="receipts-live"' in live
    assert "已送达 3 / 3" in live and 'hx-trigger="every 20s"' in live
    assert live.count("hx-get=") == 1


def test_the_recipients_list_refreshes_itself_with_its_filter(client_for, cast, notice):
    """Below the per-county table, who has answered: it changes in place too, keeping
    the state chosen in the filter."""
    users = [UserFactory(display_name=f"站员{n}") for n in range(2)]
    for user in users:
        AssignmentFactory(station=StationFactory(), worker__user=user)
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.notice_send(notice, by=cast.staff, segment=Segment.ALL_STATIONS)
    client = client_for(cast.staff)
    url = reverse("content:notice_receipts", args=[notice.pk]) + "?state=replied"
    page = client.get(url).content.decode()
    assert f'id="recipients-live" hx-get="{url}"' in page
    assert "没有符合条件的收件人" in page
    delivery = Delivery.objects.get(article=notice, user=users[0])
    services.delivery_reply(delivery, by=users[0], text="已按要求报送。")
    live = client.get(
        url, headers={"HX-Request": "true", "HX-Target": "recipients-live"}
    ).content.decode()
    assert live.lstrip().startswith("<div") and live.count("hx-get=") == 1
    assert "站员0" in live and "已按要求报送。" in live and "站员1" not in live


def test_the_send_records_its_progress_batch_by_batch(cast, notice, settings, monkeypatch):
    from association.notifications import services as notification_services
    from content.models import Distribution

    settings.CONTENT_SEND_BATCH = 2
    for _ in range(5):
        AssignmentFactory(station=StationFactory(), worker__user=UserFactory())
    distribution = services.notice_send(notice, by=cast.staff, segment=Segment.ALL_STATIONS)
    seen = []
    real_notify = notification_services.notify

    def watching_notify(*args, **kwargs):
        row = Distribution.objects.get(pk=distribution.pk)
        seen.append((row.sent, row.total, row.percent))
        return real_notify(*args, **kwargs)

    monkeypatch.setattr(notification_services, "notify", watching_notify)
    services.distribution_run(distribution.pk)
    assert seen == [(0, 5, 0), (2, 5, 40), (4, 5, 80)]


# --- Station hours -----------------------------------------------------------------------
def test_a_stations_public_card_shows_its_service_hours(client, client_for, cast):
    station = StationFactory(
        name="魏都区西大街社工站", service_hours="周一至周五 8:30—12:00，14:30—17:30"
    )
    page = client.get(reverse("content:stations")).content.decode()
    assert "魏都区西大街社工站" in page and "周一至周五 8:30—12:00，14:30—17:30" in page
    detail = client_for(cast.staff).get(reverse("stations:station_detail", args=[station.pk]))
    assert "周一至周五 8:30—12:00" in detail.content.decode()


def test_staff_edit_a_stations_service_hours_in_the_admin(client_for, cast):
    station = StationFactory()
    page = (
        client_for(cast.staff)
        .get(reverse("admin:stations_station_change", args=[station.pk]))
        .content.decode()
    )
    assert 'name="service_hours"' in page and "服务时间" in page


# --- Directory consent -------------------------------------------------------------------
@pytest.fixture
def organisation(cast):
    organisation = OrganisationFactory(
        name="许昌市同心社会工作服务中心",
        region=township("芙蓉湖街道", "魏都区"),
        contact_phone="0374-5556666",
        contact_name="王晓",
        directory_fields=[],
    )
    OrganisationAdminFactory(organisation=organisation, user=cast.org_admin_a)
    MembershipFactory(organisation=organisation)
    return organisation


def test_an_organisations_admin_chooses_what_the_directory_shows(
    client, client_for, cast, organisation
):
    def listed():
        page = client.get(reverse("content:directory")).content.decode()
        return "许昌市同心社会工作服务中心" in page

    url = reverse("members:organisation_directory", args=[organisation.pk])
    admin = client_for(cast.org_admin_a)
    page = admin.get(url).content.decode()
    assert "0374-5556666" in page and "魏都区" in page  # each item with what it would show
    assert not listed()
    response = admin.post(url, {"items": ["contact_phone", "county"]})
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.directory_fields == ["county", "contact_phone"]  # the directory's order
    public = client.get(reverse("content:directory")).content.decode()
    assert "许昌市同心社会工作服务中心" in public and "0374-5556666" in public
    assert "王晓" not in public
    admin.post(url, {})  # nothing chosen: off the directory
    organisation.refresh_from_db()
    assert organisation.directory_fields == []
    assert not listed()


def test_only_the_organisations_admin_sets_its_directory_consent(client_for, cast, organisation):
    from members.services.organisations import organisation_directory_set

    url = reverse("members:organisation_directory", args=[organisation.pk])
    for user in (cast.org_admin_b, cast.staff, cast.station_worker):
        assert client_for(user).post(url, {"items": ["address"]}).status_code == 404
    with pytest.raises(PermissionDenied):
        organisation_directory_set(
            organisation=organisation, by=cast.org_admin_b, fields=["address"]
        )
    with pytest.raises(ValidationError):
        organisation_directory_set(
            organisation=organisation, by=cast.org_admin_a, fields=["credit_code"]
        )
    response = client_for(cast.org_admin_a).post(url, {"items": ["credit_code"]})
    assert response.status_code == 200 and "invalid-feedback" in response.content.decode()
    organisation.refresh_from_db()
    assert organisation.directory_fields == []


def test_the_directory_consent_page_costs_a_fixed_number_of_queries(client_for, cast, organisation):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(cast.org_admin_a)
    url = reverse("members:organisation_directory", args=[organisation.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    # 16 before the portal's menu asked every app's facts in one query (tests/test_navigation.py).
    assert len(queries) == 9, [q["sql"] for q in queries.captured_queries]


# --- robots.txt --------------------------------------------------------------------------
def test_robots_txt_opens_the_public_site_and_closes_the_portal(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    for path in ("/$", "/site/", "/governance/documents/", "/projects/rounds/"):
        assert f"Allow: {path}" in lines, path
    for path in ("/admin/", "/accounts/", "/members/", "/stations/", "/finance/", "/site/inbox/"):
        assert f"Disallow: {path}" in lines, path
    assert "Sitemap: http://testserver/site/sitemap.xml" in lines
    # the inbox and receipts come before the site's Allow, for first-match crawlers
    assert lines.index("Disallow: /site/inbox/") < lines.index("Allow: /site/")


# --- Pinned budgets of the public pages ----------------------------------------------------
PUBLIC_BUDGETS = {
    # The home page cold (its cache emptied): every figure's and list's query, and the
    # cache's read and write (the database cache), and the next scheduled publication (it
    # shortens the cache's life); warm it is the one cache read below. (18 before the
    # members overview counted workers by county and by qualification in one query; 17 before
    # the standing was summed from its kept changes, the marks taken first.)
    "/": 18,
    # A list: its count and its page.
    "/site/news/": 2,
    "/site/notices/": 2,
    "/site/policies/": 2,
    "/site/disclosures/": 2,
    # Documents, dues standards, disclosures and certified elections.
    "/site/disclosure/": 4,
    "/site/directory/": 2,
    "/site/stations/": 1,
    "/site/search/?q=社工站": 2,
    "/robots.txt": 0,
}


def test_the_public_pages_keep_their_query_budgets(client, cast):
    """The numbers themselves (the constant-query tests show they do not grow with rows);
    a change that adds a query on purpose changes its number here."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for kind in Kind.values:
        ArticleFactory.create_batch(3, kind=kind, title="社工站工作动态")
    for _ in range(3):
        MembershipFactory(organisation=OrganisationFactory(directory_fields=["county"]))
        StationFactory(service_hours="周一至周五")
    measured = {}
    for url in PUBLIC_BUDGETS:
        cache.clear()
        assert client.get(url).status_code == 200, url
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        measured[url] = len(queries)
    client.get("/")  # cached again (the loop emptied the cache after it)
    with CaptureQueriesContext(connection) as cached:
        client.get("/")
    if measured != PUBLIC_BUDGETS:
        pytest.fail(f"measured {measured}")
    assert len(cached) == 1, [q["sql"] for q in cached.captured_queries]  # the cache read


# --- Election results on 信息公开 ----------------------------------------------------------
def test_the_disclosure_page_links_each_certified_elections_results(client, cast):
    from association.elections.choices import ElectionStatus
    from association.elections.models import Election
    from tests.elections.factories import election_with, meeting_with_voters

    meeting, _users = meeting_with_voters(2)
    election = election_with(meeting, cast.staff, {"president": 1}, {"president": ["李伟"]})
    url = reverse("content:disclosure")
    assert "尚无经确认的选举结果" in client.get(url).content.decode()
    Election.objects.filter(pk=election.pk).update(
        status=ElectionStatus.CERTIFIED, certified_at=timezone.now()
    )
    page = client.get(url).content.decode()
    results = reverse("elections:results", args=[election.pk])
    assert f'href="{results}"' in page and "理事会换届选举" in page
    assert client.get(results).status_code == 200
