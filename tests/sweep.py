"""The authorization sweep's cases.

Every URL pattern of the portal (everything but the admin, allauth's account pages and
the language switch) must have a case here or in ``tests/<app>/sweep.py``::

    CASES = {
        "notifications:notification_read": Case(
            make=lambda cast: {"pk": NotificationFactory(user=cast.org_admin_a).pk},
            allowed={"org_admin_a"},
            method="post",
        ),
    }

``make(cast)`` creates the row the URL shows, owned by a persona, and returns the URL's
kwargs. ``allowed`` names the personas that may open it ("anonymous" for a public
page); every other persona must get 403 or 404 (or, when anonymous, a redirect to log
in): never the page.

The county official (an official whose account is limited to one county, ``COUNTY``)
is walked separately, over the pages an official opens: each has a
``CountyCase`` (``COUNTY_CASES`` here or in ``tests/<app>/sweep.py``) or is named in
``tests/test_authz_sweep.py``'s ``SAME_FOR_EVERY_OFFICIAL``::

    COUNTY_CASES = {
        "stations:completeness_station": CountyCase(
            make=lambda cast, official: (({"pk": ours.pk}, {}), ({"pk": theirs.pk}, {}))
        ),
    }
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

ALL_PERSONAS = frozenset(
    {
        "officer",
        "staff",
        "org_admin_a",
        "org_admin_b",
        "station_worker",
        "official",
        "expert",
        "applicant",
        "outsider",
    }
)
EVERYONE = ALL_PERSONAS | {"anonymous"}


@dataclass(frozen=True)
class Case:
    allowed: frozenset[str] | set[str]
    make: Callable = field(default=lambda cast: {})
    method: str = "get"
    data: dict = field(default_factory=dict)
    # Status codes that count as "allowed in": a page (200) or a form's redirect (302).
    ok: tuple[int, ...] = (200, 302)


# The county the sweep's county official is limited to (station B's, in the stations sweep).
COUNTY = "禹州市"


@dataclass(frozen=True)
class CountyCase:
    """A page as the county official gets it. ``make(cast, official)`` creates a row of the
    official's county and one of another county (``official.region`` is theirs) and returns
    ``(own, other)``, each ``(url kwargs, query)``: ``own`` must let them in, ``other`` must
    not (403 or 404). ``own`` is None for a page of the association's whole area, which an
    official limited to a county never gets."""

    make: Callable
    method: str = "get"
    ok: tuple[int, ...] = (200, 302)
