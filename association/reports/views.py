from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from association.accounts.roles import require
from association.audit.services import access_record
from association.files import private_file_response
from association.web import form_errors, paginate

from . import catalogue as report_catalogue
from . import selectors, services
from .forms import FormatForm
from .permissions import can_download
from .services import filename_for

RUNS_PAGE_SIZE = 25


@login_required
def catalogue(request: HttpRequest) -> HttpResponse:
    reports = report_catalogue.reports_for(request.user)
    require(bool(reports))
    recent = selectors.run_list(user=request.user)[:5]
    return render(request, "reports/report_list.html", {"reports": reports, "recent": recent})


@login_required
def run_create(request: HttpRequest, slug: str) -> HttpResponse:
    report = selectors.report_get_for_user(user=request.user, slug=slug)
    if request.method == "POST":
        form = report.form(data=request.POST)
        format_form = FormatForm(data=request.POST)
        if form.is_valid() and format_form.is_valid():
            try:
                run = services.run_create(
                    report=report,
                    user=request.user,
                    fmt=format_form.cleaned_data["format"],
                    params=services.params_from_form(form),
                )
            except ValidationError as error:
                form_errors(form, error)
            else:
                return redirect("reports:run_detail", pk=run.pk)
    else:
        form = report.form(initial=report.scheduled_params(_today()))
        format_form = FormatForm()
    return render(
        request,
        "reports/run_create.html",
        {"report": report, "form": form, "format_form": format_form},
    )


def _today():
    from django.utils import timezone

    return timezone.localdate()


def _run_context(request, run):
    return {"run": run, "may_download": can_download(request.user, run)}


@login_required
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = selectors.run_get_for_user(user=request.user, pk=pk)
    return render(request, "reports/run_detail.html", _run_context(request, run))


@login_required
def run_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress partial polled by htmx every second until the run is finished."""
    run = selectors.run_get_for_user(user=request.user, pk=pk)
    return render(request, "reports/_run_progress.html", _run_context(request, run))


@login_required
def run_list(request: HttpRequest) -> HttpResponse:
    page = paginate(request, selectors.run_list(user=request.user), per_page=RUNS_PAGE_SIZE)
    return render(request, "reports/run_list.html", {"page": page})


@login_required
def run_download(request: HttpRequest, pk: int) -> HttpResponse:
    run = selectors.run_get_for_download(user=request.user, pk=pk)
    access_record(user=request.user, obj=run, action="download", request=request)
    return private_file_response(run.file, filename=filename_for(run))
