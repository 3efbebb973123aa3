"""The staff tool for content: write in the admin; submit, publish, unpublish and send
through actions that call the services."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from association.admin_actions import run_service, with_form
from association.audit.admin import AuditedAdmin

from . import services
from .choices import Status
from .forms import ArticleAdminForm, AttachmentForm, PublishForm, RecipientListForm, SendForm
from .models import Article, Attachment, Delivery, Distribution, RecipientList


class AttachmentInline(admin.StackedInline):
    """Stacked: each field has its label (a tabular inline's inputs have none, which
    axe-core reports as critical on the add page)."""

    model = Attachment
    form = AttachmentForm
    extra = 1
    fields = ["title", "file", "uploaded_at"]
    readonly_fields = ["uploaded_at"]


class DistributionInline(admin.TabularInline):
    model = Distribution
    extra = 0
    can_delete = False
    fields = [
        "segment", "county", "round", "recipient_list", "status", "total", "sent", "created_by",
        "created_at",
    ]  # fmt: skip
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Article)
class ArticleAdmin(AuditedAdmin):
    form = ArticleAdminForm
    list_display = ["title", "kind", "visibility", "status", "published_at", "reply_by"]
    list_filter = ["kind", "status", "visibility", "urgent"]
    search_fields = ["title", "document_number", "issuer"]
    date_hierarchy = "published_at"
    readonly_fields = ["status", "published_at", "created_by", "created_at", "updated_at"]
    inlines = [AttachmentInline, DistributionInline]
    fieldsets = [
        (None, {"fields": ["kind", "title", "slug", "summary", "body", "cover", "visibility"]}),
        (_("政策法规"), {"fields": ["issuer", "document_number", "issued_on"]}),
        (_("通知公告"), {"fields": ["urgent", "reply_by"]}),
        (
            _("发布"),
            {"fields": ["status", "published_at", "created_by", "created_at", "updated_at"]},
        ),
    ]
    actions = ["submit", "send_back", "publish", "unpublish", "send"]

    def save_model(self, request, obj, form, change):
        services.article_save(article=obj, by=request.user)

    def save_formset(self, request, form, formset, change):
        """The attachments through the services (the distributions are read-only); the
        formset's lists say what changed, for the admin's change message."""
        if formset.model is not Attachment:
            return super().save_formset(request, form, formset, change)
        saved = formset.save(commit=False)
        for attachment in formset.deleted_objects:
            services.attachment_remove(attachment, by=request.user)
        for attachment in saved:
            services.attachment_save(attachment, by=request.user)

    @admin.action(description=_("提交审核"))
    def submit(self, request, queryset):
        run_service(
            self,
            request,
            queryset,
            lambda a: services.article_submit(a, by=request.user),
            _("%(n)d 条内容已提交审核。"),
        )

    @admin.action(description=_("退回修改"))
    def send_back(self, request, queryset):
        run_service(
            self,
            request,
            queryset,
            lambda a: services.article_return(a, by=request.user),
            _("%(n)d 条内容已退回修改。"),
        )

    @admin.action(description=_("发布"))
    def publish(self, request, queryset):
        def apply(data):
            run_service(
                self,
                request,
                queryset,
                lambda a: services.article_publish(a, by=request.user, at=data.get("at")),
                _("%(n)d 条内容已发布。"),
            )

        return with_form(self, request, queryset, PublishForm, _("发布内容"), "publish", apply)

    @admin.action(description=_("撤回发布"))
    def unpublish(self, request, queryset):
        run_service(
            self,
            request,
            queryset,
            lambda a: services.article_unpublish(a, by=request.user),
            _("%(n)d 条内容已撤回。"),
        )

    @admin.action(description=_("下发通知（站内信、邮件，紧急时短信）"))
    def send(self, request, queryset):
        def apply(data):
            run_service(
                self,
                request,
                queryset,
                lambda a: services.notice_send(
                    a,
                    by=request.user,
                    segment=data["segment"],
                    county=data.get("county"),
                    round=data.get("round"),
                    recipient_list=data.get("recipient_list"),
                ),
                _("%(n)d 条通知已开始下发，可在“通知回执”页查看进度。"),
            )

        return with_form(self, request, queryset, SendForm, _("下发通知"), "send", apply)

    def has_delete_permission(self, request, obj=None):
        # Published items are withdrawn, not deleted: links and receipts keep pointing at them.
        if obj is not None and obj.status != Status.DRAFT:
            return False
        return super().has_delete_permission(request, obj)


@admin.register(Distribution)
class DistributionAdmin(AuditedAdmin):
    list_display = ["article", "segment", "county", "status", "total", "sent", "created_at"]
    list_filter = ["status", "segment"]
    list_select_related = ["article", "county"]
    readonly_fields = [f.name for f in Distribution._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Delivery)
class DeliveryAdmin(AuditedAdmin):
    list_display = ["article", "unit", "county", "user", "notified_at", "read_at", "replied_at"]
    list_filter = ["county"]
    list_select_related = ["article", "county", "user"]
    search_fields = ["unit", "article__title"]
    readonly_fields = [f.name for f in Delivery._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(RecipientList)
class RecipientListAdmin(AuditedAdmin):
    """Staff save named lists of recipients here, then send a notice to one with the
    下发通知 action (发送对象：已保存的收件人名单)."""

    form = RecipientListForm
    list_display = ["name", "note", "size", "created_by", "updated_at"]
    search_fields = ["name", "note"]
    autocomplete_fields = ["users"]
    readonly_fields = ["created_by", "created_at", "updated_at"]

    def get_queryset(self, request):
        from django.db.models import Count

        return (
            super()
            .get_queryset(request)
            .select_related("created_by")
            .annotate(size=Count("users", distinct=True))
        )

    @admin.display(description=_("人数"), ordering="size")
    def size(self, obj):
        return obj.size

    def save_model(self, request, obj, form, change):
        saved = services.recipient_list_save(
            obj if change else None,
            by=request.user,
            name=form.cleaned_data["name"],
            note=form.cleaned_data.get("note", ""),
            users=form.cleaned_data["users"],
        )
        obj.pk, obj.created_by_id = saved.pk, saved.created_by_id

    def save_related(self, request, form, formsets, change):
        """The service saved the list's members."""
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)
