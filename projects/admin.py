"""The staff's admin pages. State changes go through services (admin actions call them).

Referrals are special: they appear only to the user who may read them, their designated
officer (``projects.permissions``; the portal's selector, so one rule); the list shows no
minor's data, the form shows the personal fields masked only, sealed referrals never
appear here (they open on the portal page that asks for the reason), every change and
history page is written to the access log with its ground, and there is no export,
import or delete."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from association.admin_actions import run_service
from association.audit.admin import AuditedAdmin

from . import selectors, services
from .models import (
    ActivityPhoto,
    Agreement,
    Application,
    ApplicationTransition,
    Assessment,
    Assignment,
    Attendance,
    EligibilityRule,
    Expert,
    FollowUp,
    GrantMilestone,
    InterviewScore,
    PracticeBase,
    PracticeParticipation,
    Preference,
    Programme,
    Project,
    ProjectStep,
    RecruitmentRound,
    Referral,
    RoundQuota,
    ServiceActivity,
    StartupGrant,
    Story,
    TeamMember,
    TrainingSession,
)


class RoundInline(admin.TabularInline):
    model = RecruitmentRound
    extra = 0


class RuleInline(admin.TabularInline):
    model = EligibilityRule
    extra = 0


@admin.register(Programme)
class ProgrammeAdmin(AuditedAdmin):
    list_display = ["name", "code", "status", "budget", "start_date", "end_date"]
    list_filter = ["status"]
    search_fields = ["name", "code"]
    inlines = [RoundInline, RuleInline]


class QuotaInline(admin.TabularInline):
    model = RoundQuota
    extra = 0


@admin.register(RecruitmentRound)
class RoundAdmin(admin.ModelAdmin):
    list_display = ["name", "programme", "opens_on", "closes_on"]
    list_filter = ["programme"]
    list_select_related = ["programme"]
    inlines = [QuotaInline]


class StepInline(admin.TabularInline):
    model = ProjectStep
    extra = 0
    fields = ["step", "status", "done_on", "evidence", "note"]
    readonly_fields = ["step"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class TeamInline(admin.TabularInline):
    model = TeamMember
    extra = 0
    raw_id_fields = ["user", "application"]


@admin.register(Project)
class ProjectAdmin(AuditedAdmin):
    list_display = ["name", "programme", "domain", "operator", "status", "budget"]
    list_filter = ["programme", "domain", "status"]
    search_fields = ["name", "host_community"]
    list_select_related = ["programme", "operator"]
    raw_id_fields = ["operator", "host_station"]
    inlines = [StepInline, TeamInline]

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
        else:
            services.project_create(project=obj, by=request.user)


class PreferenceInline(admin.TabularInline):
    model = Preference
    extra = 0


class TransitionInline(admin.TabularInline):
    model = ApplicationTransition
    extra = 0
    can_delete = False
    readonly_fields = ["from_status", "to_status", "by", "at", "note"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Application)
class ApplicationAdmin(AuditedAdmin):
    list_display = [
        "name",
        "round",
        "university",
        "major",
        "graduation_year",
        "status",
        "project",
        "submitted_at",
    ]
    list_filter = ["round__programme", "round", "status", "degree"]
    search_fields = ["name", "university", "major", "applicant__email"]
    list_select_related = ["round", "project"]
    raw_id_fields = ["applicant", "project"]
    readonly_fields = ["status", "certificate_number", "offered_at", "responded_at"]
    inlines = [PreferenceInline, TransitionInline]
    actions = ["screen_pass"]

    @admin.action(description=_("资格审查通过"), permissions=["change"])
    def screen_pass(self, request, queryset):
        run_service(
            self,
            request,
            queryset,
            lambda a: services.application_screen(application=a, by=request.user, passed=True),
            _("%(n)s 份报名已通过资格审查。"),
        )


for model, fields in [
    (InterviewScore, ["application", "interviewer", "score", "scored_at"]),
    (Agreement, ["application", "signed_on", "starts_on", "ends_on", "monthly_stipend"]),
    (Attendance, ["session", "application", "hours", "education_note"]),
    (Assessment, ["application", "period", "score", "assessor", "assessed_on"]),
    (FollowUp, ["application", "contacted_on", "outcome", "employer"]),
    (TrainingSession, ["title", "programme", "date", "hours", "trainer"]),
    (ServiceActivity, ["title", "project", "date", "kind", "target_group", "person_times"]),
    (ActivityPhoto, ["activity", "caption"]),
    (GrantMilestone, ["title", "grant", "due_on", "amount", "status"]),
    (PracticeParticipation, ["student_name", "base", "university", "starts_on", "ends_on"]),
]:
    admin.site.register(
        model,
        type(
            f"{model.__name__}Admin",
            (admin.ModelAdmin,),
            {
                "list_display": fields,
                "list_select_related": [f for f in fields if model._meta.get_field(f).is_relation],
                "raw_id_fields": [
                    f.name for f in model._meta.fields if f.is_relation and f.name != "pgh_obj"
                ],
            },
        ),
    )


@admin.register(StartupGrant)
class StartupGrantAdmin(AuditedAdmin):
    list_display = ["team_name", "project", "amount_requested", "amount_awarded", "status"]
    list_filter = ["status"]
    list_select_related = ["project"]
    raw_id_fields = ["project", "applied_by", "reviewed_by"]
    readonly_fields = ["status"]


@admin.register(PracticeBase)
class PracticeBaseAdmin(AuditedAdmin):
    list_display = ["name", "university", "host_community", "capacity", "agreement_ends_on"]
    list_filter = ["university"]
    search_fields = ["name", "university", "host_community"]
    raw_id_fields = ["host_station", "region"]


@admin.register(Expert)
class ExpertAdmin(AuditedAdmin):
    list_display = ["name", "domain", "county", "workplace", "available", "max_load", "active"]
    list_filter = ["domain", "available", "active", "county"]
    search_fields = ["name", "workplace"]
    list_select_related = ["county"]
    raw_id_fields = ["user"]


class ReferralAssignmentInline(admin.TabularInline):
    model = Assignment
    extra = 0
    fields = ["expert", "service", "status", "assigned_at", "responded_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Referral)
class ReferralAdmin(AuditedAdmin):
    """Only to its designated officer: no minor's data in the list, masked on the form,
    sealed ones not here at all."""

    list_display = [
        "reference",
        "referring_body",
        "body_name",
        "received_on",
        "deadline",
        "status",
        "designated_officer",
    ]
    list_filter = ["referring_body", "status"]
    search_fields = ["reference"]
    list_select_related = ["designated_officer"]
    actions = None
    fields = [
        "reference",
        "referring_body",
        "body_name",
        "case_number",
        "received_on",
        "deadline",
        "services",
        "status",
        "designated_officer",
        "minor_name_masked",
        "minor_id_number_masked",
        "minor_school_masked",
        "guardian_name_masked",
        "closure_note",
        "closed_on",
    ]
    readonly_fields = [
        "reference",
        "status",
        "services",
        "designated_officer",
        "minor_name_masked",
        "minor_id_number_masked",
        "minor_school_masked",
        "guardian_name_masked",
        "closure_note",
        "closed_on",
    ]
    inlines = [ReferralAssignmentInline]

    def get_queryset(self, request):
        return Referral.objects.visible_to(request.user).filter(sealed=False)

    def has_add_permission(self, request):
        return False  # registered on the portal, with the encrypted fields and the letter

    def has_delete_permission(self, request, obj=None):
        return False

    def _read(self, request, object_id, action: str) -> None:
        """The portal's rule and selector, and its access log: 404 unless the user may
        read the referral's personal data; a sealed one opens on the portal page only,
        where the reason is asked."""
        try:
            referral = selectors.referral_get_for_user(user=request.user, pk=int(object_id))
        except (TypeError, ValueError):
            raise Http404 from None
        if referral.sealed:
            raise Http404
        services.record_read(referral=referral, user=request.user, request=request, action=action)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        self._read(request, object_id, "view_referral_admin")
        return super().change_view(request, object_id, form_url, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        self._read(request, object_id, "view_referral_history")
        return super().history_view(request, object_id, extra_context)

    @admin.display(description=_("未成年人姓名"))
    def minor_name_masked(self, obj):
        return obj.minor_name_masked

    @admin.display(description=_("未成年人身份号码"))
    def minor_id_number_masked(self, obj):
        return obj.minor_id_number_masked

    @admin.display(description=_("就读学校"))
    def minor_school_masked(self, obj):
        return obj.minor_school_masked

    @admin.display(description=_("监护人姓名"))
    def guardian_name_masked(self, obj):
        return obj.guardian_name_masked


@admin.register(Story)
class StoryAdmin(admin.ModelAdmin):
    list_display = ["title", "status", "published_at"]
    list_filter = ["status"]
    fields = ["title", "body", "status", "published_at"]
    readonly_fields = ["status", "published_at"]
    actions = ["publish"]

    def get_queryset(self, request):
        # a draft story of a sealed case is as sealed as the case
        return (
            super()
            .get_queryset(request)
            .filter(
                Q(referral__isnull=True)
                | Q(
                    referral__in=Referral.objects.visible_to(request.user)
                    .filter(sealed=False)
                    .values("pk")
                )
            )
        )

    def save_model(self, request, obj, form, change):
        if not change:
            obj.author = request.user
        super().save_model(request, obj, form, change)

    @admin.action(description=_("检查并发布"), permissions=["change"])
    def publish(self, request, queryset):
        run_service(
            self,
            request,
            queryset,
            lambda story: services.story_publish(story=story, by=request.user),
            _("%(n)s 篇稿件已发布。"),
        )
