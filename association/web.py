"""What the apps' views share: one pagination, one way to show a service's refusal."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.utils.translation import gettext as _

PAGE_SIZE = 30


def paginate(request, queryset, per_page: int = PAGE_SIZE) -> Page:
    """The page that ``?page=`` asks for (the last one if past the end, the first if not a
    number); templates show it with ``includes/pagination.html``. The queryset must be
    ordered, or pages overlap."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def error_messages(error: ValidationError | PermissionDenied) -> list[str]:
    """The sentences of a service's refusal, for a message or a form."""
    return getattr(error, "messages", None) or [str(error) or _("没有权限。")]


def show_errors(request, error: ValidationError | PermissionDenied) -> None:
    """Show a service's refusal on the next page as error messages."""
    for message in error_messages(error):
        messages.error(request, message)


def form_errors(form, error: ValidationError) -> None:
    """Put a service's refusal on the form: on its field where it names one."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
