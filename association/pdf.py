"""PDF documents from Django templates, with WeasyPrint and the Noto CJK fonts.

Needs Debian's ``libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk``
(``make setup`` installs them as root). Templates use the ``pdf/base.html`` layout: the
page is ``lang="zh-CN"`` and its CSS names "Noto Sans CJK SC", so Chinese text is set in
the Simplified-Chinese font (never boxes, nor the Japanese forms a bare "zh" may pick);
every page carries the association's name in its running header and "第 X 页 共 Y 页" in
its footer (a certificate overrides the ``page_boxes`` block to print neither).
"""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from association.exports import association_name


def css_string(text: str) -> str:
    """``text`` as a CSS string literal (for ``content:`` in a page margin box)."""
    escaped = str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
    return f'"{escaped}"'


def page_counter_css() -> str:
    """The footer's ``content`` value: "第 " counter(page) " 页 共 " counter(pages) " 页"."""
    text = _("第 %(page)s 页 共 %(pages)s 页") % {"page": "\0page\0", "pages": "\0pages\0"}
    parts = []
    for index, piece in enumerate(text.split("\0")):
        if index % 2:
            parts.append(f"counter({piece})")
        elif piece:
            parts.append(css_string(piece))
    return " ".join(parts)


def render_pdf(template: str, context: dict, *, request=None) -> bytes:
    """``template`` rendered to PDF; ``context["running_title"]`` (optional) is printed at
    the top right of every page."""
    from weasyprint import HTML  # imported late: loading Pango costs ~0.3 s

    context = {
        "association_name": association_name(),
        "association_name_css": css_string(association_name()),
        "page_counter_css": page_counter_css(),
        "running_title_css": css_string(context.get("running_title", "")),
        **context,
    }
    html = render_to_string(template, context, request=request)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
