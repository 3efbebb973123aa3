"""The public site, the notices a user received, and staff's receipt tables. Thin: a
selector to read, a service to change, a template to show."""

from __future__ import annotations

import mimetypes
from pathlib import PurePath

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from association.accounts.roles import require_staff
from association.files import private_file_response
from association.web import form_errors, paginate, show_errors

from . import conf, documents, selectors, services
from .choices import Kind, ReceiptState, SendStatus
from .forms import ReplyForm, SearchForm, VerifyForm
from .models import Attachment
from .rendering import render_markdown


def _query(request) -> str:
    form = SearchForm(request.GET)
    return form.cleaned_data["q"].strip() if form.is_valid() else ""


# --- Home --------------------------------------------------------------------------------
def portal_home(request: HttpRequest) -> HttpResponse:
    """``/``: the public site's home for visitors, the portal's home for signed-in users."""
    if request.user.is_authenticated:
        from association.views import home as portal

        return portal(request)
    return home(request)


def _home_body(request) -> str:
    return render_to_string(
        "content/_home_body.html",
        {
            "news": selectors.latest(user=request.user, kind=Kind.NEWS, n=6),
            "notices": selectors.latest(user=request.user, kind=Kind.NOTICE, n=6),
            "policies": selectors.latest(user=request.user, kind=Kind.POLICY, n=4),
            "figures": selectors.key_figures(),
        },
        request=None,
    )


def home(request: HttpRequest) -> HttpResponse:
    """The association's name and purpose, the latest items and the key figures. For
    anonymous visitors the body is cached (one cache read) until something is published."""
    if request.user.is_authenticated:
        body = _home_body(request)
    else:
        body = cache.get(conf.HOME_CACHE_KEY)
        if body is None:
            body = _home_body(request)
            seconds = selectors.home_cache_seconds(conf.HOME_CACHE_SECONDS)
            cache.set(conf.HOME_CACHE_KEY, body, seconds)
    return render(request, "content/home.html", {"body": body})


# --- Articles ----------------------------------------------------------------------------
KIND_SLUGS = {
    "news": Kind.NEWS,
    "notices": Kind.NOTICE,
    "policies": Kind.POLICY,
    "disclosures": Kind.DISCLOSURE,
}


def article_list(request: HttpRequest, section: str) -> HttpResponse:
    kind = KIND_SLUGS.get(section)
    if kind is None:
        raise Http404
    query = _query(request)
    page = paginate(request, selectors.article_list(user=request.user, kind=kind, query=query))
    return render(
        request,
        "content/article_list.html",
        {"page": page, "kind": kind, "kind_label": Kind(kind).label, "q": query},
    )


def article_detail(request: HttpRequest, slug: str) -> HttpResponse:
    article = selectors.article_get_for_user(user=request.user, slug=slug)
    delivery = None
    if request.user.is_authenticated:
        delivery = article.deliveries.filter(user=request.user).first()
    return render(
        request,
        "content/article_detail.html",
        {"article": article, "delivery": delivery, "body_html": render_markdown(article.body)},
    )


def cover(request: HttpRequest, slug: str) -> HttpResponse:
    """A cover image, inline, for whoever may see its article."""
    article = selectors.article_get_for_user(user=request.user, slug=slug)
    if not article.cover:
        raise Http404
    name = PurePath(article.cover.name).name
    response = FileResponse(
        article.cover.open("rb"),
        content_type=mimetypes.guess_type(name)[0] or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def attachment(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(Attachment.objects.select_related("article"), pk=pk)
    selectors.article_get_for_user(user=request.user, slug=item.article.slug)
    extension = PurePath(item.file.name).suffix
    return private_file_response(item.file, filename=f"{item.title}{extension}")


# --- Other public pages ------------------------------------------------------------------
def disclosure(request: HttpRequest) -> HttpResponse:
    """信息公开：the charter and adopted documents, council and officers, dues standards,
    and the annual report and statements as staff publish them."""
    from association.governance.selectors import documents_current

    return render(
        request,
        "content/disclosure.html",
        {
            "documents": documents_current(),
            "standards": selectors.dues_standards_current(),
            "elections": selectors.elections_certified(),
            "disclosures": selectors.latest(user=request.user, kind=Kind.DISCLOSURE, n=20),
        },
    )


def directory(request: HttpRequest) -> HttpResponse:
    query = _query(request)
    page = paginate(request, selectors.directory_list(query=query))
    entries = [selectors.directory_entry(organisation) for organisation in page]
    return render(request, "content/directory.html", {"page": page, "entries": entries, "q": query})


def stations(request: HttpRequest) -> HttpResponse:
    return render(request, "content/stations.html", {"counties": selectors.stations_by_county()})


def story_list(request: HttpRequest) -> HttpResponse:
    page = paginate(request, selectors.stories_published())
    return render(request, "content/story_list.html", {"page": page})


def story_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "content/story_detail.html", {"story": selectors.story_get(pk)})


def verify(request: HttpRequest) -> HttpResponse:
    form = VerifyForm(request.GET or None)
    if form.is_valid():
        return redirect("verify", code=form.cleaned_data["code"].strip())
    return render(request, "content/verify.html", {"form": form})


def search(request: HttpRequest) -> HttpResponse:
    query = _query(request)
    articles, organisations = [], []
    if query:
        articles = list(selectors.article_list(user=request.user, query=query)[:50])
        organisations = [
            selectors.directory_entry(o) for o in selectors.directory_list(query=query)[:20]
        ]
    return render(
        request,
        "content/search.html",
        {"q": query, "articles": articles, "organisations": organisations},
    )


# The portal's own prefixes: no crawler needs them (the public pages among them are allowed).
ROBOTS_DISALLOW = [
    "/admin/", "/accounts/", "/members/", "/stations/", "/projects/", "/governance/",
    "/elections/", "/finance/", "/reports/", "/notifications/", "/verify/", "/health/", "/i18n/",
]  # fmt: skip


def robots(request: HttpRequest) -> HttpResponse:
    """``/robots.txt``: crawlers may read the public site and the public pages of other apps;
    the portal, the admin, accounts, inboxes and certificates' pages are not for them. The
    notices' inbox and receipts come first for crawlers that take the first matching line
    (the others take the longest)."""
    return render(
        request,
        "content/robots.txt",
        {
            "disallow_first": [
                reverse("content:inbox"),
                reverse("content:notice_list"),
                reverse("content:search"),
            ],
            "allow": [
                "/$",
                reverse("content:home"),
                reverse("governance:document_list"),
                reverse("governance:officers"),
                reverse("projects:round_list"),
                reverse("members:apply"),
                "/elections/*/results/",
            ],
            "disallow": ROBOTS_DISALLOW,
            "sitemap": request.build_absolute_uri(reverse("content:sitemap")),
        },
        content_type="text/plain; charset=utf-8",
    )


# --- Notices received --------------------------------------------------------------------
@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    page = paginate(request, selectors.my_deliveries(user=request.user))
    return render(request, "content/inbox.html", {"page": page})


@login_required
def delivery_detail(request: HttpRequest, pk: int) -> HttpResponse:
    delivery = selectors.delivery_get_for_user(user=request.user, pk=pk)
    form = ReplyForm()
    if request.method == "POST":
        try:
            if "read" in request.POST:
                services.delivery_read(delivery, by=request.user)
                messages.success(request, _("已确认阅读。"))
                return redirect("content:delivery_detail", pk=delivery.pk)
            form = ReplyForm(request.POST, request.FILES)
            if form.is_valid():
                services.delivery_reply(
                    delivery,
                    by=request.user,
                    text=form.cleaned_data["text"],
                    upload=form.cleaned_data.get("file"),
                )
                messages.success(request, _("回执已提交。"))
                return redirect("content:delivery_detail", pk=delivery.pk)
        except ValidationError as error:
            form_errors(form, error)
        except PermissionDenied as error:
            show_errors(request, error)
    return render(
        request,
        "content/delivery_detail.html",
        {"delivery": delivery, "article": delivery.article, "form": form},
    )


@login_required
def delivery_file(request: HttpRequest, pk: int) -> HttpResponse:
    delivery = selectors.delivery_file_get(user=request.user, pk=pk)
    return private_file_response(delivery.reply_file)


# --- Staff: receipts ---------------------------------------------------------------------
@login_required
def notice_list(request: HttpRequest) -> HttpResponse:
    require_staff(request.user)
    page = paginate(request, selectors.notices_for_staff(user=request.user))
    return render(request, "content/notice_list.html", {"page": page})


@login_required
def notice_receipts(request: HttpRequest, pk: int) -> HttpResponse:
    article = selectors.notice_get_for_staff(user=request.user, pk=pk)
    rows, total = selectors.receipt_table(article)
    state = request.GET.get("state", "")
    county = request.GET.get("county", "")
    page = paginate(request, selectors.deliveries_for_staff(article, state=state, county=county))
    context = {
        "article": article,
        "rows": rows,
        "total": total,
        "page": page,
        "state": state,
        "county": county,
        "states": ReceiptState.choices,
        "distributions": article.distributions.all(),
        "sending": any(d.status != SendStatus.DONE for d in article.distributions.all()),
    }
    template = "content/notice_receipts.html"
    if request.htmx:  # one of the page's two live parts refreshing itself
        if request.htmx.target == "recipients-live":
            template = "content/_recipients_live.html"
        else:
            template = "content/_receipts_live.html"
    return render(request, template, context)


@login_required
@require_POST
def notice_remind(request: HttpRequest, pk: int) -> HttpResponse:
    article = selectors.notice_get_for_staff(user=request.user, pk=pk)
    try:
        count = services.notice_remind(article, by=request.user)
    except (ValidationError, PermissionDenied) as error:
        show_errors(request, error)
    else:
        messages.success(request, _("已向 %(n)d 位未回执的收件人发送提醒。") % {"n": count})
    return redirect(reverse("content:notice_receipts", args=[article.pk]))


@login_required
def notice_export(request: HttpRequest, pk: int) -> HttpResponse:
    article = selectors.notice_get_for_staff(user=request.user, pk=pk)
    data = documents.replies_zip(article)
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = documents.attachment_header(f"{article.title}-回执.zip")
    response["Cache-Control"] = "private, no-store"
    return response
