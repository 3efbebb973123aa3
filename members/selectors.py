"""Reads, always scoped by the user who asks; ``*_get_for_user`` raise 404 for rows the
user may not see, so "not yours" and "not there" look the same."""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Count, OuterRef, Prefetch, Q, Subquery, Sum
from django.db.models.functions import ExtractYear
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from association.kept import KeptRows
from association.regions.models import Region

from .choices import MembershipState, MembershipStatus, MemberType, Qualification
from .models import (
    CertificateCount,
    ContinuingEducation,
    Dues,
    DuesStandard,
    Membership,
    MembershipDocument,
    Organisation,
    RegisterCount,
    Representative,
    SocialWorker,
    StaffInvitation,
    StandingChange,
)
from .rules import (
    GOOD_STANDING,
    Rules,
    education_standing,
    grace_ends_within_year,
    membership_status,
    paid_through,
)

# A report that applies a Python rule to every member reads them this many at a time, each
# chunk with its prefetched rows, so that its memory does not grow with the register.
REPORT_CHUNK = 2000


def with_dues(queryset):
    return queryset.prefetch_related(Prefetch("dues", queryset=Dues.objects.order_by("-year")))


def status_of(membership: Membership, today: datetime.date | None = None, rules=None):
    """The status of a membership whose ``dues`` are prefetched (see ``with_dues``)."""
    return membership_status(
        membership,
        membership.dues.all(),
        today or timezone.localdate(),
        rules or Rules.from_settings(),
    )


def annotate_status(memberships, today=None):
    today = today or timezone.localdate()
    rules = Rules.from_settings()
    for membership in memberships:
        membership.status = status_of(membership, today, rules)
        membership.paid_through = paid_through(membership.dues.all(), today)
    return memberships


def membership_list(*, user):
    """The memberships ``user`` sees, with the columns the list shows and its status needs:
    not the parties' whole rows (a social worker's holds an encrypted ID number, decrypted
    on load, and the list never shows it)."""
    return with_dues(
        Membership.objects.visible_to(user)
        .with_parties()
        .only(
            "member_type",
            "number",
            "state",
            "applied_on",
            "member_since",
            "organisation__name",
            "person__name",
        )
    )


def membership_get_for_user(*, user, pk, for_update: bool = False) -> Membership:
    queryset = Membership.objects.visible_to(user)
    if for_update:
        # FOR UPDATE cannot lock rows of a DISTINCT query: lock by primary key.
        get_object_or_404(queryset, pk=pk)
        return Membership.objects.select_for_update().get(pk=pk)
    membership = get_object_or_404(with_dues(queryset.with_parties()), pk=pk)
    annotate_status([membership])
    return membership


def membership_for_verification(*, code: str) -> Membership:
    """The membership a certificate's code names (public: only admitted members)."""
    membership = (
        with_dues(Membership.objects.with_parties())
        .filter(
            verification_code=code,
            state__in=[
                MembershipState.APPROVED,
                MembershipState.SUSPENDED,
                MembershipState.WITHDRAWN,
            ],
        )
        .first()
    )
    if membership is None:
        raise Http404
    annotate_status([membership])
    return membership


def document_get_for_user(*, user, pk) -> MembershipDocument:
    return get_object_or_404(
        MembershipDocument.objects.filter(membership__in=Membership.objects.visible_to(user)),
        pk=pk,
    )


def organisation_get_for_user(*, user, pk) -> Organisation:
    return get_object_or_404(Organisation.objects.visible_to(user).select_related("region"), pk=pk)


def organisation_admin_get(*, user, pk) -> Organisation:
    """The organisation, only for its own admins (staff use the admin site to change it)."""
    return get_object_or_404(
        Organisation.objects.filter(admins__user=user).select_related("region"), pk=pk
    )


def organisations_administered(*, user):
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(admins__user=user)


def organisation_membership(organisation: Organisation) -> Membership | None:
    return (
        with_dues(Membership.objects.filter(organisation=organisation))
        .order_by("-applied_on", "-id")
        .first()
    )


def roster_list(*, organisation: Organisation):
    return (
        SocialWorker.objects.filter(employer=organisation)
        .select_related("region")
        .order_by("name", "id")
    )


def invitation_list(*, organisation: Organisation):
    return StaffInvitation.objects.filter(organisation=organisation, accepted_at__isnull=True)


def invitation_open(*, token: str) -> StaffInvitation | None:
    """The open roster invitation a link carries (anyone with the link may apply with it)."""
    if not token:
        return None
    return (
        StaffInvitation.objects.filter(token=token, accepted_at__isnull=True)
        .select_related("organisation")
        .first()
    )


def invitation_get_for_user(*, user, token: str) -> StaffInvitation:
    if not user.is_authenticated:
        raise Http404
    return get_object_or_404(
        StaffInvitation.objects.select_related("organisation"),
        token=token,
        email=user.email.lower(),
        accepted_at__isnull=True,
    )


def representative_list(*, membership: Membership):
    return Representative.objects.filter(membership=membership).select_related("worker")


def representative_get_for_admin(*, user, pk) -> Representative:
    return get_object_or_404(
        Representative.objects.select_related("membership__organisation").filter(
            membership__organisation__admins__user=user
        ),
        pk=pk,
    )


def worker_of(user) -> SocialWorker | None:
    if not user.is_authenticated:
        return None
    return SocialWorker.objects.filter(user=user).select_related("employer", "region").first()


def holds_individual_membership(user) -> bool:
    """Whether the user is an admitted individual member (个人会员): an approved membership
    of the social worker linked to the account. An applicant waiting for the council's
    decision, or one refused, is not."""
    if not user.is_authenticated:
        return False
    return Membership.objects.filter(
        person__user=user,
        member_type=MemberType.INDIVIDUAL,
        state=MembershipState.APPROVED,
    ).exists()


def worker_own_get(*, user) -> SocialWorker:
    worker = worker_of(user)
    if worker is None:
        raise Http404
    return worker


def worker_get_for_user(*, user, pk) -> SocialWorker:
    return get_object_or_404(
        SocialWorker.objects.visible_to(user).select_related("employer", "region"), pk=pk
    )


def education_list(*, worker: SocialWorker):
    return ContinuingEducation.objects.filter(worker=worker).order_by("-date", "-id")


def education_get_for_user(*, user, pk) -> ContinuingEducation:
    return get_object_or_404(ContinuingEducation.objects.visible_to(user), pk=pk)


def worker_education_standing(worker: SocialWorker, today=None):
    return education_standing(
        qualification=worker.qualification,
        registered_on=worker.registered_on,
        records=list(worker.education.only("worker_id", "date", "hours")),
        today=today or timezone.localdate(),
    )


def dues_list(*, membership: Membership):
    return Dues.objects.filter(membership=membership).order_by("-year")


def dues_standard_for(member_type: str, on: datetime.date) -> DuesStandard:
    """The dues standard in force on ``on`` (refused when none is recorded yet)."""
    standard = (
        DuesStandard.objects.filter(member_type=member_type, effective_from__lte=on)
        .order_by("-effective_from")
        .first()
    )
    if standard is None:
        raise ValidationError(
            _("尚未设定%(date)s适用的会费标准，请先在“会费标准”中录入会员大会的决议。")
            % {"date": on.isoformat()}
        )
    return standard


# --- The members overview (aggregates only: no personal data) -------------------------


def standing_counts(*, today: datetime.date | None = None) -> list[tuple[str, str, int]]:
    """(member type, status, number) of the admitted members (approved or suspended) on
    ``today``: one grouped query over the standing the database computes."""
    return list(
        Membership.objects.filter(state__in=[MembershipState.APPROVED, MembershipState.SUSPENDED])
        .with_standing(today or timezone.localdate())
        .values_list("member_type", "standing")
        .annotate(n=Count("id"))
        .order_by()
    )


@dataclass
class Overview:
    by_type: dict
    by_status: dict
    status_labels: list
    by_qualification: list
    by_county: list
    certified_by_year: list


def members_overview(*, today: datetime.date | None = None) -> Overview:
    """The 会员概况 figures on ``today``. Counted over every membership and worker (80 ms at
    province scale), they are kept in the process until one of their tables changes
    (:func:`association.changes.since_last_changes`): most views cost one query. They are
    kept in two parts, each under the tables it reads: the standing (memberships and
    dues, on ``today``) and the register (workers, organisations and regions), so that a
    dues payment recounts the standing and not the workers by county."""
    from association.changes import since_last_changes

    today = today or timezone.localdate()
    rules = Rules.from_settings()
    standing, (by_qualification, by_county, certified_by_year) = since_last_changes(
        [
            ("members.standing", ("overview", today, rules), lambda: _standing_counts(today)),
            ("members.register", ("overview",), _register_figures),
        ]
    )
    by_type: Counter = Counter()
    by_status: Counter = Counter()
    for member_type, status, n in standing:
        by_status[(member_type, status)] += n
        if status in GOOD_STANDING:
            by_type[member_type] += n
    types = {t.value: t.label for t in MemberType}
    statuses = [
        MembershipStatus.CURRENT,
        MembershipStatus.GRACE,
        MembershipStatus.LAPSED,
        MembershipStatus.SUSPENDED,
    ]
    by_status_rows = {types[t]: [(s.label, by_status[(t, s)]) for s in statuses] for t in types}
    return Overview(
        by_type={types[t]: by_type[t] for t in types},
        by_status=by_status_rows,
        status_labels=[s.label for s in statuses],
        by_qualification=by_qualification,
        by_county=by_county,
        certified_by_year=certified_by_year,
    )


def standing_counts_kept(*, today: datetime.date) -> list[tuple[str, str, int]]:
    """:func:`standing_counts` from the kept standing (``members.models.standing``): the
    marked memberships computed again, then the changes summed up to ``today`` (one index
    of 3,700 rows at province scale against 25,000 memberships joined to their dues).
    Rules whose grace runs into the next year have no kept standing: counted as before."""
    from .services.standing import standing_refresh

    rules = Rules.from_settings()
    if not grace_ends_within_year(rules):
        return standing_counts(today=today)
    standing_refresh(rules)
    admitted = [
        MembershipStatus.CURRENT,
        MembershipStatus.GRACE,
        MembershipStatus.LAPSED,
        MembershipStatus.SUSPENDED,
    ]
    return list(
        StandingChange.objects.filter(day__lte=today, status__in=admitted)
        .values_list("member_type", "status")
        .annotate(n=Sum("change"))
        .filter(n__gt=0)
        .order_by()
    )


def _standing_counts(today: datetime.date) -> tuple:
    """The overview's standing of the admitted members on ``today`` (memberships, dues)."""
    return tuple(standing_counts_kept(today=today))


def _register_figures() -> tuple[list, KeptRows, list]:
    """The overview's register tables from :func:`_register_counts`: workers by
    qualification, organisations, workers and certified workers by county, and certified
    workers by year with the running total. Kept with the counts (shared between requests,
    so never changed by their readers): at province scale the ~160 counties' rows took
    1–2 ms a view to build again."""
    workers, organisations, yearly = _register_counts()
    qualification_counts: Counter = Counter()
    counties: dict = defaultdict(lambda: {"workers": 0, "certified": 0})
    for county_name, qualification, n in workers:
        qualification_counts[qualification] += n
        county = counties[county_name]
        county["workers"] += n
        if qualification != Qualification.NONE:
            county["certified"] += n
    by_qualification = [(q.label, qualification_counts[q.value]) for q in Qualification]
    org_rows = dict(organisations)
    # The counties sorted here (code point order, as the database's C collation; no
    # county last), then those with organisations and no workers.
    by_county = [
        (county or "—", org_rows.get(county, 0), figures["workers"], figures["certified"])
        for county, figures in sorted(
            counties.items(), key=lambda item: (item[0] is None, item[0] or "")
        )
    ]
    by_county += [
        (county or "—", n, 0, 0) for county, n in org_rows.items() if county not in counties
    ]
    by_county = KeptRows(by_county)  # its table rendered once a language (kept_include)
    certified_by_year = []
    running = 0
    for year, n in yearly:
        running += n
        certified_by_year.append((year, n, running))
    return by_qualification, by_county, certified_by_year


def _register_counts() -> tuple:
    """The overview's workers by county and qualification, organisations by county and
    certificates by year (workers, organisations, regions): they do not change with the
    date."""
    # Workers by county and qualification, kept by the database as they change
    # (members.models.register): a few hundred rows joined to their counties' names, where
    # counting 25,000 workers through their regions took 17 ms at province scale.
    # one row by its key: no order (the regions' default order sorted each county's row)
    county = Region.objects.filter(pk=OuterRef("county_id")).order_by().values("name")[:1]
    workers = tuple(
        (row["county"], row["qualification"], row["n"])
        for row in RegisterCount.objects.filter(workers__gt=0)
        .annotate(county=Subquery(county))
        .values("county", "qualification")
        .annotate(n=Sum("workers"))
        .order_by()
    )
    organisations = tuple(
        Organisation.objects.annotate(county=_county_expression("region", None))
        .values_list("county")
        .annotate(n=Count("id"))
        .order_by()
    )
    # Certified workers by the year of their certificate, kept by the database as well.
    years = tuple(
        CertificateCount.objects.filter(workers__gt=0)
        .order_by("year")
        .values_list("year", "workers")
    )
    return workers, organisations, years


def _county_expression(region_path: str, fallback: str | None):
    """The county-level name of a region (a township's parent, or the county itself)."""
    from django.db.models import Case, F, When
    from django.db.models.functions import Coalesce

    def county_of(path):
        return Case(
            When(**{f"{path}__level": "township"}, then=F(f"{path}__parent__name")),
            When(**{f"{path}__level": "county"}, then=F(f"{path}__name")),
            default=None,
        )

    if fallback is None:
        return county_of(region_path)
    return Coalesce(county_of(region_path), county_of(fallback))


def membership_recipients(membership: Membership) -> list:
    """The users who act for a member: the organisation's admins, or the person."""
    from association.accounts.models import User

    if membership.member_type == MemberType.UNIT:
        return list(
            User.objects.filter(
                administered_organisations__organisation_id=membership.organisation_id
            )
        )
    return list(User.objects.filter(social_worker__memberships=membership))


def association_staff_users() -> list:
    from association.accounts.choices import Role
    from association.accounts.models import User

    return list(User.objects.filter(groups__name=Role.STAFF.value, is_active=True).distinct())


def organisation_directory_values(organisation: Organisation) -> dict[str, str]:
    """What each item of the member directory (会员名录) would show of the organisation:
    its county (the county of its township, or the county itself) and its own fields."""
    from association.regions.choices import Level

    values = {}
    for name, _label in Organisation._meta.get_field("directory_fields").base_field.choices:
        if name == "county":
            region = organisation.region
            if region.level == Level.TOWNSHIP:
                region = region.parent
            values[name] = region.name if region and region.level == Level.COUNTY else ""
        else:
            values[name] = str(getattr(organisation, name) or "")
    return values


# --- Figures of the reports (the annual report and the member register statistics) ----


def education_summary(today: datetime.date) -> Counter:
    """Certified social workers by their continuing-education standing on ``today``
    (``met``, ``short``, ``warn``: short and the cycle ends within 90 days,
    ``unregistered``), through the rule behind each worker's CE page. Two queries a chunk
    of :data:`REPORT_CHUNK` workers."""
    workers = (
        SocialWorker.objects.exclude(qualification=Qualification.NONE)
        .only("id", "qualification", "registered_on")
        .prefetch_related(
            Prefetch(
                "education",
                queryset=ContinuingEducation.objects.only("worker_id", "date", "hours"),
            )
        )
    )
    counts: Counter = Counter({"met": 0, "short": 0, "warn": 0, "unregistered": 0})
    for worker in workers.iterator(chunk_size=REPORT_CHUNK):
        standing = education_standing(
            qualification=worker.qualification,
            registered_on=worker.registered_on,
            records=worker.education.all(),
            today=today,
        )
        if standing is None:
            counts["unregistered"] += 1
        elif standing.met:
            counts["met"] += 1
        elif standing.warn(today):
            counts["warn"] += 1
        else:
            counts["short"] += 1
    return counts


def admitted_by_year() -> list[tuple[int, int, int, int]]:
    """(year, unit members admitted, individual members admitted, total) by the year of
    admission ("member since"); withdrawn members count in the year they joined."""
    rows = (
        Membership.objects.filter(
            state__in=[
                MembershipState.APPROVED,
                MembershipState.SUSPENDED,
                MembershipState.WITHDRAWN,
            ],
            member_since__isnull=False,
        )
        .annotate(year=ExtractYear("member_since"))
        .values("year")
        .annotate(
            unit=Count("id", filter=Q(member_type=MemberType.UNIT)),
            individual=Count("id", filter=Q(member_type=MemberType.INDIVIDUAL)),
        )
        .order_by("year")
    )
    return [(r["year"], r["unit"], r["individual"], r["unit"] + r["individual"]) for r in rows]


def register_in_good_standing(today: datetime.date) -> dict[str, int]:
    """Members in good standing on ``today`` by member type, counted one membership at a
    time through the dues rule (``members.rules.membership_status``): the register as each
    member's page shows it. The overview counts the same in the database
    (``with_standing``); a report that prints the overview checks it against this. Two
    queries a chunk of :data:`REPORT_CHUNK` memberships."""
    memberships = with_dues(
        Membership.objects.filter(
            state__in=[MembershipState.APPROVED, MembershipState.SUSPENDED]
        ).only("id", "member_type", "state", "member_since")
    )
    rules = Rules.from_settings()
    counts = dict.fromkeys(MemberType.values, 0)
    for membership in memberships.iterator(chunk_size=REPORT_CHUNK):
        if status_of(membership, today, rules) in GOOD_STANDING:
            counts[membership.member_type] += 1
    return counts


def member_list_rows(*, today: datetime.date | None = None):
    """The named member list (会员名单) filed with the registration authority: every
    admitted membership (approved or suspended) with its organisation or person (and the
    person's employer) and its standing on ``today``, unit members first, by number.
    One query."""
    return (
        Membership.objects.filter(state__in=[MembershipState.APPROVED, MembershipState.SUSPENDED])
        .with_standing(today or timezone.localdate())
        .select_related("organisation", "person", "person__employer")
        .order_by("-member_type", "number", "pk")
    )
