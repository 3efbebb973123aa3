"""The graduates' programme after selection, for the association's staff: the service
agreement, training sessions and their attendance, completion and the follow-up after the
service; start-up grants from application to payment; practice-base placements. Every
change is one service call (``projects.services``); the grants' payment is posted by
finance (``signals.grant_payment_due``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from association.accounts.roles import is_association_staff, require, require_staff
from association.web import form_errors, paginate, show_errors

from .. import selectors, services
from ..choices import GrantStatus
from ..forms import (
    AgreementForm,
    AttendanceForm,
    CompleteForm,
    FollowUpForm,
    GrantDecisionForm,
    GrantForm,
    MilestoneForm,
    ParticipationForm,
    TrainingSessionForm,
)
from ..models import GrantMilestone, Programme
from ..permissions import can_see_aggregates, is_team_member
from .common import PER_PAGE


def _apply(request, form, call, done, to):
    """The pages' one shape of a change: on a POST with a valid form, ``call(form)`` runs
    the service; on success ``done`` (a message, or a function of the service's result
    giving one) is shown and the response is ``to(result)`` (a redirect); a refusal goes
    onto the form's errors and None is returned (the caller renders the form again)."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = call(form)
    except ValidationError as error:
        form_errors(form, error)
        return None
    messages.success(request, done(result) if callable(done) else done)
    return to(result)


# --- One graduate: agreement, completion, follow-up -------------------------------------


def _staff_application(request, pk):
    require_staff(request.user)
    return selectors.application_get_for_user(user=request.user, pk=pk)


@login_required
def agreement_sign(request: HttpRequest, pk: int) -> HttpResponse:
    application = _staff_application(request, pk)
    form = AgreementForm(request.POST if request.method == "POST" else None, request.FILES or None)
    done = _apply(
        request,
        form,
        lambda form: services.agreement_sign(
            application=application, by=request.user, **form.cleaned_data
        ),
        _("服务协议已登记，毕业生进入服务期。"),
        lambda _result: redirect("projects:application_detail", pk=pk),
    )
    if done:
        return done
    return render(
        request, "projects/agreement_sign.html", {"application": application, "form": form}
    )


@login_required
@require_POST
def application_complete(request: HttpRequest, pk: int) -> HttpResponse:
    application = _staff_application(request, pk)
    form = CompleteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写服务期满日期。"))
    else:
        try:
            services.application_complete(
                application=application, by=request.user, on=form.cleaned_data["on"]
            )
        except (ValidationError, PermissionDenied) as error:
            show_errors(request, error)
        else:
            messages.success(request, _("已办理结业，结业证书可以下载。"))
    return redirect("projects:application_detail", pk=pk)


@login_required
def follow_up_create(request: HttpRequest, pk: int) -> HttpResponse:
    application = _staff_application(request, pk)
    form = FollowUpForm(request.POST if request.method == "POST" else None)
    done = _apply(
        request,
        form,
        lambda form: services.follow_up_record(
            application=application, by=request.user, **form.cleaned_data
        ),
        _("跟踪回访已登记。"),
        lambda _result: redirect("projects:application_detail", pk=pk),
    )
    if done:
        return done
    return render(
        request,
        "projects/follow_up_create.html",
        {
            "application": application,
            "form": form,
            "history": application.follow_ups.select_related("recorded_by"),
        },
    )


# --- Training sessions and attendance ---------------------------------------------------


@login_required
def training_list(request: HttpRequest, pk: int) -> HttpResponse:
    require_staff(request.user)
    programme = get_object_or_404(Programme, pk=pk)
    form = TrainingSessionForm(request.POST if request.method == "POST" else None)

    def create(form):
        session = form.save(commit=False)
        session.programme = programme
        return services.training_session_create(session=session, by=request.user)

    done = _apply(
        request,
        form,
        create,
        _("培训已登记，培训举行后请登记出勤。"),
        lambda session: redirect("projects:attendance_take", pk=session.pk),
    )
    if done:
        return done
    return render(
        request,
        "projects/training_list.html",
        {
            "programme": programme,
            "form": form,
            "page": paginate(request, selectors.training_sessions(programme), PER_PAGE),
        },
    )


@login_required
def attendance_take(request: HttpRequest, pk: int) -> HttpResponse:
    require_staff(request.user)
    session = selectors.training_session_get(pk=pk)
    graduates = selectors.programme_trainees(session.programme)
    recorded = {a.application_id: a for a in session.attendance.all()}
    form = AttendanceForm(request.POST if request.method == "POST" else None, graduates=graduates)
    done = _apply(
        request,
        form,
        lambda form: services.attendance_take(
            session=session,
            applications=list(form.cleaned_data["attendees"]),
            by=request.user,
        ),
        lambda taken: _("已登记 %(n)s 人出勤。") % {"n": len(taken)},
        lambda _taken: redirect("projects:attendance_take", pk=pk),
    )
    if done:
        return done
    rows = [
        {
            "application": application,
            "attendance": recorded.get(application.pk),
            "checked": str(application.pk) in (form["attendees"].value() or []),
        }
        for application in graduates
    ]
    return render(
        request,
        "projects/attendance_take.html",
        {
            "session": session,
            "form": form,
            "rows": rows,
            "open_rows": sum(1 for row in rows if row["attendance"] is None),
        },
    )


# --- Start-up grants --------------------------------------------------------------------


@login_required
def grant_list(request: HttpRequest, pk: int) -> HttpResponse:
    """A project's start-up grants; its team applies here, staff review and decide."""
    project = selectors.project_get_for_user(user=request.user, pk=pk)
    can_apply = is_team_member(request.user, project)
    form = GrantForm(request.POST if request.method == "POST" else None) if can_apply else None
    if request.method == "POST":
        require(can_apply, _("只有项目团队成员可以申请创业资助。"))
        done = _apply(
            request,
            form,
            lambda form: services.grant_apply(
                grant=form.save(commit=False), project=project, by=request.user
            ),
            _("创业资助申请已提交，请等待协会评审。"),
            lambda _grant: redirect("projects:grant_list", pk=pk),
        )
        if done:
            return done
    return render(
        request,
        "projects/grant_list.html",
        {
            "project": project,
            "form": form,
            "grants": selectors.project_grants(project),
            "staff": is_association_staff(request.user),
            "milestone_form": MilestoneForm(),
        },
    )


@login_required
@require_POST
def grant_review(request: HttpRequest, pk: int) -> HttpResponse:
    require_staff(request.user)
    grant = selectors.grant_get_for_user(user=request.user, pk=pk)
    try:
        services.grant_review_start(grant=grant, by=request.user)
    except (ValidationError, PermissionDenied) as error:
        show_errors(request, error)
    else:
        messages.success(request, _("已开始评审。"))
    return redirect("projects:grant_list", pk=grant.project_id)


@login_required
def grant_decide(request: HttpRequest, pk: int) -> HttpResponse:
    require_staff(request.user)
    grant = selectors.grant_get_for_user(user=request.user, pk=pk)
    form = GrantDecisionForm(request.POST if request.method == "POST" else None)
    done = _apply(
        request,
        form,
        lambda form: services.grant_decide(
            grant=grant,
            by=request.user,
            award=form.cleaned_data["award"],
            note=form.cleaned_data["note"],
            amount=form.cleaned_data["amount"],
            milestones=form.cleaned_data["milestones"],
        ),
        lambda decided: (
            _("已决定予以资助。") if form.cleaned_data["award"] else _("已决定不予资助。")
        ),
        lambda _decided: redirect("projects:grant_list", pk=grant.project_id),
    )
    if done:
        return done
    return render(
        request,
        "projects/grant_decide.html",
        {"grant": grant, "form": form, "decidable": grant.status == GrantStatus.UNDER_REVIEW},
    )


def _staff_milestone(request, pk) -> GrantMilestone:
    require_staff(request.user)
    return get_object_or_404(GrantMilestone.objects.select_related("grant"), pk=pk)


@login_required
@require_POST
def milestone_achieve(request: HttpRequest, pk: int) -> HttpResponse:
    milestone = _staff_milestone(request, pk)
    form = MilestoneForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    else:
        try:
            services.milestone_achieve(
                milestone=milestone,
                by=request.user,
                on=form.cleaned_data["on"],
                evidence=form.cleaned_data["evidence"],
            )
        except ValidationError as error:
            show_errors(request, error)
        else:
            messages.success(request, _("里程碑已登记完成，资助款已提交财务拨付。"))
    return redirect("projects:grant_list", pk=milestone.grant.project_id)


@login_required
@require_POST
def milestone_pay(request: HttpRequest, pk: int) -> HttpResponse:
    milestone = _staff_milestone(request, pk)
    try:
        services.milestone_payment_request(milestone=milestone, by=request.user)
    except ValidationError as error:
        show_errors(request, error)
    else:
        messages.success(request, _("已重新提交财务拨付。"))
    return redirect("projects:grant_list", pk=milestone.grant.project_id)


# --- Practice bases ---------------------------------------------------------------------


@login_required
def base_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A practice base and its placements; staff place students (the capacity check)."""
    require(can_see_aggregates(request.user))
    base = selectors.practice_base_get(pk=pk)
    staff = is_association_staff(request.user)
    form = ParticipationForm(request.POST if request.method == "POST" else None) if staff else None
    if request.method == "POST":
        require_staff(request.user)
        done = _apply(
            request,
            form,
            lambda form: services.participation_add(
                base=base, participation=form.save(commit=False), by=request.user
            ),
            _("学生实践已登记。"),
            lambda _placed: redirect("projects:base_detail", pk=pk),
        )
        if done:
            return done
    return render(
        request,
        "projects/base_detail.html",
        {
            "base": base,
            "form": form,
            "page": paginate(request, base.participations.order_by("-starts_on", "-pk"), PER_PAGE),
        },
    )
