"""Portal pages of the stations app: thin views over selectors and services."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from association.accounts.roles import is_association_staff, require, require_staff
from association.exports import attach, day_label, download_name
from association.files import private_file_response, validate_upload
from association.regions.choices import Level
from association.web import form_errors, paginate, show_errors

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
from .models import AssessmentRound, AssessmentScore, ReportPhoto, ServiceReport
from .months import station_months
from .permissions import (
    can_edit_reports,
    can_review_reports,
    can_see_dashboard,
    can_unlock,
    is_operator_admin,
    is_reviewer_of,
)
from .selectors import last_month, lock_date, month_is_locked, report_deadline

# The sentences of the report page's script ({name} filled in by the script).
REPORT_TEXT = {
    "areaTotal": gettext_lazy("次数 {n}，人次 {p}"),
    "total": gettext_lazy("合计：次数 {n}，人次 {p}"),
    "volunteers": gettext_lazy("志愿者人次：{n}"),
    "areaErrors": gettext_lazy("{count} 处错误"),
    "notInteger": gettext_lazy("{label}：请填写不小于0的整数。"),
    "fewer": gettext_lazy("{cell}：服务人次（{p}）不能少于服务次数（{n}）。"),
    "noActivities": gettext_lazy("{cell}：填写了服务人次，但服务次数为0。"),
    "empty": gettext_lazy("月报没有任何服务数据，不能报送。"),
    "narrative": gettext_lazy("请填写工作概述（不少于10个字）。"),
    "unsynced": gettext_lazy("已保存在本机，尚未同步到服务器。"),
    "offline": gettext_lazy("当前没有网络：填写的内容已保存在本机，联网后自动同步。"),
    "offlineSubmit": gettext_lazy("当前没有网络，联网后才能报送；填写的内容已保存在本机。"),
    "syncing": gettext_lazy("正在同步……"),
    "synced": gettext_lazy("草稿已保存到服务器（{time}）。"),
    "invalid": gettext_lazy("本机草稿有错误，改正后才能同步。"),
    "login": gettext_lazy("登录已过期：请重新登录后同步，本机草稿仍然保留。"),
    "denied": gettext_lazy("无法同步：您没有修改该月报的权限。"),
    "failed": gettext_lazy("同步失败，稍后自动重试；本机草稿仍然保留。"),
    "conflict": gettext_lazy("该月报在服务器上已被修改，请在上方逐项选择。"),
    "notEditable": gettext_lazy(
        "该月报在服务器上的状态已是“{status}”，不能再修改，本机草稿无法同步。"
        "如需修改，请联系审核人退回；放弃本机草稿后将显示服务器上的数据。"
    ),
    "mine": gettext_lazy("本机：{value}"),
    "theirs": gettext_lazy("服务器：{value}"),
    "chooseAll": gettext_lazy("请为每一项选择保留的数值。"),
    "blank": gettext_lazy("（空）"),
    "discardConfirm": gettext_lazy("放弃本机草稿后，本机填写的内容将被删除。确定吗？"),
}

# What the report page loads: the service worker keeps them for offline use.
REPORT_ASSETS = (
    "vendor/bootstrap/css/bootstrap.min.css",
    "css/portal.css",
    "css/report.css",
    "vendor/htmx/htmx.min.js",
    "vendor/idb/umd.js",
    "js/report.js",
    "js/portal.js",
)

# --- stations ---------------------------------------------------------------------------


@login_required
def station_list(request: HttpRequest) -> HttpResponse:
    stations = selectors.station_list(user=request.user)
    filterset = StationFilter(request.GET, queryset=stations)
    page = paginate(request, filterset.qs)
    is_staff = is_association_staff(request.user)
    # The page's count shows that the user sees a station; only when the filters leave none
    # is it asked (the union of the ways to see a station, planned once more: 3 ms at
    # province scale).
    require(is_staff or page.paginator.count or stations.exists())
    return render(
        request,
        "stations/station_list.html",
        {"filter": filterset, "page": page, "is_staff": is_staff},
    )


@login_required
def station_detail(request: HttpRequest, pk: int) -> HttpResponse:
    station = selectors.station_get_for_user(user=request.user, pk=pk)
    context = selectors.station_detail_context(station)
    context.update(
        station=station,
        can_write=can_edit_reports(request.user, station),
        missing=selectors.station_months_missing(station, history=context["history"]),
        recent_reports=selectors.station_recent_reports(station),
    )
    return render(request, "stations/station_detail.html", context)


@login_required
def station_reports(request: HttpRequest, pk: int) -> HttpResponse:
    """Every month the station was operating, newest first: its report, or 未报 for a
    missing one; late and overdue reports flagged (``stations.months``, one query)."""
    station = selectors.station_get_for_user(user=request.user, pk=pk)
    filterset = ReportFilter(request.GET, queryset=ServiceReport.objects.none())
    rows = station_months(station)
    status = filterset.form.cleaned_data.get("status") if filterset.form.is_valid() else ""
    if status:
        rows = [row for row in rows if row.status == status]
    can_write = can_edit_reports(request.user, station)
    return render(
        request,
        "stations/report_list.html",
        {
            "station": station,
            "filter": filterset,
            "page": paginate(request, rows),
            "can_write": can_write,
            "start_form": ReportStartForm(initial={"month": last_month()}) if can_write else None,
            "missing": sum(1 for row in rows if row.missing),
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


def _report_form(report, data=None, *, for_submit=False):
    areas, kinds, cells = selectors.report_grid(report)
    return ReportForm(
        data,
        initial={"volunteers": report.volunteers, "narrative": report.narrative},
        areas=areas,
        kinds=kinds,
        cells=cells,
        for_submit=for_submit,
    )


@login_required
def report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The month's form, made for a phone: one service area at a time, running totals, every
    error at once; the page keeps working offline (static/js/report.js, sw.js)."""
    report = selectors.report_get_for_user(user=request.user, pk=pk)
    require(can_edit_reports(request.user, report.station))
    if report.status not in EDITABLE_REPORT_STATUSES or month_is_locked(
        report.station, report.month
    ):
        messages.info(request, _("该月报当前不能修改。"))
        return redirect("stations:report_detail", pk=report.pk)
    submitting = "submit" in request.POST
    form = _report_form(report, request.POST or None, for_submit=submitting)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_save(
                report=report,
                by=request.user,
                lines=form.lines(),
                volunteers=form.cleaned_data["volunteers"],
                narrative=form.cleaned_data["narrative"],
            )
            if submitting:
                services.report_submit(report=report, by=request.user)
                messages.success(request, _("月报已报送，等待审核。"))
            else:
                messages.success(request, _("草稿已保存。"))
            return redirect("stations:report_detail", pk=report.pk)
        except ValidationError as error:
            form_errors(form, error)
    report.refresh_from_db(fields=["updated_at"])
    return render(
        request,
        "stations/report_edit.html",
        {
            "report": report,
            "station": report.station,
            "form": form,
            "errors": form.error_list() if form.is_bound else [],
            "kinds": form.kinds,
            "deadline": report_deadline(report.month),
            "photo_form": PhotoForm(),
            "photos": list(report.photos.all()),
            "text": REPORT_TEXT,
            "draft": {
                "report": report.pk,
                "user": request.user.pk,
                "version": services.report_version(report),
                "values": {name: form[name].initial for name in form.fields},
                "syncUrl": reverse("stations:report_sync", args=[report.pk]),
                "swUrl": reverse("stations:service_worker"),
            },
        },
    )


def _report_values(report) -> dict:
    """A report's values keyed as the form's fields (what the sync answers a conflict with)."""
    form = _report_form(report)
    return {name: form[name].initial for name in form.fields}


@login_required
@require_POST
def report_sync(request: HttpRequest, pk: int) -> JsonResponse:
    """Save a draft kept on the phone (typed offline, or before the connection returned).

    JSON in: ``{"version": …，"values": {field: value}}``, the version being the one the
    draft was based on. Out: 200 ``{"version"}``; 409 ``{"version", "values", "status",
    "editable"}`` when the report changed on the server since (the phone asks the worker
    to choose); 400 ``{"errors": [{"field", "message"}]}``. The same service as the form
    saves it (permission, lock, rules, audit); the CSRF token comes in ``X-CSRFToken``."""
    report = selectors.report_get_for_user(user=request.user, pk=pk)
    require(can_edit_reports(request.user, report.station))
    try:
        payload = json.loads(request.body)
        values, version = payload["values"], str(payload["version"])
        if not isinstance(values, dict):
            raise TypeError
    except (ValueError, KeyError, TypeError):
        return JsonResponse(
            {"errors": [{"field": "", "message": _("数据格式不正确。")}]}, status=400
        )
    form = _report_form(report, {k: "" if v is None else str(v) for k, v in values.items()})
    if form.is_valid():
        try:
            saved = services.report_save_draft(
                report=report,
                by=request.user,
                based_on=version,
                lines=form.lines(),
                volunteers=form.cleaned_data["volunteers"],
                narrative=form.cleaned_data["narrative"],
            )
            return JsonResponse({"version": services.report_version(saved)})
        except services.ReportConflict as conflict:
            current = conflict.report
            return JsonResponse(
                {
                    "version": services.report_version(current),
                    "values": _report_values(current),
                    "status": current.status,
                    "status_label": current.get_status_display(),
                    "editable": current.status in EDITABLE_REPORT_STATUSES,
                },
                status=409,
            )
        except ValidationError as error:
            form_errors(form, error)
    errors = [
        {"field": field_id.removeprefix("id_"), "message": message}
        for field_id, message in form.error_list()
    ]
    return JsonResponse({"errors": errors}, status=400)


def service_worker(request: HttpRequest) -> HttpResponse:
    """static/js/sw.js at /stations/sw.js, so that its scope covers the report pages, with
    the list of static files the report page needs (hashed names in production) and a
    version that changes with them, so a phone picks up a new release."""
    assets = [static(name) for name in REPORT_ASSETS]
    script = Path(finders.find("js/sw.js")).read_bytes()
    digest = hashlib.sha256(script)
    for name in REPORT_ASSETS:
        path = finders.find(name)
        digest.update(Path(path).read_bytes() if path else name.encode())
    config = {"version": digest.hexdigest()[:16], "assets": assets, "static": static("")}
    body = f"self.SW_CONFIG = {json.dumps(config)};\n".encode() + script
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response


@login_required
@require_POST
def report_submit(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.report_get_for_user(user=request.user, pk=pk)
    require(can_edit_reports(request.user, report.station))
    try:
        services.report_submit(report=report, by=request.user)
        messages.success(request, _("月报已报送，等待审核。"))
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
            messages.success(request, _("月报已退回，社工站将收到退回意见。"))
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
            messages.success(request, _("已解锁，本站可在解锁期内修改和报送该月月报。"))
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
                request, _("已报送 %(count)d 份月报，等待审核。") % {"count": len(reports)}
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
    # Only the association's area (and, for an official, their own region) is reachable.
    home = selectors.dashboard_home(request.user)
    region = selectors.region_for_dashboard(request.GET.get("region"), request.user)
    figures = selectors.dashboard_figures(region, month)
    rows, total, series, volumes = figures.rows, figures.total, figures.series, figures.volumes
    rates = {area.pk: area_rates for area, area_rates in figures.rates_by_area}
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
            "townships": _("乡镇（街道）数"),
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
            "home": home,
            "drill": region is None or region.level == Level.CITY,
            "rows": [(row, rates.get(row.region.pk)) for row in rows],
            "total": total,
            "total_rates": figures.total_rates,
            "volumes": volumes,
            "plan": figures.plan,
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
            messages.error(request, _("请填写数字：%(names)s") % {"names": "、".join(bad)})
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
                    _("已评分：%(total)s 分，%(grade)s。")
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


# --- reporting completeness ---------------------------------------------------------------


def _completeness_year(request: HttpRequest):
    """(the year asked for, the form): a four-digit year, default the year of last month;
    a wrong year keeps the default and the form shows why."""
    from .forms import CompletenessForm

    form = CompletenessForm(request.GET or None)
    if form.is_bound and form.is_valid() and form.cleaned_data.get("year"):
        return form.cleaned_data["year"], form
    year = last_month().year
    if not form.is_bound or not form.errors:
        form = CompletenessForm(initial={"year": year})
    return year, form


def _completeness_region(request: HttpRequest):
    """The city or county the page covers (None: every county). Where an official's own
    region restricts what they see (association.regions' official scoping), it narrows
    this region: the one place the completeness pages take their area from."""
    return selectors.region_for_dashboard(request.GET.get("region"), request.user)


def _legend() -> list[dict]:
    labels = selectors.CellStatus.labels()
    return [
        {"status": status, "label": labels[status][0], "short": labels[status][1]}
        for status in selectors.CellStatus.ORDER
    ]


def _trend(rates) -> dict:
    return {
        "labels": [format_month(r.month) for r in rates],
        "rate": [float(r.rate) if r.rate is not None else None for r in rates],
        "on_time": [float(r.on_time_rate) if r.on_time_rate is not None else None for r in rates],
        "names": {"rate": _("报送率（%）"), "on_time": _("按时率（%）")},
    }


@login_required
def completeness(request: HttpRequest) -> HttpResponse:
    """Reporting completeness: for the city, each county's reporting rate by month; for a
    county, every station × month of the year with the state of its report. Read-only,
    for staff and officials (figures and station names, no personal data)."""
    require(can_see_dashboard(request.user))
    year, form = _completeness_year(request)
    region = _completeness_region(request)
    today = timezone.localdate()
    context = {
        "form": form,
        "year": year,
        "region": region,
        "legend": _legend(),
        "labels": selectors.CellStatus.labels(),
        "is_staff": is_association_staff(request.user),
    }
    if region is not None and region.level == Level.COUNTY:
        months, rows = selectors.reporting_grid(region, year, today=today)
        rates = selectors.grid_rates(months, rows)
        context.update(months=months, rows=rows, rates=rates, county=region)
    else:
        months, by_county = selectors.reporting_rates_by_county_and_month(year, region)
        # a month whose deadline has not passed has no rate yet
        due = [today > report_deadline(month) for month in months]
        counties = [
            (
                county,
                [
                    selectors.MonthRates(r.month, r.expected, r.received, r.on_time, due[i])
                    for i, r in enumerate(county_rates)
                ],
            )
            for county, county_rates in by_county
        ]
        rates = []
        for index, month in enumerate(months):
            total = selectors.MonthRates(month=month, due=due[index])
            for _county, county_rates in counties:
                total.expected += county_rates[index].expected
                total.received += county_rates[index].received
                total.on_time += county_rates[index].on_time
            rates.append(total)
        context.update(months=months, counties=counties, rates=rates)
    context["trend"] = _trend(rates)
    return render(request, "stations/completeness.html", context)


@login_required
def completeness_station(request: HttpRequest, pk: int) -> HttpResponse:
    """One station's months of the year: the state of each month's report, its deadline
    and first submission (the drill-down below a county's grid)."""
    require(can_see_dashboard(request.user))
    year, _form = _completeness_year(request)
    station = selectors.station_for_dashboard(pk, request.user)
    _months, rows = selectors.reporting_grid(None, year, station=station)
    return render(
        request,
        "stations/completeness_station.html",
        {
            "station": station,
            "year": year,
            "cells": rows[0].cells if rows else [],
            "labels": selectors.CellStatus.labels(),
            "legend": _legend(),
            "is_staff": is_association_staff(request.user),
        },
    )
