"""Recruitment pages: open rounds and the application form (public), the graduate's own
applications, and the staff's screening, interview and selection page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from association.accounts.roles import is_association_staff, require_staff
from association.exports import download_name
from association.files import private_file_response
from association.web import form_errors, paginate, show_errors
from association.workflow import can_transition

from .. import documents, rules, selectors, services
from ..choices import APPLICATION_TRANSITIONS, ApplicationStatus
from ..filters import ApplicationFilter, chosen
from ..forms import (
    AccountForm,
    ApplicationForm,
    CompleteForm,
    OfferForm,
    ReasonForm,
    ScoreForm,
)
from ..models import Agreement, RecruitmentRound
from ..permissions import is_applicant
from .common import PER_PAGE, pdf_response


def round_list(request: HttpRequest) -> HttpResponse:
    rounds = list(selectors.rounds_open().order_by("closes_on", "pk")[:20])
    for round_ in rounds:
        round_.projects = list(selectors.round_projects(round_))
    return render(request, "projects/round_list.html", {"rounds": rounds})


@never_cache
def apply(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = selectors.round_get_open(pk=pk)
    signed_in = request.user.is_authenticated
    form = ApplicationForm(request.POST or None, request.FILES or None, round_=round_)
    account = None if signed_in else AccountForm(request.POST or None, prefix="account")
    if request.method == "POST" and form.is_valid() and (account is None or account.is_valid()):
        try:
            application = services.application_submit(
                round_=round_,
                application=form.save(commit=False),
                preferences=form.preferences(),
                user=request.user if signed_in else None,
                account=None if signed_in else account.account(),
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            if not signed_in:
                from allauth.account.models import EmailAddress

                address = EmailAddress.objects.filter(user=application.applicant).first()
                if address is not None:
                    address.send_confirmation(request, signup=True)
                login(
                    request,
                    application.applicant,
                    backend="association.accounts.backends.ModelBackend",
                )
                messages.info(request, _("账户已创建。我们已向您的邮箱发送验证邮件，请及时验证。"))
            messages.success(request, _("报名已提交，请留意资格审查和面试通知。"))
            return redirect("projects:application_detail", pk=application.pk)
    return render(
        request,
        "projects/application_apply.html",
        {"round": round_, "form": form, "account_form": account},
    )


@login_required
def my_applications(request: HttpRequest) -> HttpResponse:
    page = paginate(request, selectors.my_applications(user=request.user), PER_PAGE)
    return render(request, "projects/application_list.html", {"page": page})


@login_required
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_get_for_user(user=request.user, pk=pk)
    staff = is_association_staff(request.user)
    own = is_applicant(request.user, application)
    transitions = list(application.transitions.select_related("by"))
    attendance = list(application.attendance.select_related("session"))
    follow_ups = list(application.follow_ups.all())
    return render(
        request,
        "projects/application_detail.html",
        {
            "application": application,
            "own": own,
            "staff": staff,
            "preferences": application.ranked.select_related("project"),
            "transitions": transitions,
            "pipeline": _pipeline(application, transitions, bool(attendance), bool(follow_ups)),
            "next_step": rules.next_step(application.status, trained=bool(attendance)),
            "scores": application.scores.select_related("interviewer") if staff else [],
            "assessments": application.assessments.all(),
            "attendance": attendance,
            "education_hours": sum(a.hours for a in attendance if a.education_id),
            "follow_ups": follow_ups,
            "agreement": Agreement.objects.filter(application=application).first(),
            "complete_form": CompleteForm(initial={"on": timezone.localdate()}),
            "can_respond": own and application.status == ApplicationStatus.OFFERED,
            "can_withdraw": (own or staff)
            and can_transition(application, ApplicationStatus.WITHDRAWN, APPLICATION_TRANSITIONS),
            "reason_form": ReasonForm(),
            "score_form": ScoreForm(),
            "offer_form": OfferForm(application=application) if staff else None,
        },
    )


# The stage an application that stopped was at, by its status before it stopped.
_STOPPED = (ApplicationStatus.REJECTED, ApplicationStatus.DECLINED, ApplicationStatus.WITHDRAWN)


def _pipeline(application, transitions, trained: bool, followed_up: bool) -> list[dict]:
    """The stages (申请 → … → 跟踪): each done, current, stopped (where an application that
    ended early ended) or to come."""
    status = application.status
    stopped = status in _STOPPED
    if stopped:
        before = [t.from_status for t in transitions if t.to_status == status]
        status = before[-1] if before and before[-1] else ApplicationStatus.SUBMITTED
    position = rules.pipeline_position(status, trained=trained, followed_up=followed_up)
    stages = []
    for index, label in enumerate(rules.PIPELINE_STAGES):
        if index < position:
            state = "done"
        elif index == position:
            state = "stopped" if stopped else "current"
        else:
            state = "todo"
        stages.append({"label": label, "state": state})
    return stages


def _own_application(request, pk):
    application = selectors.application_get_for_user(user=request.user, pk=pk)
    if not is_applicant(request.user, application):
        raise Http404
    return application


def _act(request, pk, call, success):
    """Run one service from a button of the application page and go back to it, with the
    service's refusal (or its permission refusal) shown as a message."""
    try:
        call()
    except (ValidationError, PermissionDenied) as error:
        show_errors(request, error)
    else:
        messages.success(request, success)
    return redirect("projects:application_detail", pk=pk)


@login_required
@require_POST
def offer_accept(request: HttpRequest, pk: int) -> HttpResponse:
    application = _own_application(request, pk)
    return _act(
        request,
        pk,
        lambda: services.offer_accept(application=application, by=request.user),
        _("您已接受录取，欢迎加入项目团队！"),
    )


@login_required
@require_POST
def offer_decline(request: HttpRequest, pk: int) -> HttpResponse:
    application = _own_application(request, pk)
    return _act(
        request,
        pk,
        lambda: services.offer_decline(
            application=application, by=request.user, reason=request.POST.get("reason", "")
        ),
        _("您已放弃本次录取。"),
    )


@login_required
@require_POST
def application_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_get_for_user(user=request.user, pk=pk)
    if not is_applicant(request.user, application):
        require_staff(request.user)
    return _act(
        request,
        pk,
        lambda: services.application_withdraw(
            application=application, by=request.user, reason=request.POST.get("reason", "")
        ),
        _("已撤回申请。"),
    )


@login_required
def application_resume(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_get_for_user(user=request.user, pk=pk)
    return private_file_response(application.resume)


@login_required
def application_certificate(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_get_for_user(user=request.user, pk=pk)
    if application.status != ApplicationStatus.COMPLETED:
        raise Http404
    return pdf_response(
        documents.certificate_pdf(application),
        download_name(_("结业证书"), application.certificate_number, "pdf"),
    )


# --- Staff: screening, interviews, selection -------------------------------------------


@login_required
def round_applications(request: HttpRequest, pk: int) -> HttpResponse:
    require_staff(request.user)
    round_ = get_object_or_404(RecruitmentRound.objects.select_related("programme"), pk=pk)
    filters = ApplicationFilter(
        request.GET, queryset=selectors.application_list(user=request.user, round_=round_)
    )
    page = paginate(request, filters.qs, PER_PAGE)
    return render(
        request,
        "projects/round_applications.html",
        {
            "round": round_,
            "page": page,
            "status": chosen(filters, "status"),
            "statuses": ApplicationStatus.choices,
            "quotas": selectors.round_projects(round_),
        },
    )


@login_required
@require_POST
def application_screen(request: HttpRequest, pk: int) -> HttpResponse:
    require_staff(request.user)
    application = selectors.application_get_for_user(user=request.user, pk=pk)
    passed = request.POST.get("passed") == "1"
    return _act(
        request,
        pk,
        lambda: services.application_screen(
            application=application,
            by=request.user,
            passed=passed,
            note=request.POST.get("reason", ""),
        ),
        _("资格审查结果已登记。"),
    )


@login_required
@require_POST
def application_score(request: HttpRequest, pk: int) -> HttpResponse:
    require_staff(request.user)
    application = selectors.application_get_for_user(user=request.user, pk=pk)
    form = ScoreForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写0到100之间的面试成绩。"))
        return redirect("projects:application_detail", pk=pk)
    return _act(
        request,
        pk,
        lambda: services.interview_score_add(
            application=application,
            by=request.user,
            score=form.cleaned_data["score"],
            comment=form.cleaned_data["comment"],
        ),
        _("面试成绩已登记。"),
    )


@login_required
@require_POST
def application_offer(request: HttpRequest, pk: int) -> HttpResponse:
    require_staff(request.user)
    application = selectors.application_get_for_user(user=request.user, pk=pk)
    form = OfferForm(request.POST, application=application)
    if not form.is_valid():
        messages.error(request, _("请选择申请人填报的意向项目。"))
        return redirect("projects:application_detail", pk=pk)
    return _act(
        request,
        pk,
        lambda: services.application_offer(
            application=application, project=form.cleaned_data["project"], by=request.user
        ),
        _("已录取，等待申请人确认。"),
    )


@login_required
@require_POST
def application_reject(request: HttpRequest, pk: int) -> HttpResponse:
    require_staff(request.user)
    application = selectors.application_get_for_user(user=request.user, pk=pk)
    return _act(
        request,
        pk,
        lambda: services.application_reject(
            application=application, by=request.user, reason=request.POST.get("reason", "")
        ),
        _("已登记不予录取。"),
    )
