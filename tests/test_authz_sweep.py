"""Walks every portal URL as every persona: nobody reaches what they may not see."""

from __future__ import annotations

import importlib
import pkgutil

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

import tests

from .factories import NotificationFactory
from .sweep import ALL_PERSONAS, EVERYONE, Case

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


def all_cases() -> dict[str, Case]:
    cases = dict(FOUNDATION_CASES)
    for module in pkgutil.iter_modules(tests.__path__):
        if not module.ispkg:
            continue
        try:
            app_sweep = importlib.import_module(f"tests.{module.name}.sweep")
        except ModuleNotFoundError:
            continue
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
