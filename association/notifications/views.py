from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from association.web import paginate

from . import selectors, services
from .filters import NotificationFilter
from .forms import PreferencesForm

INBOX_PAGE_SIZE = 20


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    filterset = NotificationFilter(
        request.GET, queryset=selectors.notification_list(user=request.user)
    )
    page = paginate(request, filterset.qs, per_page=INBOX_PAGE_SIZE)
    return render(
        request,
        "notifications/inbox.html",
        {
            "filter": filterset,
            "page": page,
            "only_unread": bool(filterset.form.cleaned_data.get("unread")),
        },
    )


@login_required
@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    notification = selectors.notification_get_for_user(user=request.user, pk=pk)
    services.notification_mark_read(notification=notification)
    target = notification.url
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("notifications:inbox")


@login_required
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    services.notifications_mark_all_read(user=request.user)
    return redirect("notifications:inbox")


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    """How the user hears about each kind of notification."""
    current = selectors.preferences_of(user=request.user)
    form = PreferencesForm(request.POST or None, current=current)
    if request.method == "POST" and form.is_valid():
        services.preferences_save(user=request.user, channels=form.channels())
        messages.success(request, _("通知方式已保存。"))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})
