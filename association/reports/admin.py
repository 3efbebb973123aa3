from django.contrib import admin
from django.utils.translation import gettext_lazy as _

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
        from . import services

        count = 0
        for run in queryset.filter(status="failed").select_related("requested_by"):
            report = services.catalogue.get(run.report)
            if report is None or run.requested_by is None:
                continue
            services.run_create(
                report=report, user=run.requested_by, fmt=run.format, params=run.parameters
            )
            count += 1
        self.message_user(request, _("已重新排队 %(count)d 份报表。") % {"count": count})
