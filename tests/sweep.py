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
