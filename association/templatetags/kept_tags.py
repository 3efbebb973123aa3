"""``{% kept_include "template.html" rows %}``: rows kept between requests rendered once."""

from __future__ import annotations

from django import template
from django.template.loader import render_to_string
from django.utils.translation import get_language

from association.kept import KeptRows

register = template.Library()


@register.simple_tag
def kept_include(template_name: str, rows):
    """``template_name`` rendered with ``rows`` alone (``{% include … with rows=rows only %}``).
    For :class:`~association.kept.KeptRows`, once per language while the rows are kept:
    the members overview's table of ~160 counties took 2.5 ms of every view to render at
    province scale. The template may depend on nothing but the rows and the language
    (numbers are localised by the language's format)."""
    if not isinstance(rows, KeptRows):
        return render_to_string(template_name, {"rows": rows})
    key = (template_name, get_language())
    html = rows.rendered.get(key)
    if html is None:
        html = rows.rendered[key] = render_to_string(template_name, {"rows": rows})
    return html
