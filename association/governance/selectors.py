"""Reads, scoped by the user who asks; ``*_get_for_user`` raise 404 for what the user
may not see, so "not yours" and "not there" look the same."""

from __future__ import annotations

import difflib

from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.html import escape
from django.utils.safestring import mark_safe

from association.accounts.roles import is_association_staff

from .choices import OfficeCode, VersionStatus
from .models import Attendee, Document, DocumentVersion, Meeting, Motion, Office, Proxy, Term

# --- Documents ----------------------------------------------------------------------


def documents_current():
    """The adopted version of every document (public)."""
    return Document.objects.prefetch_related(
        Prefetch(
            "versions",
            queryset=DocumentVersion.objects.filter(status=VersionStatus.ADOPTED).select_related(
                "adopted_by__meeting"
            ),
            to_attr="adopted",
        )
    ).annotate(
        version_count=Count("versions", filter=Q(versions__status__in=["adopted", "superseded"]))
    )


def version_get_for_user(*, user, pk) -> DocumentVersion:
    """Adopted and superseded versions are public; drafts only for staff."""
    queryset = DocumentVersion.objects.select_related("document", "adopted_by__meeting")
    if not (user.is_authenticated and is_association_staff(user)):
        queryset = queryset.public()
    return get_object_or_404(queryset, pk=pk)


def version_history(version: DocumentVersion, *, user):
    queryset = DocumentVersion.objects.filter(document_id=version.document_id)
    if not (user.is_authenticated and is_association_staff(user)):
        queryset = queryset.public()
    return queryset.select_related("adopted_by__meeting").order_by("-number")


def version_diff_html(old: DocumentVersion, new: DocumentVersion) -> str:
    """A side-by-side diff table (difflib escapes the text itself; headers escaped here)."""
    table = difflib.HtmlDiff(wrapcolumn=60).make_table(
        old.text.splitlines(),
        new.text.splitlines(),
        fromdesc=escape(f"v{old.number}"),
        todesc=escape(f"v{new.number}"),
        context=True,
        numlines=2,
    )
    # HtmlDiff writes presentational attributes; the page styles the table by class.
    table = table.replace(' cellspacing="0" cellpadding="0" rules="groups" ', " ")
    table = table.replace(' nowrap="nowrap"', "")
    return mark_safe(table)  # noqa: S308 (difflib escapes &, < and > of every line)


# --- Meetings -----------------------------------------------------------------------


def meeting_list(*, user):
    return (
        Meeting.objects.visible_to(user)
        .select_related("rule_set")
        .annotate(
            attendee_count=Count("attendees", distinct=True),
            present_count=Count(
                "attendees", filter=Q(attendees__checked_in_at__isnull=False), distinct=True
            ),
        )
        .order_by("-starts_at", "-id")
    )


def meeting_get_for_user(*, user, pk) -> Meeting:
    return get_object_or_404(
        Meeting.objects.visible_to(user).select_related("rule_set", "presiding"), pk=pk
    )


def meeting_get_for_staff(*, user, pk) -> Meeting:
    if not is_association_staff(user):
        raise Http404
    return meeting_get_for_user(user=user, pk=pk)


def attendee_list(*, meeting: Meeting):
    return (
        Attendee.objects.filter(meeting=meeting)
        .select_related("proxy_given__holder")
        .annotate(proxies_held_count=Count("proxies_held"))
        .order_by("affiliation", "name", "id")
    )


def proxy_list(*, meeting: Meeting):
    return Proxy.objects.filter(meeting=meeting).select_related("grantor", "holder")


def motion_list(*, meeting: Meeting):
    return Motion.objects.filter(meeting=meeting).select_related("document_version__document")


def motion_get_for_staff(*, user, pk) -> Motion:
    if not is_association_staff(user):
        raise Http404
    return get_object_or_404(Motion.objects.select_related("meeting__rule_set"), pk=pk)


def attendance_of(*, meeting: Meeting, user) -> Attendee | None:
    if not user.is_authenticated:
        return None
    return Attendee.objects.filter(meeting=meeting, user=user).first()


# --- Offices (also used by finance for approvers) ------------------------------------


def officeholders_current(day=None):
    """Current terms of every office, with the office, in office order."""
    return (
        Term.objects.current(day)
        .select_related("office")
        .order_by("office__order", "starts_on", "holder_name", "id")
    )


def current_officeholder(office_code: str, day=None) -> Term | None:
    """The current holder of a single-seat office (会长, 秘书长), or the first of several."""
    return officeholders_current(day).filter(office__code=office_code).first()


def current_officer_users(day=None):
    """Accounts of the current officers (负责人: 会长, 副会长, 秘书长)."""
    from association.accounts.models import User

    return User.objects.filter(
        office_terms__in=officeholders_current(day).filter(
            office__code__in=[
                OfficeCode.PRESIDENT,
                OfficeCode.VICE_PRESIDENT,
                OfficeCode.SECRETARY_GENERAL,
            ]
        )
    ).distinct()


def office_history():
    return Term.objects.select_related("office").order_by("office__order", "-starts_on", "id")


def offices_with_current(day=None):
    return Office.objects.prefetch_related(
        Prefetch(
            "terms",
            queryset=Term.objects.current(day).order_by("starts_on", "id"),
            to_attr="current",
        )
    )


def named_voters(*, motion: Motion):
    """Who may vote on a named vote: the attendees present, and the absent ones whose
    proxy holder is present (when the rules count proxies)."""
    from .services import _may_vote

    return list(
        Attendee.objects.filter(pk__in=_may_vote(motion.meeting))
        .select_related("proxy_given__holder")
        .order_by("affiliation", "name", "id")
    )
