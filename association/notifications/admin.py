from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from . import services
from .models import DigestItem, Notification, NotificationPreference, OutboxEmail


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "user", "kind", "title", "read_at"]
    list_filter = ["kind"]
    search_fields = ["title", "user__email"]
    list_select_related = ["user"]
    date_hierarchy = "created_at"
    readonly_fields = ["user", "kind", "title", "body", "url", "created_at", "read_at"]

    def has_add_permission(self, request):
        return False


@admin.register(OutboxEmail)
class OutboxEmailAdmin(admin.ModelAdmin):
    list_display = ["created_at", "to", "subject", "status", "attempts", "sent_at"]
    list_filter = ["status"]
    search_fields = ["to", "subject"]
    readonly_fields = [
        "to",
        "subject",
        "body",
        "notification",
        "attempts",
        "last_error",
        "created_at",
        "sent_at",
    ]
    actions = ["retry"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("重新发送所选邮件"))
    def retry(self, request, queryset):
        services.outbox_retry(queryset)


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "in_app", "email", "digest"]
    list_filter = ["kind", "in_app", "email", "digest"]
    search_fields = ["user__email"]
    list_select_related = ["user"]


@admin.register(DigestItem)
class DigestItemAdmin(admin.ModelAdmin):
    list_display = ["created_at", "user", "kind", "title", "sent_at"]
    list_filter = ["kind"]
    search_fields = ["title", "user__email"]
    list_select_related = ["user"]
    readonly_fields = ["user", "kind", "title", "body", "url", "created_at", "sent_at"]

    def has_add_permission(self, request):
        return False
