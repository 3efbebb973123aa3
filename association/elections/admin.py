"""The staff's tools for elections. Ballots (and their marks) are deliberately not here:
nothing in the admin can put a ballot next to a voter."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from association.admin_actions import run_service
from association.audit.admin import AuditedAdmin

from . import services
from .models import (
    Candidate,
    Election,
    ElectionOfficial,
    PaperBatch,
    Position,
    Voter,
    VoterRegister,
)


class PositionInline(admin.TabularInline):
    model = Position
    extra = 0
    fields = ["office", "seats", "outcome_text"]
    readonly_fields = ["outcome_text"]


class OfficialInline(admin.TabularInline):
    model = ElectionOfficial
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Election)
class ElectionAdmin(AuditedAdmin):
    list_display = ["title", "meeting", "round", "status", "online", "paper", "complaint_until"]
    list_filter = ["status", "online", "paper"]
    search_fields = ["title", "meeting__title"]
    list_select_related = ["meeting"]
    inlines = [PositionInline, OfficialInline]
    readonly_fields = [
        "status",
        "round",
        "previous_round",
        "voting_opened_at",
        "voting_closed_at",
        "counted_on",
        "complaint_until",
        "results_text",
        "certified_at",
        "certified_by",
    ]
    actions = ["open_voting", "close_voting", "count"]
    RULE_FIELDS = [
        "base",
        "threshold_numerator",
        "threshold_denominator",
        "threshold_strict",
        "mode",
        "complaint_days",
        "term_years",
        "candidate_good_standing",
        "candidate_min_qualification",
    ]

    def get_readonly_fields(self, request, obj=None):
        # The rules are copied from the meeting's rules when the election is created.
        return [*self.readonly_fields, *(self.RULE_FIELDS if obj is None else [])]

    def get_exclude(self, request, obj=None):
        return self.RULE_FIELDS if obj is None else []

    def save_model(self, request, obj, form, change):
        if not change:
            rules = obj.meeting.rule_set
            obj.base = rules.election_base
            obj.threshold_numerator = rules.election_numerator
            obj.threshold_denominator = rules.election_denominator
            obj.threshold_strict = rules.election_strict
            obj.mode = rules.election_mode
            obj.complaint_days = rules.complaint_days
            obj.term_years = rules.term_years
            obj.candidate_good_standing = rules.candidate_good_standing
            obj.candidate_min_qualification = rules.candidate_min_qualification
        super().save_model(request, obj, form, change)

    @admin.action(description=_("开始投票（冻结选举人名册）"))
    def open_voting(self, request, queryset):
        run_service(
            self,
            request,
            queryset,
            lambda election: services.election_open_voting(election=election, by=request.user),
            _("已开始投票：%(n)d 次选举。"),
        )

    @admin.action(description=_("结束投票"))
    def close_voting(self, request, queryset):
        run_service(
            self,
            request,
            queryset,
            lambda election: services.election_close_voting(election=election, by=request.user),
            _("已结束投票：%(n)d 次选举。"),
        )

    @admin.action(description=_("计票"))
    def count(self, request, queryset):
        run_service(
            self,
            request,
            queryset,
            lambda election: services.election_count(election=election, by=request.user),
            _("已计票：%(n)d 次选举。"),
        )


@admin.register(Candidate)
class CandidateAdmin(AuditedAdmin):
    list_display = [
        "name",
        "position",
        "affiliation",
        "eligible",
        "accepted_at",
        "votes",
        "elected",
    ]
    list_filter = ["eligible", "elected", "position__election"]
    search_fields = ["name", "affiliation"]
    list_select_related = ["position__office"]
    readonly_fields = [
        "accepted_at",
        "eligible",
        "eligibility_note",
        "votes",
        "elected",
        "tied",
        "result_note",
    ]
    raw_id_fields = ["worker"]
    actions = ["record_acceptance"]

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        # A nomination goes through the service: it checks eligibility and says why.
        candidate = services.candidate_nominate(
            position=obj.position,
            by=request.user,
            name=obj.name,
            nominated_by=obj.nominated_by,
            worker=obj.worker,
            affiliation=obj.affiliation,
            order=obj.order,
        )
        obj.pk = candidate.pk
        obj.eligible, obj.eligibility_note = candidate.eligible, candidate.eligibility_note

    @admin.action(description=_("登记候选人已书面接受提名"))
    def record_acceptance(self, request, queryset):
        run_service(
            self,
            request,
            queryset,
            lambda candidate: services.candidate_accept(candidate=candidate, by=request.user),
            _("已登记 %(n)d 名候选人接受提名。"),
        )


@admin.register(Voter)
class VoterAdmin(admin.ModelAdmin):
    list_display = ["name", "election"]
    list_filter = ["election"]
    search_fields = ["name"]
    list_select_related = ["election"]
    actions = ["issue_paper_ballot"]

    @admin.action(description=_("发放纸质选票（登记为已投票）"))
    def issue_paper_ballot(self, request, queryset):
        run_service(
            self,
            request,
            queryset.select_related("election"),
            lambda voter: services.paper_ballot_issue(
                election=voter.election, by=request.user, voter=voter
            ),
            _("已向 %(n)d 名选举人发放纸质选票。"),
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(VoterRegister)
class VoterRegisterAdmin(admin.ModelAdmin):
    """Who has voted (for the turnout and the paper reconciliation) — never how."""

    list_display = ["voter", "election", "channel"]
    fields = ["voter", "election", "channel"]
    list_filter = ["channel", "election"]
    list_select_related = ["voter", "election"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PaperBatch)
class PaperBatchAdmin(AuditedAdmin):
    list_display = ["election", "number", "status", "confirmed_by", "confirmed_at"]
    list_filter = ["status"]
    list_select_related = ["election", "confirmed_by"]
    readonly_fields = ["status", "differences", "confirmed_by", "confirmed_at"]

    def has_change_permission(self, request, obj=None):
        return False
