"""The staff's tool: filters, search, import/export and actions that call the services."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export.admin import ExportMixin, ImportExportModelAdmin

from association.admin_actions import ReadOnlyMixin, run_service, with_form
from association.admin_columns import ListedColumnsMixin
from association.admin_counts import kept_count
from association.admin_filters import RelatedNameFilter, YearFilter
from association.audit.admin import AuditedAdmin
from association.crypto import blind_index
from association.web import error_messages

from . import services
from .choices import ChangeRequestStatus, MembershipStatus
from .forms import (
    ApproveForm,
    ElectionResultsForm,
    EndRepresentativeForm,
    PaymentForm,
    ReasonForm,
)
from .models import (
    ContinuingEducation,
    Dues,
    DuesStandard,
    ElectedRepresentative,
    Membership,
    MembershipDocument,
    Organisation,
    OrganisationAdmin,
    OrganisationChangeRequest,
    Reminder,
    Representative,
    SocialWorker,
    StaffInvitation,
)
from .resources import (
    FORMATS,
    CheckedImportMixin,
    MembershipResource,
    OrganisationResource,
    SocialWorkerResource,
)
from .standing import every_membership_with_standing, filter_standing
from .validators import ID_RE, normalise_id_number

# --- Organisations ------------------------------------------------------------------


class OrganisationAdminInline(admin.TabularInline):
    model = OrganisationAdmin
    extra = 0
    autocomplete_fields = ["user"]
    verbose_name = gettext_lazy("管理员")
    verbose_name_plural = gettext_lazy("单位管理员（机构管理员角色）")


@admin.register(Organisation)
class OrganisationModelAdmin(CheckedImportMixin, ImportExportModelAdmin, AuditedAdmin):
    resource_classes = [OrganisationResource]
    formats = FORMATS
    list_display = [
        "name",
        "credit_code",
        "kind",
        "region",
        "legal_representative",
        "contact_phone",
    ]
    list_filter = ["kind", "region__parent"]
    search_fields = ["name", "credit_code", "legal_representative", "contact_name"]
    list_select_related = ["region"]
    inlines = [OrganisationAdminInline]
    autocomplete_fields = ["region"]

    def save_formset(self, request, form, formset, change):
        # New admins get the role 机构管理员 through the service.
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            obj.delete()
        for instance in instances:
            if isinstance(instance, OrganisationAdmin):
                services.organisation_admin_add(
                    organisation=instance.organisation, user=instance.user, by=request.user
                )
            else:
                instance.save()


@admin.register(OrganisationChangeRequest)
class ChangeRequestAdmin(AuditedAdmin):
    list_display = ["organisation", "status", "submitted_by", "submitted_at", "decided_at"]
    list_filter = ["status"]
    search_fields = ["organisation__name", "organisation__credit_code"]
    list_select_related = ["organisation", "submitted_by"]
    readonly_fields = [
        "organisation",
        "changes_table",
        "reason",
        "status",
        "submitted_by",
        "submitted_at",
        "decided_by",
        "decided_at",
        "decision_note",
    ]
    exclude = ["changes"]
    actions = ["approve", "reject"]

    def has_add_permission(self, request):
        return False

    @admin.display(description=gettext_lazy("变更内容"))
    def changes_table(self, obj):
        # format_html_join escapes each value once; the joined rows are safe as they are
        # (formatting them again would read a "{}" in a name as a placeholder).
        rows = format_html_join(
            "",
            "<tr><th>{}</th><td>{}</td><td>→ {}</td></tr>",
            (
                (
                    Organisation._meta.get_field(field).verbose_name,
                    getattr(obj.organisation, field),
                    value,
                )
                for field, value in obj.changes.items()
            ),
        )
        return format_html("<table>{}</table>", rows)

    @admin.action(description=gettext_lazy("通过所选变更申请"), permissions=["change"])
    def approve(self, request, queryset):
        run_service(
            self,
            request,
            queryset,
            lambda cr: services.change_request_approve(change_request=cr, by=request.user),
            _("已通过 %(n)d 份变更申请。"),
        )

    @admin.action(description=gettext_lazy("不予通过（填写理由）"), permissions=["change"])
    def reject(self, request, queryset):
        queryset = queryset.filter(status=ChangeRequestStatus.PENDING)
        return with_form(
            self,
            request,
            queryset,
            ReasonForm,
            _("不予通过变更申请"),
            "reject",
            lambda data: run_service(
                self,
                request,
                queryset,
                lambda cr: services.change_request_reject(
                    change_request=cr, by=request.user, note=data["reason"]
                ),
                _("已退回 %(n)d 份变更申请。"),
            ),
        )


# --- Social workers -----------------------------------------------------------------


class SocialWorkerForm(forms.ModelForm):
    """The full ID number is never put in the page: staff type a new one to change it."""

    new_id_number = forms.CharField(
        label=gettext_lazy("公民身份号码"),
        max_length=18,
        required=False,
        help_text=gettext_lazy("留空则不修改。查看完整号码请使用门户的“查看完整号码”（会记录）。"),
    )

    class Meta:
        model = SocialWorker
        fields = [
            "name",
            "gender",
            "mobile",
            "email",
            "employer",
            "region",
            "user",
            "qualification",
            "certificate_number",
            "certificate_date",
            "registered_on",
        ]

    def clean_new_id_number(self):
        from .validators import validate_id_number

        value = normalise_id_number(self.cleaned_data["new_id_number"])
        if not value and not self.instance.pk:
            raise ValidationError(_("请填写公民身份号码。"))
        if value:
            validate_id_number(value)
            clash = SocialWorker.objects.filter(id_number_index=blind_index(value))
            if clash.exclude(pk=self.instance.pk).exists():
                raise ValidationError(_("该公民身份号码已登记。"))
            self.instance.set_id_number(value)
        return value


class EducationInline(admin.TabularInline):
    model = ContinuingEducation
    extra = 0
    fields = ["date", "hours", "kind", "title", "provider", "evidence"]


@admin.register(SocialWorker)
class SocialWorkerAdmin(
    ListedColumnsMixin, CheckedImportMixin, ImportExportModelAdmin, AuditedAdmin
):
    form = SocialWorkerForm
    resource_classes = [SocialWorkerResource]
    formats = FORMATS
    list_display = [
        "name",
        "masked_id",
        "qualification",
        "employer",
        "registered_on",
        "registration_expires_on",
    ]
    list_filter = ["qualification", "gender", ("employer", RelatedNameFilter)]
    search_fields = ["name", "certificate_number", "mobile", "email", "employer__name"]
    show_full_result_count = False  # one COUNT a page: 25,000 workers at province scale
    # Kept until a worker, organisation or region changes (not on a dues payment).
    paginator = kept_count("members.register")
    list_select_related = ["employer"]
    list_only = [
        "name",
        "id_number",
        "qualification",
        "employer__name",
        "registered_on",
        "registration_expires_on",
    ]
    autocomplete_fields = ["employer", "region", "user"]
    readonly_fields = ["masked_id", "registration_expires_on"]
    inlines = [EducationInline]
    fields = [
        "name",
        "gender",
        "masked_id",
        "new_id_number",
        "mobile",
        "email",
        "employer",
        "region",
        "user",
        "qualification",
        "certificate_number",
        "certificate_date",
        "registered_on",
        "registration_expires_on",
    ]

    @admin.display(description=gettext_lazy("公民身份号码"))
    def masked_id(self, obj):
        return obj.id_number_masked

    def get_search_results(self, request, queryset, search_term):
        """An exact ID number is found through its blind index."""
        term = normalise_id_number(search_term)
        if ID_RE.match(term):
            return queryset.filter(id_number_index=blind_index(term)), False
        return super().get_search_results(request, queryset, search_term)


# --- Memberships --------------------------------------------------------------------


class DuesInline(admin.TabularInline):
    model = Dues
    extra = 0
    fields = ["year", "amount", "due_on", "paid_on", "receipt_number", "payment_method"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class DocumentInline(admin.TabularInline):
    model = MembershipDocument
    extra = 0
    fields = ["kind", "link", "uploaded_at"]
    readonly_fields = fields

    @admin.display(description=gettext_lazy("文件"))
    def link(self, obj):
        url = reverse("members:document_download", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, obj.original_name)

    def has_add_permission(self, request, obj=None):
        return False


class RepresentativeInline(admin.TabularInline):
    model = Representative
    extra = 0
    fields = ["name", "position", "mobile", "designated_on", "ended_on"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class ElectedRepresentativeInline(ReadOnlyMixin, admin.TabularInline):
    """Elections of an individual member as representative (recorded on their own page)."""

    model = ElectedRepresentative
    extra = 0
    fields = [
        "constituency",
        "elected_on",
        "votes_received",
        "votes_cast",
        "starts_on",
        "ends_on",
        "ended_on",
    ]
    readonly_fields = fields


class AppliedYearFilter(YearFilter):
    title = gettext_lazy("申请年度")
    parameter_name = "applied"
    field = "applied_on"
    of_date = True


def _standing_day(request):
    """The day the list's standing is computed for: one for the annotation and the filter,
    even across midnight."""
    if not hasattr(request, "_standing_day"):
        request._standing_day = timezone.localdate()
    return request._standing_day


class StatusFilter(admin.SimpleListFilter):
    title = gettext_lazy("今日状态")
    parameter_name = "standing"

    def lookups(self, request, model_admin):
        return [("current", _("有效")), ("grace", _("宽限期")), ("lapsed", _("已失效"))]

    def queryset(self, request, queryset):
        # MembershipAdmin.get_queryset annotates the standing (computed in SQL); filtering
        # on it as a condition lets the list walk its index (members.standing).
        if self.value() not in {value for value, _label in self.lookup_choices}:
            return queryset
        return filter_standing(queryset, self.value(), _standing_day(request))


@admin.register(Membership)
class MembershipAdmin(ListedColumnsMixin, ExportMixin, AuditedAdmin):
    resource_classes = [MembershipResource]
    formats = FORMATS
    list_display = [
        "number",
        "member",
        "member_type",
        "state",
        "standing",
        "applied_on",
        "member_since",
    ]
    # By year of application rather than a date hierarchy, whose DISTINCT over every
    # membership and its dues took 20–50 ms a page at province scale.
    list_filter = ["member_type", "state", StatusFilter, AppliedYearFilter]
    show_full_result_count = False  # one COUNT a page: the standing is computed for each row
    paginator = kept_count("members")  # and kept until the members' tables change
    search_fields = ["number", "organisation__name", "organisation__credit_code", "person__name"]
    list_select_related = ["organisation", "person"]
    list_only = [
        "number",
        "member_type",
        "organisation__name",
        "person__name",
        "state",
        "applied_on",
        "member_since",
    ]
    readonly_fields = [
        "member_type",
        "organisation",
        "person",
        "number",
        "state",
        "standing",
        "applied_on",
        "application_note",
        "submitted_by",
        "decided_on",
        "decision_basis",
        "decided_by",
        "rejection_reason",
        "member_since",
        "suspended_on",
        "suspension_reason",
        "withdrawn_on",
        "withdrawal_reason",
        "verification_code",
    ]
    fields = [*readonly_fields[:3], "council_meeting", *readonly_fields[3:]]
    inlines = [DocumentInline, DuesInline, RepresentativeInline, ElectedRepresentativeInline]
    actions = ["start_review", "approve", "reject", "suspend", "reinstate", "withdraw", "renew"]

    def get_queryset(self, request):
        # Django's, with the standing annotated (resolved once a process for each day).
        queryset = every_membership_with_standing(_standing_day(request))
        ordering = self.get_ordering(request)
        return queryset.order_by(*ordering) if ordering else queryset

    def has_add_permission(self, request):
        return False  # members apply through the portal

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=gettext_lazy("会员"))
    def member(self, obj):
        return obj.member_name

    @admin.display(description=gettext_lazy("今日状态"), ordering="standing")
    def standing(self, obj):
        return MembershipStatus(obj.standing).label

    @admin.action(description=gettext_lazy("开始审核"), permissions=["change"])
    def start_review(self, request, queryset):
        run_service(
            self,
            request,
            queryset,
            lambda m: services.membership_review_start(membership=m, by=request.user),
            _("%(n)d 份申请进入审核。"),
        )

    @admin.action(description=gettext_lazy("批准入会（登记理事会决定）"), permissions=["change"])
    def approve(self, request, queryset):
        return with_form(
            self,
            request,
            queryset,
            ApproveForm,
            _("批准入会"),
            "approve",
            lambda data: run_service(
                self,
                request,
                queryset,
                lambda m: services.membership_approve(
                    membership=m,
                    by=request.user,
                    decided_on=data["decided_on"],
                    basis=data["basis"],
                    council_meeting=data["council_meeting"],
                ),
                _("已批准 %(n)d 名会员入会。"),
            ),
        )

    @admin.action(description=gettext_lazy("不予批准（填写理由）"), permissions=["change"])
    def reject(self, request, queryset):
        return with_form(
            self,
            request,
            queryset,
            ReasonForm,
            _("不予批准入会"),
            "reject",
            lambda data: run_service(
                self,
                request,
                queryset,
                lambda m: services.membership_reject(
                    membership=m, by=request.user, reason=data["reason"]
                ),
                _("已对 %(n)d 份申请作出不予批准的决定。"),
            ),
        )

    @admin.action(description=gettext_lazy("暂停会员资格"), permissions=["change"])
    def suspend(self, request, queryset):
        return with_form(
            self,
            request,
            queryset,
            ReasonForm,
            _("暂停会员资格"),
            "suspend",
            lambda data: run_service(
                self,
                request,
                queryset,
                lambda m: services.membership_suspend(
                    membership=m, by=request.user, reason=data["reason"]
                ),
                _("已暂停 %(n)d 名会员的资格。"),
            ),
        )

    @admin.action(description=gettext_lazy("恢复会员资格"), permissions=["change"])
    def reinstate(self, request, queryset):
        run_service(
            self,
            request,
            queryset,
            lambda m: services.membership_reinstate(membership=m, by=request.user),
            _("已恢复 %(n)d 名会员的资格。"),
        )

    @admin.action(description=gettext_lazy("登记退会"), permissions=["change"])
    def withdraw(self, request, queryset):
        return with_form(
            self,
            request,
            queryset,
            ReasonForm,
            _("登记退会"),
            "withdraw",
            lambda data: run_service(
                self,
                request,
                queryset,
                lambda m: services.membership_withdraw(
                    membership=m, by=request.user, reason=data["reason"]
                ),
                _("已登记 %(n)d 名会员退会。"),
            ),
        )

    @admin.action(description=gettext_lazy("续费：登记本年度会费缴纳"), permissions=["change"])
    def renew(self, request, queryset):
        return with_form(
            self,
            request,
            queryset,
            PaymentForm,
            _("登记本年度会费缴纳"),
            "renew",
            lambda data: run_service(
                self,
                request,
                queryset,
                lambda m: services.membership_renew(
                    membership=m,
                    by=request.user,
                    year=data["paid_on"].year,
                    paid_on=data["paid_on"],
                    method=data["method"],
                ),
                _("已为 %(n)d 名会员登记会费。"),
            ),
        )


# --- Dues ---------------------------------------------------------------------------


class PaidFilter(admin.SimpleListFilter):
    title = gettext_lazy("缴费情况")
    parameter_name = "paid"

    def lookups(self, request, model_admin):
        return [("yes", _("已缴")), ("no", _("未缴"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(paid_on__isnull=False)
        if self.value() == "no":
            return queryset.filter(paid_on__isnull=True)
        return queryset


@admin.register(Dues)
class DuesAdmin(ListedColumnsMixin, AuditedAdmin):
    list_display = ["membership", "member", "year", "amount", "due_on", "paid_on", "receipt_number"]
    list_filter = [YearFilter, PaidFilter, "membership__member_type"]
    show_full_result_count = False  # one COUNT of 108,000 rows a page is enough
    paginator = kept_count("members")  # and kept until the members' tables change
    search_fields = [
        "receipt_number",
        "membership__number",
        "membership__organisation__name",
        "membership__person__name",
    ]
    list_select_related = ["membership__organisation", "membership__person"]
    list_only = [
        "membership__number",
        "membership__member_type",
        "membership__organisation__name",
        "membership__person__name",
        "year",
        "amount",
        "due_on",
        "paid_on",
        "receipt_number",
    ]
    readonly_fields = [
        "membership",
        "year",
        "amount",
        "due_on",
        "paid_on",
        "receipt_number",
        "payment_method",
        "recorded_by",
        "created_at",
    ]
    actions = ["record_payment"]

    def has_add_permission(self, request):
        return False  # billed by approval and renewal

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=gettext_lazy("会员"))
    def member(self, obj):
        return obj.membership.member_name

    @admin.action(description=gettext_lazy("登记缴费并开具收据"), permissions=["change"])
    def record_payment(self, request, queryset):
        return with_form(
            self,
            request,
            queryset,
            PaymentForm,
            _("登记缴费"),
            "record_payment",
            lambda data: run_service(
                self,
                request,
                queryset,
                lambda d: services.dues_record_payment(
                    dues=d, by=request.user, paid_on=data["paid_on"], method=data["method"]
                ),
                _("已登记 %(n)d 笔会费。"),
            ),
        )


@admin.register(DuesStandard)
class DuesStandardAdmin(ReadOnlyMixin, AuditedAdmin):
    """Read only: a standard is set by a motion of the general meeting (治理 › 议案 ›
    “据此议案设定会费标准”), never typed in here."""

    list_display = ["member_type", "amount", "effective_from", "resolution", "adopted_on"]
    list_filter = ["member_type"]


@admin.register(StaffInvitation)
class StaffInvitationAdmin(admin.ModelAdmin):
    list_display = ["organisation", "name", "email", "created_at", "accepted_at"]
    search_fields = ["organisation__name", "email", "name"]
    list_select_related = ["organisation"]
    exclude = ["token"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ["kind", "subject", "period", "sent_at"]
    list_filter = ["kind", "period"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class InForceFilter(admin.SimpleListFilter):
    title = gettext_lazy("今日是否在任")
    parameter_name = "in_force"

    def lookups(self, request, model_admin):
        return [("yes", _("在任")), ("no", _("不在任"))]

    def queryset(self, request, queryset):
        from django.utils import timezone

        in_force = ElectedRepresentative.objects.in_force(timezone.localdate()).values("pk")
        if self.value() == "yes":
            return queryset.filter(pk__in=in_force)
        if self.value() == "no":
            return queryset.exclude(pk__in=in_force)
        return queryset


@admin.register(ElectedRepresentative)
class ElectedRepresentativeAdmin(AuditedAdmin):
    """Representatives elected by the individual members. "Add" records the results of an
    election through ``services.representatives_elect``; rows are never edited here."""

    list_display = [
        "member",
        "membership",
        "constituency",
        "elected_on",
        "votes",
        "starts_on",
        "ends_on",
        "ended_on",
    ]
    list_filter = [InForceFilter, "constituency", "elected_on"]
    search_fields = ["membership__number", "membership__person__name", "constituency"]
    list_select_related = ["membership__person"]
    date_hierarchy = "elected_on"
    readonly_fields = [
        "membership",
        "constituency",
        "elected_on",
        "votes_received",
        "votes_cast",
        "starts_on",
        "ends_on",
        "ended_on",
        "end_reason",
        "recorded_by",
        "recorded_at",
    ]
    fields = readonly_fields
    actions = ["end"]

    def has_change_permission(self, request, obj=None):
        # The change page only shows the record; ending is an action (a service).
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=gettext_lazy("姓名"), ordering="membership__person__name")
    def member(self, obj):
        return obj.membership.member_name

    @admin.display(description=gettext_lazy("得票/投票"))
    def votes(self, obj):
        return f"{obj.votes_received}/{obj.votes_cast}"

    def add_view(self, request, form_url="", extra_context=None):
        """Record an election's results (all or nothing) instead of adding one row."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = ElectionResultsForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            try:
                elected = services.representatives_elect(by=request.user, **form.cleaned_data)
            except (ValidationError, PermissionDenied) as error:
                for message in error_messages(error):
                    form.add_error(None, message)
            else:
                self.message_user(
                    request,
                    _("已登记 %(n)d 名当选的个人会员代表。") % {"n": len(elected)},
                    level=messages.SUCCESS,
                )
                return redirect("admin:members_electedrepresentative_changelist")
        return TemplateResponse(
            request,
            "admin/members/electedrepresentative/record.html",
            {
                **self.admin_site.each_context(request),
                "title": _("登记个人会员代表选举结果"),
                "form": form,
                "opts": self.model._meta,
                "media": self.media + form.media,
            },
        )

    @admin.action(description=gettext_lazy("终止代表资格"), permissions=["change"])
    def end(self, request, queryset):
        return with_form(
            self,
            request,
            queryset,
            EndRepresentativeForm,
            _("终止个人会员代表资格"),
            "end",
            lambda data: run_service(
                self,
                request,
                queryset,
                lambda rep: services.elected_representative_end(
                    representative=rep,
                    by=request.user,
                    reason=data["reason"],
                    ended_on=data["ended_on"],
                ),
                _("已终止 %(n)d 名个人会员代表的资格。"),
            ),
        )
