"""Reads, scoped by the user who asks; ``*_get_for_user`` raise 404 for what the user
may not see, so "not yours" and "not there" look the same."""

from __future__ import annotations

import datetime
import difflib
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from association.accounts.roles import is_association_staff
from members.choices import MembershipState, MemberType
from members.models import ElectedRepresentative, Membership, Representative
from members.rules import GOOD_STANDING, Rules

from .choices import AttendeeKind, MeetingKind, OfficeCode, VersionStatus
from .models import (
    Attendee,
    Document,
    DocumentVersion,
    Meeting,
    Motion,
    Office,
    Proxy,
    RuleSet,
    Term,
)
from .rules import Quorum, quorum

# --- Rules --------------------------------------------------------------------------


def ruleset_in_force(day: datetime.date | None = None) -> RuleSet:
    """The rules in force on ``day`` (today); a ValidationError when none is registered."""
    rule_set = RuleSet.objects.in_force(day).first()
    if rule_set is None:
        raise ValidationError(_("没有生效的议事与选举规则，请先在管理后台登记。"))
    return rule_set


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


def attendee_get_for_staff(*, user, pk) -> Attendee:
    if not is_association_staff(user):
        raise Http404
    return get_object_or_404(Attendee.objects.select_related("meeting"), pk=pk)


def _good_standing(memberships, day) -> list[Membership]:
    """The memberships of ``memberships`` (a queryset) in good standing on ``day``: the
    database classifies them (``Membership.objects.with_standing``, the SQL of
    :func:`members.rules.membership_status`), no dues are loaded into Python."""
    return list(
        memberships.with_standing(day, Rules.from_settings()).filter(standing__in=GOOD_STANDING)
    )


def entitled_roll(meeting: Meeting, day: datetime.date | None = None) -> list[Attendee]:
    """Who may attend and vote (unsaved rows): for a general meeting, the active
    representatives of unit members in good standing, and for the individual members the
    representatives they elected (``members.ElectedRepresentative``) in force on the day
    and in good standing, or, while none is in force (before the first election), every
    individual member in good standing; for a council meeting the current council members
    (for a standing council meeting the standing council members and officers). Two
    queries for a general meeting, whatever its size."""
    day = day or timezone.localdate(meeting.starts_at)
    rows: list[Attendee] = []
    if meeting.kind in (MeetingKind.GENERAL, MeetingKind.SEMINAR):
        in_force = ElectedRepresentative.objects.in_force(day)
        admitted = (
            Membership.objects.filter(state=MembershipState.APPROVED)
            .select_related("organisation", "person")
            .annotate(
                # Any elected representative in force: the congress is representative.
                congress=Exists(in_force),
                constituency=Subquery(
                    in_force.filter(membership=OuterRef("pk")).values("constituency")[:1]
                ),
            )
        )
        standing = _good_standing(admitted, day)
        congress = bool(standing) and standing[0].congress
        units = {m.pk: m for m in standing if m.member_type == MemberType.UNIT}
        representatives = (
            Representative.objects.active()
            .filter(membership_id__in=units)
            .select_related("worker")
            .order_by("membership_id", "name", "id")
        )
        for rep in representatives:
            rows.append(
                Attendee(
                    meeting=meeting,
                    kind=AttendeeKind.UNIT_REPRESENTATIVE,
                    name=rep.name,
                    affiliation=units[rep.membership_id].organisation.name,
                    membership_id=rep.membership_id,
                    representative=rep,
                    worker_id=rep.worker_id,
                    user_id=rep.worker.user_id if rep.worker else None,
                )
            )
        for m in standing:
            if m.member_type != MemberType.INDIVIDUAL:
                continue
            if congress and m.constituency is None:
                continue  # not elected: represented by those who were
            if congress:
                affiliation = (
                    _("个人会员代表（%(constituency)s）") % {"constituency": m.constituency}
                    if m.constituency
                    else _("个人会员代表")
                )
            else:
                affiliation = _("个人会员")
            rows.append(
                Attendee(
                    meeting=meeting,
                    kind=AttendeeKind.INDIVIDUAL,
                    name=m.person.name,
                    affiliation=affiliation,
                    membership_id=m.pk,
                    worker_id=m.person_id,
                    user_id=m.person.user_id,
                )
            )
    else:
        codes = (
            [OfficeCode.COUNCIL]
            if meeting.kind == MeetingKind.COUNCIL
            else [
                OfficeCode.STANDING_COUNCIL,
                OfficeCode.PRESIDENT,
                OfficeCode.VICE_PRESIDENT,
                OfficeCode.SECRETARY_GENERAL,
            ]
        )
        seen = set()
        for term in (
            Term.objects.current(day)
            .filter(office__code__in=codes)
            .order_by("office__order", "holder_name", "id")
        ):
            key = term.worker_id or term.user_id or term.holder_name
            if key in seen:
                continue
            seen.add(key)
            rows.append(
                Attendee(
                    meeting=meeting,
                    kind=AttendeeKind.COUNCIL,
                    name=term.holder_name,
                    affiliation=term.affiliation,
                    worker_id=term.worker_id,
                    user_id=term.user_id,
                )
            )
    # One account attends once (a person both representative and individual member).
    seen_users = set()
    unique = []
    for row in rows:
        if row.user_id and row.user_id in seen_users:
            continue
        if row.user_id:
            seen_users.add(row.user_id)
        unique.append(row)
    return unique


@dataclass(frozen=True)
class Presence:
    entitled: int
    in_person: int
    by_proxy: int
    proxies_count: bool

    @property
    def present(self) -> int:
        return self.in_person + (self.by_proxy if self.proxies_count else 0)


def meeting_presence(meeting: Meeting) -> Presence:
    """Entitled, checked in, and represented by a proxy whose holder is checked in and
    whose grantor is not (2 queries)."""
    counts = Attendee.objects.filter(meeting=meeting).aggregate(
        entitled=Count("id"), in_person=Count("id", filter=Q(checked_in_at__isnull=False))
    )
    by_proxy = Proxy.objects.filter(
        meeting=meeting, holder__checked_in_at__isnull=False, grantor__checked_in_at__isnull=True
    ).count()
    return Presence(
        counts["entitled"], counts["in_person"], by_proxy, meeting.rule_set.proxies_count
    )


def meeting_quorum(meeting: Meeting) -> Quorum:
    presence = meeting_presence(meeting)
    return quorum(
        entitled=presence.entitled,
        present=presence.present,
        threshold=meeting.rule_set.quorum_threshold,
    )


def voting_attendee_ids(meeting: Meeting) -> set[int]:
    """Attendees who may vote: those present, and absent ones whose proxy holder is
    (when the rules count proxies)."""
    present = set(
        Attendee.objects.filter(meeting=meeting, checked_in_at__isnull=False).values_list(
            "id", flat=True
        )
    )
    if meeting.rule_set.proxies_count:
        present |= set(
            Proxy.objects.filter(
                meeting=meeting,
                holder__checked_in_at__isnull=False,
                grantor__checked_in_at__isnull=True,
            ).values_list("grantor_id", flat=True)
        )
    return present


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
    """The current holder of a single-seat office (会长，秘书长), or the first of several."""
    return officeholders_current(day).filter(office__code=office_code).first()


def current_officer_users(day=None):
    """Accounts of the current officers (负责人：会长，副会长，秘书长)."""
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
    return list(
        Attendee.objects.filter(pk__in=voting_attendee_ids(motion.meeting))
        .select_related("proxy_given__holder")
        .order_by("affiliation", "name", "id")
    )


# --- Figures of the annual work report (年度工作报告书) ---------------------------------

from .choices import DocumentKind, MeetingStatus, MotionStatus  # noqa: E402

COUNCIL_OFFICES = (
    OfficeCode.PRESIDENT,
    OfficeCode.VICE_PRESIDENT,
    OfficeCode.SECRETARY_GENERAL,
    OfficeCode.STANDING_COUNCIL,
    OfficeCode.COUNCIL,
)
STANDING_COUNCIL_OFFICES = (
    OfficeCode.PRESIDENT,
    OfficeCode.VICE_PRESIDENT,
    OfficeCode.SECRETARY_GENERAL,
    OfficeCode.STANDING_COUNCIL,
)


def meetings_held_by_kind(year: int) -> dict[str, int]:
    """Closed meetings of ``year`` by kind (every kind present, 0 when none)."""
    held = dict(
        Meeting.objects.filter(status=MeetingStatus.CLOSED, starts_at__year=year)
        .values_list("kind")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {kind.value: held.get(kind.value, 0) for kind in MeetingKind}


def meetings_held(year: int, kinds=(MeetingKind.GENERAL, MeetingKind.COUNCIL)):
    """The general meetings and council meetings (常务理事会 too) closed in ``year``, in
    date order, with the number of motions decided at each."""
    kinds = [*kinds, MeetingKind.STANDING_COUNCIL] if MeetingKind.COUNCIL in kinds else kinds
    return (
        Meeting.objects.filter(status=MeetingStatus.CLOSED, starts_at__year=year, kind__in=kinds)
        .annotate(decided=Count("motions", filter=Q(motions__status=MotionStatus.DECIDED)))
        .order_by("starts_at", "id")
    )


@dataclass
class OfficeChange:
    office: Office
    holding: int  # in office at the end of the year
    took_office: int
    left_office: int


def office_changes(year: int) -> list[OfficeChange]:
    """Each office: holders at the year's end, terms begun and ended within the year (a
    term ends on its actual leaving date, else on its expiry). Two queries."""
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    offices = sorted(offices_with_current(end), key=lambda o: (o.order, o.pk))
    terms = list(
        Term.objects.filter(starts_on__lte=end).only(
            "office_id", "starts_on", "ends_on", "ended_on"
        )
    )
    rows = []
    for office in offices:
        mine = [t for t in terms if t.office_id == office.pk]
        rows.append(
            OfficeChange(
                office=office,
                holding=len(office.current),
                took_office=sum(1 for t in mine if start <= t.starts_on <= end),
                left_office=sum(1 for t in mine if start <= (t.ended_on or t.ends_on) <= end),
            )
        )
    return rows


def _distinct_holders(terms) -> int:
    return len({t.worker_id or t.user_id or t.holder_name for t in terms})


def council_sizes(day: datetime.date) -> dict[str, int]:
    """The council (理事会 = council members, standing council members and officers) and
    the standing council (常务理事会 = standing council members and officers) in office on
    ``day``, each person counted once, and the officers (负责人)."""
    terms = list(
        Term.objects.current(day)
        .filter(office__code__in=COUNCIL_OFFICES)
        .select_related("office")
        .only("worker_id", "user_id", "holder_name", "office__code", "office__is_officer")
    )
    return {
        "council": _distinct_holders(terms),
        "standing_council": _distinct_holders(
            t for t in terms if t.office.code in STANDING_COUNCIL_OFFICES
        ),
        "officers": _distinct_holders(t for t in terms if t.office.is_officer),
    }


def charter_amendments(year: int):
    """Versions of the charter adopted in ``year``, with the meeting that adopted them."""
    return (
        DocumentVersion.objects.filter(
            document__kind=DocumentKind.CHARTER,
            adopted_on__year=year,
            status__in=[VersionStatus.ADOPTED, VersionStatus.SUPERSEDED],
        )
        .select_related("document", "adopted_by__meeting")
        .order_by("adopted_on", "number")
    )


# --- The registration record and the annual inspection's data (models/organisation.py)


def registration():
    """The association's registration record, or None before staff enter it."""
    from .models import Registration

    return Registration.objects.first()


def staff_on(day: datetime.date) -> dict[str, int]:
    """The secretariat's staff employed on ``day`` by kind (``full_time``, ``part_time``)
    and how many of them have social insurance paid."""
    from .models import StaffMember
    from .models.organisation import StaffKind

    employed = StaffMember.objects.filter(started_on__lte=day).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=day)
    )
    counts = dict(employed.values_list("kind").annotate(n=Count("id")).order_by())
    return {
        **{kind.value: counts.get(kind.value, 0) for kind in StaffKind},
        "insured": employed.filter(social_insurance=True).count(),
    }


def branches_on(day: datetime.date):
    """Branches and representative offices established by ``day`` and not closed then."""
    from .models import Branch

    return Branch.objects.filter(established_on__lte=day).filter(
        Q(closed_on__isnull=True) | Q(closed_on__gt=day)
    )


def branch_changes(year: int) -> dict[str, int]:
    """Branches and offices established and closed within ``year``."""
    from .models import Branch

    return {
        "established": Branch.objects.filter(established_on__year=year).count(),
        "closed": Branch.objects.filter(closed_on__year=year).count(),
    }


def registration_changes(year: int):
    """Registered items changed in ``year`` (decided or approved in it)."""
    from .models import RegistrationChange

    return RegistrationChange.objects.filter(
        Q(decided_on__year=year) | Q(approved_on__year=year)
    ).order_by("decided_on", "id")


def last_inspection(year: int):
    """The most recent annual-inspection result for a year before ``year`` (the report on
    ``year`` states the result of the last inspection), or None."""
    from .models import InspectionResult

    return InspectionResult.objects.filter(year__lt=year).order_by("-year").first()


def grade_on(day: datetime.date):
    """The evaluation grade valid on ``day`` (the latest awarded), or None."""
    from .models import EvaluationGrade

    return (
        EvaluationGrade.objects.filter(awarded_on__lte=day, valid_until__gte=day)
        .order_by("-awarded_on", "-id")
        .first()
    )


def rewards_and_penalties(year: int):
    from .models import RewardOrPenalty

    return RewardOrPenalty.objects.filter(on__year=year).order_by("on", "id")


def annual_filing(year: int):
    """What the association states in its own words for ``year``, or None."""
    from .models import AnnualFiling

    return AnnualFiling.objects.filter(year=year).first()
