"""Browser tests: Debian's Chromium driven by Playwright (never a downloaded browser).

Every page a browser test visits is checked with axe-core (npm ``axe-core``, read from
node_modules, never a CDN): a serious or critical violation fails the test. The check
runs on the page in front of the test whenever the test waits for it or looks at it
(``goto``, ``wait_for_url``, ``content``, ``screenshot``, a locator's ``wait_for``,
``fill``, ``inner_text`` and the like: CHECKED_AFTER) and on the last page when the
test ends; a page the test opened and
left without any of these (a click straight through) fails the test too, asking for
``assert_accessible(page)`` there, so no visited page goes unchecked.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

import pytest

from tests.conftest import require_services

CHROMIUM = "/usr/bin/chromium"
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING_IMPACTS = ("serious", "critical")
# Page and locator methods after which the test is looking at a loaded page (none of them
# leaves it): the page is checked then, once per document.
LOOKING = (
    "fill",
    "check",
    "select_option",
    "set_input_files",
    "input_value",
    "inner_text",
    "text_content",
    "get_attribute",
    "is_visible",
    "wait_for_selector",
)
CHECKED_AFTER = (
    "goto",
    "reload",
    "go_back",
    "wait_for_url",
    "wait_for_load_state",
    "content",
    "screenshot",
    *LOOKING,
)
LOCATOR_CHECKED_AFTER = (
    "wait_for",
    "count",
    *(name for name in LOOKING if name != "wait_for_selector"),
)

# Playwright's sync API runs an event loop in this thread; the ORM calls of the test
# itself (creating rows, checking them) are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


class AxeAudit:
    """The axe-core results of one test: every page checked, every serious finding."""

    def __init__(self):
        self.source = AXE.read_text(encoding="utf-8")
        self.checked: list[str] = []
        self.violations: list[str] = []
        self.unchecked: list[str] = []
        self.pages: list = []

    def watch_context(self, context):
        context.on("page", self.watch_page)
        for page in context.pages:
            self.watch_page(page)
        close = context.close

        @functools.wraps(close)
        def close_after_checks(*args, **kwargs):
            for page in context.pages:
                self.finish(page)
            return close(*args, **kwargs)

        context.close = close_after_checks
        new_page = context.new_page

        @functools.wraps(new_page)
        def new_watched_page(*args, **kwargs):
            page = new_page(*args, **kwargs)
            self.watch_page(page)
            return page

        context.new_page = new_watched_page
        return context

    def watch_page(self, page):
        if getattr(page, "_axe_watched", False):
            return
        page._axe_watched = True
        page._axe_pending = None  # the URL of a loaded document not yet checked
        self.pages.append(page)

        def navigated(frame):
            if frame == page.main_frame:
                if page._axe_pending and page._axe_pending != frame.url:
                    self.unchecked.append(page._axe_pending)
                page._axe_pending = frame.url

        page.on("framenavigated", navigated)
        for name in CHECKED_AFTER:
            method = getattr(page, name)

            def checked_after(*args, _method=method, _name=name, **kwargs):
                if _name in ("goto", "reload", "go_back") and page._axe_pending:
                    self.check(page)  # the page a click led to, before the test leaves it
                result = _method(*args, **kwargs)
                self.check(page)
                return result

            setattr(page, name, functools.wraps(method)(checked_after))

    def check(self, page, *, strict: bool = False) -> list[str]:
        """Run axe on the document in front of ``page`` (once per document)."""
        from playwright.sync_api import Error

        if page.is_closed() or page.url.startswith(("about:", "data:", "chrome-error:")):
            return []
        try:
            page.wait_for_load_state.__wrapped__("load")
            if page.evaluate("() => window.__axeChecked === true") and not strict:
                page._axe_pending = None
                return []
            if not page.evaluate("() => typeof window.axe === 'object'"):
                page.evaluate(self.source)
            results = page.evaluate(
                """async () => {
                    const results = await axe.run(document, {resultTypes: ['violations']});
                    window.__axeChecked = true;
                    return results.violations.map(v => ({
                        id: v.id, impact: v.impact, help: v.help,
                        targets: v.nodes.slice(0, 3).map(n => n.target.join(' ')),
                        count: v.nodes.length,
                    }));
                }"""
            )
        except Error as error:
            # The test moved on while the check ran: the next document is checked instead.
            if strict:
                raise
            if "context was destroyed" in str(error) or "navigation" in str(error).lower():
                return []
            raise
        url = page.url
        page._axe_pending = None
        self.checked.append(url)
        found = [
            f"{url}: [{v['impact']}] {v['id']} ({v['count']}×) {v['help']}"
            f" — {', '.join(v['targets'])}"
            for v in results
            if v["impact"] in BLOCKING_IMPACTS
        ]
        self.violations.extend(found)
        return found

    def finish(self, page):
        if not page.is_closed():
            self.check(page)
        if page._axe_pending:
            self.unchecked.append(page._axe_pending)
            page._axe_pending = None

    def report(self) -> str:
        lines = []
        if self.violations:
            lines.append(f"axe-core found {len(self.violations)} serious or critical violations:")
            lines.extend(f"  {line}" for line in self.violations)
        if self.unchecked:
            lines.append("Pages visited but never checked (call assert_accessible(page) there):")
            lines.extend(f"  {url}" for url in dict.fromkeys(self.unchecked))
        return "\n".join(lines)


_audit: AxeAudit | None = None


def assert_accessible(page) -> None:
    """Check the page in front of the test now (for a page the test clicks straight through)."""
    if _audit is None:
        raise RuntimeError("assert_accessible needs the e2e browser fixtures")
    found = _audit.check(page, strict=True)
    assert not found, "\n".join(found)


def _watch_locators(monkeypatch, audit):
    from playwright.sync_api import Locator

    for name in LOCATOR_CHECKED_AFTER:
        method = getattr(Locator, name)

        def checked_after(self, *args, _method=method, **kwargs):
            result = _method(self, *args, **kwargs)
            if getattr(self.page, "_axe_watched", False):
                audit.check(self.page)
            return result

        monkeypatch.setattr(Locator, name, functools.wraps(method)(checked_after))


@pytest.fixture(autouse=True)
def axe_audit(request, monkeypatch):
    """Every browser test: no serious or critical axe-core violation on any page it visits."""
    global _audit
    if "browser" not in request.fixturenames:
        yield None
        return
    _audit = AxeAudit()
    _watch_locators(monkeypatch, _audit)
    yield _audit
    audit, _audit = _audit, None
    for page in audit.pages:
        audit.finish(page)
    if os.environ.get("AXE_REPORT"):
        with open(os.environ["AXE_REPORT"], "a", encoding="utf-8") as out:
            out.write(f"## {request.node.nodeid}: {len(audit.checked)} pages checked\n")
            out.write(audit.report() + "\n")
    message = audit.report()
    if message:
        pytest.fail(message, pytrace=False)


class AuditedBrowser:
    """The browser, with every new context (and so every page) watched by axe_audit."""

    def __init__(self, browser):
        self._browser = browser

    def __getattr__(self, name):
        return getattr(self._browser, name)

    def new_context(self, *args, **kwargs):
        context = self._browser.new_context(*args, **kwargs)
        if _audit is not None:
            _audit.watch_context(context)
        return context

    def new_page(self, *args, **kwargs):
        page = self._browser.new_page(*args, **kwargs)
        if _audit is not None:
            _audit.watch_context(page.context)
        return page


@pytest.fixture(scope="session")
def _chromium():
    if not os.path.exists(CHROMIUM):
        if require_services():
            pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium fonts-noto-cjk")
        pytest.skip(f"{CHROMIUM} is missing")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()


@pytest.fixture
def browser(_chromium, axe_audit):
    return AuditedBrowser(_chromium)


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(locale="zh-CN", base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def screenshot(page, name: str) -> Path:
    """Keep a picture of the page in test-artifacts/ (for people reviewing a change)."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
