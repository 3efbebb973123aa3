"""The staff's tools for documents, rules, meetings and offices. State changes go through
the services (the admin actions call them); the portal pages run the meeting itself."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import BaseInlineFormSet
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from association.admin_actions import ReadOnlyMixin, run_service, with_form
from association.audit.admin import AuditedAdmin
from association.files import validate_upload
from association.web import error_messages

from . import services
from .choices import MeetingStatus, VersionStatus
from .forms import DuesStandardForm, RollAddForm, RollReasonForm, TermEndForm
from .models import (
    Attendee,
    Document,
    DocumentVersion,
    Meeting,
    MeetingTalk,
    Motion,
    Office,
    Proxy,
    RollCorrection,
    RuleSet,
    Term,
)
from .services import MEETING_EDITABLE


def _nothing_saved(formset) -> None:
    """A read-only inline: nothing of it is saved (the change message reads these lists)."""
    formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []


def _delete_each(modeladmin, request, queryset, delete) -> None:
    """ "Delete selected" through the service, each refusal shown with its row."""
    for obj in queryset:
        try:
            delete(obj)
        except (ValidationError, PermissionDenied) as error:
            modeladmin.message_user(
                request, f"{obj}：{' '.join(error_messages(error))}", messages.ERROR
            )


class CheckedForm(forms.ModelForm):
    """Asks the service's rules (``checks``, each given the instance as the form would
    save it) before saving, so that a refusal shows on the form, not as an error page; the
    service asks again under its lock."""

    checks: tuple = ()

    def _post_clean(self):
        super()._post_clean()  # the instance now holds the form's values
        for check in self.checks:
            try:
                check(self.instance)
            except ValidationError as error:
                self._update_errors(error)


class RuleSetForm(CheckedForm):
    checks = (services.check_ruleset_editable, services.check_ruleset_source)


@admin.register(RuleSet)
class RuleSetAdmin(AuditedAdmin):
    form = RuleSetForm
    list_display = [
        "name",
        "effective_from",
        "quorum_numerator",
        "quorum_denominator",
        "proxy_cap",
        "notice_days",
        "term_years",
    ]
    readonly_fields = ["effective_from"]
    list_select_related = ["source_version__document"]

    def has_change_permission(self, request, obj=None):
        # Rules in force (adopted with their document's version) are the rules meetings
        # were held under: changing them would rewrite those meetings' arithmetic. A new
        # version of the document brings new rules.
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or obj.effective_from is None)

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or obj.effective_from is None)

    def save_model(self, request, obj, form, change):
        services.ruleset_save(rule_set=obj, by=request.user)

    def delete_model(self, request, obj):
        services.ruleset_delete(rule_set=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        _delete_each(
            self,
            request,
            queryset,
            lambda rules: services.ruleset_delete(rule_set=rules, by=request.user),
        )


class VersionInline(ReadOnlyMixin, admin.TabularInline):
    model = DocumentVersion
    extra = 0
    fields = ["number", "status", "adopted_on", "adopted_by", "superseded_on"]
    readonly_fields = fields
    show_change_link = True


@admin.register(Document)
class DocumentAdmin(AuditedAdmin):
    """A document's title, kind and order, through document_save; its versions are drafted
    on their own page (version_create) and adopted by a motion. Documents are not deleted:
    the history of the association's rules is kept."""

    list_display = ["title", "kind", "order"]
    list_filter = ["kind"]
    search_fields = ["title"]
    inlines = [VersionInline]

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        services.document_save(document=obj, by=request.user)

    def save_formset(self, request, form, formset, change):
        _nothing_saved(formset)  # the versions are shown, not edited, here


class DocumentVersionForm(CheckedForm):
    checks = (services.check_version_editable,)  # only a draft is edited

    def clean_pdf(self):
        pdf = self.cleaned_data.get("pdf")
        if pdf and "pdf" in self.changed_data:
            validate_upload(pdf, types=("pdf",))  # the services check it again
        return pdf


@admin.register(DocumentVersion)
class DocumentVersionAdmin(AuditedAdmin):
    """Drafted by version_create and edited, while a draft, by version_draft_save; adopted
    only by a passed motion. Versions are not deleted (a draft no longer wanted stays a
    draft)."""

    form = DocumentVersionForm
    list_display = ["document", "number", "status", "adopted_on", "superseded_on"]
    list_filter = ["status", "document__kind"]
    list_select_related = ["document"]
    readonly_fields = [
        "number",
        "status",
        "adopted_by",
        "adopted_on",
        "superseded_on",
        "created_by",
    ]

    def get_readonly_fields(self, request, obj=None):
        # The document of a version is chosen when it is drafted; a version past its draft
        # is the text a meeting decided on: shown, not offered.
        if obj is None:
            return self.readonly_fields
        if obj.status != VersionStatus.DRAFT:
            return [*self.readonly_fields, "document", "text", "pdf", "change_summary"]
        return [*self.readonly_fields, "document"]

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if change:
            pdf = form.cleaned_data.get("pdf")
            services.version_draft_save(
                version=obj,
                by=request.user,
                text=obj.text,
                change_summary=obj.change_summary,
                pdf=pdf if "pdf" in form.changed_data else None,
            )
            return
        version = services.version_create(
            document=obj.document,
            by=request.user,
            text=obj.text,
            change_summary=obj.change_summary,
            pdf=form.cleaned_data.get("pdf") or None,
        )
        obj.pk = version.pk
        obj.number = version.number


class TalkFormSet(BaseInlineFormSet):
    """Asks the service's rule (the programme is fixed once the meeting closes) before
    saving, so that a refusal shows on the form."""

    def clean(self):
        super().clean()
        changed = any(form.has_changed() for form in self.forms) or any(
            self._should_delete_form(form) for form in self.initial_forms
        )
        if changed:
            services.check_talks_editable(self.instance)


class TalkInline(admin.TabularInline):
    """A seminar's talks, saved and deleted through talk_save and talk_delete (in
    MeetingAdmin.save_formset)."""

    model = MeetingTalk
    formset = TalkFormSet
    extra = 0


@admin.register(Meeting)
class MeetingAdmin(AuditedAdmin):
    list_display = ["title", "kind", "starts_at", "place", "status", "notice_late"]
    list_filter = ["kind", "status"]
    search_fields = ["title", "place"]
    date_hierarchy = "starts_at"
    inlines = [TalkInline]
    readonly_fields = ["status", "notice_sent_at", "notice_late", "opened_at", "closed_at"]
    actions = ["send_notice", "draw_roll", "add_to_roll"]

    FIELDS = ["kind", "title", "starts_at", "place", "agenda", "presiding", "minutes"]

    def get_readonly_fields(self, request, obj=None):
        # The rules in force on the day of the meeting apply (the service chooses them);
        # what the meeting's status no longer allows to change is shown, not offered.
        frozen = (
            [] if obj is None else [f for f in self.FIELDS if f not in MEETING_EDITABLE[obj.status]]
        )
        return [*self.readonly_fields, "rule_set", *frozen]

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or obj.status == MeetingStatus.PLANNED)

    def save_model(self, request, obj, form, change):
        """Through the services: they check the status and choose the rules."""
        data = {f: form.cleaned_data[f] for f in self.FIELDS if f in form.cleaned_data}
        if change:
            services.meeting_update(meeting=obj, by=request.user, **data)
            return
        data.setdefault("minutes", "")
        minutes = data.pop("minutes")
        meeting = services.meeting_create(by=request.user, **data)
        if minutes:
            meeting = services.meeting_update(meeting=meeting, by=request.user, minutes=minutes)
        obj.pk, obj.rule_set_id, obj.created_at = (
            meeting.pk,
            meeting.rule_set_id,
            meeting.created_at,
        )
        obj._state.adding = False

    def save_formset(self, request, form, formset, change):
        if formset.model is not MeetingTalk:
            return super().save_formset(request, form, formset, change)
        # save(commit=False) fills new_objects, changed_objects and deleted_objects, which
        # the change message reads; the services write them.
        formset.save(commit=False)
        for talk in formset.deleted_objects:
            services.talk_delete(talk=talk, by=request.user)
        for talk in formset.new_objects:
            talk.meeting = form.instance
            services.talk_save(talk=talk, by=request.user)
        for talk, _fields in formset.changed_objects:
            services.talk_save(talk=talk, by=request.user)
        return None

    def delete_model(self, request, obj):
        services.meeting_delete(meeting=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        # "Delete selected" may include meetings past preparation: each refusal is shown.
        for meeting in queryset:
            try:
                services.meeting_delete(meeting=meeting, by=request.user)
            except ValidationError as error:
                self.message_user(request, f"{meeting}：{' '.join(error.messages)}", messages.ERROR)

    @admin.action(description=_("发出会议通知"))
    def send_notice(self, request, queryset):
        def send(meeting):
            _meeting, warning = services.meeting_send_notice(meeting=meeting, by=request.user)
            if warning:  # sent, but later than the rules' notice period
                self.message_user(request, f"{meeting}：{warning}", messages.WARNING)

        run_service(self, request, queryset, send, _("已为 %(n)d 次会议发出通知。"))

    @admin.action(description=_("生成应到人员名单（会前核对、更正）"))
    def draw_roll(self, request, queryset):
        run_service(
            self,
            request,
            queryset,
            lambda meeting: services.roll_draw(meeting=meeting, by=request.user),
            _("已为 %(n)d 次会议生成应到人员名单。"),
        )

    @admin.action(description=_("增补应到人员（填写理由）"))
    def add_to_roll(self, request, queryset):
        return with_form(
            self,
            request,
            queryset,
            RollAddForm,
            _("增补应到人员"),
            "add_to_roll",
            lambda data: run_service(
                self,
                request,
                queryset,
                lambda meeting: services.roll_add(meeting=meeting, by=request.user, **data),
                _("已在 %(n)d 次会议的名单中增补。"),
            ),
        )


@admin.register(Attendee)
class AttendeeAdmin(admin.ModelAdmin):
    list_display = ["name", "affiliation", "kind", "meeting", "checked_in_at", "check_in_method"]
    list_filter = ["kind", "check_in_method", "meeting"]
    search_fields = ["name", "affiliation"]
    list_select_related = ["meeting"]
    actions = ["remove_from_roll"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("移出名单（填写理由）"), permissions=["view"])
    def remove_from_roll(self, request, queryset):
        return with_form(
            self,
            request,
            queryset,
            RollReasonForm,
            _("移出应到人员名单"),
            "remove_from_roll",
            lambda data: run_service(
                self,
                request,
                queryset,
                lambda attendee: services.roll_remove(
                    attendee=attendee, by=request.user, reason=data["reason"]
                ),
                _("已从名单中移出 %(n)d 人。"),
            ),
        )


@admin.register(RollCorrection)
class RollCorrectionAdmin(admin.ModelAdmin):
    list_display = ["meeting", "action", "name", "affiliation", "reason", "by", "at"]
    list_filter = ["action"]
    list_select_related = ["meeting", "by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Proxy)
class ProxyAdmin(admin.ModelAdmin):
    list_display = ["meeting", "grantor", "holder", "registered_at"]
    list_select_related = ["meeting", "grantor", "holder"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Motion)
class MotionAdmin(AuditedAdmin):
    list_display = ["title", "meeting", "number", "kind", "vote_method", "status", "passed"]
    list_filter = ["status", "kind", "vote_method"]
    list_select_related = ["meeting"]
    # A motion is put on the agenda by motion_create (its threshold, kind and vote method
    # are checked there) and decided by the vote: the admin shows it, it does not edit it.
    readonly_fields = [
        "meeting",
        "number",
        "title",
        "text",
        "kind",
        "document_version",
        "vote_method",
        "status",
        "threshold_numerator",
        "threshold_denominator",
        "threshold_strict",
        "entitled",
        "present",
        "yes",
        "no",
        "abstain",
        "passed",
        "arithmetic",
        "decided_at",
    ]

    actions = ["adopt_dues_standard"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("据此议案设定会费标准"), permissions=["change"])
    def adopt_dues_standard(self, request, queryset):
        """The only way a dues standard is added: from the passed motion that set it."""
        return with_form(
            self,
            request,
            queryset,
            DuesStandardForm,
            _("据大会议案设定会费标准"),
            "adopt_dues_standard",
            lambda data: run_service(
                self,
                request,
                queryset,
                lambda motion: services.dues_standard_adopt(
                    motion=motion,
                    by=request.user,
                    member_type=data["member_type"],
                    amount=data["amount"],
                    effective_from=data["effective_from"],
                ),
                _("已按 %(n)d 项议案设定会费标准。"),
            ),
        )


class OfficeForm(CheckedForm):
    checks = (services.check_office_code,)  # an office that had holders keeps its code


@admin.register(Office)
class OfficeAdmin(admin.ModelAdmin):
    """Saved through office_save; offices are not deleted (their terms keep them)."""

    form = OfficeForm
    list_display = ["name", "code", "seats", "is_officer", "order"]

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        services.office_save(office=obj, by=request.user)


@admin.register(Term)
class TermAdmin(ReadOnlyMixin, AuditedAdmin):
    """Terms start with the certification of an election (office_holders_install) and are
    shown here; the one correction made by hand is ending a term early, with its reason
    (term_end)."""

    list_display = [
        "holder_name",
        "office",
        "affiliation",
        "starts_on",
        "ends_on",
        "ended_on",
        "basis",
    ]
    list_filter = ["office"]
    search_fields = ["holder_name", "affiliation"]
    list_select_related = ["office"]
    actions = ["end_early"]

    @admin.action(description=_("提前结束任期（填写日期和理由）"), permissions=["view"])
    def end_early(self, request, queryset):
        return with_form(
            self,
            request,
            queryset,
            TermEndForm,
            _("提前结束任期"),
            "end_early",
            lambda data: run_service(
                self,
                request,
                queryset,
                lambda term: services.term_end(term=term, by=request.user, **data),
                _("已提前结束 %(n)d 项任期。"),
            ),
        )


# --- The registration record and the annual inspection's data ---------------------------
# (models/organisation.py; written through services.organisation_record_save/_delete)

from .models import (  # noqa: E402
    AnnualFiling,
    Branch,
    EvaluationGrade,
    InspectionResult,
    Registration,
    RegistrationChange,
    RewardOrPenalty,
    StaffMember,
)


class OrganisationRecordAdmin(AuditedAdmin):
    """Saves and deletes through the service (validated in full, attributed, staff only)."""

    def save_model(self, request, obj, form, change):
        services.organisation_record_save(record=obj, by=request.user)

    def delete_model(self, request, obj):
        services.organisation_record_delete(record=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            services.organisation_record_delete(record=obj, by=request.user)


@admin.register(Registration)
class RegistrationAdmin(OrganisationRecordAdmin):
    list_display = ["name", "credit_code", "legal_representative", "registration_authority"]
    fieldsets = [
        (None, {"fields": ["name", "credit_code", "registered_on", "registered_capital"]}),
        (
            _("住所和联系方式"),
            {"fields": ["domicile", "postcode", "phone", "website"]},
        ),
        (
            _("法定代表人和管理机关"),
            {"fields": ["legal_representative", "supervising_body", "registration_authority"]},
        ),
        (_("活动地域和业务范围"), {"fields": ["area", "business_scope"]}),
    ]

    def add_view(self, request, form_url="", extra_context=None):
        # One record: once it exists, "add" opens it (checked here, not in
        # has_add_permission, which every admin page's menu would pay a query for).
        existing = Registration.objects.first()
        if existing is not None:
            return redirect(reverse("admin:governance_registration_change", args=[existing.pk]))
        return super().add_view(request, form_url, extra_context)


@admin.register(StaffMember)
class StaffMemberAdmin(OrganisationRecordAdmin):
    list_display = ["name", "post", "kind", "started_on", "ended_on", "social_insurance"]
    list_filter = ["kind", "social_insurance"]
    search_fields = ["name", "post"]
    date_hierarchy = "started_on"


@admin.register(Branch)
class BranchAdmin(OrganisationRecordAdmin):
    list_display = ["name", "kind", "head", "established_on", "closed_on"]
    list_filter = ["kind"]
    search_fields = ["name", "head"]


@admin.register(RegistrationChange)
class RegistrationChangeAdmin(OrganisationRecordAdmin):
    list_display = ["item", "before", "after", "decided_on", "approved_on", "approval_ref"]
    list_filter = ["item"]
    date_hierarchy = "decided_on"


@admin.register(InspectionResult)
class InspectionResultAdmin(OrganisationRecordAdmin):
    list_display = ["year", "outcome", "concluded_on", "remarks"]
    list_filter = ["outcome"]


@admin.register(EvaluationGrade)
class EvaluationGradeAdmin(OrganisationRecordAdmin):
    list_display = ["grade", "awarded_on", "valid_until", "awarded_by", "reference"]


@admin.register(RewardOrPenalty)
class RewardOrPenaltyAdmin(OrganisationRecordAdmin):
    list_display = ["kind", "on", "title", "authority", "reference"]
    list_filter = ["kind"]
    search_fields = ["title", "authority"]
    date_hierarchy = "on"


@admin.register(AnnualFiling)
class AnnualFilingAdmin(OrganisationRecordAdmin):
    list_display = ["year", "audit_opinion", "auditor", "head", "preparer", "filed_on"]
    fieldsets = [
        (None, {"fields": ["year"]}),
        (_("业务活动"), {"fields": ["main_work", "cooperation", "disclosure"]}),
        (_("审计"), {"fields": ["audit_opinion", "auditor", "audit_report_ref"]}),
        (_("签署"), {"fields": ["head", "preparer", "phone", "filed_on"]}),
    ]
