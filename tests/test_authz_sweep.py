"""Walks every portal URL as every persona: nobody reaches what they may not see."""

from __future__ import annotations

import importlib
import pkgutil
from urllib.parse import urlencode

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

import tests

from .factories import NotificationFactory, UserFactory
from .sweep import ALL_PERSONAS, COUNTY, EVERYONE, Case, CountyCase

# Not the portal's own pages: the admin (staff only, behind TOTP, tested on its own),
# allauth's account pages (anyone's own account) and Django's language switch.
EXCLUDED_PREFIXES = (
    "admin:",
    "account_",
    "mfa_",
    "usersessions_",
    "set_language",
    "account_",
    "socialaccount_",
)

FOUNDATION_CASES = {
    "home": Case(allowed=EVERYONE),
    "health": Case(allowed=EVERYONE),
    "notifications:inbox": Case(allowed=ALL_PERSONAS),
    "notifications:notification_read_all": Case(allowed=ALL_PERSONAS, method="post"),
    "notifications:notification_read": Case(
        make=lambda cast: {"pk": NotificationFactory(user=cast.org_admin_a).pk},
        allowed={"org_admin_a"},
        method="post",
    ),
}


def app_sweeps():
    for module in pkgutil.iter_modules(tests.__path__):
        if not module.ispkg:
            continue
        try:
            yield importlib.import_module(f"tests.{module.name}.sweep")
        except ModuleNotFoundError:
            continue


def all_cases() -> dict[str, Case]:
    cases = dict(FOUNDATION_CASES)
    for app_sweep in app_sweeps():
        overlap = cases.keys() & app_sweep.CASES.keys()
        assert not overlap, f"sweep cases defined twice: {overlap}"
        cases.update(app_sweep.CASES)
    return cases


def portal_url_names(resolver=None, namespace="") -> set[str]:
    names = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= portal_url_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            name = f"{namespace}{pattern.name}"
            if not name.startswith(EXCLUDED_PREFIXES):
                names.add(name)
    return names


CASES = all_cases()


def test_it_has_a_case_for_every_portal_url():
    missing = portal_url_names() - CASES.keys()
    assert not missing, f"add these URLs to a sweep.py: {sorted(missing)}"


@pytest.mark.parametrize("url_name", sorted(CASES))
def test_it_lets_in_only_the_allowed_personas(url_name, cast, client_for):
    case = CASES[url_name]
    url = reverse(url_name, kwargs=case.make(cast))
    people = [("anonymous", None), *cast.items()]
    wrong = []
    for persona, user in people:
        client = client_for(user)
        response = getattr(client, case.method)(url, case.data)
        status = response.status_code
        if persona in case.allowed:
            if status not in case.ok:
                wrong.append(f"{persona} should get in but got {status}")
        elif persona == "anonymous":
            if not (
                status == 302 and "/accounts/login/" in response["Location"]
            ) and status not in (403, 404):
                wrong.append(f"anonymous got {status}")
        elif status not in (403, 404):
            wrong.append(f"{persona} should be kept out but got {status}")
    assert not wrong, f"{url_name} ({url}): " + "; ".join(wrong)


# --- the county official ------------------------------------------------------------------
#
# An official whose account is limited to a county (accounts.services.user_set_region;
# association/regions/scope.py) is walked over the pages an official opens, not over the
# whole sweep: on each region-scoped page their county's row lets them in and another
# county's is refused (403/404); a page of the association's whole area is refused.

OFFICIAL_PAGES = frozenset({"official", "officer", "staff"})


def _stations(cast, official):
    """Station A in 魏都区 (another county) and station B in 禹州市 (theirs)."""
    from tests.stations.sweep import stations

    theirs, ours = stations(cast)
    assert ours.region.parent_id == official.region_id and official.region.name == COUNTY
    return ours, theirs


def _by_region(cast, official):
    ours, theirs = _stations(cast, official)
    return ({}, {"region": ours.region.parent.code}), ({}, {"region": theirs.region.parent.code})


def _station(cast, official):
    ours, theirs = _stations(cast, official)
    return ({"pk": ours.pk}, {}), ({"pk": theirs.pk}, {})


def _runs(cast, official):
    """Their own run of a county report, and a run shared with every official (the
    association's whole area, as the scheduled runs are built)."""
    from association.accounts.choices import Role
    from tests.reports.factories import RunFactory

    own = RunFactory(requested_by=official)
    shared = RunFactory(requested_by=None, audience_role=Role.OFFICIAL)
    return ({"pk": own.pk}, {}), ({"pk": shared.pk}, {})


# The stations' and reports' county cases (they may move to those apps' sweep.py).
FOUNDATION_COUNTY_CASES = {
    "stations:dashboard": CountyCase(make=_by_region),
    "stations:completeness": CountyCase(make=_by_region),
    "stations:completeness_station": CountyCase(make=_station),
    # A county report runs for their county; a report of the whole area is not theirs.
    "reports:run_create": CountyCase(
        make=lambda cast, official: (
            ({"slug": "station-coverage"}, {}),
            ({"slug": "financial-statements"}, {}),
        )
    ),
    "reports:run_download": CountyCase(make=_runs),
}

# The pages an official opens that show no county's rows (or show them by another check),
# with why: every other official page needs a county case.
SAME_FOR_EVERY_OFFICIAL = {
    "reports:catalogue": "lists only the county reports to them (tests/regions/test_area.py)",
    "reports:run_detail": "a run's status and parameters; its file is run_download's",
    "reports:run_progress": "a run's status; its file is run_download's",
}


def all_county_cases() -> dict[str, CountyCase]:
    cases = dict(FOUNDATION_COUNTY_CASES)
    for app_sweep in app_sweeps():
        more = getattr(app_sweep, "COUNTY_CASES", {})
        overlap = cases.keys() & more.keys()
        assert not overlap, f"county cases defined twice: {overlap}"
        cases.update(more)
    return cases


COUNTY_CASES = all_county_cases()


@pytest.fixture
def county_official(cast):
    """An official of 禹州市 only (a persona of its own: the cast's official sees the area)."""
    from association.accounts.services import user_set_region
    from tests.members.factories import township

    official = UserFactory(display_name="禹州市民政局", roles=["民政部门"])
    user_set_region(user=official, region=township("颍川街道", COUNTY).parent, by=cast.staff)
    return official


def test_it_has_a_county_case_for_every_page_of_officials():
    pages = {
        name
        for name, case in CASES.items()
        if "official" in case.allowed and case.allowed <= OFFICIAL_PAGES
    }
    missing = pages - COUNTY_CASES.keys() - SAME_FOR_EVERY_OFFICIAL.keys()
    assert not missing, f"add a CountyCase (tests/sweep.py) for: {sorted(missing)}"
    stale = (COUNTY_CASES.keys() | SAME_FOR_EVERY_OFFICIAL.keys()) - CASES.keys()
    assert not stale, f"county cases of no sweep case: {sorted(stale)}"


@pytest.mark.parametrize("url_name", sorted(COUNTY_CASES))
def test_a_county_official_gets_their_county_and_no_other(
    url_name, cast, county_official, client_for
):
    case = COUNTY_CASES[url_name]
    own, other = case.make(cast, county_official)
    client = client_for(county_official)
    wrong = []
    for target, allowed in ((own, True), (other, False)):
        if target is None:
            continue
        kwargs, query = target
        url = reverse(url_name, kwargs=kwargs) + (f"?{urlencode(query)}" if query else "")
        status = getattr(client, case.method)(url).status_code
        if allowed and status not in case.ok:
            wrong.append(f"their county's {url} got {status}")
        if not allowed and status not in (403, 404):
            wrong.append(f"{'another county' if own else 'the whole area'}: {url} got {status}")
    assert not wrong, f"{url_name}: " + "; ".join(wrong)
