"""Portal pages of the members app: thin, each calls a selector or one service."""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from association.accounts.roles import require
from association.exports import attach, download_name
from association.files import private_file_response
from association.web import form_errors, paginate, show_errors

from . import certificates, selectors, services
from .choices import MemberType
from .forms import (
    AccountForm,
    ChangeRequestForm,
    EducationForm,
    IndividualApplicationForm,
    InvitationForm,
    OrganisationApplicationForm,
    OrganisationContactsForm,
    RepresentativeForm,
    RevealForm,
    WorkerProfileForm,
)
from .permissions import (
    can_reveal_id_number,
    can_view_overview,
    is_organisation_admin,
)

PAGE_SIZE = 25
# The code printed on a certificate (secrets.token_hex): letters and digits, at most 32.
VERIFICATION_CODE = re.compile(r"[0-9a-z]{1,32}")


def _send_verification(request, user) -> None:
    from allauth.account.models import EmailAddress

    address = EmailAddress.objects.filter(user=user, verified=False).first()
    if address is not None:
        address.send_confirmation(request, signup=True)


# --- Applying ------------------------------------------------------------------------


def apply(request: HttpRequest) -> HttpResponse:
    return render(request, "members/membership_apply.html")


@never_cache
def apply_organisation(request: HttpRequest) -> HttpResponse:
    signed_in = request.user.is_authenticated
    form = OrganisationApplicationForm(request.POST or None, request.FILES or None)
    account = None if signed_in else AccountForm(request.POST or None, prefix="account")
    if request.method == "POST" and form.is_valid() and (account is None or account.is_valid()):
        try:
            membership = services.organisation_apply(
                organisation=form.save(commit=False),
                user=request.user if signed_in else None,
                account=None if signed_in else account.account(),
                documents=form.documents(),
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            return _after_application(request, membership, signed_in)
    return render(
        request, "members/organisation_apply.html", {"form": form, "account_form": account}
    )


@never_cache
def apply_individual(request: HttpRequest) -> HttpResponse:
    invitation = selectors.invitation_open(token=request.GET.get("invitation", ""))
    signed_in = request.user.is_authenticated
    form = IndividualApplicationForm(
        request.POST or None,
        request.FILES or None,
        invitation=invitation,
        initial={"name": invitation.name, "email": invitation.email} if invitation else None,
    )
    account = (
        None
        if signed_in
        else AccountForm(
            request.POST or None,
            prefix="account",
            initial={"email": invitation.email} if invitation else None,
        )
    )
    if request.method == "POST" and form.is_valid() and (account is None or account.is_valid()):
        try:
            membership = services.individual_apply(
                worker=form.save(commit=False),
                user=request.user if signed_in else None,
                account=None if signed_in else account.account(),
                documents=form.documents(),
                note=form.cleaned_data["note"],
                invitation=invitation,
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            return _after_application(request, membership, signed_in)
    return render(
        request,
        "members/worker_apply.html",
        {"form": form, "account_form": account, "invitation": invitation},
    )


def _after_application(request, membership, signed_in):
    if not signed_in:
        user = membership.submitted_by
        _send_verification(request, user)
        login(request, user, backend="association.accounts.backends.ModelBackend")
        messages.info(request, _("账户已创建。我们已向您的邮箱发送验证邮件，请及时验证。"))
    messages.success(request, _("入会申请已提交，协会将在理事会审议后通知您结果。"))
    return redirect("members:membership_detail", pk=membership.pk)


# --- Memberships ---------------------------------------------------------------------


@login_required
def membership_list(request: HttpRequest) -> HttpResponse:
    page = paginate(request, selectors.membership_list(user=request.user), PAGE_SIZE)
    selectors.annotate_status(page.object_list)
    return render(request, "members/membership_list.html", {"page": page})


@login_required
def membership_detail(request: HttpRequest, pk: int) -> HttpResponse:
    membership = selectors.membership_get_for_user(user=request.user, pk=pk)
    return render(
        request,
        "members/membership_detail.html",
        {
            "membership": membership,
            "documents": membership.documents.all(),
            "dues": membership.dues.all(),
            "certificate": certificates.certificate_available(membership),
            "can_renew": membership.state == "approved",
        },
    )


@login_required
@require_POST
def membership_renew(request: HttpRequest, pk: int) -> HttpResponse:
    membership = selectors.membership_get_for_user(user=request.user, pk=pk)
    try:
        dues = services.membership_renew(membership=membership, by=request.user)
    except ValidationError as error:
        show_errors(request, error)
    else:
        messages.success(
            request,
            _("%(year)s年度会费 %(amount)s 元，请按协会通知的方式缴纳；缴费后由协会开具收据。")
            % {"year": dues.year, "amount": dues.amount},
        )
    return redirect("members:membership_detail", pk=membership.pk)


@login_required
def membership_certificate(request: HttpRequest, pk: int) -> HttpResponse:
    membership = selectors.membership_get_for_user(user=request.user, pk=pk)
    if not certificates.certificate_available(membership):
        raise Http404
    response = HttpResponse(
        certificates.certificate_pdf(membership), content_type="application/pdf"
    )
    attach(response, download_name(_("会员证"), membership.number, "pdf"))
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def document_download(request: HttpRequest, pk: int) -> HttpResponse:
    document = selectors.document_get_for_user(user=request.user, pk=pk)
    return private_file_response(document.file, filename=document.original_name)


def verify(request: HttpRequest, code: str) -> HttpResponse:
    """Public: only name, type, number and whether the membership is valid today.

    A code that names no admitted member (mistyped, cut short, not yet approved) gets the
    same page saying what to check, with status 404: never a debug or generic error page.
    """
    code = code.strip().lower()
    membership = None
    if VERIFICATION_CODE.fullmatch(code):
        try:
            membership = selectors.membership_for_verification(code=code)
        except Http404:
            membership = None
    if membership is None:
        return render(
            request,
            "members/membership_verify.html",
            {"membership": None, "code": code},
            status=404,
        )
    return render(
        request,
        "members/membership_verify.html",
        {"membership": membership, "valid": membership.status in ("current", "grace")},
    )


# --- Organisations -------------------------------------------------------------------


@login_required
def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = selectors.organisation_get_for_user(user=request.user, pk=pk)
    membership = selectors.organisation_membership(organisation)
    if membership is not None:
        selectors.annotate_status([membership])
    return render(
        request,
        "members/organisation_detail.html",
        {
            "organisation": organisation,
            "membership": membership,
            "is_admin": is_organisation_admin(request.user, organisation),
            "pending_change": organisation.change_requests.filter(status="pending").first(),
        },
    )


@login_required
def organisation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = selectors.organisation_admin_get(user=request.user, pk=pk)
    form = OrganisationContactsForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        data = {field: form.cleaned_data[field] for field in form.fields}
        organisation.refresh_from_db()
        try:
            services.organisation_update_contacts(
                organisation=organisation, by=request.user, data=data
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("联系信息已更新。"))
            return redirect("members:organisation_detail", pk=pk)
    return render(
        request, "members/organisation_edit.html", {"form": form, "organisation": organisation}
    )


@login_required
def organisation_change_request(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = selectors.organisation_admin_get(user=request.user, pk=pk)
    form = ChangeRequestForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        organisation.refresh_from_db()  # the form wrote into the instance: compare to the DB
        try:
            services.change_request_submit(
                organisation=organisation,
                by=request.user,
                changes=form.changes(),
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("变更申请已提交，协会审核通过后生效。"))
            return redirect("members:organisation_detail", pk=pk)
    return render(
        request,
        "members/organisation_change_request.html",
        {"form": form, "organisation": organisation},
    )


@login_required
def organisation_roster(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = selectors.organisation_get_for_user(user=request.user, pk=pk)
    is_admin = is_organisation_admin(request.user, organisation)
    form = InvitationForm(request.POST or None)
    if request.method == "POST":
        require(is_admin, _("您不是该单位的管理员。"))
        if form.is_valid():
            services.invitation_create(
                organisation=organisation, by=request.user, **form.cleaned_data
            )
            messages.success(request, _("邀请邮件已发送。"))
            return redirect("members:organisation_roster", pk=pk)
    return render(
        request,
        "members/organisation_roster.html",
        {
            "organisation": organisation,
            "page": paginate(request, selectors.roster_list(organisation=organisation), PAGE_SIZE),
            "invitations": selectors.invitation_list(organisation=organisation),
            "form": form,
            "is_admin": is_admin,
        },
    )


@login_required
def organisation_representatives(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = selectors.organisation_get_for_user(user=request.user, pk=pk)
    membership = selectors.organisation_membership(organisation)
    is_admin = is_organisation_admin(request.user, organisation)
    form = RepresentativeForm(request.POST or None, organisation=organisation)
    if request.method == "POST":
        require(is_admin, _("您不是该单位的管理员。"))
        require(membership is not None)
        if form.is_valid():
            try:
                services.representative_designate(
                    membership=membership, by=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                form_errors(form, error)
            else:
                messages.success(request, _("会员代表已委派。"))
                return redirect("members:organisation_representatives", pk=pk)
    representatives = selectors.representative_list(membership=membership) if membership else []
    return render(
        request,
        "members/representative_list.html",
        {
            "organisation": organisation,
            "membership": membership,
            "page": paginate(request, representatives, PAGE_SIZE),
            "form": form,
            "is_admin": is_admin,
        },
    )


@login_required
@require_POST
def representative_end(request: HttpRequest, pk: int) -> HttpResponse:
    representative = selectors.representative_get_for_admin(user=request.user, pk=pk)
    services.representative_end(representative=representative, by=request.user)
    messages.success(request, _("已终止该代表的委派。"))
    return redirect(
        "members:organisation_representatives", pk=representative.membership.organisation_id
    )


@login_required
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = selectors.invitation_get_for_user(user=request.user, token=token)
    if request.method == "POST":
        try:
            services.invitation_accept(invitation=invitation, by=request.user)
        except ValidationError as error:
            show_errors(request, error)
            return redirect(f"{_apply_individual_url()}?invitation={invitation.token}")
        messages.success(request, _("您已加入该单位的人员名册。"))
        return redirect("members:worker_profile")
    return render(request, "members/invitation_accept.html", {"invitation": invitation})


def _apply_individual_url():
    from django.urls import reverse

    return reverse("members:apply_individual")


# --- Social workers ------------------------------------------------------------------


@login_required
def worker_profile(request: HttpRequest) -> HttpResponse:
    worker = selectors.worker_own_get(user=request.user)
    return render(
        request,
        "members/worker_profile.html",
        {"worker": worker, "standing": selectors.worker_education_standing(worker)},
    )


@login_required
def worker_edit(request: HttpRequest) -> HttpResponse:
    worker = selectors.worker_own_get(user=request.user)
    form = WorkerProfileForm(request.POST or None, instance=worker)
    if request.method == "POST" and form.is_valid():
        data = {field: form.cleaned_data[field] for field in form.fields}
        worker.refresh_from_db()
        services.worker_update_profile(worker=worker, by=request.user, data=data)
        messages.success(request, _("个人信息已更新。"))
        return redirect("members:worker_profile")
    return render(request, "members/worker_edit.html", {"form": form, "worker": worker})


@login_required
def education_list(request: HttpRequest) -> HttpResponse:
    worker = selectors.worker_own_get(user=request.user)
    form = EducationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.education_add(worker=worker, by=request.user, record=form.save(commit=False))
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("继续教育记录已登记。"))
            return redirect("members:education_list")
    return render(
        request,
        "members/education_list.html",
        {
            "worker": worker,
            "standing": selectors.worker_education_standing(worker),
            "page": paginate(request, selectors.education_list(worker=worker), PAGE_SIZE),
            "form": form,
        },
    )


@login_required
def education_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    record = selectors.education_get_for_user(user=request.user, pk=pk)
    if not record.evidence:
        raise Http404
    return private_file_response(record.evidence)


@login_required
def worker_detail(request: HttpRequest, pk: int) -> HttpResponse:
    worker = selectors.worker_get_for_user(user=request.user, pk=pk)
    return render(
        request,
        "members/worker_detail.html",
        {
            "worker": worker,
            "standing": selectors.worker_education_standing(worker),
            "can_reveal": can_reveal_id_number(request.user),
            "reveal_form": RevealForm(),
        },
    )


@login_required
@require_POST
def worker_reveal_id(request: HttpRequest, pk: int) -> HttpResponse:
    worker = selectors.worker_get_for_user(user=request.user, pk=pk)
    require(can_reveal_id_number(request.user))
    form = RevealForm(request.POST)
    revealed = None
    if form.is_valid():
        revealed = services.id_number_reveal(
            worker=worker, by=request.user, reason=form.cleaned_data["reason"], request=request
        )
    return render(
        request,
        "members/worker_detail.html",
        {
            "worker": worker,
            "standing": selectors.worker_education_standing(worker),
            "can_reveal": True,
            "reveal_form": form,
            "revealed": revealed,
        },
    )


# --- Overview ------------------------------------------------------------------------


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    require(can_view_overview(request.user))
    return render(
        request,
        "members/membership_overview.html",
        {"overview": selectors.members_overview(), "MemberType": MemberType},
    )


# --- The member directory (会员名录) -------------------------------------------------


@login_required
def organisation_directory(request: HttpRequest, pk: int) -> HttpResponse:
    """The organisation's admin chooses which of its details the public directory shows,
    seeing each item's current value (what a visitor would read)."""
    from .choices import MembershipState
    from .forms import DirectoryConsentForm
    from .services.organisations import organisation_directory_set

    organisation = selectors.organisation_admin_get(user=request.user, pk=pk)
    # An empty POST (nothing ticked) is a choice too: bind the form to it.
    data = request.POST if request.method == "POST" else None
    form = DirectoryConsentForm(data, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            organisation_directory_set(
                organisation=organisation, by=request.user, fields=form.cleaned_data["items"]
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("会员名录公开项已保存。"))
            return redirect("members:organisation_directory", pk=pk)
    return render(
        request,
        "members/organisation_directory.html",
        {
            "form": form,
            "organisation": organisation,
            "values": selectors.organisation_directory_values(organisation),
            "membership": selectors.organisation_membership(organisation),
            "approved": MembershipState.APPROVED,
        },
    )
