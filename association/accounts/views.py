"""Enrolling a first authenticator: only with a grant from outside the password."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from association.crypto import mask

from . import services
from .forms import EnrolmentCodeForm


def _next(request) -> str | None:
    url = request.GET.get("next") or request.POST.get("next")
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}):
        return url
    return None


def _masked_email(email: str) -> str:
    local, _at, domain = email.partition("@")
    return f"{mask(local, keep_start=2, keep_end=0)}@{domain}"


def _to_activation(request):
    next_url = _next(request)
    query = f"?{urlencode({'next': next_url})}" if next_url else ""
    return redirect(reverse("mfa_activate_totp") + query)


@login_required
@require_http_methods(["GET", "POST"])
def mfa_enrol(request):
    user = request.user
    if not services.requires_mfa(user):
        raise PermissionDenied
    if services.has_authenticator(user):
        return redirect("mfa_index")
    code_form = EnrolmentCodeForm(request.POST if request.POST.get("action") == "code" else None)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "email":
                services.enrolment_link_send(user=user, request=request)
                messages.success(
                    request, _("启用链接已发送到您的邮箱，30 分钟内有效，请在本浏览器中打开。")
                )
                return redirect(request.get_full_path())
            if code_form.is_valid():
                services.enrolment_grant_redeem(
                    request=request, secret=code_form.cleaned_data["code"]
                )
                return _to_activation(request)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
    email = services.verified_email(user)
    return render(
        request,
        "accounts/mfa_enrol.html",
        {
            "code_form": code_form,
            "masked_email": _masked_email(email) if email else None,
            "next": _next(request),
        },
    )


@login_required
@require_http_methods(["GET"])
def mfa_enrol_link(request, secret: str):
    if not services.requires_mfa(request.user):
        raise PermissionDenied
    try:
        services.enrolment_grant_redeem(request=request, secret=secret)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("accounts:mfa_enrol")
    return _to_activation(request)
