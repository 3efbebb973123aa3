"""``{% kept_include %}`` (association/templatetags/kept_tags.py): rows kept between requests
are rendered once a language, as the template renders them; other rows each time. The
members overview's table by county is rendered with it, and shows a change of the register
at the next view."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from association.kept import KeptRows

ROWS = "members/includes/county_rows.html"
TAG = Template('{% load kept_tags %}{% kept_include "' + ROWS + '" rows %}')
LOOP = Template(
    "{% for county, orgs, workers, certified in rows %}<tr><td>{{ county }}</td>"
    '<td class="text-end">{{ orgs }}</td><td class="text-end">{{ workers }}</td>'
    '<td class="text-end">{{ certified }}</td></tr>{% endfor %}'
)


def _rows():
    return [("东城区<b>", 3, 12345, 6789), ("—", 0, 0, 0)]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_kept_rows_render_as_the_loop_does(settings, language):
    settings.USE_THOUSAND_SEPARATOR = True  # the numbers as the language writes them
    with translation.override(language):
        kept = TAG.render(Context({"rows": KeptRows(_rows())}))
        assert kept == LOOP.render(Context({"rows": _rows()}))
    assert "东城区&lt;b&gt;" in kept


def test_kept_rows_are_rendered_once_a_language_and_other_rows_each_time():
    kept, plain = KeptRows(_rows()), _rows()
    with translation.override("zh-hans"):
        first = TAG.render(Context({"rows": kept}))
        kept.append(("西城区", 1, 1, 1))  # never done to shared rows: shows what is reused
        plain.append(("西城区", 1, 1, 1))
        assert TAG.render(Context({"rows": kept})) == first
        assert "西城区" in TAG.render(Context({"rows": plain}))
    with translation.override("en"):
        assert "西城区" in TAG.render(Context({"rows": kept}))


def test_the_overview_shows_a_new_county_at_the_next_view(cast, client):
    from association.regions.choices import Kind, Level
    from members.models import Organisation
    from tests.factories import RegionFactory

    from .members.factories import OrganisationFactory, SocialWorkerFactory

    client.force_login(cast.staff)
    url = reverse("members:overview")
    assert client.get(url).status_code == 200
    city = RegionFactory(code="419900000000", name="测试市", level=Level.CITY, kind=Kind.CITY)
    county = RegionFactory(code="419901000000", name="测试新县", level=Level.COUNTY, parent=city)
    SocialWorkerFactory(employer=OrganisationFactory(region=county))
    assert "测试新县" in client.get(url).content.decode()
    Organisation.objects.filter(region=county).update(region=city)
    assert "测试新县" not in client.get(url).content.decode()
