"""Court referrals on the portal. A referral's page, PDF and letter open only to its
designated officer and the experts who accepted an assignment, sealed or not
(``projects.permissions``, through ``selectors.referral_get_for_user``); everyone else
gets 404, and the staff's list shows them counts. Every read is written to the access
log with its ground; a sealed referral opens only after its reader gives a reason (kept
for a short window in the session and repeated in the log entry of each read)."""

from __future__ import annotations

import time

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from association.accounts.roles import is_association_staff, require, require_staff
from association.exports import download_name
from association.files import private_file_response
from association.web import form_errors, paginate, show_errors

from .. import documents, selectors, services
from ..choices import ExpertDomain, ReferralService, ReferralStatus
from ..filters import ExpertFilter, chosen
from ..forms import (
    CloseForm,
    ConsentForm,
    ReferralForm,
    ReportForm,
    SealedReasonForm,
    SessionForm,
)
from ..models import Expert, InvestigationReport
from ..permissions import (
    can_manage_referral,
    can_read_referral_personal_data,
    can_see_referral_list,
    writes_investigation_report,
)
from .common import PER_PAGE, pdf_response

REASON_SECONDS = 15 * 60


def _session_key(pk: int) -> str:
    return f"projects:sealed-reason:{pk}"


def _reason(request, referral) -> str | None:
    """The reason given for this sealed referral in the last 15 minutes, if any."""
    stored = request.session.get(_session_key(referral.pk))
    if stored and stored.get("until", 0) > time.time():
        return stored["reason"]
    return None


def _read(request, pk: int, action: str = "view_referral", check=None):
    """The referral if the user may see it (404 otherwise), passes ``check`` (403) and,
    when sealed, has given a reason; the read is logged. Returns (referral, None), or
    (referral, reason_form) when a reason is due and nothing was read."""
    referral = selectors.referral_get_for_user(user=request.user, pk=pk)
    if check is not None:
        require(check(referral))
    reason = ""
    if referral.sealed:
        reason = _reason(request, referral)
        if reason is None:
            return referral, SealedReasonForm()
    services.record_read(
        referral=referral, user=request.user, reason=reason, request=request, action=action
    )
    return referral, None


def _ask_reason(request, referral, form):
    return render(
        request, "projects/referral_reason.html", {"referral": referral, "form": form}, status=200
    )


@login_required
def referral_list(request: HttpRequest) -> HttpResponse:
    """The referrals the user may read; to other staff, the counts by status."""
    require(can_see_referral_list(request.user))
    staff = is_association_staff(request.user)
    counts = None
    if staff:
        counts = selectors.referral_counts()
        counts["by_status"] = [
            (label, counts["by_status"].get(value, 0))
            for value, label in ReferralStatus.choices
            if counts["by_status"].get(value)
        ]
    return render(
        request,
        "projects/referral_list.html",
        {
            "page": paginate(request, selectors.referral_list(user=request.user), PER_PAGE),
            "staff": staff,
            "counts": counts,
        },
    )


@login_required
@never_cache
def referral_create(request: HttpRequest) -> HttpResponse:
    require_staff(request.user)
    form = ReferralForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            referral = services.referral_register(referral=form.save(commit=False), by=request.user)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("转介已登记，编号 %(ref)s。") % {"ref": referral.reference})
            if can_read_referral_personal_data(request.user, referral):
                return redirect("projects:referral_detail", pk=referral.pk)
            return redirect("projects:referral_list")
    return render(request, "projects/referral_create.html", {"form": form})


@login_required
@never_cache
def referral_detail(request: HttpRequest, pk: int) -> HttpResponse:
    referral = selectors.referral_get_for_user(user=request.user, pk=pk)
    if referral.sealed and request.method == "POST" and "reason" in request.POST:
        form = SealedReasonForm(request.POST)
        if not form.is_valid():
            return _ask_reason(request, referral, form)
        request.session[_session_key(pk)] = {
            "reason": form.cleaned_data["reason"],
            "until": time.time() + REASON_SECONDS,
        }
        return redirect("projects:referral_detail", pk=pk)
    referral, reason_form = _read(request, pk)
    if reason_form is not None:
        return _ask_reason(request, referral, reason_form)
    manager = can_manage_referral(request.user, referral)
    mine = referral.assignments.filter(expert__user=request.user).select_related("expert")
    report = InvestigationReport.objects.filter(referral=referral).first()
    return render(
        request,
        "projects/referral_detail.html",
        {
            "referral": referral,
            "manager": manager,
            "assignments": referral.assignments.select_related("expert", "expert__county"),
            "my_assignments": mine,
            "consents": referral.consents.all(),
            "sessions": referral.sessions.select_related("assignment__expert"),
            "report": report,
            "writes_report": writes_investigation_report(request.user, referral),
            "consent_form": ConsentForm(),
            "session_form": SessionForm(initial={"date": timezone.localdate()}),
            "close_form": CloseForm(),
        },
    )


@login_required
def referral_letter(request: HttpRequest, pk: int) -> HttpResponse:
    referral, reason_form = _read(request, pk, action="download_commission_letter")
    if reason_form is not None:
        return redirect("projects:referral_detail", pk=pk)
    return private_file_response(referral.commission_letter)


def _managed(request, pk):
    referral, reason_form = _read(
        request, pk, action="manage_referral", check=lambda r: can_manage_referral(request.user, r)
    )
    return None if reason_form is not None else referral


@login_required
@never_cache
def referral_assign(request: HttpRequest, pk: int) -> HttpResponse:
    referral = _managed(request, pk)
    if referral is None:
        return redirect("projects:referral_detail", pk=pk)
    if request.method == "POST":
        expert = get_object_or_404(Expert, pk=request.POST.get("expert"))
        try:
            services.assignment_create(
                referral=referral,
                expert=expert,
                service=request.POST.get("service", ""),
                by=request.user,
            )
        except ValidationError as error:
            show_errors(request, error)
        else:
            messages.success(request, _("已指派，等待专家确认。"))
        return redirect("projects:referral_assign", pk=pk)
    suggestions = [
        (
            ReferralService(service),
            list(selectors.experts_suggest(referral=referral, service=service)),
        )
        for service in referral.services
    ]
    return render(
        request,
        "projects/referral_assign.html",
        {
            "referral": referral,
            "suggestions": suggestions,
            "assignments": referral.assignments.select_related("expert"),
        },
    )


def _post_action(request, pk, call, success):
    try:
        call()
    except ValidationError as error:
        show_errors(request, error)
    else:
        messages.success(request, success)
    return redirect("projects:referral_detail", pk=pk)


@login_required
@require_POST
def referral_seal(request: HttpRequest, pk: int) -> HttpResponse:
    referral = _managed(request, pk)
    if referral is None:
        return redirect("projects:referral_detail", pk=pk)
    sealed = request.POST.get("sealed") == "1"
    return _post_action(
        request,
        pk,
        lambda: services.referral_seal(referral=referral, by=request.user, sealed=sealed),
        _("已封存。") if sealed else _("已解除封存。"),
    )


@login_required
@require_POST
def consent_create(request: HttpRequest, pk: int) -> HttpResponse:
    referral, reason_form = _read(request, pk)
    if reason_form is not None:
        return redirect("projects:referral_detail", pk=pk)
    form = ConsentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("请完整填写知情同意记录。"))
        return redirect("projects:referral_detail", pk=pk)
    try:
        services.consent_record(consent=form.save(commit=False), referral=referral, by=request.user)
    except ValidationError as error:
        show_errors(request, error)
    else:
        messages.success(request, _("知情同意已登记。"))
    return redirect("projects:referral_detail", pk=pk)


@login_required
@require_POST
def referral_close(request: HttpRequest, pk: int) -> HttpResponse:
    referral = _managed(request, pk)
    if referral is None:
        return redirect("projects:referral_detail", pk=pk)
    return _post_action(
        request,
        pk,
        lambda: services.referral_close(
            referral=referral, by=request.user, note=request.POST.get("closure_note", "")
        ),
        _("已结案。"),
    )


@login_required
@require_POST
def report_deliver(request: HttpRequest, pk: int) -> HttpResponse:
    referral = _managed(request, pk)
    if referral is None:
        return redirect("projects:referral_detail", pk=pk)
    on = parse_date(request.POST.get("delivered_on") or "") or timezone.localdate()
    return _post_action(
        request,
        pk,
        lambda: services.report_deliver(referral=referral, by=request.user, on=on),
        _("报告已登记送达。"),
    )


@login_required
@never_cache
def report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    referral, reason_form = _read(
        request,
        pk,
        action="edit_investigation_report",
        check=lambda r: writes_investigation_report(request.user, r),
    )
    if reason_form is not None:
        return redirect("projects:referral_detail", pk=pk)
    report = InvestigationReport.objects.filter(referral=referral).first()
    form = ReportForm(request.POST or None, instance=report)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_save(
                referral=referral,
                by=request.user,
                sections={name: form.cleaned_data[name] for name in InvestigationReport.SECTIONS},
                finalise="finalise" in request.POST,
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("调查报告已保存。"))
            return redirect("projects:referral_detail", pk=pk)
    return render(
        request,
        "projects/report_edit.html",
        {"referral": referral, "form": form, "report": report},
    )


@login_required
def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    referral, reason_form = _read(request, pk, action="download_investigation_report")
    if reason_form is not None:
        return redirect("projects:referral_detail", pk=pk)
    report = get_object_or_404(InvestigationReport, referral=referral)
    return pdf_response(
        documents.investigation_report_pdf(report),
        download_name(_("社会调查报告"), referral.reference, "pdf"),
    )


# --- Experts ---------------------------------------------------------------------------


@login_required
def assignment_list(request: HttpRequest) -> HttpResponse:
    if not Expert.objects.filter(user=request.user).exists():
        raise Http404
    return render(
        request,
        "projects/assignment_list.html",
        {"page": paginate(request, selectors.my_assignments(user=request.user), PER_PAGE)},
    )


@login_required
@require_POST
def assignment_respond(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = selectors.assignment_get_for_expert(user=request.user, pk=pk)
    try:
        if request.POST.get("accept") == "1":
            services.assignment_accept(assignment=assignment, by=request.user)
            messages.success(request, _("已接受指派。"))
        else:
            services.assignment_decline(
                assignment=assignment, by=request.user, reason=request.POST.get("reason", "")
            )
            messages.success(request, _("已谢绝指派。"))
    except ValidationError as error:
        show_errors(request, error)
    return redirect("projects:assignment_list")


@login_required
@require_POST
def session_create(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = selectors.assignment_get_for_expert(user=request.user, pk=pk)
    form = SessionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请完整填写服务记录。"))
    else:
        try:
            services.session_log(assignment=assignment, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            show_errors(request, error)
        else:
            messages.success(request, _("服务记录已保存。"))
    return redirect("projects:referral_detail", pk=assignment.referral_id)


@login_required
def expert_list(request: HttpRequest) -> HttpResponse:
    require_staff(request.user)
    filters = ExpertFilter(
        request.GET, queryset=selectors.expert_list().order_by("domain", "name", "pk")
    )
    return render(
        request,
        "projects/expert_list.html",
        {
            "page": paginate(request, filters.qs, PER_PAGE),
            "domains": ExpertDomain.choices,
            "domain": chosen(filters, "domain"),
        },
    )
