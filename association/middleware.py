"""Responses that carry personal data stay out of every cache.

A page shown to a signed-in user (a member's record, a worker's ID number once revealed,
a referral, an admin change list, a private file) must not be kept by a shared proxy or
the browser's back-forward cache of a shared computer: every response to a request that
has a session gets ``Cache-Control: no-store, private`` (Django's ``never_cache``).
A view that shows personal data to an anonymous visitor (an application form, a link
with a token) is marked with ``never_cache`` itself. Static files (served by WhiteNoise,
before this middleware) and anonymous public pages stay cacheable.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.cache import add_never_cache_headers


class PrivateResponsesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # A view that already forbids storing (a private file download) keeps its header.
        if "no-store" not in response.get("Cache-Control", "") and is_private(request, response):
            add_never_cache_headers(response)
        return response


def is_private(request, response) -> bool:
    """Whether the response may depend on who asked: a session cookie came in or goes out,
    or the user was loaded and is signed in. Never queries the database (the response
    may be the one saying the database is down)."""
    cookie = settings.SESSION_COOKIE_NAME
    if cookie in request.COOKIES or cookie in response.cookies:
        return True
    user = getattr(request, "_cached_user", None)  # set once AuthenticationMiddleware loads it
    return bool(user is not None and user.is_authenticated)
