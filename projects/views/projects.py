"""Project pages: the list and the team page with its checklist, service activities, the
mentor's assessments, the programme's roll-up and the practice bases."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from association.accounts.roles import is_association_staff, require
from association.files import private_file_response
from association.web import form_errors, paginate, show_errors

from .. import selectors, services
from ..choices import ActivityKind, StepStatus
from ..filters import ActivityFilter, chosen
from ..forms import ActivityForm, AssessmentForm
from ..models import ActivityPhoto, Programme, ProjectStep, TeamMember
from ..permissions import can_manage_project, can_record_activity, can_see_aggregates
from .common import PER_PAGE


@login_required
def project_list(request: HttpRequest) -> HttpResponse:
    page = paginate(request, selectors.project_list(user=request.user), PER_PAGE)
    return render(request, "projects/project_list.html", {"page": page})


@login_required
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = selectors.project_get_for_user(user=request.user, pk=pk)
    return render(
        request,
        "projects/project_detail.html",
        {
            "project": project,
            "team": selectors.team_of(project),
            "steps": project.steps.all(),
            "step_statuses": StepStatus.choices,
            "can_manage": can_manage_project(request.user, project),
            "can_record": can_record_activity(request.user, project),
            "totals": selectors.activity_rollup(project.activities.all()),
        },
    )


@login_required
@require_POST
def step_update(request: HttpRequest, pk: int) -> HttpResponse:
    step = get_object_or_404(ProjectStep.objects.select_related("project"), pk=pk)
    selectors.project_get_for_user(user=request.user, pk=step.project_id)
    try:
        services.step_update(
            step=step,
            by=request.user,
            status=request.POST.get("status", ""),
            done_on=parse_date(request.POST.get("done_on") or "")
            if request.POST.get("done_on")
            else None,
            note=request.POST.get("note", ""),
            evidence=request.FILES.get("evidence"),
        )
    except ValidationError as error:
        show_errors(request, error)
    else:
        messages.success(request, _("工作清单已更新。"))
    return redirect("projects:project_detail", pk=step.project_id)


@login_required
def activity_list(request: HttpRequest, pk: int) -> HttpResponse:
    project = selectors.project_get_for_user(user=request.user, pk=pk)
    filters = ActivityFilter(
        request.GET, queryset=project.activities.prefetch_related("photos").order_by("-date", "-id")
    )
    return render(
        request,
        "projects/activity_list.html",
        {
            "project": project,
            "page": paginate(request, filters.qs, PER_PAGE),
            "kinds": ActivityKind.choices,
            "kind": chosen(filters, "kind"),
            "can_record": can_record_activity(request.user, project),
        },
    )


@login_required
def activity_create(request: HttpRequest, pk: int) -> HttpResponse:
    project = selectors.project_get_for_user(user=request.user, pk=pk)
    require(can_record_activity(request.user, project), _("您无权登记该项目的服务活动。"))
    form = ActivityForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        photo = form.cleaned_data.get("photos")
        try:
            services.activity_record(
                activity=form.save(commit=False),
                project=project,
                by=request.user,
                photos=[photo] if photo else [],
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("服务活动已登记。"))
            return redirect("projects:activity_list", pk=project.pk)
    return render(request, "projects/activity_create.html", {"project": project, "form": form})


@login_required
def activity_photo(request: HttpRequest, pk: int) -> HttpResponse:
    photo = get_object_or_404(ActivityPhoto.objects.select_related("activity"), pk=pk)
    selectors.project_get_for_user(user=request.user, pk=photo.activity.project_id)
    return private_file_response(photo.image)


# --- Mentors ---------------------------------------------------------------------------


@login_required
def mentor_home(request: HttpRequest) -> HttpResponse:
    applications = selectors.mentor_applications(user=request.user)
    if not TeamMember.objects.filter(
        user=request.user, role="mentor", left_on__isnull=True
    ).exists():
        raise Http404
    return render(
        request, "projects/mentor_home.html", {"page": paginate(request, applications, PER_PAGE)}
    )


@login_required
def assessment_create(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_object_or_404(selectors.mentor_applications(user=request.user), pk=pk)
    form = AssessmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.assessment_record(
                application=application, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("考核已登记。"))
            return redirect("projects:mentor_home")
    return render(
        request,
        "projects/assessment_create.html",
        {"application": application, "form": form, "history": application.assessments.all()},
    )


# --- Aggregates: staff and civil-affairs officials -------------------------------------


@login_required
def programme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require(can_see_aggregates(request.user))
    programme = get_object_or_404(Programme, pk=pk)
    return render(
        request,
        "projects/programme_detail.html",
        {
            "programme": programme,
            "figures": selectors.programme_rollup(programme),
            "spending": _with_percent(selectors.programme_spending(programme)),
            "rounds": programme.rounds.all(),
            "page": paginate(
                request, selectors.activity_rollup_by_project(programme=programme), PER_PAGE
            ),
            "by_kind": [
                {**row, "label": ActivityKind(row["kind"]).label}
                for row in selectors.activity_rollup_by_kind(programme=programme)
            ],
            "staff": is_association_staff(request.user),
        },
    )


def _with_percent(spending: dict | None) -> dict | None:
    if spending and spending["budget"]:
        spending["percent"] = min(100, int(spending["spent"] * 100 / spending["budget"]))
    return spending


@login_required
def programme_list(request: HttpRequest) -> HttpResponse:
    require(can_see_aggregates(request.user))
    return render(
        request,
        "projects/programme_list.html",
        {"page": paginate(request, Programme.objects.all(), PER_PAGE)},
    )


@login_required
def base_list(request: HttpRequest) -> HttpResponse:
    require(can_see_aggregates(request.user))
    return render(
        request,
        "projects/base_list.html",
        {
            "page": paginate(
                request, selectors.practice_base_list().order_by("name", "pk"), PER_PAGE
            )
        },
    )
