"""Portal pages of elections: thin, each calls a selector or one service."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from association.accounts.roles import is_association_staff
from association.exports import attach, download_name
from association.files import private_file_response
from association.governance.choices import MeetingStatus
from association.web import paginate, show_errors

from . import documents, selectors, services
from .choices import ElectionStatus, OfficialRole
from .forms import TallyForm
from .models import Candidate, Position


@login_required
def election_list(request: HttpRequest) -> HttpResponse:
    page = paginate(request, selectors.my_elections(user=request.user), 20)
    return render(request, "elections/election_list.html", {"page": page})


@login_required
def election_detail(request: HttpRequest, pk: int) -> HttpResponse:
    election = selectors.election_get_for_user(user=request.user, pk=pk)
    voter = selectors.voter_of(election, request.user)
    return render(
        request,
        "elections/election_detail.html",
        {
            "election": election,
            "staff": is_association_staff(request.user),
            "voter": voter,
            "voted": selectors.has_voted(election, voter),
            "role": selectors.official_role(election, request.user),
            "voters": election.voters.count(),
            "turnout": election.register.count(),
            "reconciliation": selectors.paper_reconciliation(election) if election.paper else None,
        },
    )


ACTIONS = {
    "open": (services.election_open_voting, _("投票已开始，选举人名册已冻结。")),
    "close": (services.election_close_voting, _("投票已结束。")),
    "count": (services.election_count, _("计票完成，进入异议期。")),
    "certify": (services.election_certify, _("选举结果已确认，当选人员已任职。")),
    "further": (services.election_further_round, _("已安排另行选举。")),
}


@require_POST
@login_required
def election_action(request: HttpRequest, pk: int) -> HttpResponse:
    election = selectors.election_get_for_user(user=request.user, pk=pk)
    action = ACTIONS.get(request.POST.get("action"))
    if action is None:
        raise Http404
    # Staff run the election; the presiding officer certifies (the service checks who).
    if not is_association_staff(request.user) and request.POST.get("action") != "certify":
        raise Http404
    service, done = action
    try:
        result = service(election=election, by=request.user)
        messages.success(request, done)
        if request.POST.get("action") == "further":
            return redirect("elections:election_detail", pk=result.pk)
    except (ValidationError, PermissionDenied) as exc:
        show_errors(request, exc)
    return redirect("elections:election_detail", pk=election.pk)


@never_cache
@login_required
def vote(request: HttpRequest, pk: int) -> HttpResponse:
    """The online ballot. After a successful vote the tracking code is shown once, in
    this response only: it is stored nowhere that links it to the voter."""
    election = selectors.election_get_for_user(user=request.user, pk=pk)
    voter = selectors.voter_of(election, request.user)
    if voter is None:
        raise Http404
    if request.method == "POST":
        choices, against, write_ins = {}, {}, {}
        for position in election.positions.all():
            if position.equal:
                # 等额：each candidate 赞成，反对 or 弃权 (left blank counts as 弃权).
                marks = {
                    c.pk: request.POST.get(f"mark-{c.pk}", "") for c in position.candidates.all()
                }
                choices[position.pk] = [pk for pk, m in marks.items() if m == "yes"]
                against[position.pk] = [pk for pk, m in marks.items() if m == "no"]
            else:
                ids = request.POST.getlist(f"position-{position.pk}")
                choices[position.pk] = [int(i) for i in ids if i.isdigit()]
            if election.write_ins:
                write_ins[position.pk] = request.POST.getlist(f"writein-{position.pk}")
        try:
            code = services.ballot_cast(
                election=election,
                by=request.user,
                choices=choices,
                against=against,
                write_ins=write_ins,
            )
        except (ValidationError, PermissionDenied) as exc:
            show_errors(request, exc)
        else:
            return render(request, "elections/vote_done.html", {"election": election, "code": code})
    return render(
        request,
        "elections/vote_form.html",
        {"election": election, "voted": selectors.has_voted(election, voter)},
    )


def tracking_codes(request: HttpRequest, pk: int) -> HttpResponse:
    """Public after the close: every counted ballot's tracking code (inclusion, not content)."""
    election = selectors.election_published(pk=pk)
    codes = selectors.tracking_codes(election)
    wanted = request.GET.get("code", "").strip()
    found = codes.filter(tracking_code=wanted).exists() if wanted else None
    page = paginate(request, codes, 50)
    return render(
        request,
        "elections/tracking_codes.html",
        {"election": election, "page": page, "wanted": wanted, "found": found},
    )


def results(request: HttpRequest, pk: int) -> HttpResponse:
    election = selectors.election_results_for_user(user=request.user, pk=pk)
    return render(request, "elections/results.html", {"election": election})


def results_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The certified announcement is served as stored at certification (rendering it per
    request let anonymous visitors tie up the workers); staff looking at a count not yet
    certified get it rendered, unstored, since it may still change."""
    election = selectors.election_results_for_user(user=request.user, pk=pk)
    filename = download_name(_("选举结果公告"), election.title, "pdf")
    if election.status == ElectionStatus.CERTIFIED:
        return private_file_response(
            services.results_pdf_file(election=election), filename=filename
        )
    response = HttpResponse(documents.results_pdf(election), content_type="application/pdf")
    attach(response, filename)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def batch_list(request: HttpRequest, pk: int) -> HttpResponse:
    election = selectors.election_for_officials(user=request.user, pk=pk)
    if request.method == "POST":
        try:
            services.batch_create(election=election, by=request.user)
            messages.success(request, _("已新增一个批次。"))
        except (ValidationError, PermissionDenied) as exc:
            show_errors(request, exc)
        return redirect("elections:batch_list", pk=election.pk)
    return render(
        request,
        "elections/batch_list.html",
        {
            "election": election,
            "batches": selectors.batch_list(election),
            "role": selectors.official_role(election, request.user),
            "reconciliation": selectors.paper_reconciliation(election),
        },
    )


@login_required
def batch_enter(request: HttpRequest, pk: int) -> HttpResponse:
    batch = selectors.batch_for_officials(user=request.user, pk=pk)
    if selectors.official_role(batch.election, request.user) != OfficialRole.TELLER:
        raise Http404
    positions = (
        Position.objects.filter(election=batch.election)
        .select_related("office")
        .prefetch_related(
            Prefetch("candidates", queryset=Candidate.objects.order_by("order", "id"))
        )
        .order_by("office__order", "id")
    )
    form = TallyForm(request.POST or None, positions=positions, write_ins=batch.election.write_ins)
    if request.method == "POST" and form.is_valid():
        try:
            batch = services.tally_enter(
                batch=batch,
                by=request.user,
                copy=form.cleaned_data["copy"],
                ballots=form.cleaned_data["ballots"],
                invalid=form.cleaned_data["invalid"],
                votes=form.votes(),
                against=form.against(),
                abstain=form.abstain(),
                write_ins=form.write_ins(),
            )
            messages.success(request, batch.get_status_display())
            return redirect("elections:batch_list", pk=batch.election_id)
        except (ValidationError, PermissionDenied) as exc:
            show_errors(request, exc)
    return render(request, "elections/batch_enter.html", {"batch": batch, "form": form})


@require_POST
@login_required
def batch_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    batch = selectors.batch_for_officials(user=request.user, pk=pk)
    if selectors.official_role(batch.election, request.user) != OfficialRole.SCRUTINEER:
        raise Http404
    try:
        services.batch_confirm(batch=batch, by=request.user)
        messages.success(request, _("批次已确认。"))
    except (ValidationError, PermissionDenied) as exc:
        show_errors(request, exc)
    return redirect("elections:batch_list", pk=batch.election_id)


@login_required
def meeting_minutes_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_for_staff(user=request.user, pk=pk)
    if meeting.status != MeetingStatus.CLOSED:
        raise Http404
    response = HttpResponse(documents.minutes_pdf(meeting), content_type="application/pdf")
    attach(response, download_name(_("会议纪要"), meeting.title, "pdf"))
    return response


@login_required
def filing_pack(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_for_staff(user=request.user, pk=pk)
    if meeting.status != MeetingStatus.CLOSED:
        raise Http404
    response = HttpResponse(documents.filing_pack(meeting), content_type="application/zip")
    attach(response, download_name(_("会议归档材料"), meeting.title, "zip"))
    return response
