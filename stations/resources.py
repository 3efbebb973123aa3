"""Import and export of stations (by township code) and staff assignments.

Built on the members app's checked resources: all-or-nothing (the admin rolls back on
any invalid row), every bad row reported with its line and reasons in Chinese, CSV in
UTF-8 or GBK, formula-safe exports.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, widgets

from association.crypto import blind_index
from association.regions.choices import Level
from association.regions.models import Region
from members.models import Organisation, SocialWorker
from members.resources import (
    FORMATS,
    CheckedImportMixin,
    CheckedResource,
    ChoiceLabelWidget,
    Text,
)
from members.validators import normalise_credit_code, normalise_id_number

from .choices import ReportStatus, StaffRole, StationStatus
from .models import ServiceReport, StaffAssignment, Station
from .months import format_month_cn

__all__ = [
    "FORMATS",
    "CheckedImportMixin",
    "ServiceReportResource",
    "StaffAssignmentResource",
    "StationResource",
]


class TownshipWidget(widgets.Widget):
    """A township by its division code (cached)."""

    _cache = None

    def clean(self, value, row=None, **kwargs):
        code = str(value or "").strip()
        if not code:
            raise ValueError(_("乡镇代码不能为空。"))
        if self._cache is None:
            self._cache = {r.code: r for r in Region.objects.filter(level=Level.TOWNSHIP)}
        if code not in self._cache:
            raise ValueError(_("找不到代码为 %(code)s 的乡镇（街道）。") % {"code": code})
        return self._cache[code]

    def render(self, value, obj=None, **kwargs):
        return value.code if value else ""


class OperatorWidget(widgets.Widget):
    """An operating organisation by its unified social credit code (cached)."""

    _cache = None

    def clean(self, value, row=None, **kwargs):
        code = normalise_credit_code(str(value or ""))
        if not code:
            return None
        if self._cache is None:
            self._cache = {o.credit_code: o for o in Organisation.objects.all()}
        if code not in self._cache:
            raise ValueError(_("统一社会信用代码为 %(code)s 的单位尚未登记。") % {"code": code})
        return self._cache[code]

    def render(self, value, obj=None, **kwargs):
        return value.credit_code if value else ""


class StationResource(CheckedResource):
    """One row per station. Import creates a station (status 规划中 from today) or, when
    the township already has an active station, updates its name, operator, address,
    contacts and opening hours (服务时间), each through the services; status changes are
    recorded in the admin, never by import."""

    particulars = (
        "name",
        "operator",
        "address",
        "contact_name",
        "contact_phone",
        "contact_email",
        "service_hours",
    )

    key_column = "乡镇代码"

    region = fields.Field("region", "乡镇代码", widget=TownshipWidget())
    township = fields.Field("region__name", "乡镇（街道）", readonly=True)
    name = fields.Field("name", "站点名称", widget=Text())
    operator = fields.Field("operator", "运营机构统一社会信用代码", widget=OperatorWidget())
    address = fields.Field("address", "站点地址", widget=Text())
    contact_name = fields.Field("contact_name", "联系人", widget=Text())
    contact_phone = fields.Field("contact_phone", "联系电话", widget=Text())
    contact_email = fields.Field("contact_email", "联系邮箱", widget=Text())
    service_hours = fields.Field("service_hours", "服务时间", widget=Text())
    current_status = fields.Field(
        "current_status", "当前状态", widget=ChoiceLabelWidget(StationStatus), readonly=True
    )

    class Meta:
        model = Station
        fields = (
            "region",
            "township",
            "name",
            "operator",
            "address",
            "contact_name",
            "contact_phone",
            "contact_email",
            "service_hours",
            "current_status",
        )
        import_id_fields = ()
        clean_model_instances = True
        skip_diff = True
        use_transactions = True
        name = gettext_lazy("社工站")

    def row_key(self, row) -> str:
        return str(row.get(self.key_column) or "").strip()

    def get_instance(self, instance_loader, row):
        code = self.row_key(row)
        return (
            Station.objects.filter(region__code=code, closed_on__isnull=True).first()
            if code
            else None
        )

    def check_row(self, instance, row, errors):
        if not (instance.name or "").strip():
            errors.setdefault("name", []).append(_("站点名称不能为空。"))

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        try:
            instance.full_clean(exclude=[*errors.keys(), "service_areas"], validate_unique=False)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def save_instance(self, instance, is_create, row, **kwargs):
        """Through ``station_create`` (a new station, status 规划中 from today) or
        ``station_update``: the import never writes a station itself."""
        from .services import station_create, station_update

        by = kwargs.get("user")
        data = {field: getattr(instance, field) for field in self.particulars}
        self.before_save_instance(instance, row, **kwargs)
        if instance.pk is None:
            saved = station_create(region=instance.region, by=by, **data)
        else:
            saved = station_update(station=instance, by=by, **data)
        instance.pk = saved.pk
        self.after_save_instance(instance, row, **kwargs)


class WorkerWidget(widgets.Widget):
    """A social worker by ID number (matched through the blind index)."""

    def clean(self, value, row=None, **kwargs):
        number = normalise_id_number(str(value or ""))
        if not number:
            raise ValueError(_("公民身份号码不能为空。"))
        worker = SocialWorker.objects.filter(id_number_index=blind_index(number)).first()
        if worker is None:
            raise ValueError(_("该公民身份号码的社会工作者尚未登记。"))
        return worker

    def render(self, value, obj=None, **kwargs):
        return value.id_number_masked if value else ""


class StationByCodeWidget(widgets.Widget):
    """The active station of a township code."""

    _cache = None

    def clean(self, value, row=None, **kwargs):
        code = str(value or "").strip()
        if self._cache is None:
            self._cache = {
                s.region.code: s
                for s in Station.objects.filter(closed_on__isnull=True).select_related("region")
            }
        if code not in self._cache:
            raise ValueError(_("乡镇代码 %(code)s 没有在建或运营的社工站。") % {"code": code})
        return self._cache[code]

    def render(self, value, obj=None, **kwargs):
        return value.region.code if value else ""


class StaffAssignmentResource(CheckedResource):
    """One row per assignment: township code, worker's ID number, role, dates. Exports
    show the ID number masked (a file to read, not to re-import)."""

    key_column = "公民身份号码"

    station = fields.Field("station", "乡镇代码", widget=StationByCodeWidget())
    station_name = fields.Field("station__name", "站点名称", readonly=True)
    worker = fields.Field("worker", "公民身份号码", widget=WorkerWidget())
    worker_name = fields.Field("worker__name", "姓名", readonly=True)
    role = fields.Field("role", "岗位", widget=ChoiceLabelWidget(StaffRole))
    starts_on = fields.Field("starts_on", "到岗日期", widget=widgets.DateWidget())
    ends_on = fields.Field("ends_on", "离岗日期", widget=widgets.DateWidget())

    class Meta:
        model = StaffAssignment
        fields = (
            "station",
            "station_name",
            "worker",
            "worker_name",
            "role",
            "starts_on",
            "ends_on",
        )
        import_id_fields = ()
        force_init_instance = True
        clean_model_instances = True
        skip_diff = True
        use_transactions = True
        name = gettext_lazy("驻站人员")

    def row_key(self, row) -> str:
        return normalise_id_number(str(row.get(self.key_column) or "")) + str(
            row.get("乡镇代码") or ""
        )

    def check_row(self, instance, row, errors):
        if not instance.role:
            errors.setdefault("role", []).append(_("岗位不能为空（站长或驻站社工）。"))
        if not instance.starts_on:
            errors.setdefault("starts_on", []).append(_("到岗日期不能为空。"))

    def get_queryset(self):
        return super().get_queryset().select_related("station", "station__region", "worker")

    def save_instance(self, instance, is_create, row, **kwargs):
        """Through ``assignment_start`` (and ``assignment_end`` when the row has an end
        date): the import never writes an assignment itself."""
        from .services import assignment_end, assignment_start

        by = kwargs.get("user")
        self.before_save_instance(instance, row, **kwargs)
        saved = assignment_start(
            station=instance.station,
            worker=instance.worker,
            role=instance.role,
            starts_on=instance.starts_on,
            by=by,
        )
        if instance.ends_on:
            saved = assignment_end(assignment=saved, ends_on=instance.ends_on, by=by)
        instance.pk = saved.pk
        self.after_save_instance(instance, row, **kwargs)


class MonthWidget(widgets.Widget):
    """A report's month as “2026年11月”."""

    def render(self, value, obj=None, **kwargs):
        return format_month_cn(value) if value else ""


class ServiceReportResource(CheckedResource):
    """Monthly reports for export (the admin's changelist, filtered as shown): the station,
    its township and county, the month, the figures and the review; no person's data
    (who submitted or reviewed is left out). Text cells pass through ``safe_cell``."""

    station = fields.Field("station__name", "社工站", readonly=True)
    township = fields.Field("station__region__name", "乡镇（街道）", readonly=True)
    county = fields.Field("station__region__parent__name", "县（市、区）", readonly=True)
    month = fields.Field("month", "月份", widget=MonthWidget(), readonly=True)
    status = fields.Field("status", "状态", widget=ChoiceLabelWidget(ReportStatus), readonly=True)
    total_activities = fields.Field("total_activities", "服务次数", readonly=True)
    total_person_times = fields.Field("total_person_times", "服务人次", readonly=True)
    volunteers = fields.Field("volunteers", "志愿者人次", readonly=True)
    is_outlier = fields.Field("is_outlier", "数据异常", readonly=True)
    outlier_note = fields.Field("outlier_note", "异常说明", readonly=True)
    first_submitted_at = fields.Field(
        "first_submitted_at", "首次报送时间", widget=widgets.DateTimeWidget(), readonly=True
    )
    reviewed_at = fields.Field(
        "reviewed_at", "审核时间", widget=widgets.DateTimeWidget(), readonly=True
    )
    review_comment = fields.Field("review_comment", "审核意见", readonly=True)
    narrative = fields.Field("narrative", "工作概述", readonly=True)

    class Meta:
        model = ServiceReport
        fields = export_order = (
            "station",
            "township",
            "county",
            "month",
            "status",
            "total_activities",
            "total_person_times",
            "volunteers",
            "is_outlier",
            "outlier_note",
            "first_submitted_at",
            "reviewed_at",
            "review_comment",
            "narrative",
        )

    def dehydrate_is_outlier(self, report):
        return _("有异常") if report.is_outlier else ""
