"""Which part of the association's area a reader is limited to.

The association's own area is ``settings.ASSOCIATION_REGION``
(:meth:`~association.regions.models.RegionQuerySet.association_area`). A civil-affairs
official may be limited to a part of it by the region on their account
(``accounts.User.region``, set by :func:`association.accounts.services.user_set_region`): a
county official sees the county and nothing else; an official with no region, or with the
city itself, sees the whole area.

A report is built in the background, away from the request: the build runs inside
:func:`limited_to` with the requester's region, and the selectors that take ``region=None``
("the association's area") read :func:`current` instead.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings

from .models import code_variants

_current: ContextVar = ContextVar("association_region_scope", default=None)


def region_of(user):
    """The region ``user`` is limited to, or None when they see the association's whole
    area (no region on the account, or the association's own region)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    if not getattr(user, "region_id", None):
        return None
    region = user.region
    if region.code in code_variants(settings.ASSOCIATION_REGION):
        return None
    return region


def current():
    """The region the report being built is limited to (None: the association's area)."""
    return _current.get()


@contextmanager
def limited_to(region):
    """Count only ``region`` (None: the association's area) in the selectors inside."""
    token = _current.set(region)
    try:
        yield
    finally:
        _current.reset(token)
