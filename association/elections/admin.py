"""The staff's tools for elections. Ballots (and their marks) are deliberately not here:
nothing in the admin can put a ballot next to a voter."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

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


def _run(modeladmin, request, queryset, service, done):
    for election in queryset:
        try:
            service(election=election, by=request.user)
        except (ValidationError, PermissionDenied) as exc:
            modeladmin.message_user(
                request,
                f"{election}:{'; '.join(getattr(exc, 'messages', [str(exc)]))}",
                messages.ERROR,
            )
        else:
            modeladmin.message_user(request, f"{election}:{done}", messages.SUCCESS)


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

    @admin.action(description=_("开始投票(冻结选举人名册)"))
    def open_voting(self, request, queryset):
        _run(self, request, queryset, services.election_open_voting, _("已开始投票"))

    @admin.action(description=_("结束投票"))
    def close_voting(self, request, queryset):
        _run(self, request, queryset, services.election_close_voting, _("已结束投票"))

    @admin.action(description=_("计票"))
    def count(self, request, queryset):
        _run(self, request, queryset, services.election_count, _("已计票"))


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
    readonly_fields = ["eligible", "eligibility_note", "votes", "elected", "tied", "result_note"]
    raw_id_fields = ["worker"]


@admin.register(Voter)
class VoterAdmin(admin.ModelAdmin):
    list_display = ["name", "election"]
    list_filter = ["election"]
    search_fields = ["name"]
    list_select_related = ["election"]

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
