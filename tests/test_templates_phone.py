"""Every table of the portal scrolls sideways inside its own box on a phone
(``<div class="table-responsive">``, static/css/portal.css) instead of widening the page:
a table added without one shows here, not on a member's phone."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ["association", "members", "stations", "projects", "content", "templates"]
# Printed documents (WeasyPrint) and the admin's own pages are laid out for paper and the
# desktop; the statement's table is shared with its PDF, and its page wraps the include.
EXEMPT = re.compile(r"/(pdf|admin)/|/_statement_table\.html$")
WRAPPED = re.compile(r'<div class="table-responsive[^"]*">\s*$')


def portal_templates():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.html")):
            relative = path.relative_to(ROOT).as_posix()
            if "templates" in path.parts and not EXEMPT.search("/" + relative):
                yield relative, path.read_text(encoding="utf-8")


def test_every_portal_table_scrolls_inside_its_box():
    unwrapped = []
    for relative, text in portal_templates():
        for match in re.finditer(r"<table\b", text):
            if not WRAPPED.search(text[max(0, match.start() - 120) : match.start()]):
                line = text.count("\n", 0, match.start()) + 1
                unwrapped.append(f"{relative}:{line}")
    assert unwrapped == []


def test_the_statement_page_wraps_its_shared_table():
    page = (ROOT / "association/finance/templates/finance/statement.html").read_text()
    assert '<div class="table-responsive">{% include "finance/_statement_table.html" %}' in page


# A date in a table cell ("2026-11-29"): at a desktop's width the browser broke it at its
# hyphens when a wide column took the room ("2026-11-" above "29"), so every cell that shows
# one keeps it on a line (Bootstrap's text-nowrap on the cell, or on the date's own element
# where a cell holds two, "from — to", which may break between them).
DATE_IN_CELL = re.compile(r"\{\{[^{}]*\|date:\s*['\"][^'\"]*-[^'\"]*['\"][^{}]*\}\}")
OPENING_TAG = re.compile(r"<(\w+)\b[^>]*>")


def test_a_date_in_a_table_cell_keeps_one_line():
    breakable = []
    for relative, text in portal_templates():
        for match in DATE_IN_CELL.finditer(text):
            cell = text.rfind("<td", 0, match.start())
            if cell < 0 or "</td>" in text[cell : match.start()]:
                continue  # not in a table cell
            if text.rfind("<", 0, match.start()) > text.rfind(">", 0, match.start()):
                continue  # in an attribute (a link's query string), not shown
            tags = list(OPENING_TAG.finditer(text, cell, match.start()))
            if not any("text-nowrap" in tag.group(0) for tag in (tags[0], tags[-1])):
                line = text.count("\n", 0, match.start()) + 1
                breakable.append(f"{relative}:{line} {match.group(0)}")
    assert breakable == []
