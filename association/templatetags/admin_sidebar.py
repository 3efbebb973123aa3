"""The admin's sidebar, rendered once for each list of apps, language and current page.

Every admin page renders the sidebar of the apps and models the user may open
(Django's admin/nav_sidebar.html and admin/app_list.html): 77 models through the template
engine, three ``request.path|urlencode`` a model, 13–15 ms of each page at province scale
(docs/performance.md, seventh round). What the sidebar shows depends only on what
:func:`_key` holds: the active language, each app's and model's name, label and links
(from ``available_apps``, built for the user on each request, so a change of permission
changes the key), and which of those links the current path contains. The HTML is
Django's templates' own, rendered on the first page with that key and kept (at most
:data:`KEPT` of them, the least recently used dropped first).

tests/test_admin_site.py compares the kept HTML with the templates' for several users,
pages and languages.
"""

from __future__ import annotations

from urllib.parse import quote

from django import template
from django.template.loader import get_template
from django.utils.translation import get_language

from association.kept import Kept

register = template.Library()

KEPT = 64  # each about 50 KB (a superuser's 77 models): a few MB a worker at most
_kept = Kept(KEPT)


def _key(apps, path):
    # as the template's ``request.path|urlencode`` (``quote(path, safe="/")``)
    encoded = quote(path, safe="/")
    listed = []
    for app in apps:
        models = tuple(
            (
                str(model["name"]),
                model["object_name"],
                model.get("admin_url"),
                model.get("add_url"),
                bool(model.get("admin_url")) and model["admin_url"] in encoded,
            )
            for model in app["models"]
        )
        url = app["app_url"]
        listed.append((str(app["name"]), app["app_label"], url, url in encoded, models))
    return get_language(), tuple(listed)


@register.simple_tag(takes_context=True)
def nav_sidebar(context):
    """Django's admin/nav_sidebar.html for this page."""
    apps = context.get("available_apps") or []
    request = context["request"]
    key = _key(apps, request.path)
    # rendered in this page's context, as Django's {% include %} does: not a copy of it
    # with the context processors run again; the template is looked up only when rendered
    return _kept.get(key, lambda: get_template("admin/nav_sidebar.html").template.render(context))
