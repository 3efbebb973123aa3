from django.contrib import admin
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from association.admin_actions import run_service

from . import services
from .choices import RunStatus
from .models import ReportRun


@admin.register(ReportRun)
class ReportRunAdmin(admin.ModelAdmin):
    """The history of every run; files are downloaded in the portal, which checks permission."""

    list_display = [
        "created_at",
        "title",
        "format",
        "requested_by",
        "audience_role",
        "status",
        "progress",
        "attempts",
        "expires_at",
    ]
    list_filter = ["status", "report", "format", "audience_role"]
    search_fields = ["title", "requested_by__email", "schedule"]
    list_select_related = ["requested_by"]
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in ReportRun._meta.fields]
    actions = ["rebuild_failed"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("重新生成所选的失败报表"))
    def rebuild_failed(self, request, queryset):
        """A new run of each failed run that someone requested (a scheduled run comes
        back at its next schedule), each refusal reported with its run."""
        run_service(
            self,
            request,
            queryset.filter(status=RunStatus.FAILED, requested_by__isnull=False).select_related(
                "requested_by"
            ),
            services.run_rebuild,
            gettext("已重新排队 %(n)d 份报表。"),
        )
