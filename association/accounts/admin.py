from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import services
from .forms import MFAResetForm, RegionForm
from .models import User
from .roles import is_association_staff


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "display_name", "mobile", "is_staff", "is_active", "date_joined"]
    list_filter = ["is_staff", "is_superuser", "is_active", "groups"]
    search_fields = ["email", "display_name", "mobile"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (gettext_lazy("个人信息"), {"fields": ["display_name", "mobile", "mobile_verified"]}),
        (
            gettext_lazy("权限"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (gettext_lazy("重要日期"), {"fields": ["last_login", "date_joined"]}),
        (gettext_lazy("民政部门"), {"fields": ["region"]}),
    ]
    add_fieldsets = [
        (
            None,
            {"classes": ["wide"], "fields": ["email", "display_name", "password1", "password2"]},
        ),
    ]
    # The region is set on its own page, through accounts.services.user_set_region.
    readonly_fields = ["last_login", "date_joined", "region"]
    change_form_template = "admin/accounts/user/change_form.html"

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/mfa-code/", view(self.mfa_code_view), name="accounts_user_mfa_code"),
            path("<int:pk>/mfa-reset/", view(self.mfa_reset_view), name="accounts_user_mfa_reset"),
            path("<int:pk>/region/", view(self.region_view), name="accounts_user_region"),
            *super().get_urls(),
        ]

    def _target(self, request, pk):
        if not is_association_staff(request.user):
            raise PermissionDenied
        return get_object_or_404(User, pk=pk)

    def _back(self, user):
        return redirect(reverse("admin:accounts_user_change", args=[user.pk]))

    def mfa_code_view(self, request, pk):
        """Issue a one-time enrolment code for another person (shown here once)."""
        user = self._target(request, pk)
        if request.method == "POST":
            try:
                code = services.enrolment_code_issue(user=user, by=request.user, request=request)
            except (PermissionDenied, ValidationError) as exc:
                messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
                return self._back(user)
            return TemplateResponse(
                request,
                "admin/accounts/user/mfa_code.html",
                {
                    **self.admin_site.each_context(request),
                    "target": user,
                    "code": code,
                    "opts": self.model._meta,
                    "title": _("两步验证启用码"),
                },
            )
        return TemplateResponse(
            request,
            "admin/accounts/user/mfa_code.html",
            {
                **self.admin_site.each_context(request),
                "target": user,
                "code": None,
                "opts": self.model._meta,
                "title": _("签发两步验证启用码"),
            },
        )

    def mfa_reset_view(self, request, pk):
        """Remove a lost authenticator: another staff member, with a reason, logged."""
        user = self._target(request, pk)
        form = MFAResetForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.mfa_reset(
                    user=user, by=request.user, reason=form.cleaned_data["reason"], request=request
                )
            except (PermissionDenied, ValidationError) as exc:
                messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
                return self._back(user)
            messages.success(
                request,
                _("已重置 %(user)s 的两步验证并结束其全部登录会话；请为其签发启用码重新设置。")
                % {"user": user},
            )
            return self._back(user)
        return TemplateResponse(
            request,
            "admin/accounts/user/mfa_reset.html",
            {
                **self.admin_site.each_context(request),
                "target": user,
                "form": form,
                "opts": self.model._meta,
                "title": _("重置两步验证"),
            },
        )

    def region_view(self, request, pk):
        """An official's jurisdiction: a city or county of the association's area."""
        user = self._target(request, pk)
        form = RegionForm(request.POST or None, initial={"region": user.region_id})
        if request.method == "POST" and form.is_valid():
            try:
                services.user_set_region(
                    user=user, region=form.cleaned_data["region"], by=request.user
                )
            except (PermissionDenied, ValidationError) as exc:
                messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
                return self._back(user)
            messages.success(request, _("已保存 %(user)s 的所辖区划。") % {"user": user})
            return self._back(user)
        return TemplateResponse(
            request,
            "admin/accounts/user/region.html",
            {
                **self.admin_site.each_context(request),
                "target": user,
                "form": form,
                "opts": self.model._meta,
                "title": _("设置所辖区划"),
            },
        )
