"""The coverage dashboard with a whole country's township table loaded: the default view
renders the association's area only (ASSOCIATION_REGION), in the same number of queries
as with the 103 townships of 许昌 alone; other areas are reached by drilling down."""

from __future__ import annotations

import time

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from association.regions.models import Region
from association.regions.services import regions_load

from .factories import StationFactory

pytestmark = pytest.mark.django_db
XUCHANG = settings.BASE_DIR / "association" / "regions" / "data" / "xuchang_townships.csv"


def load_country(cities=100, counties=30, townships=13):
    """``cities × counties × townships`` synthetic townships (39,000 by default) in bulk,
    under codes 9CCCKK / 9CCCKKTTT that no real division uses."""
    table = Region._meta.db_table
    with connection.cursor() as cursor:
        # No history rows for synthetic data (the pghistory triggers would write 39,000):
        # triggers off for these inserts only, in the test's transaction, so each row's
        # ancestry is written here as the regions' trigger would (Region.ancestry).
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(
            f"""
            INSERT INTO {table} (code, name, level, kind, parent_id, source, updated_at, ancestry)
            SELECT code, '测试市' || c, 'city', '市', NULL, '测试', now(), ARRAY[code]
            FROM generate_series(1, %s) AS c, LATERAL (SELECT '9' || lpad(c::text, 3, '0') || '00')
                AS made(code)
            """,  # noqa: S608 - a table name
            [cities],
        )
        cursor.execute(
            f"""
            INSERT INTO {table} (code, name, level, kind, parent_id, source, updated_at, ancestry)
            SELECT made.code, city.name || '测试县' || k, 'county', '县', city.id, '测试', now(),
                   city.ancestry || made.code
            FROM {table} AS city, generate_series(1, %s) AS k,
                LATERAL (SELECT left(city.code, 4) || lpad(k::text, 2, '0')) AS made(code)
            WHERE city.level = 'city' AND city.code LIKE '9%%'
            """,  # noqa: S608
            [counties],
        )
        cursor.execute(
            f"""
            INSERT INTO {table} (code, name, level, kind, parent_id, source, updated_at, ancestry)
            SELECT made.code, county.name || '测试镇' || t, 'township', '镇', county.id, '测试',
                   now(), county.ancestry || made.code
            FROM {table} AS county, generate_series(1, %s) AS t,
                LATERAL (SELECT county.code || lpad(t::text, 3, '0')) AS made(code)
            WHERE county.level = 'county' AND county.code LIKE '9%%'
            """,  # noqa: S608
            [townships],
        )
        cursor.execute("SET LOCAL session_replication_role = origin")
    # Some stations out there too, so that nothing is counted by luck.
    for code in ("900101001", "905030013", "910015007"):
        StationFactory(region=Region.objects.get(code=code))


def test_the_dashboard_costs_the_same_with_38000_townships_as_with_103(cast, client_for):
    regions_load(XUCHANG.read_text(encoding="utf-8"), source="Xzqh20251231")
    for code in ("411002001", "411003100", "411081001"):
        StationFactory(region=Region.objects.get(code=code))
    client = client_for(cast.staff)
    url = reverse("stations:dashboard") + "?month=2026-01"
    client.get(url)  # warm the caches (content types, session)

    def measure():
        with CaptureQueriesContext(connection) as queries:
            started = time.monotonic()
            response = client.get(url)
            elapsed = time.monotonic() - started
        assert response.status_code == 200
        return len(queries), response.content.decode(), elapsed

    few, html, _elapsed = measure()
    assert "3 / 103" in html
    load_country()
    assert Region.objects.townships().count() > 38_000
    many, html, _elapsed = measure()
    assert many == few
    assert "3 / 103" in html and "测试市" not in html and "测试县" not in html
    # Drilling down stays within the association's area.
    county = client.get(reverse("stations:dashboard"), {"region": "411081", "month": "2026-01"})
    assert county.status_code == 200 and "颍川街道" in county.content.decode()
    other = client.get(reverse("stations:dashboard"), {"region": "900101"})
    assert other.status_code == 404
