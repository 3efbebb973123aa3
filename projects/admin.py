"""The staff's admin pages. State changes go through services (admin actions call them).

Referrals are special: they appear only to the user who may read them, their designated
officer (``projects.permissions``; the portal's selector, so one rule); the list shows no
minor's data, the form shows the personal fields masked only, sealed referrals never
appear here (they open on the portal page that asks for the reason), every change and
history page is written to the access log with its ground, and there is no export,
import or delete."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from association.accounts.models import User
from association.admin_actions import ReadOnlyMixin, run_service, with_form
from association.audit.admin import AuditedAdmin

from . import selectors, services
from .choices import TeamRole
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


class ReadOnlyInline(ReadOnlyMixin, admin.TabularInline):
    """Rows that a service writes: shown, never edited here."""

    extra = 0
    can_delete = False


class ReadOnlyAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Records of the graduates' pipeline and the grants: written by the services behind
    the portal pages (agreement, attendance, assessment, follow-up, milestones,
    placements), only read here."""


class NoDeleteMixin:
    """Records with a history (a programme, a round, a base, an expert): saved through
    their service, never deleted here."""

    def has_delete_permission(self, request, obj=None):
        return False


class QuotaForm(forms.Form):
    project = forms.ModelChoiceField(label=_("公益项目"), queryset=Project.objects.all())
    seats = forms.IntegerField(label=_("招募名额"), min_value=0, max_value=1000)


class TeamMemberForm(forms.Form):
    email = forms.EmailField(label=_("用户邮箱"))
    role = forms.ChoiceField(
        label=_("团队角色"),
        choices=[
            (TeamRole.LEADER, TeamRole.LEADER.label),
            (TeamRole.MENTOR, TeamRole.MENTOR.label),
        ],
    )

    def clean_email(self):
        email = self.cleaned_data["email"]
        user = User.objects.filter(email__iexact=email, is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("没有使用该邮箱的账户。"))
        self.user = user
        return email


class CompleteForm(forms.Form):
    on = forms.DateField(label=_("服务期满日期"), initial=timezone.localdate)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("原因"), widget=forms.Textarea(attrs={"rows": 3}))


class RoundInline(admin.TabularInline):
    model = RecruitmentRound
    extra = 0
    can_delete = False


class RuleInline(admin.TabularInline):
    model = EligibilityRule
    extra = 0
    can_delete = False


@admin.register(Programme)
class ProgrammeAdmin(NoDeleteMixin, AuditedAdmin):
    """The programme, its rounds and its rules are saved through their services
    (``programme_save``, ``round_save``, ``eligibility_rule_save``)."""

    list_display = ["name", "code", "status", "budget", "start_date", "end_date"]
    list_filter = ["status"]
    search_fields = ["name", "code"]
    inlines = [RoundInline, RuleInline]

    def save_model(self, request, obj, form, change):
        services.programme_save(programme=obj, by=request.user)

    def save_formset(self, request, form, formset, change):
        if formset.model is RecruitmentRound:
            save = lambda obj: services.round_save(round_=obj, by=request.user)  # noqa: E731
        else:
            save = lambda obj: services.eligibility_rule_save(rule=obj, by=request.user)  # noqa: E731
        for obj in formset.save(commit=False):
            save(obj)


class QuotaInline(ReadOnlyInline):
    model = RoundQuota


@admin.register(RecruitmentRound)
class RoundAdmin(NoDeleteMixin, admin.ModelAdmin):
    list_display = ["name", "programme", "opens_on", "closes_on"]
    list_filter = ["programme"]
    list_select_related = ["programme"]
    inlines = [QuotaInline]
    actions = ["set_quota"]

    def save_model(self, request, obj, form, change):
        services.round_save(round_=obj, by=request.user)

    @admin.action(description=_("设置项目的招募名额"), permissions=["change"])
    def set_quota(self, request, queryset):
        return with_form(
            self,
            request,
            queryset,
            QuotaForm,
            _("设置招募名额"),
            "set_quota",
            lambda data: run_service(
                self,
                request,
                queryset,
                lambda round_: services.quota_set(
                    round_=round_, project=data["project"], seats=data["seats"], by=request.user
                ),
                _("已设置 %(n)s 个批次的招募名额。"),
            ),
        )


class StepInline(ReadOnlyInline):
    """The checklist moves on the project's portal page (``step_update``)."""

    model = ProjectStep
    fields = ["step", "status", "done_on", "evidence", "note"]


class TeamInline(ReadOnlyInline):
    """Graduates join by accepting an offer; the leader and mentor through the action."""

    model = TeamMember
    fields = ["name", "role", "user", "joined_on", "left_on"]


@admin.register(Project)
class ProjectAdmin(AuditedAdmin):
    list_display = ["name", "programme", "domain", "operator", "status", "budget"]
    list_filter = ["programme", "domain", "status"]
    search_fields = ["name", "host_community"]
    list_select_related = ["programme", "operator"]
    raw_id_fields = ["operator", "host_station"]
    inlines = [StepInline, TeamInline]
    actions = ["add_team_member"]

    def save_model(self, request, obj, form, change):
        if change:
            services.project_update(project=obj, by=request.user)
        else:
            services.project_create(project=obj, by=request.user)

    @admin.action(description=_("任命团队负责人或督导"), permissions=["change"])
    def add_team_member(self, request, queryset):
        def apply(data):
            user = User.objects.get(email__iexact=data["email"], is_active=True)
            run_service(
                self,
                request,
                queryset,
                lambda project: services.team_member_add(
                    project=project, user=user, role=data["role"], by=request.user
                ),
                _("已为 %(n)s 个项目任命。"),
            )

        return with_form(
            self,
            request,
            queryset,
            TeamMemberForm,
            _("任命团队负责人或督导"),
            "add_team_member",
            apply,
        )


class PreferenceInline(ReadOnlyInline):
    model = Preference


class TransitionInline(ReadOnlyInline):
    model = ApplicationTransition
    fields = ["from_status", "to_status", "by", "at", "note"]


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
    # the pipeline's fields move through the services only (the portal's application page)
    readonly_fields = [
        "round",
        "applicant",
        "status",
        "project",
        "screening_note",
        "decision_reason",
        "offered_at",
        "responded_at",
        "completed_on",
        "certificate_number",
    ]
    inlines = [PreferenceInline, TransitionInline]
    actions = ["screen_pass", "complete", "withdraw"]

    def has_add_permission(self, request):
        return False  # graduates apply on the portal

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("资格审查通过"), permissions=["change"])
    def screen_pass(self, request, queryset):
        run_service(
            self,
            request,
            queryset,
            lambda a: services.application_screen(application=a, by=request.user, passed=True),
            _("%(n)s 份报名已通过资格审查。"),
        )

    @admin.action(description=_("办理结业（发结业证书）"), permissions=["change"])
    def complete(self, request, queryset):
        return with_form(
            self,
            request,
            queryset,
            CompleteForm,
            _("办理结业"),
            "complete",
            lambda data: run_service(
                self,
                request,
                queryset,
                lambda a: services.application_complete(
                    application=a, by=request.user, on=data["on"]
                ),
                _("%(n)s 名毕业生已结业。"),
            ),
        )

    @admin.action(description=_("撤回申请（填写原因）"), permissions=["change"])
    def withdraw(self, request, queryset):
        return with_form(
            self,
            request,
            queryset,
            ReasonForm,
            _("撤回申请"),
            "withdraw",
            lambda data: run_service(
                self,
                request,
                queryset,
                lambda a: services.application_withdraw(
                    application=a, by=request.user, reason=data["reason"]
                ),
                _("已撤回 %(n)s 份申请。"),
            ),
        )


for model, fields in [
    (InterviewScore, ["application", "interviewer", "score", "scored_at"]),
    (Agreement, ["application", "signed_on", "starts_on", "ends_on", "monthly_stipend"]),
    (Attendance, ["session", "application", "hours", "education_note"]),
    (Assessment, ["application", "period", "score", "assessor", "assessed_on"]),
    (FollowUp, ["application", "contacted_on", "outcome", "employer"]),
    (ServiceActivity, ["title", "project", "date", "kind", "target_group", "person_times"]),
    (ActivityPhoto, ["activity", "caption"]),
    (GrantMilestone, ["title", "grant", "due_on", "amount", "status", "payment_reference"]),
    (PracticeParticipation, ["student_name", "base", "university", "starts_on", "ends_on"]),
]:
    admin.site.register(
        model,
        type(
            f"{model.__name__}Admin",
            (ReadOnlyAdmin,),
            {
                "list_display": fields,
                "list_select_related": [f for f in fields if model._meta.get_field(f).is_relation],
            },
        ),
    )


@admin.register(TrainingSession)
class TrainingSessionAdmin(admin.ModelAdmin):
    """Sessions are added here or on the programme's training page (the service); their
    attendance is taken on the portal, ticking the attendees."""

    list_display = ["title", "programme", "date", "hours", "trainer"]
    list_filter = ["programme"]
    list_select_related = ["programme"]

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        services.training_session_create(session=obj, by=request.user)


@admin.register(StartupGrant)
class StartupGrantAdmin(AuditedAdmin):
    list_display = ["team_name", "project", "amount_requested", "amount_awarded", "status"]
    list_filter = ["status"]
    list_select_related = ["project"]
    readonly_fields = [
        "project",
        "team_name",
        "plan",
        "amount_requested",
        "amount_awarded",
        "status",
        "applied_by",
        "applied_on",
        "reviewed_by",
        "review_note",
        "decided_on",
    ]
    actions = ["review_start", "reject"]

    def has_add_permission(self, request):
        return False  # the team applies on the project's grant page

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("开始评审"), permissions=["change"])
    def review_start(self, request, queryset):
        run_service(
            self,
            request,
            queryset,
            lambda grant: services.grant_review_start(grant=grant, by=request.user),
            _("%(n)s 份创业资助申请进入评审。"),
        )

    @admin.action(description=_("不予资助（填写评审意见）"), permissions=["change"])
    def reject(self, request, queryset):
        return with_form(
            self,
            request,
            queryset,
            ReasonForm,
            _("不予资助"),
            "reject",
            lambda data: run_service(
                self,
                request,
                queryset,
                lambda grant: services.grant_decide(
                    grant=grant, by=request.user, award=False, note=data["reason"]
                ),
                _("%(n)s 份创业资助申请不予资助。"),
            ),
        )


@admin.register(PracticeBase)
class PracticeBaseAdmin(NoDeleteMixin, AuditedAdmin):
    list_display = ["name", "university", "host_community", "capacity", "agreement_ends_on"]
    list_filter = ["university"]
    search_fields = ["name", "university", "host_community"]
    raw_id_fields = ["host_station", "region"]

    def save_model(self, request, obj, form, change):
        services.practice_base_save(base=obj, by=request.user)


@admin.register(Expert)
class ExpertAdmin(NoDeleteMixin, AuditedAdmin):
    """Enrolled and amended through ``expert_save``; an expert who leaves the pool is
    marked 不在库 (their assignments stay)."""

    list_display = ["name", "domain", "county", "workplace", "available", "max_load", "active"]
    list_filter = ["domain", "available", "active", "county"]
    search_fields = ["name", "workplace"]
    list_select_related = ["county"]
    raw_id_fields = ["user"]

    def save_model(self, request, obj, form, change):
        services.expert_save(expert=obj, by=request.user)


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
        services.story_save(story=obj, by=request.user)

    @admin.action(description=_("检查并发布"), permissions=["change"])
    def publish(self, request, queryset):
        run_service(
            self,
            request,
            queryset,
            lambda story: services.story_publish(story=story, by=request.user),
            _("%(n)s 篇稿件已发布。"),
        )
