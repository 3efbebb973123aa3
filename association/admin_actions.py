"""What the apps' admin actions share: run a service over the selected rows, ask for
input first when the service needs it, and show read only what a service writes. The
admin never writes past a service."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse

from .web import error_messages


class ReadOnlyMixin:
    """Rows that a service writes (elsewhere: the portal's pages, an action, a motion):
    shown here, never added, changed or deleted. For a ``ModelAdmin`` or an inline."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def run_service(modeladmin, request, queryset, call, done: str) -> int:
    """Call ``call(obj)`` for each selected row, each in its own transaction (the service's);
    report each refusal with the row it concerns, and the successes as ``done % {"n": n}``.
    Returns the number of rows done."""
    ok = 0
    for obj in queryset:
        try:
            call(obj)
        except (ValidationError, PermissionDenied) as error:
            modeladmin.message_user(
                request, f"{obj}：{' '.join(error_messages(error))}", level=messages.ERROR
            )
        else:
            ok += 1
    if ok:
        modeladmin.message_user(request, done % {"n": ok}, level=messages.SUCCESS)
    return ok


def with_form(modeladmin, request, queryset, form_class, title, action, apply):
    """An action that asks for input first (a decision's basis, a reason, a date):
    ``apply(cleaned_data)`` runs once the form is valid."""
    form = form_class(request.POST if "apply" in request.POST else None)
    if "apply" in request.POST and form.is_valid():
        apply(form.cleaned_data)
        return None
    return TemplateResponse(
        request,
        "admin/action_form.html",
        {
            **modeladmin.admin_site.each_context(request),
            "title": title,
            "form": form,
            "queryset": queryset,
            "action": action,
            "opts": modeladmin.model._meta,
        },
    )
