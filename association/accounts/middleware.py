"""Staff, officers and experts work only in a session that completed a second factor.

Every page and action of theirs — the admin, the portal's staff pages, a revealed ID
number, a referral, a finance or recruitment action — is behind this one check, so a new
page cannot forget it. Until the session has a second factor on record, such a user
reaches only the pages that finish it: enrolment with a grant (accounts/services.py),
allauth's re-authentication, log-out, the language switch and static files.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _

from .services import (
    enrolment_complete,
    has_authenticator,
    requires_mfa,
    session_grant,
    session_has_mfa,
)


class StaffMFAMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self._open = None

    def open_prefixes(self) -> tuple[str, ...]:
        """Paths a user still without a second factor may reach."""
        if self._open is None:
            self._open = (
                reverse("accounts:mfa_enrol"),  # also the link and code pages below it
                reverse("mfa_reauthenticate"),
                reverse(
                    "account_reauthenticate"
                ),  # allauth asks for the password again before enrolment
                reverse("mfa_authenticate"),
                reverse("account_logout"),
                reverse("set_language"),
                reverse("health"),
                "/" + settings.STATIC_URL.lstrip("/"),
            )
        return self._open

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not requires_mfa(user) or session_has_mfa(request):
            return self.get_response(request)
        # The pages below finish the second factor: their menu offers only log-out.
        request.second_factor_pending = True
        path = request.path
        if path.startswith(self.open_prefixes()):
            return self.get_response(request)
        if path == reverse("mfa_activate_totp") and session_grant(request) is not None:
            response = self.get_response(request)
            if request.method == "POST":
                # Activated under a grant: the grant is spent and the session has both factors.
                enrolment_complete(request=request)
            return response
        if request.headers.get("HX-Request") or request.method not in ("GET", "HEAD"):
            return redirect_to_second_factor(request, user, next_url=None)
        return redirect_to_second_factor(request, user, next_url=request.get_full_path())


def redirect_to_second_factor(request, user, *, next_url):
    if next_url and not url_has_allowed_host_and_scheme(next_url, allowed_hosts=None):
        next_url = None
    query = f"?{urlencode({'next': next_url})}" if next_url else ""
    if has_authenticator(user):
        messages.info(request, _("请先输入验证器中的动态码，完成两步验证。"))
        return redirect(reverse("mfa_reauthenticate") + query)
    messages.warning(request, _("协会工作人员、负责人和专家须先设置两步验证，方可使用本系统。"))
    return redirect(reverse("accounts:mfa_enrol") + query)
