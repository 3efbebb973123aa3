"""Reads of report runs, scoped by the user who asks (404 for what they may not see)."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404

from . import catalogue
from .models import ReportRun


def run_list(*, user):
    return ReportRun.objects.visible_to(user).select_related("requested_by")


def run_get_for_user(*, user, pk) -> ReportRun:
    return get_object_or_404(run_list(user=user), pk=pk)


def run_get_for_download(*, user, pk) -> ReportRun:
    """The run whose file ``user`` may download: their own or one shared with their role,
    of a report still open to their role, built and not expired. 404 otherwise."""
    run = get_object_or_404(
        ReportRun.objects.downloadable_by(user).select_related("requested_by"), pk=pk
    )
    report = catalogue.get(run.report)
    if report is None or not report.may_run(user) or not run.downloadable:
        raise Http404
    if run.requested_by_id != user.pk and catalogue.limited_area(user) is not None:
        raise Http404  # a shared run covers the whole area, not the official's county
    return run


def report_get_for_user(*, user, slug) -> catalogue.Report:
    report = catalogue.get(slug)
    if report is None or not report.may_run(user):
        raise Http404
    return report
