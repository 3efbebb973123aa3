"""Absolute query budgets of the busiest pages: a new query on one of them shows here.

The ``assert_constant_queries`` tests of each app prove that a page does not grow with its
rows; these pin the number itself, on a small dataset built by the benchmark's generator
(bench/generate.py, tiny scale: 5 stations, 30 social workers with memberships and dues,
3 months of reports). When a change adds or removes a query on purpose, change the page's
number below in the same commit, and say why in its message.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from .test_bench_generate import _generate_module

# page → (persona, url; {station} is a station of the dataset) and its budget, in queries.
PAGES = {
    "home, staff": ("staff", "/"),
    "home, station worker": ("station_worker", "/"),
    "home, organisation admin": ("org_admin_a", "/"),
    "members overview": ("staff", "/members/overview/"),
    "memberships list": ("staff", "/members/memberships/"),
    "stations list": ("staff", "/stations/"),
    "station detail": ("staff", "/stations/{station}/"),
    "station's monthly reports": ("staff", "/stations/{station}/reports/"),
    "coverage dashboard, staff": ("staff", "/stations/dashboard/"),
    "coverage dashboard, official": ("official", "/stations/dashboard/"),
    "report review queue": ("staff", "/stations/review/"),
    "reports catalogue": ("staff", "/reports/"),
    "admin memberships": ("staff", "/admin/members/membership/"),
    "admin memberships, current": ("staff", "/admin/members/membership/?standing=current"),
    "admin monthly reports": ("staff", "/admin/stations/servicereport/"),
}
BUDGETS = {
    # The home pages run every app's to-do queries as one statement (association/todo.py:
    # session, user, roles, the to-do, the menu; tests/test_todo.py holds it constant). 22, 19
    # and 20 when each app ran its own (13 to 17 aggregates), 10, 13 and 13 before the to-do
    # list. The portal's menu asks every app's facts about the user in one query
    # (association/navigation.py ``user_facts``) instead of one or two per app: 5 to 8
    # queries fewer on every portal page (home 27, 27, 27 before it).
    "home, staff": 5,
    "home, station worker": 5,
    "home, organisation admin": 6,
    # 14 before the menu's facts in one query, 9 before the workers by county and by
    # qualification came from one grouped query; 8 before the standing was summed from its
    # kept changes (the marks taken, then the sum: members/services/standing.py)
    "members overview": 9,
    "memberships list": 7,  # 12 before the menu's facts in one query, as below
    "stations list": 7,
    # Whether the user writes the station's reports: one query for both ways (16 and 8
    # before); the months missing read the status history the page has already (15 before)
    "station detail": 14,
    "station's monthly reports": 7,
    # 20 and 23 before the menu's facts; 15 and 15 before the month's rates by area and their
    # total came from one grouped query
    "coverage dashboard, staff": 14,
    "coverage dashboard, official": 14,
    "report review queue": 6,
    "reports catalogue": 5,
    # The admin's pages no longer build the portal's menu they do not show (6 queries), nor
    # count the whole table a second time; the memberships' year filter replaces the date
    # hierarchy's two queries, the reports' one its DISTINCT with a MIN and MAX (was 16,
    # 16, 17). The user's permissions come from one query, not Django's two
    # (association/accounts/backends.py: 7, 7 and 8 before).
    "admin memberships": 6,
    "admin memberships, current": 6,
    "admin monthly reports": 7,
}


@pytest.fixture
def dataset(db, cast):
    import io

    from association.regions.services import regions_load
    from members.models import OrganisationAdmin
    from stations.models import StaffAssignment, Station

    from .test_bench_generate import XUCHANG

    regions_load(XUCHANG.read_text(encoding="utf-8"), source="test")
    _generate_module().generate("tiny", seed=7, out=io.StringIO())
    station = Station.objects.order_by("region__code").first()
    worker = StaffAssignment.objects.filter(station=station).first().worker
    worker.user = cast.station_worker
    worker.save()
    OrganisationAdmin.objects.create(organisation=station.operator, user=cast.org_admin_a)
    return {"station": station.pk}


def test_it_keeps_every_busy_page_within_its_query_budget(dataset, cast, client_for):
    assert PAGES.keys() == BUDGETS.keys()
    clients = {}
    report = []
    for page, (persona, url) in PAGES.items():
        client = clients.setdefault(persona, client_for(getattr(cast, persona)))
        url = url.format(**dataset)
        assert client.get(url).status_code == 200, (page, url)  # warm caches and sessions
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, (page, url)
        if len(queries) != BUDGETS[page]:
            report.append(
                f"{page!r}: {len(queries)} queries, budget {BUDGETS[page]}\n  "
                + "\n  ".join(q["sql"][:160] for q in queries.captured_queries)
            )
    assert not report, "\n".join(report)
