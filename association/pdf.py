"""PDF documents from Django templates, with WeasyPrint and the Noto CJK fonts.

Needs Debian's ``libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk``
(``make setup`` installs them as root). Templates use the ``pdf/base.html`` layout,
whose CSS names "Noto Sans CJK SC" so Chinese text is embedded, never shown as boxes.
"""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string


def render_pdf(template: str, context: dict, *, request=None) -> bytes:
    from weasyprint import HTML  # imported late: loading Pango costs ~0.3 s

    html = render_to_string(template, context, request=request)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
