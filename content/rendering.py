"""Markdown written by staff, rendered with Python-Markdown and sanitised with nh3.

Staff are trusted to write, not to run script in visitors' browsers: whatever HTML the
Markdown holds (raw tags pass through Python-Markdown) goes through nh3's allow-list, so
``<script>``, ``on*`` handlers and ``javascript:`` URLs never reach a page.
"""

from __future__ import annotations

import re

import markdown
import nh3
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify

TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "del", "em", "h2", "h3", "h4",
    "h5", "h6", "hr", "i", "img", "li", "ol", "p", "pre", "strong", "sub", "sup", "table",
    "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
}  # fmt: skip
ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "td": {"align"},
    "th": {"align"},
    "abbr": {"title"},
}
URL_SCHEMES = {"http", "https", "mailto"}


def render_markdown(text: str) -> SafeString:
    html = markdown.markdown(text or "", extensions=["tables", "sane_lists"])
    clean = nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(clean)  # noqa: S308  (sanitised by nh3 just above)


def plain_text(text: str, limit: int = 160) -> str:
    """The Markdown as plain text (the feed's summary, Open Graph's description)."""
    html = render_markdown(text)
    flat = re.sub(r"\s+", " ", nh3.clean(str(html), tags=set())).strip()
    return flat[:limit]


def make_slug(article) -> str:
    """A readable, unique URL name: the title's words (Chinese kept), else the kind and date."""
    from .models import Article

    base = slugify(article.title, allow_unicode=True)[:80] or (
        f"{article.kind}-{timezone.localdate():%Y%m%d}"
    )
    slug, n = base, 1
    while Article.objects.filter(slug=slug).exclude(pk=article.pk).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug
