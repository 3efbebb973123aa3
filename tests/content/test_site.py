"""The public site as a visitor, a member and staff see it."""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from content.choices import Kind, Status, Visibility
from tests.conftest import assert_constant_queries
from tests.members.factories import MembershipFactory, OrganisationFactory
from tests.stations.factories import StationFactory

from .factories import ArticleFactory

pytestmark = pytest.mark.django_db


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href and href.startswith("/"):
            self.links.append(href.split("#")[0])


def _links(response) -> list[str]:
    parser = Links()
    parser.feed(response.content.decode())
    return parser.links


@pytest.fixture
def site(cast):
    """A little of everything the public site shows."""
    news = ArticleFactory(
        title="许昌市社工站建设推进会召开", body="## 会议\n\n各县（市、区）参加。"
    )
    ArticleFactory(kind=Kind.NOTICE, title="关于报送社工站年度总结的通知")
    ArticleFactory(
        kind=Kind.POLICY,
        title="河南省乡镇（街道）社会工作服务站建设指引",
        issuer="河南省民政厅",
        document_number="豫民〔2024〕12号",
    )
    ArticleFactory(kind=Kind.DISCLOSURE, title="2025年度工作报告摘要")
    org = OrganisationFactory(
        name="许昌市阳光社会工作服务中心", directory_fields=["county", "contact_phone"]
    )
    MembershipFactory(organisation=org)
    StationFactory(name="长葛市后河镇社工站")
    return news


def test_it_shows_visitors_the_public_home_at_the_root(client, site):
    response = client.get("/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "许昌市社会工作行业协会" in page
    assert "许昌市社工站建设推进会召开" in page
    assert "关于报送社工站年度总结的通知" in page


def test_it_keeps_the_portal_home_for_signed_in_users(client_for, cast, site):
    response = client_for(cast.org_admin_a).get("/")
    assert response.status_code == 200
    assert "您好" in response.content.decode()


def test_it_lets_a_visitor_walk_every_public_page_from_the_home_page(client, site):
    """Every link from the home page and its public nav (and one level below) answers
    without an error; only the login and membership application are left to their apps."""
    seen, queue, failures = set(), ["/"], []
    depth = {"/": 0}
    while queue:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code >= 400:
            failures.append((url, response.status_code))
            continue
        if response.status_code in (301, 302):
            continue
        if depth[url] >= 2 or "html" not in response.get("Content-Type", ""):
            continue
        for link in _links(response):
            if link.startswith(("/admin/", "/accounts/", "/i18n/")) or link in depth:
                continue
            depth[link] = depth[url] + 1
            queue.append(link)
    assert not failures, failures
    for expected in [
        reverse("content:article_list", args=["news"]),
        reverse("content:article_list", args=["notices"]),
        reverse("content:article_list", args=["policies"]),
        reverse("content:disclosure"),
        reverse("content:directory"),
        reverse("content:stations"),
        reverse("content:story_list"),
        reverse("content:verify"),
        reverse("projects:round_list"),
        reverse("governance:document_list"),
        reverse("governance:officers"),
        site.get_absolute_url(),
    ]:
        assert expected in seen, expected


def test_it_shows_a_policys_issuer_and_number(client, site):
    response = client.get(reverse("content:article_list", args=["policies"]))
    page = response.content.decode()
    assert "河南省民政厅" in page
    assert "豫民〔2024〕12号" in page


def test_it_renders_the_body_sanitised_with_open_graph_tags(client):
    article = ArticleFactory(
        title="开放日", summary="协会开放日活动", body="**欢迎**<script>alert(1)</script>"
    )
    page = client.get(article.get_absolute_url()).content.decode()
    assert "<strong>欢迎</strong>" in page
    assert "<script>alert" not in page
    assert '<meta property="og:title" content="开放日">' in page
    assert '<meta property="og:description" content="协会开放日活动">' in page
    assert 'property="og:type" content="article"' in page


# --- Visibility --------------------------------------------------------------------------
@pytest.fixture
def members_notice(db):
    return ArticleFactory(
        kind=Kind.NOTICE, title="会员内部通知：理事会议程", visibility=Visibility.MEMBERS
    )


def test_it_keeps_a_members_only_notice_from_visitors(client, members_notice):
    assert client.get(members_notice.get_absolute_url()).status_code == 404
    listing = client.get(reverse("content:article_list", args=["notices"])).content.decode()
    assert "理事会议程" not in listing
    assert "理事会议程" not in client.get("/").content.decode()
    found = client.get(reverse("content:search"), {"q": "理事会议程"}).content.decode()
    assert "会员内部通知" not in found
    assert "理事会议程" not in client.get(reverse("content:feed")).content.decode()
    sitemap = client.get(reverse("content:sitemap")).content.decode()
    assert members_notice.slug not in sitemap


def test_it_shows_a_members_only_notice_to_a_signed_in_member(client_for, cast, members_notice):
    client = client_for(cast.org_admin_a)
    assert client.get(members_notice.get_absolute_url()).status_code == 200
    listing = client.get(reverse("content:article_list", args=["notices"])).content.decode()
    assert "理事会议程" in listing


def test_it_hides_drafts_staff_items_and_withdrawn_items(client, client_for, cast):
    draft = ArticleFactory(title="草稿", status=Status.DRAFT, published_at=None)
    staff_only = ArticleFactory(title="内部", visibility=Visibility.STAFF)
    withdrawn = ArticleFactory(title="已撤回", status=Status.UNPUBLISHED)
    member = client_for(cast.org_admin_a)
    for article in (draft, staff_only, withdrawn):
        assert client.get(article.get_absolute_url()).status_code == 404
    assert member.get(staff_only.get_absolute_url()).status_code == 404
    assert client_for(cast.staff).get(staff_only.get_absolute_url()).status_code == 200


def test_it_lists_public_items_in_the_feed_and_sitemap(client, site):
    feed = client.get(reverse("content:feed"))
    assert feed["Content-Type"].startswith("application/atom+xml")
    assert "许昌市社工站建设推进会召开" in feed.content.decode()
    sitemap = client.get(reverse("content:sitemap")).content.decode()
    assert site.slug in sitemap or re.sub(r"[^\x00-\x7f]", "", site.slug) in sitemap


# --- Search ------------------------------------------------------------------------------
def test_it_finds_a_chinese_word_inside_a_longer_title(client, site):
    for word in ["推进会", "社工站建设", "年度总结", "建设"]:
        response = client.get(reverse("content:search"), {"q": word})
        page = response.content.decode()
        assert response.status_code == 200
        assert "推进会召开" in page or "年度总结的通知" in page, word
    page = client.get(reverse("content:search"), {"q": "站"}).content.decode()
    assert "许昌市社工站建设推进会召开" in page  # a single character: the bounded scan


def test_it_searches_within_a_section(client, site):
    url = reverse("content:article_list", args=["notices"])
    assert "年度总结" in client.get(url, {"q": "年度总结"}).content.decode()
    assert "没有找到" in client.get(url, {"q": "推进会"}).content.decode()


def test_it_uses_the_trigram_index_for_three_characters_or_more(db):
    from django.db import connection

    from content.models import Article
    from content.selectors import search_articles

    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    plan = search_articles(Article.objects.all(), "推进会").explain()
    assert "content_title_trgm" in plan or "content_body_trgm" in plan, plan


# --- Directory and stations --------------------------------------------------------------
def test_the_directory_shows_only_the_fields_an_organisation_agreed_to(client, site):
    hidden = OrganisationFactory(name="许昌市不公开服务中心", directory_fields=[])
    MembershipFactory(organisation=hidden)
    page = client.get(reverse("content:directory")).content.decode()
    assert "许昌市阳光社会工作服务中心" in page
    assert "0374-1234567" in page  # agreed: phone
    assert "李联系" not in page  # not agreed: contact name
    assert "测试路1号" not in page  # not agreed: address
    assert "许昌市不公开服务中心" not in page
    found = client.get(reverse("content:directory"), {"q": "阳光"}).content.decode()
    assert "许昌市阳光社会工作服务中心" in found


def test_the_stations_page_groups_cards_by_county(client, site):
    page = client.get(reverse("content:stations")).content.decode()
    assert "长葛市后河镇社工站" in page
    assert "魏都区" in page
    assert "0374-0000000" in page


# --- Cache and query budgets -------------------------------------------------------------
def test_it_caches_the_home_page_for_visitors_until_something_is_published(client, cast, site):
    from content import services

    client.get("/")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as cached:
        assert client.get("/").status_code == 200
    assert len(cached) <= 2, [q["sql"] for q in cached.captured_queries]
    draft = ArticleFactory(title="新发布的新闻", status=Status.REVIEW, published_at=None)
    assert "新发布的新闻" not in client.get("/").content.decode()
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        services.article_publish(draft, by=cast.staff)
    assert "新发布的新闻" in client.get("/").content.decode()


def test_the_home_page_costs_the_same_queries_however_many_items(client, cast):
    from django.core.cache import cache

    def fetch():
        cache.clear()
        return client.get(reverse("content:home"))

    def grow(n):
        for kind in (Kind.NEWS, Kind.NOTICE, Kind.POLICY):
            ArticleFactory.create_batch(n, kind=kind)

    assert_constant_queries(fetch, grow)


@pytest.mark.parametrize("section", ["news", "notices", "policies", "disclosures"])
def test_each_list_costs_the_same_queries_however_many_items(client, section):
    from content.views import KIND_SLUGS

    assert_constant_queries(
        lambda: client.get(reverse("content:article_list", args=[section])),
        lambda n: ArticleFactory.create_batch(n, kind=KIND_SLUGS[section]),
    )


def test_the_directory_costs_the_same_queries_however_many_organisations(client):
    def grow(n):
        for _ in range(n):
            MembershipFactory(
                organisation=OrganisationFactory(directory_fields=["county", "website"])
            )

    assert_constant_queries(lambda: client.get(reverse("content:directory")), grow)


def test_the_stations_page_costs_the_same_queries_however_many_stations(client):
    assert_constant_queries(
        lambda: client.get(reverse("content:stations")),
        lambda n: StationFactory.create_batch(n),
    )


def test_search_costs_the_same_queries_however_many_matches(client):
    def grow(n):
        ArticleFactory.create_batch(n, title="社工站工作简报")
        for _ in range(n):
            MembershipFactory(
                organisation=OrganisationFactory(name="社工站服务中心", directory_fields=["county"])
            )

    assert_constant_queries(lambda: client.get(reverse("content:search"), {"q": "社工站"}), grow)


def test_a_scheduled_item_shortens_the_home_pages_cache(client, cast):
    """Publishing at a later time calls no service when the time comes: the anonymous
    home page is kept only until the next scheduled item goes live."""
    import datetime

    from django.utils import timezone

    from content.selectors import home_cache_seconds

    assert home_cache_seconds(600) == 600
    ArticleFactory(title="定时发布", published_at=timezone.now() + datetime.timedelta(seconds=90))
    assert 85 <= home_cache_seconds(600) <= 91
    ArticleFactory(title="明天发布", published_at=timezone.now() + datetime.timedelta(days=1))
    assert 85 <= home_cache_seconds(600) <= 91
    page = client.get("/").content.decode()
    assert "定时发布" not in page


def test_a_news_items_cover_is_its_open_graph_image(client):
    from django.core.files.base import ContentFile

    article = ArticleFactory(title="社工宣传周启动", summary="全市社工宣传周启动。")
    article.cover.save("cover.png", ContentFile(b"\x89PNG\r\n\x1a\n0000"), save=True)
    page = client.get(article.get_absolute_url()).content.decode()
    cover = reverse("content:cover", args=[article.slug])
    assert f'<meta property="og:image" content="http://testserver{cover}">' in page
    assert (
        f'<meta property="og:url" content="http://testserver{article.get_absolute_url()}">' in page
    )
    assert f'src="{cover}"' in page
    response = client.get(cover)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
