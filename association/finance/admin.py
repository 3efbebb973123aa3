"""The finance admin. It never writes past a service: the setup records (chart, layouts,
funds, budgets, approvers, grants) are saved through ``services.record_save`` and
``record_delete``, attachments through the attachment services, donations through theirs;
periods, vouchers, claims and fund rules change only by their actions and the portal."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Sum
from django.db.models.functions import Coalesce
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from association.admin_actions import run_service, with_form
from association.audit.admin import AuditedAdmin
from association.files import validate_upload
from association.web import error_messages

from . import models, services
from .forms import FundRulesAdoptForm
from .selectors import ZERO


def _m2m(form) -> dict:
    """The many-to-many values a form holds: set by the service with the record."""
    return {
        field.name: form.cleaned_data[field.name]
        for field in form._meta.model._meta.many_to_many
        if field.name in form.cleaned_data
    }


class RecordAdmin(AuditedAdmin):
    """A setup record and its inlines' rows, saved and deleted through the services."""

    def save_model(self, request, obj, form, change):
        services.record_save(record=obj, by=request.user, m2m=_m2m(form))

    def delete_model(self, request, obj):
        services.record_delete(record=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            services.record_delete(record=obj, by=request.user)

    def save_related(self, request, form, formsets, change):
        # The record's own many-to-many values were set by save_model's service.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def save_formset(self, request, form, formset, change):
        formset.save(commit=False)
        for obj in formset.deleted_objects:
            services.record_delete(record=obj, by=request.user)
        for row in formset.saved_forms:
            services.record_save(record=row.instance, by=request.user, m2m=_m2m(row))


def _nothing_saved(formset) -> None:
    """A read-only inline: nothing of it is saved (the change message reads these lists)."""
    formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []


class ReadOnlyRecordAdmin(AuditedAdmin):
    """A record that changes only through its services (actions, the portal): saving its
    change form writes nothing of its own; inlines that take input say how in
    ``save_formset``."""

    def save_model(self, request, obj, form, change):
        pass

    def save_related(self, request, form, formsets, change):
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def save_formset(self, request, form, formset, change):
        _nothing_saved(formset)


class AttachmentFormSet(BaseInlineFormSet):
    """Asks the attachment rules before saving, so that a refusal shows on the form (the
    services ask again under their locks)."""

    check = None  # services.check_voucher_attachments or check_claim_attachments

    def clean(self):
        super().clean()
        if not self.instance.pk:
            return
        adding = False
        for form in self.extra_forms:
            upload = form.cleaned_data.get("file") if form.has_changed() else None
            if upload:
                adding = True
                try:
                    validate_upload(upload)
                except ValidationError as error:
                    form.add_error("file", error)
        removing = any(self._should_delete_form(form) for form in self.initial_forms)
        try:
            if removing:
                type(self).check(self.instance, removing=True)
            elif adding:
                type(self).check(self.instance)
        except ValidationError as error:
            raise ValidationError(error_messages(error)) from error


class AttachmentInline(admin.TabularInline):
    """Scans added or removed (never edited) through the attachment services."""

    extra = 0
    fields = ["file", "original_name", "uploaded_at"]
    readonly_fields = ["original_name", "uploaded_at"]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(models.Account)
class AccountAdmin(RecordAdmin):
    list_display = ["code", "name", "account_class", "normal_side", "is_cash", "active"]
    list_filter = ["account_class", "active"]
    search_fields = ["code", "name"]


class StatementLineInline(admin.TabularInline):
    model = models.StatementLine
    extra = 0
    fields = [
        "order",
        "code",
        "label",
        "indent",
        "kind",
        "side",
        "accounts",
        "formula",
        "restriction",
        "all_unrestricted",
        "direction",
        "key",
    ]
    autocomplete_fields = ["accounts"]


@admin.register(models.StatementLayout)
class StatementLayoutAdmin(RecordAdmin):
    list_display = ["title", "form_code", "kind", "basis"]
    inlines = [StatementLineInline]


@admin.register(models.Fund)
class FundAdmin(RecordAdmin):
    list_display = ["code", "name", "restriction", "grantor", "starts_on", "ends_on", "active"]
    list_filter = ["restriction", "active"]
    search_fields = ["code", "name", "grantor"]


@admin.register(models.Period)
class PeriodAdmin(ReadOnlyRecordAdmin):
    list_display = ["__str__", "status", "closed_at", "closed_by"]
    list_select_related = ["closed_by"]
    list_filter = ["status", "year"]
    readonly_fields = ["year", "month", "status", "closed_at", "closed_by"]
    actions = ["close_periods"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("结账所选期间"))
    def close_periods(self, request, queryset):
        """Earliest first: a month whose earlier month stays open is refused with why."""
        run_service(
            self,
            request,
            queryset.order_by("year", "month"),
            lambda period: services.period_close(
                year=period.year, month=period.month, by=request.user
            ),
            gettext("已结账 %(n)s 个期间。"),
        )


class VoucherLineInline(admin.TabularInline):
    model = models.VoucherLine
    extra = 0
    can_delete = False
    fields = [
        "line_no",
        "account",
        "fund",
        "debit",
        "credit",
        "description",
        "counterparty",
        "project_tag",
        "station_tag",
        "budget_line",
    ]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class VoucherAttachmentFormSet(AttachmentFormSet):
    check = staticmethod(services.check_voucher_attachments)


class VoucherAttachmentInline(AttachmentInline):
    model = models.VoucherAttachment
    formset = VoucherAttachmentFormSet
    fields = [*AttachmentInline.fields, "uploaded_by"]
    readonly_fields = [*AttachmentInline.readonly_fields, "uploaded_by"]


@admin.register(models.Voucher)
class VoucherAdmin(ReadOnlyRecordAdmin):
    list_display = [
        "number",
        "date",
        "summary",
        "amount",
        "status",
        "source",
        "created_by",
        "posted_at",
    ]
    list_filter = ["status", "source", "year"]
    search_fields = ["number", "summary", "lines__counterparty"]
    date_hierarchy = "date"
    list_select_related = ["created_by"]
    readonly_fields = [
        "date",
        "summary",
        "status",
        "source",
        "year",
        "sequence",
        "number",
        "reverses",
        "created_by",
        "created_at",
        "posted_by",
        "posted_at",
    ]
    inlines = [VoucherLineInline, VoucherAttachmentInline]

    def save_formset(self, request, form, formset, change):
        """The lines are read only; attachments go through their services."""
        if formset.model is not models.VoucherAttachment:
            _nothing_saved(formset)
            return
        formset.save(commit=False)
        for attachment in formset.deleted_objects:
            services.voucher_attachment_remove(attachment=attachment, by=request.user)
        for attachment in formset.new_objects:
            services.voucher_attachment_add(
                voucher=form.instance, file=attachment.file.file, by=request.user
            )

    def get_queryset(self, request):
        """The amount (the debits, which equal the credits of a balanced voucher) is summed
        in the changelist's one query, not a query per row."""
        return super().get_queryset(request).annotate(total=Coalesce(Sum("lines__debit"), ZERO))

    @admin.display(description=_("金额"), ordering="total")
    def amount(self, voucher):
        return voucher.total

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ApprovalRuleInline(admin.TabularInline):
    model = models.ApprovalRule
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(models.FundRules)
class FundRulesAdmin(ReadOnlyRecordAdmin):
    """Versions are read only: a new one is adopted by a motion (the action), takes effect
    on its date and leaves claims already submitted on the version they started with."""

    list_display = ["name", "effective_from", "adopted_on", "adopted_by", "motion_ref"]
    readonly_fields = ["name", "adopted_on", "adopted_by", "effective_from", "motion_ref", "text"]
    inlines = [ApprovalRuleInline]
    actions = ["adopt_version"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("据议案通过新版本"), permissions=["view"])
    def adopt_version(self, request, queryset):
        def apply(data):
            try:
                services.fund_rules_adopt(
                    motion=data["motion"],
                    by=request.user,
                    name=data["name"],
                    effective_from=data["effective_from"],
                    steps=data["steps"],
                    text=data["text"],
                )
            except (ValidationError, PermissionDenied) as error:
                self.message_user(request, " ".join(error_messages(error)), messages.ERROR)
            else:
                self.message_user(request, gettext("已登记新版本。"), messages.SUCCESS)

        return with_form(
            self,
            request,
            queryset,
            FundRulesAdoptForm,
            gettext("据议案通过资金管理办法新版本"),
            "adopt_version",
            apply,
        )


@admin.register(models.FinanceApprover)
class FinanceApproverAdmin(RecordAdmin):
    list_display = ["user", "office", "starts_on", "ends_on", "basis"]
    list_filter = ["office"]
    autocomplete_fields = ["user"]
    list_select_related = ["user"]


class BudgetLineInline(admin.TabularInline):
    model = models.BudgetLine
    extra = 0


@admin.register(models.Budget)
class BudgetAdmin(RecordAdmin):
    list_display = ["name", "year", "fund", "project_tag", "approved_on"]
    list_filter = ["year"]
    list_select_related = ["fund"]
    inlines = [BudgetLineInline]


class ClaimAttachmentFormSet(AttachmentFormSet):
    check = staticmethod(services.check_claim_attachments)


class ClaimAttachmentInline(AttachmentInline):
    model = models.ClaimAttachment
    formset = ClaimAttachmentFormSet


@admin.register(models.ExpenseClaim)
class ExpenseClaimAdmin(ReadOnlyRecordAdmin):
    list_display = ["number", "title", "claimant", "amount", "status", "paid_on"]
    list_filter = ["status"]
    search_fields = ["number", "title", "payee"]
    list_select_related = ["claimant"]
    inlines = [ClaimAttachmentInline]

    def save_formset(self, request, form, formset, change):
        formset.save(commit=False)
        for attachment in formset.deleted_objects:
            services.claim_attachment_remove(attachment=attachment, by=request.user)
        for attachment in formset.new_objects:
            services.claim_attachment_add(
                claim=form.instance, file=attachment.file.file, by=request.user
            )

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class TrancheFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        for form in self.initial_forms:
            settled = form.instance.voucher_id is not None
            if settled and (form.has_changed() or self._should_delete_form(form)):
                raise ValidationError(gettext("已结算的拨付不能修改或删除。"))


class TrancheInline(admin.TabularInline):
    model = models.GrantTranche
    formset = TrancheFormSet
    extra = 0
    readonly_fields = ["settled_on", "voucher"]


class MilestoneInline(admin.TabularInline):
    model = models.Milestone
    extra = 0


@admin.register(models.Grant)
class GrantAdmin(RecordAdmin):
    list_display = ["title", "kind", "counterparty", "fund", "total", "starts_on", "ends_on"]
    list_filter = ["kind", "direction"]
    search_fields = ["title", "counterparty", "contract_number"]
    list_select_related = ["fund"]
    inlines = [TrancheInline, MilestoneInline]


@admin.register(models.Donation)
class DonationAdmin(AuditedAdmin):
    """Donations received; saved and deleted through the services (bookkeepers only)."""

    list_display = ["received_on", "donor", "donor_kind", "form", "amount", "restricted"]
    list_filter = ["donor_kind", "form", "restricted"]
    search_fields = ["donor", "purpose", "receipt_number"]
    date_hierarchy = "received_on"

    def save_model(self, request, obj, form, change):
        services.donation_save(donation=obj, by=request.user)

    def delete_model(self, request, obj):
        services.donation_delete(donation=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            services.donation_delete(donation=obj, by=request.user)
