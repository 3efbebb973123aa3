"""Portal pages of the stations app: thin views over selectors and services."""

from __future__ import annotations

from dateutil.relativedelta import relativedelta
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from association.accounts.roles import is_association_staff, require, require_staff
from association.exports import attach, day_label, download_name
from association.files import private_file_response, validate_upload
from association.regions.choices import Level
from association.web import paginate, show_errors

from . import selectors, services
from .bulk import BulkError, template_xlsx
from .choices import EDITABLE_REPORT_STATUSES, ReportStatus
from .filters import ReportFilter, StationFilter
from .forms import (
    BulkUploadForm,
    DashboardForm,
    PhotoForm,
    ReportForm,
    ReportStartForm,
    ReviewForm,
    UnlockForm,
    format_month,
)
from .models import AssessmentRound, AssessmentScore, ReportPhoto
from .permissions import (
    can_edit_reports,
    can_review_reports,
    can_see_dashboard,
    can_unlock,
    is_operator_admin,
    is_reviewer_of,
)
from .selectors import last_month, lock_date, month_is_locked, report_deadline

# --- stations ---------------------------------------------------------------------------


@login_required
def station_list(request: HttpRequest) -> HttpResponse:
    stations = selectors.station_list(user=request.user)
    require(is_association_staff(request.user) or stations.exists())
    filterset = StationFilter(request.GET, queryset=stations)
    return render(
        request,
        "stations/station_list.html",
        {
            "filter": filterset,
            "page": paginate(request, filterset.qs),
            "is_staff": is_association_staff(request.user),
        },
    )


@login_required
def station_detail(request: HttpRequest, pk: int) -> HttpResponse:
    station = selectors.station_get_for_user(user=request.user, pk=pk)
    context = selectors.station_detail_context(station)
    context.update(
        station=station,
        can_write=can_edit_reports(request.user, station),
        missing=selectors.station_months_missing(station),
        recent_reports=list(selectors.report_list(user=request.user, station=station)[:6]),
    )
    return render(request, "stations/station_detail.html", context)


@login_required
def station_reports(request: HttpRequest, pk: int) -> HttpResponse:
    station = selectors.station_get_for_user(user=request.user, pk=pk)
    filterset = ReportFilter(
        request.GET, queryset=selectors.report_list(user=request.user, station=station)
    )
    can_write = can_edit_reports(request.user, station)
    return render(
        request,
        "stations/report_list.html",
        {
            "station": station,
            "filter": filterset,
            "page": paginate(request, filterset.qs),
            "can_write": can_write,
            "start_form": ReportStartForm(initial={"month": last_month()}) if can_write else None,
            "missing": selectors.station_months_missing(station) if can_write else [],
        },
    )


# --- reports -----------------------------------------------------------------------------


@login_required
@require_POST
def report_start(request: HttpRequest, pk: int) -> HttpResponse:
    station = selectors.station_get_for_user(user=request.user, pk=pk)
    require(can_edit_reports(request.user, station))
    form = ReportStartForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择月份。"))
        return redirect("stations:station_reports", pk=station.pk)
    try:
        report = services.report_start(
            station=station, month=form.cleaned_data["month"], by=request.user
        )
    except ValidationError as error:
        show_errors(request, error)
        return redirect("stations:station_reports", pk=station.pk)
    return redirect("stations:report_edit", pk=report.pk)


@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.report_get_for_user(user=request.user, pk=pk)
    station = report.station
    areas, kinds, cells = selectors.report_grid(report)
    can_write = can_edit_reports(request.user, station)
    locked = month_is_locked(station, report.month)
    return render(
        request,
        "stations/report_detail.html",
        {
            "report": report,
            "station": station,
            "areas": areas,
            "kinds": kinds,
            "rows": [(area, [cells.get((area.pk, kind.pk)) for kind in kinds]) for area in areas],
            "events": selectors.report_events(report),
            "photos": list(report.photos.all()),
            "deadline": report_deadline(report.month),
            "locked": locked,
            "lock_date": lock_date(report.month),
            "on_time": selectors.is_on_time(report.first_submitted_at, report.month),
            "can_edit": can_write and report.status in EDITABLE_REPORT_STATUSES and not locked,
            "can_review": report.status == ReportStatus.SUBMITTED
            and is_reviewer_of(request.user, station),
            "can_unlock": locked and can_unlock(request.user),
            "review_form": ReviewForm(),
            "unlock_form": UnlockForm(),
        },
    )


@login_required
def report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.report_get_for_user(user=request.user, pk=pk)
    require(can_edit_reports(request.user, report.station))
    if report.status not in EDITABLE_REPORT_STATUSES or month_is_locked(
        report.station, report.month
    ):
        messages.info(request, _("该月报当前不能修改。"))
        return redirect("stations:report_detail", pk=report.pk)
    areas, kinds, cells = selectors.report_grid(report)
    form = ReportForm(
        request.POST or None,
        initial={"volunteers": report.volunteers, "narrative": report.narrative},
        areas=areas,
        kinds=kinds,
        cells=cells,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.report_save(
                report=report,
                by=request.user,
                lines=form.lines(),
                volunteers=form.cleaned_data["volunteers"],
                narrative=form.cleaned_data["narrative"],
            )
            if "submit" in request.POST:
                services.report_submit(report=report, by=request.user)
                messages.success(request, _("月报已报送,等待审核。"))
            else:
                messages.success(request, _("草稿已保存。"))
            return redirect("stations:report_detail", pk=report.pk)
        except ValidationError as error:
            show_errors(request, error)
    return render(
        request,
        "stations/report_edit.html",
        {
            "report": report,
            "station": report.station,
            "form": form,
            "kinds": kinds,
            "deadline": report_deadline(report.month),
            "photo_form": PhotoForm(),
            "photos": list(report.photos.all()),
        },
    )


@login_required
@require_POST
def report_submit(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.report_get_for_user(user=request.user, pk=pk)
    require(can_edit_reports(request.user, report.station))
    try:
        services.report_submit(report=report, by=request.user)
        messages.success(request, _("月报已报送,等待审核。"))
    except ValidationError as error:
        show_errors(request, error)
    return redirect("stations:report_detail", pk=report.pk)


@login_required
@require_POST
def report_review(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.report_get_for_user(user=request.user, pk=pk)
    require(is_reviewer_of(request.user, report.station))
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择审核结论。"))
        return redirect("stations:report_detail", pk=report.pk)
    comment = form.cleaned_data["comment"]
    try:
        if form.cleaned_data["decision"] == "approve":
            services.report_approve(report=report, by=request.user, comment=comment)
            messages.success(request, _("月报已审核通过。"))
        else:
            services.report_return(report=report, by=request.user, comment=comment)
            messages.success(request, _("月报已退回,社工站将收到退回意见。"))
    except ValidationError as error:
        show_errors(request, error)
    return redirect("stations:report_detail", pk=report.pk)


@login_required
@require_POST
def report_unlock(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.report_get_for_user(user=request.user, pk=pk)
    require(can_unlock(request.user))
    form = UnlockForm(request.POST)
    if form.is_valid():
        try:
            services.month_unlock(
                station=report.station,
                month=report.month,
                by=request.user,
                reason=form.cleaned_data["reason"],
            )
            messages.success(request, _("已解锁,本站可在解锁期内修改和报送该月月报。"))
        except ValidationError as error:
            show_errors(request, error)
    else:
        messages.error(request, _("请填写解锁原因。"))
    return redirect("stations:report_detail", pk=report.pk)


@login_required
@require_POST
def report_photo_add(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.report_get_for_user(user=request.user, pk=pk)
    require(can_edit_reports(request.user, report.station))
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.photo_add(
                report=report,
                by=request.user,
                image=form.cleaned_data["image"],
                caption=form.cleaned_data["caption"],
            )
            messages.success(request, _("照片已上传。"))
        except ValidationError as error:
            show_errors(request, error)
    else:
        messages.error(request, _("请选择要上传的照片。"))
    return redirect("stations:report_edit", pk=report.pk)


@login_required
def report_photo(request: HttpRequest, pk: int) -> HttpResponse:
    photo = get_object_or_404(
        ReportPhoto.objects.filter(report__in=selectors.report_list(user=request.user)), pk=pk
    )
    return private_file_response(photo.image)


@login_required
def review_list(request: HttpRequest) -> HttpResponse:
    require(can_review_reports(request.user))
    reports = selectors.review_queue(user=request.user)
    return render(request, "stations/review_list.html", {"page": paginate(request, reports)})


# --- bulk submission ---------------------------------------------------------------------


@login_required
def bulk_template(request: HttpRequest) -> HttpResponse:
    """The xlsx to fill: one row per station and month still to be reported."""
    require(is_operator_admin(request.user))
    response = HttpResponse(
        template_xlsx(request.user),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = download_name(_("社工站月报批量填报模板"), day_label(timezone.localdate()), "xlsx")
    return attach(response, name)


@login_required
def bulk_upload(request: HttpRequest) -> HttpResponse:
    """Upload the filled template: every row is submitted, or none and each bad line named."""
    require(is_operator_admin(request.user))
    form = BulkUploadForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            validate_upload(upload, types=("xlsx",), max_mb=5)
            reports = services.reports_bulk_submit(upload=upload, by=request.user)
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
        {"form": form, "errors": errors, "stations": selectors.bulk_stations(request.user)[:200]},
    )


# --- dashboard ---------------------------------------------------------------------------


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """Coverage, staffing, reporting and service volumes: figures only, no personal data."""
    require(can_see_dashboard(request.user))
    form = DashboardForm(request.GET or None)
    month = (form.is_valid() and form.cleaned_data["month"]) or last_month()
    region = selectors.region_for_dashboard(request.GET.get("region"))
    if region is not None and region.level == Level.COUNTY:
        rows, total = selectors.coverage_by_township(region)
    else:
        rows, total = selectors.coverage_by_county(region=region)
    rates = {
        area.pk: area_rates for area, area_rates in selectors.reporting_rates_by_area(month, region)
    }
    total_rates = selectors.reporting_rates(month, region)
    first = month - relativedelta(months=35)
    series = selectors.operating_by_month(first, month, region)
    volumes = selectors.person_times_by_area(month.year, region)
    plan = selectors.build_plan_progress(month.year, region)
    chart_data = {
        "coverage": {
            "labels": [row.region.name for row in rows],
            "operating": [row.operating for row in rows],
            "townships": [row.townships for row in rows],
        },
        "operating": {
            "labels": [format_month(m) for m, _n, _p in series],
            "operating": [n for _m, n, _p in series],
            "plan": [p for _m, _n, p in series],
        },
        "areas": {
            "labels": [str(v["area"]) for v in volumes],
            "person_times": [v["person_times"] for v in volumes],
        },
        "labels": {
            "operating": _("运营站点"),
            "townships": _("乡镇(街道)数"),
            "plan": _("建设计划"),
            "person_times": _("服务人次"),
        },
    }
    return render(
        request,
        "stations/dashboard.html",
        {
            "form": DashboardForm(initial={"month": month}),
            "month": month,
            "region": region,
            "drill": region is None or region.level == Level.CITY,
            "rows": [(row, rates.get(row.region.pk)) for row in rows],
            "total": total,
            "total_rates": total_rates,
            "volumes": volumes,
            "plan": plan,
            "chart_data": chart_data,
        },
    )


# --- assessments ------------------------------------------------------------------------


@login_required
def assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = selectors.assessment_get_for_user(user=request.user, pk=pk)
    return render(
        request,
        "stations/assessment_detail.html",
        {"assessment": assessment, "scores": selectors.assessment_scores(assessment)},
    )


@login_required
def assessment_score(request: HttpRequest, round_pk: int, pk: int) -> HttpResponse:
    """An assessor (association staff) scores a station on the year's indicators."""
    from decimal import Decimal, InvalidOperation

    require_staff(request.user)
    assessment_round = get_object_or_404(AssessmentRound, pk=round_pk)
    station = selectors.station_get_for_user(user=request.user, pk=pk)
    indicators = list(assessment_round.indicators.all())
    existing = {
        s.indicator_id: s.score
        for s in AssessmentScore.objects.filter(
            assessment__round=assessment_round, assessment__station=station
        )
    }
    values, comment = dict(existing), ""
    if request.method == "POST":
        scores, bad = {}, []
        for indicator in indicators:
            raw = request.POST.get(f"score_{indicator.pk}", "").strip()
            values[indicator.pk] = raw
            try:
                scores[indicator.pk] = Decimal(raw) if raw else None
            except InvalidOperation:
                bad.append(indicator.name)
        comment = request.POST.get("comment", "")
        if bad:
            messages.error(request, _("请填写数字:%(names)s") % {"names": "、".join(bad)})
        else:
            try:
                assessment = services.assessment_score(
                    round=assessment_round,
                    station=station,
                    by=request.user,
                    scores={k: v for k, v in scores.items() if v is not None},
                    comment=comment,
                )
                if "publish" in request.POST:
                    services.assessment_publish(assessment=assessment, by=request.user)
                messages.success(
                    request,
                    _("已评分:%(total)s 分,%(grade)s。")
                    % {"total": assessment.total, "grade": assessment.get_grade_display()},
                )
                return redirect("stations:assessment_detail", pk=assessment.pk)
            except ValidationError as error:
                show_errors(request, error)
    return render(
        request,
        "stations/assessment_score.html",
        {
            "round": assessment_round,
            "station": station,
            "rows": [(indicator, values.get(indicator.pk, "")) for indicator in indicators],
            "comment": comment,
        },
    )
