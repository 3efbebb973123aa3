"""A visitor walks the public site from the home page, on a desktop and on a 390 px phone:
every page the home page links to (its menu, its latest items and their pages) answers
without an error, and axe-core finds no serious or critical violation on any of them
(tests/e2e/conftest.py checks each page the walk opens)."""

import datetime
from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from content.choices import Kind
from tests.content.factories import ArticleFactory
from tests.members.factories import MembershipFactory, OrganisationFactory, township
from tests.stations.factories import StationFactory

from .conftest import screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Not pages of the public site: the admin, the sign-in pages (their own tests), the
# language switch, and files (the Atom feed, attachments).
SKIP_PREFIXES = ("/admin/", "/accounts/", "/i18n/", "/site/feed/", "/site/attachments/")


@pytest.fixture
def site(db):
    ArticleFactory(
        title="许昌市社工站建设推进会召开",
        summary="全市乡镇（街道）社工站建设推进会在许昌召开。",
        body="## 会议部署\n\n各县（市、区）民政局和社工站代表参加会议。\n\n- 规范台账\n- 加强督导",
    )
    ArticleFactory(
        kind=Kind.NOTICE,
        title="关于报送社工站年度工作总结的通知",
        reply_by=timezone.localdate(),
    )
    ArticleFactory(
        kind=Kind.POLICY,
        title="社会团体登记管理条例",
        issuer="国务院",
        document_number="中华人民共和国国务院令第250号",
        issued_on=datetime.date(1998, 10, 25),
    )
    ArticleFactory(kind=Kind.DISCLOSURE, title="年度工作报告摘要")
    organisation = OrganisationFactory(
        name="许昌市阳光社会工作服务中心", directory_fields=["county", "contact_phone"]
    )
    MembershipFactory(organisation=organisation)
    StationFactory(
        name="禹州市褚河镇社工站",
        region=township("褚河镇", "禹州市"),
        service_hours="周一至周五 8:30—12:00，14:30—17:30",
    )


def _links(page) -> list[str]:
    hrefs = page.eval_on_selector_all("a[href^='/']", "links => links.map(a => a.pathname)")
    return [href for href in dict.fromkeys(hrefs) if not href.startswith(SKIP_PREFIXES)]


def _walk(page, *, depth: int = 2, widths: dict | None = None) -> dict[str, int]:
    """Breadth first from the home page, ``depth`` links deep; every page's status (and,
    given ``widths``, each page's scroll width there)."""
    seen: dict[str, int] = {}
    queue = [("/", 0)]
    while queue:
        path, level = queue.pop(0)
        if path in seen:
            continue
        response = page.goto(path)  # axe runs on it (conftest)
        seen[path] = response.status
        if widths is not None:
            widths[path] = page.evaluate("() => document.documentElement.scrollWidth")
        if response.status >= 400 or level >= depth:
            continue
        if urlsplit(page.url).path != path:  # a redirect (to log in): not a public page
            continue
        queue.extend((link, level + 1) for link in _links(page) if link not in seen)
    return seen


@pytest.mark.parametrize(
    "viewport",
    [{"width": 1280, "height": 800}, {"width": 390, "height": 844}],
    ids=["desktop", "phone"],
)
def test_a_visitor_walks_every_public_page_from_the_home_page(page, site, viewport):
    page.set_viewport_size(viewport)
    widths: dict[str, int] = {}
    seen = _walk(page, depth=1 if viewport["width"] < 400 else 2, widths=widths)
    failures = {path: status for path, status in seen.items() if status >= 400}
    assert not failures, failures
    for expected in (
        "/site/news/",
        "/site/notices/",
        "/site/policies/",
        "/site/disclosure/",
        "/site/directory/",
        "/site/stations/",
        "/site/stories/",
        "/site/verify/",
        "/projects/rounds/",
    ):
        assert expected in seen, (expected, sorted(seen))
    assert any(path.startswith("/site/a/") for path in seen), sorted(seen)
    page.goto("/site/stations/")
    assert "周一至周五 8:30—12:00" in page.inner_text("main")
    # Nothing wider than the screen: no sideways scrolling on any page of the walk.
    wider = {path: width for path, width in widths.items() if width > viewport["width"]}
    assert not wider, wider
    if viewport["width"] < 400:
        screenshot(page, "public-phone")
    page.goto("/site/search/?q=推进会")
    assert "许昌市社工站建设推进会召开" in page.inner_text("main")
