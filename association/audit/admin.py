from django.contrib import admin
from django.contrib.admin import helpers
from django.template.response import TemplateResponse
from django.utils.html import format_html
from django.utils.translation import gettext
from pghistory.admin import EventsAdmin as PghistoryEventsAdmin
from pghistory.admin.core import EventsChangeList
from pghistory.models import MiddlewareEvents

from .models import AccessLog

# Django's own message, looked up in Django's catalogue (a name, not a literal, so that
# makemessages leaves it out of ours).
SELECT_FOR_ACTION = "Select this object for an action - {}"


class AuditedAdmin(admin.ModelAdmin):
    """Shows the object's change history, from pghistory's triggers, on its history page."""

    def action_checkbox(self, obj):
        """Each row's checkbox for the actions: the same element as Django's, written
        directly instead of rendering a form widget through the template engine, which
        cost 0.5 ms a row, half of a 100-row change list's time at province scale."""
        label = format_html(gettext(SELECT_FOR_ACTION), str(obj))
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            helpers.ACTION_CHECKBOX_NAME,
            obj.pk,
            label,
        )

    object_history_template = "admin/audit/object_history.html"

    def history_view(self, request, object_id, extra_context=None):
        response = super().history_view(request, object_id, extra_context)
        if isinstance(response, TemplateResponse) and "object" in response.context_data:
            obj = response.context_data["object"]
            events = (
                MiddlewareEvents.objects.tracks(obj)
                .order_by("-pgh_created_at")
                .select_related("user")[:200]
            )
            response.context_data["audit_events"] = events
        return response


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    list_display = ["at", "user", "action", "object_type", "object_repr", "reason", "ip"]
    list_filter = ["action", "object_type"]
    search_fields = ["object_id", "object_repr", "user__email", "reason"]
    date_hierarchy = "at"
    list_select_related = ["user"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# Records that may be sealed (a juvenile referral and what hangs off it). Their history is
# not listed across models: it is shown only on the record's own history page, which the
# record's admin scopes to the people who may see it (a sealed referral: nobody there).
SEALABLE_MODELS = ("projects.Referral", "projects.Assignment", "projects.InvestigationReport")


class EventsList(EventsChangeList):
    """The list reads each event's when, what and who, not its row (pgh_data) or its diff
    (pgh_diff): PostgreSQL would build both for every event of every model before sorting
    out a page of 100 (23 s on the demo). Each event's own page shows them."""

    def get_queryset(self, request):
        return super().get_queryset(request).defer("pgh_data", "pgh_diff")


class EventsAdmin(PghistoryEventsAdmin):
    """pghistory's events admin (settings.PGHISTORY_ADMIN_CLASS) without sealable records."""

    list_display = ["pgh_created_at", "pgh_label", "pgh_obj_model", "pgh_obj_id", "user", "url"]

    def get_changelist(self, request, **kwargs):
        return EventsList

    def get_list_display(self, request):
        return self.list_display

    def get_queryset(self, request):
        # The list shows each event's user: fetched with the events, not one query a row.
        return (
            super()
            .get_queryset(request)
            .exclude(pgh_obj_model__in=SEALABLE_MODELS)
            .select_related("user")
        )
