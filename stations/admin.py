"""The staff tool for stations: registers, status history, staff, plans, catalogues,
reports and assessments. State changes go through the services."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import CharField, Exists, F, Func, OuterRef
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponseRedirect
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from import_export.admin import ExportMixin, ImportExportModelAdmin

from association import changes
from association.admin_actions import run_service, with_form
from association.admin_columns import ListedColumnsMixin
from association.admin_counts import kept_count
from association.admin_filters import YearFilter
from association.audit.admin import AuditedAdmin
from association.regions.choices import Level
from association.regions.models import Region
from association.web import error_messages

from . import services
from .choices import StationStatus
from .models import (
    Assessment,
    AssessmentIndicator,
    AssessmentRound,
    AssessmentScore,
    BuildTarget,
    ChecklistEntry,
    CountyReviewer,
    MonthUnlock,
    ReportEvent,
    SentReminder,
    ServiceArea,
    ServiceContract,
    ServiceReport,
    ServiceReportLine,
    StaffAssignment,
    Station,
    StationStatusChange,
    WorkKind,
)
from .months import format_month_cn
from .resources import (
    FORMATS,
    CheckedImportMixin,
    ServiceReportResource,
    StaffAssignmentResource,
    StationResource,
)


class ServiceRefusalsMixin:
    """A service's refusal while saving a form, a list or a deletion (checked under its
    lock, after the form was valid): the save is rolled back and the page says why, never
    a server error. The refusals a form can foresee are checked on the form itself."""

    @staticmethod
    def _is_refusal(request, error) -> bool:
        """A service's refusal of a save says why; the admin's own 403 says nothing."""
        return request.method == "POST" and bool(error.args)

    def _refused(self, request, error):
        for message in error_messages(error):
            self.message_user(request, message, level=messages.ERROR)
        return HttpResponseRedirect(request.get_full_path())

    def changeform_view(self, request, *args, **kwargs):
        try:
            return super().changeform_view(request, *args, **kwargs)
        except (ValidationError, PermissionDenied) as error:
            if not self._is_refusal(request, error):
                raise
            return self._refused(request, error)

    def changelist_view(self, request, *args, **kwargs):
        try:
            return super().changelist_view(request, *args, **kwargs)
        except (ValidationError, PermissionDenied) as error:
            if not self._is_refusal(request, error):
                raise
            return self._refused(request, error)

    def delete_view(self, request, *args, **kwargs):
        try:
            return super().delete_view(request, *args, **kwargs)
        except (ValidationError, PermissionDenied) as error:
            if not self._is_refusal(request, error):
                raise
            return self._refused(request, error)


def _saved(formset, new=(), changed=(), deleted=()) -> None:
    """What the change message reads of an inline that a service saved."""
    formset.new_objects, formset.changed_objects = list(new), list(changed)
    formset.deleted_objects = list(deleted)


class StatusChangeInline(admin.TabularInline):
    model = StationStatusChange
    extra = 0
    fields = ["effective_on", "ends_on", "status", "note", "recorded_by", "recorded_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ChecklistForm(forms.ModelForm):
    """A recorded item stays that item: a check of another item is a row of its own."""

    class Meta:
        model = ChecklistEntry
        fields = ["item", "is_met", "checked_on", "note", "evidence"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["item"].disabled = True


class ChecklistInline(admin.TabularInline):
    """Saved through ``checklist_record``, one item a row (a later check replaces the
    earlier one: rows are never deleted)."""

    model = ChecklistEntry
    form = ChecklistForm
    extra = 0
    can_delete = False


class ContractInline(admin.TabularInline):
    """Registered through ``contract_record``; a registered contract is read here, not
    rewritten."""

    model = ServiceContract
    extra = 0
    can_delete = False

    def has_change_permission(self, request, obj=None):
        return False


class AssignmentInline(admin.TabularInline):
    """The station's staff, to read: assignments start and end in 驻站人员 (the services)."""

    model = StaffAssignment
    extra = 0
    fields = ["worker", "role", "starts_on", "ends_on"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("新状态"), choices=StationStatus.choices)
    effective_on = forms.DateField(
        label=_("生效日期"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("须晚于上一条状态记录，且不晚于今天；状态按流转规则检查。"),
    )
    note = forms.CharField(label=_("说明"), required=False, max_length=200)


INDENT = "\u3000"  # a full-width space a level


class RegionTreeFilter(admin.SimpleListFilter):
    """The region tree one level at a time, never a flat list of every township: the
    counties of a city (the cities of a province, each county once its city is chosen),
    then a chosen county's 乡镇（街道）. The cities and counties with a station are kept until
    a station or a region changes; a chosen county's townships are one query."""

    title = _("区划")
    parameter_name = "region"
    station_path = "station__region"

    def lookups(self, request, model_admin):
        top, below = changes.since_last_change(
            # The narrowest topic with the stations and the regions, and one that a monthly
            # report does not change: the tree is read and built again when a station or a
            # region has changed, not on every page of the lists (2–3 ms at province scale).
            "stations.coverage",
            "admin: the tree of the cities and counties with a station",
            _area_tree,
        )
        chosen = self._chosen()
        path = set(chosen.ancestry) if chosen is not None else set()
        rows: list[tuple[str, str]] = []

        def add(level: list[tuple], depth: int, townships: bool = False) -> None:
            for pk, code, name in level:
                rows.append((code, f"{INDENT * depth}└ {name}" if depth else name))
                if code in path and not townships:  # the chosen region or one above it
                    if pk in below:
                        add(below[pk], depth + 1)
                    else:  # a county, or a city with its townships directly under it
                        add(_townships_with_a_station(pk), depth + 1, townships=True)

        add(top, 0)
        return rows

    def _chosen(self):
        code = self.value()
        if not code:
            return None
        if not hasattr(self, "_region"):
            self._region = Region.objects.filter(
                code=code, level__in=[Level.CITY, Level.COUNTY, Level.TOWNSHIP]
            ).first()
        return self._region

    def queryset(self, request, queryset):
        region = self._chosen()
        if region is None:
            return queryset
        # the region and every region below it (its ancestry's index)
        return queryset.filter(**{f"{self.station_path}__ancestry__contains": [region.code]})


def _area_tree() -> tuple[list[tuple], dict[int, list[tuple]]]:
    """The cities and counties with a station in a region below them, as the filter's
    first level and each one's (pk, code, name) children, by code. Read from the codes of
    the stations' regions' ancestries, one pass over the stations (a join per level, or
    EXISTS per county, missed 济源's townships, which sit directly under their city). A
    single city at the top (a city's deployment) opens on its counties. Kept and shared
    between requests: read, never changed."""
    codes = Station.objects.values(
        code=Func(F("region__ancestry"), function="unnest", output_field=CharField())
    )
    areas = (
        Region.objects.filter(level__in=[Level.CITY, Level.COUNTY], code__in=codes)
        .order_by("code")
        .values_list("pk", "code", "name", "parent_id")
    )
    known = {pk for pk, _code, _name, _parent in areas}
    below: dict[int | None, list[tuple]] = defaultdict(list)
    for pk, code, name, parent in areas:
        below[parent if parent in known else None].append((pk, code, name))
    top = below.pop(None, [])
    while len(top) == 1 and top[0][0] in below:  # one city: its counties
        top = below[top[0][0]]
    return top, dict(below)


def _townships_with_a_station(parent: int) -> list[tuple]:
    return list(
        Region.objects.townships()
        .filter(Exists(Station.objects.filter(region=OuterRef("pk"))), parent_id=parent)
        .order_by("code")
        .values_list("pk", "code", "name")
    )


class StationRegionFilter(RegionTreeFilter):
    station_path = "region"


@admin.register(Station)
class StationAdmin(
    ListedColumnsMixin,
    ServiceRefusalsMixin,
    CheckedImportMixin,
    ImportExportModelAdmin,
    AuditedAdmin,
):
    resource_classes = [StationResource]
    formats = FORMATS
    list_display = ["name", "region", "operator", "current_status", "opened_on", "closed_on"]
    # The counties with stations, then a county's townships: not every region of the
    # province as a flat list of links (2,600 at province scale, most of the page's time).
    list_filter = ["current_status", StationRegionFilter]
    search_fields = ["name", "region__name", "region__code", "operator__name"]
    list_select_related = ["region", "operator"]
    list_only = [
        "name",
        "region__name",
        "operator__name",
        "current_status",
        "opened_on",
        "closed_on",
    ]
    autocomplete_fields = ["operator"]
    raw_id_fields = ["region"]
    readonly_fields = ["current_status", "opened_on", "closed_on"]
    filter_horizontal = ["service_areas"]
    inlines = [StatusChangeInline, AssignmentInline, ChecklistInline, ContractInline]
    actions = ["record_status"]

    def save_model(self, request, obj, form, change):
        """A new station through ``station_create`` (its first status is 规划中 from today);
        an edit through ``station_update``."""
        data = {
            field: form.cleaned_data[field]
            for field in form.changed_data
            if field in form.cleaned_data and field != "region"
        }
        if change:
            services.station_update(station=obj, by=request.user, **data)
        else:
            created = services.station_create(
                region=form.cleaned_data["region"],
                name=form.cleaned_data["name"],
                by=request.user,
                **{key: value for key, value in data.items() if key != "name"},
            )
            obj.pk = created.pk
            obj.refresh_from_db()

    def save_related(self, request, form, formsets, change):
        # The service areas were saved by the service; the inlines by theirs.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def save_formset(self, request, form, formset, change):
        """The checklist through ``checklist_record``, new contracts through
        ``contract_record``; the status history and the staff are read-only here."""
        station = formset.instance
        if formset.model is ChecklistEntry:
            formset.save(commit=False)
            new, changed = [], []
            rows = [(obj, None) for obj in formset.new_objects] + formset.changed_objects
            for obj, fields in rows:
                evidence = {}
                if (fields is None and obj.evidence) or (fields and "evidence" in fields):
                    evidence[obj.item] = obj.evidence
                (entry,) = services.checklist_record(
                    station=station,
                    results={obj.item: obj.is_met},
                    checked_on=obj.checked_on,
                    note=obj.note,
                    evidence=evidence,
                    by=request.user,
                )
                if fields is None:
                    new.append(entry)
                else:
                    changed.append((entry, fields))
            _saved(formset, new, changed)
        elif formset.model is ServiceContract:
            formset.save(commit=False)
            new = [
                services.contract_record(
                    station=station,
                    year=obj.year,
                    purchaser=obj.purchaser,
                    amount=obj.amount,
                    starts_on=obj.starts_on,
                    ends_on=obj.ends_on,
                    number=obj.number,
                    by=request.user,
                )
                for obj in formset.new_objects
            ]
            _saved(formset, new)
        else:
            _saved(formset)

    @admin.action(description=_("登记状态变化"))
    def record_status(self, request, queryset):
        return with_form(
            self,
            request,
            queryset,
            StatusForm,
            _("登记状态变化"),
            "record_status",
            lambda data: run_service(
                self,
                request,
                queryset,
                lambda station: services.station_status_record(
                    station=station, by=request.user, **data
                ),
                _("已登记 %(n)d 个站点的状态变化。"),
            ),
        )


@admin.register(StaffAssignment)
class StaffAssignmentAdmin(CheckedImportMixin, ImportExportModelAdmin, AuditedAdmin):
    resource_classes = [StaffAssignmentResource]
    formats = FORMATS
    list_display = ["station", "worker", "role", "starts_on", "ends_on"]
    list_filter = ["role"]
    search_fields = ["station__name", "worker__name"]
    list_select_related = ["station", "worker"]
    autocomplete_fields = ["worker"]
    raw_id_fields = ["station"]

    def get_readonly_fields(self, request, obj=None):
        """Once started, an assignment only ends: the other fields are what happened."""
        if obj is None:
            return []
        return ["station", "worker", "role", "starts_on"]

    def save_model(self, request, obj, form, change):
        """Start through ``assignment_start``; set the end date through ``assignment_end``
        (the admin never writes the row itself)."""
        if change:
            if "ends_on" in form.changed_data:
                services.assignment_end(
                    assignment=obj, ends_on=form.cleaned_data["ends_on"], by=request.user
                )
            return
        created = services.assignment_start(
            station=form.cleaned_data["station"],
            worker=form.cleaned_data["worker"],
            role=form.cleaned_data["role"],
            starts_on=form.cleaned_data["starts_on"],
            by=request.user,
        )
        if form.cleaned_data.get("ends_on"):
            created = services.assignment_end(
                assignment=created, ends_on=form.cleaned_data["ends_on"], by=request.user
            )
        obj.pk = created.pk

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(BuildTarget)
class BuildTargetAdmin(admin.ModelAdmin):
    list_display = ["county", "year", "due_on", "target_operating"]
    list_filter = ["year"]
    list_select_related = ["county"]
    raw_id_fields = ["county"]

    def get_readonly_fields(self, request, obj=None):
        return ["county", "year"] if obj is not None else []

    def save_model(self, request, obj, form, change):
        """Through ``build_target_set`` (a revised target replaces the figures)."""
        saved = services.build_target_set(
            county=obj.county,
            year=obj.year,
            due_on=obj.due_on,
            target_operating=obj.target_operating,
            note=obj.note,
            by=request.user,
        )
        obj.pk = saved.pk


@admin.register(CountyReviewer)
class CountyReviewerAdmin(ServiceRefusalsMixin, admin.ModelAdmin):
    """Assigned through ``county_reviewer_assign``, removed through
    ``county_reviewer_remove``; another county or user is another reviewer."""

    list_display = ["county", "user"]
    list_select_related = ["county", "user"]
    raw_id_fields = ["county", "user"]

    def get_readonly_fields(self, request, obj=None):
        return ["county", "user"] if obj is not None else []

    def save_model(self, request, obj, form, change):
        if change:
            return
        saved = services.county_reviewer_assign(
            county=form.cleaned_data["county"], user=form.cleaned_data["user"], by=request.user
        )
        obj.pk = saved.pk

    def delete_model(self, request, obj):
        services.county_reviewer_remove(reviewer=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for reviewer in queryset:
            services.county_reviewer_remove(reviewer=reviewer, by=request.user)


@admin.register(ServiceArea, WorkKind)
class CatalogueAdmin(ServiceRefusalsMixin, admin.ModelAdmin):
    """Entries (from the form or the editable list) saved through ``catalogue_entry_save``;
    retired, never deleted."""

    list_display = ["name", "code", "order", "is_active"]
    list_editable = ["order", "is_active"]

    def get_readonly_fields(self, request, obj=None):
        return ["code"] if obj is not None else []

    def save_model(self, request, obj, form, change):
        services.catalogue_entry_save(entry=obj, by=request.user)

    def has_delete_permission(self, request, obj=None):
        return False


class LineInline(admin.TabularInline):
    model = ServiceReportLine
    extra = 0
    readonly_fields = ["area", "kind", "activities", "person_times"]

    def has_add_permission(self, request, obj=None):
        return False


class EventInline(admin.TabularInline):
    model = ReportEvent
    extra = 0
    readonly_fields = ["at", "action", "from_status", "to_status", "by", "comment"]

    def has_add_permission(self, request, obj=None):
        return False


class ReportYearFilter(YearFilter):
    field = "month"
    of_date = True


@admin.register(ServiceReport)
class ServiceReportAdmin(ListedColumnsMixin, ExportMixin, AuditedAdmin):
    resource_classes = [ServiceReportResource]
    formats = FORMATS
    list_display = [
        "station",
        "month_display",
        "status",
        "total_activities",
        "total_person_times",
        "anomaly",
        "first_submitted_at",
    ]
    # A year filter from the first and last month (two index reads) rather than a date
    # hierarchy, whose DISTINCT over every report took 70 ms a page at province scale.
    list_filter = ["status", "is_outlier", RegionTreeFilter, ReportYearFilter, "month"]
    show_full_result_count = False  # one COUNT of 149,000 reports a page is enough
    paginator = kept_count("stations")  # and kept until the stations' tables change
    search_fields = ["station__name"]
    list_select_related = ["station", "station__region", "station__region__parent"]  # the export's
    list_only = [  # what the page shows
        "station__name",
        "month",
        "status",
        "total_activities",
        "total_person_times",
        "is_outlier",
        "outlier_note",
        "first_submitted_at",
    ]
    readonly_fields = [
        "station",
        "month",
        "status",
        "volunteers",
        "narrative",
        "total_activities",
        "total_person_times",
        "is_outlier",
        "outlier_note",
        "first_submitted_at",
        "submitted_at",
        "submitted_by",
        "reviewed_at",
        "reviewed_by",
        "review_comment",
    ]
    inlines = [LineInline, EventInline]
    actions = ["approve"]

    class Media:
        css = {"all": ["css/admin-stations.css"]}

    @admin.display(description=_("月份"), ordering="month")
    def month_display(self, report):
        return format_month_cn(report.month)

    @admin.display(description=_("数据异常"), ordering="is_outlier")
    def anomaly(self, report):
        if not report.is_outlier:
            return ""
        return format_html(
            '<span class="anomaly-badge" title="{}">{}</span>', report.outlier_note, _("有异常")
        )

    def has_export_permission(self, request):
        """Reports are exported with the stations app's one export permission."""
        return request.user.has_perm("stations.export_station")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("审核通过所选月报"))
    def approve(self, request, queryset):
        """The selection whole or not at all (``reports_approve_many``); the refusals name
        their reports."""
        try:
            approved = services.reports_approve_many(reports=list(queryset), by=request.user)
        except (ValidationError, PermissionDenied) as error:
            for message in error_messages(error):
                self.message_user(request, message, level=messages.ERROR)
            return
        self.message_user(
            request, _("已审核通过 %(n)d 份月报。") % {"n": len(approved)}, level=messages.SUCCESS
        )


@admin.register(MonthUnlock)
class MonthUnlockAdmin(admin.ModelAdmin):
    list_display = ["station", "month", "open_until", "unlocked_by", "unlocked_at", "reason"]
    list_select_related = ["station", "unlocked_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(SentReminder)
class SentReminderAdmin(admin.ModelAdmin):
    list_display = ["kind", "station", "month", "sent_at"]
    list_select_related = ["station"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class IndicatorFormSet(BaseInlineFormSet):
    """A new round's indicators: their weights add up to 100 (asked here so that the form
    says so; ``assessment_round_create`` asks again)."""

    def rows(self) -> list[dict]:
        """The indicators entered, in their order."""
        rows = [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        return sorted(rows, key=lambda row: row.get("order") or 0)

    def clean(self):
        super().clean()
        if self.instance.pk is not None or any(self.errors):
            return
        total = sum((row["weight"] for row in self.rows()), Decimal(0))
        if total != 100:
            raise ValidationError(_("各项指标的权重之和应为100。"))


class IndicatorInline(admin.TabularInline):
    """Entered with a new round; fixed once it is open (the scores refer to them)."""

    model = AssessmentIndicator
    formset = IndicatorFormSet
    extra = 1

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return obj is None and super().has_delete_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        return obj is None and super().has_add_permission(request, obj)


@admin.register(AssessmentRound)
class AssessmentRoundAdmin(ServiceRefusalsMixin, admin.ModelAdmin):
    """Opened with its indicators through ``assessment_round_create``; renamed or its
    thresholds moved through ``assessment_round_update``."""

    list_display = ["year", "title", "excellent_from", "good_from", "pass_from"]
    inlines = [IndicatorInline]

    def get_readonly_fields(self, request, obj=None):
        return ["year"] if obj is not None else []

    def save_model(self, request, obj, form, change):
        # A new round is opened with its indicators, in save_related.
        if change:
            services.assessment_round_update(
                round=obj,
                by=request.user,
                **{
                    field: form.cleaned_data[field]
                    for field in form.changed_data
                    if field in ("title", *services.ROUND_THRESHOLDS)
                },
            )

    def save_related(self, request, form, formsets, change):
        if change:
            for formset in formsets:
                _saved(formset)
            return
        (formset,) = formsets
        data = form.cleaned_data
        created = services.assessment_round_create(
            year=data["year"],
            title=data["title"],
            indicators=[
                (row["name"], row["weight"], row["maximum"], row.get("guidance", ""))
                for row in formset.rows()
            ],
            by=request.user,
            **{field: data[field] for field in services.ROUND_THRESHOLDS},
        )
        form.instance.pk = created.pk
        form.instance._state.adding = False
        _saved(formset, created.indicators.all())


class ScoreInline(admin.TabularInline):
    model = AssessmentScore
    extra = 0
    readonly_fields = ["indicator", "score"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Assessment)
class AssessmentAdmin(AuditedAdmin):
    list_display = ["station", "round", "total", "grade", "status", "assessor"]
    list_filter = ["round", "grade", "status"]
    search_fields = ["station__name"]
    list_select_related = ["station", "round", "assessor"]
    readonly_fields = ["round", "station", "total", "grade", "assessor", "assessed_at", "status"]
    inlines = [ScoreInline]
    actions = ["publish"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("公布所选考核结果"))
    def publish(self, request, queryset):
        run_service(
            self,
            request,
            queryset,
            lambda assessment: services.assessment_publish(assessment=assessment, by=request.user),
            _("已公布 %(n)d 份考核结果。"),
        )
