"""Reads of the public site and of the notices' receipts, scoped to who asks.

The content app sits at the top of the dependency order (beside notifications and
reports): it reads the apps below it through their selectors and querysets, never writes
their rows."""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.utils import timezone

from association.accounts.roles import is_association_staff
from association.regions.choices import Level

from .choices import Kind, ReceiptState, Segment
from .models import Article, Delivery, Distribution, RecipientList

SHORT_QUERY_LIMIT = 2000  # rows scanned by a 1–2 character search (no trigram to use)


# --- Articles ----------------------------------------------------------------------------
def article_list(*, user, kind: str | None = None, query: str = ""):
    articles = Article.objects.visible_to(user).only(
        "id", "kind", "title", "slug", "summary", "published_at", "visibility", "issuer",
        "document_number", "issued_on", "reply_by",
    )  # fmt: skip
    if kind:
        articles = articles.filter(kind=kind)
    if query:
        articles = search_articles(articles, query)
    return articles.order_by("-published_at", "-id")


def search_articles(articles, query: str):
    """Titles and bodies containing ``query``. From three characters the trigram indexes
    (content_title_trgm, content_body_trgm) answer it; a one- or two-character query has no
    trigram, so it scans only the latest ``SHORT_QUERY_LIMIT`` items."""
    query = query.strip()
    if not query:
        return articles
    matches = Q(title__icontains=query) | Q(body__icontains=query)
    if len(query) < 3:
        recent = Article.objects.order_by("-published_at", "-id").values("pk")[:SHORT_QUERY_LIMIT]
        return articles.filter(pk__in=recent).filter(matches)
    return articles.filter(matches)


def article_get_for_user(*, user, slug: str) -> Article:
    article = (
        Article.objects.visible_to(user).prefetch_related("attachments").filter(slug=slug).first()
    )
    if article is None:
        raise Http404
    return article


def home_cache_seconds(longest: int) -> int:
    """How long the anonymous home page may be kept: ``longest``, or less when an item is
    scheduled to go live sooner (publishing it then calls no service to drop the cache)."""
    from .choices import Status

    now = timezone.now()
    due = (
        Article.objects.filter(status=Status.PUBLISHED, published_at__gt=now)
        .order_by("published_at")
        .values_list("published_at", flat=True)
        .first()
    )
    if due is None:
        return longest
    return max(1, min(longest, int((due - now).total_seconds()) + 1))


def latest(*, user, kind: str, n: int = 5):
    return list(article_list(user=user, kind=kind)[:n])


# --- Home figures (figures only, from the owning apps) ------------------------------------
@dataclass
class KeyFigures:
    unit_members: int
    individual_members: int
    stations: int
    operating: int
    townships: int
    coverage: object  # Decimal percent or None


def key_figures() -> KeyFigures:
    from members.choices import MemberType
    from members.selectors import members_overview
    from stations.selectors import coverage_by_county

    overview = members_overview()
    by_type = {str(label): n for label, n in overview.by_type.items()}
    _rows, total = coverage_by_county()
    return KeyFigures(
        unit_members=by_type.get(str(MemberType.UNIT.label), 0),
        individual_members=by_type.get(str(MemberType.INDIVIDUAL.label), 0),
        stations=total.stations,
        operating=total.operating,
        townships=total.townships,
        coverage=getattr(total, "coverage", None),
    )


# --- Directory and stations --------------------------------------------------------------
def _county_of(region):
    if region is None:
        return None
    if region.level == Level.TOWNSHIP:
        return region.parent
    return region if region.level == Level.COUNTY else None


def directory_list(*, query: str = ""):
    """Member organisations that agreed to be listed (a non-empty ``directory_fields``) and
    whose membership is approved; each row carries only the fields they agreed to."""
    from members.choices import MembershipState
    from members.models import Organisation

    organisations = (
        Organisation.objects.exclude(directory_fields=[])
        .filter(memberships__state=MembershipState.APPROVED)
        .select_related("region__parent")
        .distinct()
        .order_by("name")
    )
    if query.strip():
        organisations = organisations.filter(directory_matches(query.strip()))
    return organisations


def directory_matches(q: str) -> Q:
    """The name, and a field only where the organisation agreed to publish it: a search
    must not tell a visitor what an unpublished field holds."""
    matches = Q(name__icontains=q)
    for name in ("business_scope", "address", "contact_name"):
        matches |= Q(**{f"{name}__icontains": q, "directory_fields__contains": [name]})
    county = Q(region__name__icontains=q, region__level=Level.COUNTY) | Q(
        region__parent__name__icontains=q, region__level=Level.TOWNSHIP
    )
    return matches | (county & Q(directory_fields__contains=["county"]))


@dataclass
class DirectoryEntry:
    name: str
    fields: list = field(default_factory=list)  # (label, value)


def directory_entry(organisation) -> DirectoryEntry:
    """Only the fields the organisation agreed to publish."""
    from members.models import Organisation

    entry = DirectoryEntry(name=organisation.name)
    for name in organisation.directory_fields:
        if name == "county":
            county = _county_of(organisation.region)
            value = county.name if county else ""
            label = Level.COUNTY.label
        else:
            model_field = Organisation._meta.get_field(name)
            label, value = model_field.verbose_name, getattr(organisation, name)
        if value:
            entry.fields.append((label, value))
    return entry


def stations_by_county():
    """Each county with its stations' public cards (name, township, address, service
    hours, phone)."""
    from stations.choices import StationStatus
    from stations.selectors import stations_in

    stations = (
        stations_in()  # the association's area only (settings.ASSOCIATION_REGION)
        .filter(current_status=StationStatus.OPERATING)
        .select_related("region__parent")
        .order_by("region__parent__code", "region__code", "name")
        .only("id", "name", "address", "contact_phone", "service_hours", "region__name",
              "region__parent__name", "region__parent__code", "region__code")
    )  # fmt: skip
    counties: dict[str, list] = defaultdict(list)
    for station in stations:
        county = station.region.parent.name if station.region.parent else ""
        counties[county].append(station)
    return list(counties.items())


def stories_published():
    from projects.choices import StoryStatus
    from projects.models import Story

    return Story.objects.filter(status=StoryStatus.PUBLISHED, published_at__isnull=False).only(
        "id", "title", "body", "published_at"
    )


def story_get(pk: int):
    story = stories_published().filter(pk=pk).first()
    if story is None:
        raise Http404
    return story


def elections_certified(n: int = 10):
    """The latest elections whose results are certified (public from then on)."""
    from association.elections.choices import ElectionStatus
    from association.elections.models import Election

    return list(
        Election.objects.filter(status=ElectionStatus.CERTIFIED)
        .order_by("-certified_at", "-id")
        .only("id", "title", "certified_at")[:n]
    )


def dues_standards_current(on: datetime.date | None = None):
    from members.models import DuesStandard

    on = on or timezone.localdate()
    current = {}
    for standard in DuesStandard.objects.filter(effective_from__lte=on).order_by("effective_from"):
        current[standard.member_type] = standard
    return list(current.values())


# --- Notices: recipients -----------------------------------------------------------------
@dataclass(frozen=True)
class Recipient:
    user_id: int
    unit: str
    county_id: int | None


def segment_recipients(distribution: Distribution) -> list[Recipient]:
    """The active users a distribution reaches, one each (the first unit found wins)."""
    rows = _segment_rows(distribution)
    seen: dict[int, Recipient] = {}
    for recipient in rows:
        seen.setdefault(recipient.user_id, recipient)
    return list(seen.values())


def _segment_rows(distribution: Distribution):
    from members.choices import MembershipState, MemberType
    from members.models import Membership, OrganisationAdmin
    from projects.choices import ApplicationStatus
    from projects.models import Application
    from stations.choices import StationStatus
    from stations.models import StaffAssignment

    segment = distribution.segment
    if segment in (Segment.ALL_STATIONS, Segment.COUNTY_STATIONS):
        assignments = (
            StaffAssignment.objects.current()
            .filter(worker__user__isnull=False, worker__user__is_active=True)
            .exclude(station__current_status=StationStatus.CLOSED)
            .select_related("station__region")
            .order_by("station__region__parent_id", "station__name", "id")
        )
        if segment == Segment.COUNTY_STATIONS:
            assignments = assignments.filter(station__region__parent=distribution.county_id)
        for a in assignments.values_list(
            "worker__user_id", "station__name", "station__region__parent_id"
        ):
            yield Recipient(*a)
    elif segment == Segment.ORGANISATIONS:
        admins = (
            OrganisationAdmin.objects.filter(
                organisation__memberships__state=MembershipState.APPROVED,
                user__is_active=True,
            )
            .select_related("organisation__region")
            .order_by("organisation__name", "id")
        )
        for admin in admins:
            county = _county_of(admin.organisation.region)
            yield Recipient(admin.user_id, admin.organisation.name, county.pk if county else None)
    elif segment == Segment.INDIVIDUALS:
        memberships = (
            Membership.objects.filter(
                member_type=MemberType.INDIVIDUAL,
                state=MembershipState.APPROVED,
                person__user__isnull=False,
                person__user__is_active=True,
            )
            .select_related("person__region__parent", "person__user")
            .order_by("person__name", "id")
        )
        for membership in memberships:
            county = _county_of(membership.person.region)
            yield Recipient(
                membership.person.user_id, membership.person.name, county.pk if county else None
            )
    elif segment == Segment.COUNCIL:
        from association.governance.selectors import officeholders_current

        for term in officeholders_current().filter(user__isnull=False, user__is_active=True):
            yield Recipient(term.user_id, str(term.office), None)
    elif segment == Segment.SAVED_LIST:
        yield from _list_rows(distribution.recipient_list_id)
    elif segment == Segment.GRADUATES:
        applications = Application.objects.filter(
            round_id=distribution.round_id,
            status__in=[
                ApplicationStatus.ACCEPTED,
                ApplicationStatus.SERVING,
                ApplicationStatus.COMPLETED,
            ],
            applicant__is_active=True,
        ).order_by("id")
        for user_id, name in applications.values_list("applicant_id", "applicant__display_name"):
            yield Recipient(user_id, name or "", None)


def _list_rows(recipient_list_id: int):
    """A saved list's active members, each with the unit they work for when there is one
    (a station they are assigned to, else an organisation they administer), so the receipt
    table groups them by county like the other segments. Three queries, whatever the size."""
    from association.accounts.models import User
    from members.models import OrganisationAdmin
    from stations.models import StaffAssignment

    users = list(
        User.objects.filter(
            pk__in=RecipientList.users.through.objects.filter(
                recipientlist_id=recipient_list_id
            ).values("user_id"),
            is_active=True,
        )
        .order_by("display_name", "id")
        .values_list("pk", "display_name", "email")
    )
    ids = [pk for pk, _name, _email in users]
    units: dict[int, tuple[str, int | None]] = {}
    for user_id, name, county_id in (
        StaffAssignment.objects.current()
        .filter(worker__user_id__in=ids)
        .order_by("id")
        .values_list("worker__user_id", "station__name", "station__region__parent_id")
    ):
        units.setdefault(user_id, (name, county_id))
    for admin in (
        OrganisationAdmin.objects.filter(user_id__in=ids)
        .select_related("organisation__region__parent")
        .order_by("id")
    ):
        if admin.user_id not in units:
            county = _county_of(admin.organisation.region)
            units[admin.user_id] = (admin.organisation.name, county.pk if county else None)
    for pk, name, email in users:
        unit, county_id = units.get(pk, (name or email, None))
        yield Recipient(pk, unit, county_id)


# --- Notices: receipts -------------------------------------------------------------------
def notices_for_staff(*, user):
    if not is_association_staff(user):
        return Article.objects.none()
    return (
        Article.objects.filter(kind=Kind.NOTICE, distributions__isnull=False)
        .annotate(
            recipients=Count("deliveries", distinct=True),
            read=Count("deliveries", filter=Q(deliveries__read_at__isnull=False), distinct=True),
            replied=Count(
                "deliveries", filter=Q(deliveries__replied_at__isnull=False), distinct=True
            ),
        )
        .order_by("-published_at", "-id")
        .distinct()
    )


def notice_get_for_staff(*, user, pk: int) -> Article:
    if not is_association_staff(user):
        raise Http404
    article = (
        Article.objects.filter(kind=Kind.NOTICE, pk=pk)
        .prefetch_related(
            Prefetch(
                "distributions",
                queryset=Distribution.objects.select_related("county", "round", "recipient_list"),
            )
        )
        .first()
    )
    if article is None:
        raise Http404
    return article


@dataclass
class CountyReceipts:
    county: str
    counts: Counter = field(default_factory=Counter)

    @property
    def total(self):
        return sum(self.counts.values())


def receipt_table(article: Article) -> tuple[list[CountyReceipts], CountyReceipts]:
    """Per county: how many recipients have read, replied or not. One query."""
    rows: dict[str, CountyReceipts] = {}
    total = CountyReceipts(county="")
    for county, read, replied in Delivery.objects.filter(article=article).values_list(
        "county__name", "read_at", "replied_at"
    ):
        state = (
            ReceiptState.REPLIED if replied else ReceiptState.READ if read else ReceiptState.PENDING
        )
        row = rows.setdefault(county or "", CountyReceipts(county=county or ""))
        row.counts[state] += 1
        total.counts[state] += 1
    return sorted(rows.values(), key=lambda r: (r.county == "", r.county)), total


def deliveries_for_staff(article: Article, *, state: str = "", county: str = ""):
    deliveries = Delivery.objects.filter(article=article).select_related("user", "county")
    if state == ReceiptState.REPLIED:
        deliveries = deliveries.filter(replied_at__isnull=False)
    elif state == ReceiptState.READ:
        deliveries = deliveries.filter(read_at__isnull=False, replied_at__isnull=True)
    elif state == ReceiptState.PENDING:
        deliveries = deliveries.filter(read_at__isnull=True)
    if county:
        deliveries = deliveries.filter(county__name=county)
    return deliveries.order_by("county__name", "unit", "id")


def my_deliveries(*, user):
    return (
        Delivery.objects.filter(user=user, notified_at__isnull=False)
        .select_related("article")
        .order_by("-notified_at", "-id")
    )


def delivery_get_for_user(*, user, pk: int) -> Delivery:
    delivery = Delivery.objects.select_related("article").filter(pk=pk, user=user).first()
    if delivery is None:
        raise Http404
    return delivery


def delivery_file_get(*, user, pk: int) -> Delivery:
    """A reply's file: its sender and association staff."""
    delivery = Delivery.objects.filter(pk=pk).exclude(reply_file="").first()
    if delivery is None or not (delivery.user_id == user.pk or is_association_staff(user)):
        raise Http404
    return delivery
