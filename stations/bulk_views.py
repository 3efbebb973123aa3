"""Bulk submission pages: download the template, upload the filled file."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from association.files import validate_upload

from .bulk import BulkError, bulk_stations, bulk_submit, template_xlsx
from .forms import BulkUploadForm


def _require_operator(user) -> None:
    if not bulk_stations(user).exists():
        raise PermissionDenied


@login_required
def bulk_template(request: HttpRequest) -> HttpResponse:
    _require_operator(request.user)
    response = HttpResponse(
        template_xlsx(request.user),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = f"stations-reports-{timezone.localdate():%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def bulk_upload(request: HttpRequest) -> HttpResponse:
    _require_operator(request.user)
    form = BulkUploadForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            validate_upload(upload, types=("xlsx",), max_mb=5)
            reports = bulk_submit(upload=upload, by=request.user)
        except ValidationError as error:
            errors = error.messages
        except BulkError as error:
            errors = error.errors
        else:
            messages.success(
                request, _("已报送 %(count)d 份月报,等待审核。") % {"count": len(reports)}
            )
            return redirect("stations:bulk_upload")
    return render(
        request,
        "stations/bulk_upload.html",
        {"form": form, "errors": errors, "stations": bulk_stations(request.user)[:200]},
    )
