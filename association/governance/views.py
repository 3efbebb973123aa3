"""Portal pages of governance: thin, each calls a selector or one service."""

from __future__ import annotations

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from association.accounts.roles import is_association_staff
from association.files import private_file_response
from association.web import paginate, show_errors

from . import selectors, services
from .choices import MotionStatus, VoteChoice
from .filters import AttendeeFilter
from .forms import CountsForm, MinutesForm, MotionForm, ProxyForm

# --- Public: documents and offices -------------------------------------------------------


def document_list(request: HttpRequest) -> HttpResponse:
    documents = selectors.documents_current()
    return render(request, "governance/document_list.html", {"documents": documents})


def version_detail(request: HttpRequest, pk: int) -> HttpResponse:
    version = selectors.version_get_for_user(user=request.user, pk=pk)
    history = selectors.version_history(version, user=request.user)
    return render(
        request, "governance/version_detail.html", {"version": version, "history": history}
    )


def version_diff(request: HttpRequest, pk: int) -> HttpResponse:
    version = selectors.version_get_for_user(user=request.user, pk=pk)
    previous = (
        selectors.version_history(version, user=request.user)
        .filter(number__lt=version.number)
        .first()
    )
    if previous is None:
        raise Http404
    return render(
        request,
        "governance/version_diff.html",
        {
            "version": version,
            "previous": previous,
            "diff": selectors.version_diff_html(previous, version),
        },
    )


def version_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    version = selectors.version_get_for_user(user=request.user, pk=pk)
    if not version.pdf:
        raise Http404
    return private_file_response(
        version.pdf, filename=f"{version.document.title}-v{version.number}.pdf"
    )


def officers(request: HttpRequest) -> HttpResponse:
    offices = selectors.offices_with_current()
    return render(request, "governance/office_list.html", {"offices": offices})


def office_history(request: HttpRequest) -> HttpResponse:
    page = paginate(request, selectors.office_history())
    return render(request, "governance/office_history.html", {"page": page})


# --- Meetings --------------------------------------------------------------------------


@login_required
def meeting_list(request: HttpRequest) -> HttpResponse:
    page = paginate(request, selectors.meeting_list(user=request.user), 20)
    return render(request, "governance/meeting_list.html", {"page": page})


@login_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get_for_user(user=request.user, pk=pk)
    staff = is_association_staff(request.user)
    context = {
        "meeting": meeting,
        "staff": staff,
        "quorum": selectors.meeting_quorum(meeting) if meeting.decides else None,
        "presence": selectors.meeting_presence(meeting),
        "motions": selectors.motion_list(meeting=meeting),
        "talks": meeting.talks.all(),
        "me": selectors.attendance_of(meeting=meeting, user=request.user),
        "elections": meeting.elections.order_by("round", "id"),
    }
    if staff:
        context["motion_form"] = MotionForm()
        context["counts_form"] = CountsForm()
        context["minutes_form"] = MinutesForm(initial={"minutes": meeting.minutes})
    return render(request, "governance/meeting_detail.html", context)


@never_cache
@login_required
def meeting_quorum(request: HttpRequest, pk: int) -> HttpResponse:
    """The live quorum meter (an htmx partial, polled every few seconds)."""
    meeting = selectors.meeting_get_for_user(user=request.user, pk=pk)
    return render(
        request,
        "governance/includes/quorum_meter.html",
        {
            "meeting": meeting,
            "quorum": selectors.meeting_quorum(meeting),
            "presence": selectors.meeting_presence(meeting),
        },
    )


@require_POST
@login_required
def meeting_action(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get_for_staff(user=request.user, pk=pk)
    action = request.POST.get("action")
    try:
        if action == "notice":
            meeting, warning = services.meeting_send_notice(meeting=meeting, by=request.user)
            if warning:
                messages.warning(request, warning)
            else:
                messages.success(request, _("会议通知已发给应到人员。"))
        elif action == "open":
            services.meeting_open(meeting=meeting, by=request.user)
            messages.success(request, _("会议已开始，应到人员名单已冻结。"))
        elif action == "close":
            form = MinutesForm(request.POST)
            minutes = form.cleaned_data["minutes"] if form.is_valid() else None
            services.meeting_close(meeting=meeting, by=request.user, minutes=minutes)
            messages.success(request, _("会议已闭会。"))
        else:
            raise Http404
    except (ValidationError, PermissionDenied) as exc:
        show_errors(request, exc)
    return redirect("governance:meeting_detail", pk=meeting.pk)


@login_required
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get_for_staff(user=request.user, pk=pk)
    rows = AttendeeFilter(request.GET, queryset=selectors.attendee_list(meeting=meeting)).qs
    form = ProxyForm(meeting=meeting)
    return render(
        request,
        "governance/attendee_list.html",
        {
            "meeting": meeting,
            "page": paginate(request, rows, 50),
            "query": request.GET.get("q", "").strip(),
            "proxy_form": form,
            "proxies": selectors.proxy_list(meeting=meeting),
            "presence": selectors.meeting_presence(meeting),
        },
    )


@require_POST
@login_required
def attendee_check_in(request: HttpRequest, pk: int) -> HttpResponse:
    attendee = selectors.attendee_get_for_staff(user=request.user, pk=pk)
    try:
        services.attendee_check_in(attendee=attendee, by=request.user)
        messages.success(request, _("%(name)s 已签到。") % {"name": attendee.name})
    except (ValidationError, PermissionDenied) as exc:
        show_errors(request, exc)
    return redirect(
        reverse("governance:attendance", args=[attendee.meeting_id])
        + (f"?page={request.POST['page']}" if request.POST.get("page", "").isdigit() else "")
    )


@require_POST
@login_required
def proxy_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get_for_staff(user=request.user, pk=pk)
    form = ProxyForm(request.POST, request.FILES, meeting=meeting)
    if form.is_valid():
        try:
            services.proxy_register(
                meeting=meeting,
                grantor=form.cleaned_data["grantor"],
                holder=form.cleaned_data["holder"],
                letter=form.cleaned_data["letter"],
                by=request.user,
            )
            messages.success(request, _("委托书已登记。"))
        except (ValidationError, PermissionDenied) as exc:
            show_errors(request, exc)
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("governance:attendance", pk=meeting.pk)


@login_required
def checkin_qr(request: HttpRequest, pk: int) -> HttpResponse:
    """The code shown at the door: representatives scan it and confirm on their phone."""
    meeting = selectors.meeting_get_for_staff(user=request.user, pk=pk)
    url = request.build_absolute_uri(
        reverse("governance:checkin", args=[services.checkin_token(meeting)])
    )
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=12)
    svg = image.to_string(encoding="unicode")
    return render(
        request, "governance/checkin_qr.html", {"meeting": meeting, "svg": svg, "url": url}
    )


@login_required
def checkin(request: HttpRequest, token: str) -> HttpResponse:
    meeting_id = services.checkin_token_meeting_id(token)
    if meeting_id is None:
        raise Http404
    meeting = selectors.meeting_get_for_user(user=request.user, pk=meeting_id)
    attendee = selectors.attendance_of(meeting=meeting, user=request.user)
    if attendee is None:
        raise Http404
    if request.method == "POST":
        try:
            attendee = services.attendee_self_check_in(meeting=meeting, by=request.user)
            messages.success(request, _("签到成功，欢迎参会。"))
            return redirect("governance:meeting_detail", pk=meeting.pk)
        except (ValidationError, PermissionDenied) as exc:
            show_errors(request, exc)
    return render(request, "governance/checkin.html", {"meeting": meeting, "attendee": attendee})


@require_POST
@login_required
def motion_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get_for_staff(user=request.user, pk=pk)
    form = MotionForm(request.POST)
    if form.is_valid():
        try:
            services.motion_create(meeting=meeting, by=request.user, **form.cleaned_data)
            messages.success(request, _("议案已列入议程。"))
        except (ValidationError, PermissionDenied) as exc:
            show_errors(request, exc)
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("governance:meeting_detail", pk=meeting.pk)


@require_POST
@login_required
def motion_vote(request: HttpRequest, pk: int) -> HttpResponse:
    """Open the vote on a motion, or record its counted votes."""
    motion = selectors.motion_get_for_staff(user=request.user, pk=pk)
    try:
        if motion.status == MotionStatus.DRAFT:
            services.motion_open_vote(motion=motion, by=request.user)
            messages.success(request, _("表决开始，到会人数已冻结。"))
        else:
            form = CountsForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("请填写赞成、反对、弃权票数。"))
            outcome = services.motion_record_counts(
                motion=motion, by=request.user, **form.cleaned_data
            )
            messages.success(request, outcome.text)
    except (ValidationError, PermissionDenied) as exc:
        show_errors(request, exc)
    return redirect("governance:meeting_detail", pk=motion.meeting_id)


@login_required
def motion_named(request: HttpRequest, pk: int) -> HttpResponse:
    """The roll call of a named vote: each person present (or represented by a proxy)
    and their vote. One form for the whole roll, as the clerk calls it."""
    motion = selectors.motion_get_for_staff(user=request.user, pk=pk)
    if motion.vote_method != "named" or motion.status != MotionStatus.VOTING:
        raise Http404
    voters = selectors.named_voters(motion=motion)
    choices = VoteChoice.values
    if request.method == "POST":
        votes = {
            voter.pk: request.POST[f"a{voter.pk}"]
            for voter in voters
            if request.POST.get(f"a{voter.pk}") in choices
        }
        try:
            outcome = services.motion_record_named(motion=motion, by=request.user, votes=votes)
            messages.success(request, outcome.text)
            return redirect("governance:meeting_detail", pk=motion.meeting_id)
        except (ValidationError, PermissionDenied) as exc:
            show_errors(request, exc)
    return render(
        request,
        "governance/motion_named.html",
        {"motion": motion, "voters": voters, "choices": VoteChoice.choices},
    )
