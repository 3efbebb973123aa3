"""The whole demo, seeded once for this module: what `setup_instance --demo` gives every
app, and what officials, staff and other officers can reach on it.

Each app tests its own demo on hand-made fixtures; these tests run the real thing, on the
real division codes, so a demo that silently skips itself is caught here. The seed is
most of this module's time, so the privacy crawl (formerly its own module, seeding its
own copy) shares it.

Privacy review (DESIGN.md): an official (民政部门) sees aggregates and reports, never
people's personal data; a sealed juvenile referral is seen only by its assigned experts
and its designated officer, and never leaves the system except as a count; ID numbers
are shown masked. The crawl logs in as each persona and follows every same-site link
(and every xlsx/PDF download) from "/", checking the text of each page for ID numbers,
mobile numbers and people's names.
"""

from __future__ import annotations

import io
import re
from collections import deque
from io import StringIO
from urllib.parse import urldefrag, urlsplit

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """`setup_instance --demo` on the empty test database, once, inside a transaction that
    is rolled back at the end; the time it started (for the history check)."""
    from django.conf import settings
    from django.utils import timezone

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        old_debug, settings.DEBUG = settings.DEBUG, True  # seed_demo refuses DEBUG=0
        old_email = settings.EMAIL_BACKEND
        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
        try:
            started = timezone.now()
            call_command("setup_instance", demo=True, stdout=StringIO())
            settings.DEBUG = old_debug
            yield started
        finally:
            settings.DEBUG = old_debug
            settings.EMAIL_BACKEND = old_email
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def test_it_seeds_the_whole_demo_and_a_second_run_changes_nothing(demo, settings):
    settings.DEBUG = True  # seed_demo refuses to run in production (DEBUG=0)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert_every_change_attributed(since=demo)

    from association.accounts.models import User
    from association.finance.models import Voucher
    from association.governance.choices import OfficeCode
    from association.governance.selectors import current_officeholder
    from association.regions.models import Region
    from members.models import Organisation, SocialWorker
    from projects.models import Application, Expert, PracticeBase
    from stations.models import Station

    assert Region.objects.townships().count() == 106
    assert Organisation.objects.count() == 23
    assert 500 <= SocialWorker.objects.count() <= 560
    assert Station.objects.filter(closed_on__isnull=True).count() == 106
    assert Expert.objects.count() == 57
    assert PracticeBase.objects.count() == 22
    assert Application.objects.count() >= 220
    assert current_officeholder(OfficeCode.PRESIDENT).holder_name == "李伟"
    assert Voucher.objects.exists()
    assert_it_happened_in_order()
    assert_every_demo_account_lands_on_a_working_page()
    assert_every_report_ties_out_for_every_year()

    counts = (User.objects.count(), SocialWorker.objects.count(), Voucher.objects.count())
    output = StringIO()
    call_command("seed_demo", stdout=output)
    assert (User.objects.count(), SocialWorker.objects.count(), Voucher.objects.count()) == counts
    assert "staff@demo.xcsw.org.cn" in output.getvalue()

    out = StringIO()
    call_command("verify_ledger", stdout=out)  # exits non-zero (SystemExit) on a breach

    # On the full demo (thousands of rows), no page may fall into a query per row: every
    # admin changelist (100 rows a page) and every portal page without parameters, for
    # every demo role, stays within a small fixed budget.
    assert_pages_within_budget()


def assert_it_happened_in_order():
    """No membership starts before the founding congress; the officers' terms start on
    the day the election was certified; the dues standard is the congress's."""
    from association.governance.demo import CONGRESS_DAY, CONGRESS_TITLE, DUES_MOTION
    from association.governance.models import Meeting, Term
    from members.models import DuesStandard, Membership

    assert not Membership.objects.filter(member_since__lt=CONGRESS_DAY).exists()
    assert Membership.objects.filter(member_since=CONGRESS_DAY).count() >= 23
    congress = Meeting.objects.get(title=CONGRESS_TITLE)
    assert congress.motions.get(title=DUES_MOTION).passed
    assert not DuesStandard.objects.filter(effective_from__lt=CONGRESS_DAY).exists()
    assert (
        not Term.objects.exclude(starts_on=CONGRESS_DAY)
        .filter(office__code__in=["president", "secretary_general"])
        .exists()
    )


def assert_every_demo_account_lands_on_a_working_page():
    """The organisation admin's membership is current and its certificate downloads; the
    station worker has the report of the month to fill in."""
    from django.test import Client
    from django.urls import reverse

    from association.accounts.models import User
    from members.choices import MembershipStatus
    from members.models import Membership
    from members.rules import Rules, membership_status
    from stations.models import ServiceReport
    from stations.selectors import last_month

    orgadmin = User.objects.get(email="orgadmin@demo.xcsw.org.cn")
    membership = Membership.objects.get(organisation__admins__user=orgadmin)
    from django.utils import timezone

    status = membership_status(
        membership, membership.dues.all(), timezone.localdate(), Rules.from_settings()
    )
    assert status == MembershipStatus.CURRENT, status
    client = Client()
    client.force_login(orgadmin)
    certificate = client.get(reverse("members:membership_certificate", args=[membership.pk]))
    assert certificate.status_code == 200
    assert certificate["Content-Type"].startswith("application/pdf")

    station = User.objects.get(email="station@demo.xcsw.org.cn")
    report = ServiceReport.objects.get(
        station__assignments__worker__user=station, month=last_month()
    )
    assert report.status == "draft"
    client = Client()
    client.force_login(station)
    assert client.get(reverse("stations:report_edit", args=[report.pk])).status_code == 200


def assert_every_report_ties_out_for_every_year():
    """Every report of the catalogue that takes a year (or a period), built on the demo for
    every year the demo covers, passes its own checks (the statements' tie-outs among them)."""
    import datetime

    from django.utils import timezone

    from association.reports import catalogue
    from association.reports.services import build_document

    years = range(2023, timezone.localdate().year + 1)
    failures = []
    for report in catalogue.all_reports():
        if report.streams:
            continue
        fields = set(report.form().fields)
        for year in years:
            if fields == {"year"}:
                params = {"year": str(year)}
            elif fields == {"start", "end"}:
                end = min(datetime.date(year, 12, 31), timezone.localdate())
                params = {"start": f"{year}-01-01", "end": end.isoformat()}
            else:
                continue
            document = build_document(report, params)
            failures += [f"{report.slug} {year}: {f}" for f in document.failures]
    assert not failures, "\n".join(failures)


def assert_every_change_attributed(*, since):
    """Every row the demo changed says in its history who or what changed it."""
    import pghistory.models
    from django.apps import apps
    from django.db.models import Q

    unattributed = {}
    for model in apps.get_models():
        if not issubclass(model, pghistory.models.Event) or model._meta.proxy:
            continue
        if not any(f.name == "pgh_context" for f in model._meta.get_fields()):
            continue
        missing = (
            model.objects.filter(pgh_created_at__gte=since)
            .filter(
                Q(pgh_context__isnull=True)
                | (
                    ~Q(pgh_context__metadata__has_key="user")
                    & ~Q(pgh_context__metadata__has_key="action")
                )
            )
            .count()
        )
        if missing:
            unattributed[model._meta.label] = missing
    assert not unattributed, f"history rows with no actor or action: {unattributed}"


ADMIN_BUDGET = 25  # session, user, TOTP check, permissions, count, rows, filters' choices
PORTAL_BUDGET = 35  # the coverage dashboard is the largest: one query per figure it shows


def portal_url_names(resolver=None, namespace=""):
    from django.urls import URLPattern, URLResolver, get_resolver

    names = []
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names += portal_url_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name and not pattern.pattern.converters:
            names.append(namespace + pattern.name)
    return [n for n in names if not n.startswith(("account_", "mfa_", "usersessions_", "set_"))]


def assert_pages_within_budget():
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.contrib import admin
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import NoReverseMatch, reverse

    from association.accounts.models import User

    def measure(client, url):
        client.get(url)  # warm per-process caches (content types, permissions)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        return response.status_code, len(queries)

    over = []
    superuser = User.objects.get(email="admin@demo.xcsw.org.cn")
    TOTP.activate(superuser, generate_totp_secret())
    client = Client()
    client.force_login(superuser)
    for model in admin.site._registry:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        status, count = measure(client, url)
        if status != 200 or count > ADMIN_BUDGET:
            over.append(f"{url}: {status}, {count} queries")

    for email in ["staff", "official", "orgadmin", "station", "expert", "applicant"]:
        client = Client()
        client.force_login(User.objects.get(email=f"{email}@demo.xcsw.org.cn"))
        for name in portal_url_names():
            try:
                url = reverse(name)
            except NoReverseMatch:
                continue
            status, count = measure(client, url)
            if status >= 500 or count > PORTAL_BUDGET:
                over.append(f"{email} {url}: {status}, {count} queries")
    assert not over, "\n".join(over)


def test_every_admin_list_writes_the_rows_django_writes(demo):
    """The admin's rows come from a plan of each column (association/templatetags/
    admin_rows.py), not from Django's ``items_for_result``: on the demo's every change list,
    sorted both ways, each row is Django's own HTML."""
    from django.contrib import admin
    from django.contrib.admin.templatetags import admin_list
    from django.urls import reverse

    from association.accounts.models import User
    from association.templatetags.admin_rows import rows

    client = staff_client(User.objects.get(email="admin@demo.xcsw.org.cn"))
    compared, lists = 0, 0
    for model in admin.site._registry:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for query in ("", "?o=-2"):
            response = client.get(url + query)
            assert response.status_code == 200, url
            changelist = response.context["cl"]
            django_rows = ["".join(row) for row in admin_list.results(changelist)]
            assert ["".join(row) for row in rows(changelist)] == django_rows, url + query
            compared += len(django_rows)
            lists += bool(django_rows)
    assert lists > 40
    assert compared > 2000


# What officials, staff and other officers can reach on the demo (privacy review)

ID_NUMBER = re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)")
MASKED_ID = re.compile(r"\d{3,6}\*{6,}\d{2,4}[\dXx]?")
MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
MASKED_MOBILE = re.compile(r"(?<!\d)1[3-9]\d\*{4}\d{4}(?!\d)")
PATTERNS = {
    "ID number": ID_NUMBER,
    "masked ID number": MASKED_ID,
    "mobile number": MOBILE,
    "masked mobile number": MASKED_MOBILE,
}
SKIP_PREFIXES = ("/accounts/logout", "/admin/", "/i18n/", "/static/", "/media/", "/health/")
MAX_PAGES = 400
# Links whose handlers act on GET or stream large files are not worth following.
SKIP_PATTERNS = (re.compile(r"[?&]page=(?:[3-9]|\d{2,})"),)


def personal_names():
    """Names of social workers, graduates, minors and guardians in the database."""
    from members.models import SocialWorker
    from projects.models import Application, Referral

    names = set(SocialWorker.objects.values_list("name", flat=True))
    names |= set(Application.objects.values_list("name", flat=True))
    for referral in Referral.objects.all():
        names |= {referral.minor_name, referral.guardian_name}
    # private donors (the annual report masks them; a unit donor is named in full)
    from association.finance.models import Donation

    names |= set(Donation.objects.filter(donor_kind="individual").values_list("donor", flat=True))
    # The association's own legal representative and the heads who sign its annual report
    # are named in it by law (社会团体年度工作报告书): public officers, not personal data.
    from association.governance.models import AnnualFiling, Registration

    public = set(Registration.objects.values_list("legal_representative", flat=True))
    for head, preparer in AnnualFiling.objects.values_list("head", "preparer"):
        public |= {head, preparer}
    return {name for name in names - public if name and len(name) >= 2}


def text_of(response) -> str:
    """The readable text of a response: HTML as is, xlsx cells, PDF text."""
    content_type = response.get("Content-Type", "")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if "spreadsheetml" in content_type or body[:2] == b"PK":
        from openpyxl import load_workbook

        workbook = load_workbook(io.BytesIO(body), read_only=True)
        cells = []
        for sheet in workbook.worksheets:
            cells.append(sheet.title)
            for row in sheet.iter_rows(values_only=True):
                cells.extend(str(value) for value in row if value is not None)
        return "\n".join(cells)
    if "pdf" in content_type or body[:4] == b"%PDF":
        from pypdf import PdfReader

        return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(body)).pages)
    return body.decode("utf-8", errors="replace")


HREF = re.compile(r"""(?:href|hx-get)=["']([^"']+)["']""")


def links_of(html: str):
    for raw in HREF.findall(html):
        url = urldefrag(raw.replace("&amp;", "&"))[0]
        if url.startswith("/") and not url.startswith("//"):
            yield url


def crawl(client: Client, start=("/",), *, limit=MAX_PAGES):
    """Every page reachable from ``start``: ``{url: text}`` (only 200 responses)."""
    seen, pages = set(start), {}
    queue = deque(start)
    while queue and len(pages) < limit:
        url = queue.popleft()
        response = client.get(url)
        if response.status_code != 200:
            continue
        text = text_of(response)
        pages[url] = text
        if "html" not in response.get("Content-Type", ""):
            continue
        for link in links_of(text):
            path = urlsplit(link).path
            if link in seen or path.startswith(SKIP_PREFIXES):
                continue
            if any(pattern.search(link) for pattern in SKIP_PATTERNS):
                continue
            seen.add(link)
            queue.append(link)
    return pages


# A membership's verification code (16 hex digits, members/services/applications.py) is
# printed on its certificate and in its /verify/ link by design; a run of its digits can
# read as a mobile number (a demo's "17285694884" once did), so it is blanked first.
VERIFICATION_CODE = re.compile(r"(?<![0-9a-f])[0-9a-f]{16}(?![0-9a-f])")


def leaks_in(pages: dict, names=(), *, patterns=PATTERNS, allow=()):
    found = []
    for url, text in pages.items():
        for label, pattern in patterns.items():
            for match in pattern.findall(VERIFICATION_CODE.sub(" ", text)):
                found.append(f"{url}: {label} {match}")
        for name in names:
            if name in text and name not in allow:
                found.append(f"{url}: name {name}")
    return found


def report_params(report) -> dict:
    """Parameters a user would plausibly choose: last month, last year, this year so far."""
    import datetime

    from django import forms

    from association.reports.catalogue import MonthField

    today = datetime.date.today()
    last_month = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    form = report.form()
    params = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        value = value() if callable(value) else value
        if value in (None, ""):
            if isinstance(field, MonthField):
                value = last_month.strftime("%Y-%m")
            elif isinstance(field, forms.IntegerField) and name == "year":
                value = today.year - 1
            elif isinstance(field, forms.DateField):
                value = datetime.date(today.year, 1, 1) if name == "start" else today
            elif isinstance(field, forms.ChoiceField) and field.choices:
                value = next((key for key, _label in field.choices if key not in ("", None)), "")
            else:
                value = ""
        params[name] = value
    return params


def official_user():
    from association.accounts.models import User

    return User.objects.get(email="official@demo.xcsw.org.cn")


@pytest.mark.django_db
def test_it_shows_an_official_no_personal_data_on_any_reachable_page(demo):
    official = official_user()
    client = Client()
    client.force_login(official)
    pages = crawl(client)
    assert len(pages) > 10, sorted(pages)
    downloads = [url for url, text in pages.items() if not text.lstrip().startswith("<")]
    names = personal_names() - {official.display_name}
    # The association's council and officeholders are public office (社会组织登记管理条例:
    # its responsible persons are registered and published): their names may be shown.
    # So are the certified election results the association announces (linked from 信息公开).
    public = {
        url: text
        for url, text in pages.items()
        if url.startswith("/governance/council/") or re.match(r"^/elections/\d+/results", url)
    }
    leaks = leaks_in({url: text for url, text in pages.items() if url not in public}, names)
    leaks += leaks_in(public, ())
    assert not leaks, "\n".join(sorted(set(leaks))[:80]) + f"\n({len(pages)} pages, {downloads})"


@pytest.mark.django_db
def test_it_gives_an_official_reports_without_personal_data(demo):
    from association.reports import catalogue
    from association.reports.services import build_document, render_document

    official = official_user()
    reports = catalogue.reports_for(official)
    assert reports
    names = personal_names()
    leaks = []
    for report in reports:
        document = build_document(report, report_params(report))
        for fmt in ("xlsx", "pdf"):
            content = render_document(document, fmt)

            class Fake:
                streaming = False

                def __init__(self, content, fmt):
                    self.content = content
                    self.fmt = fmt

                def get(self, key, default=""):
                    return "application/pdf" if self.fmt == "pdf" else "spreadsheetml"

            text = text_of(Fake(content, fmt))
            leaks += leaks_in({f"{report.slug}.{fmt}": text}, names)
    assert not leaks, "\n".join(sorted(set(leaks))[:80])


@pytest.mark.django_db
def test_it_shows_a_county_official_their_countys_figures_and_no_other(demo):
    """An official whose account carries a county (禹州市) reaches, by every link from "/",
    dashboards and report files of that county only: no other county of the city and none
    of their townships appear on them."""
    from association.accounts.models import User
    from association.accounts.services import user_set_region
    from association.regions.models import Region
    from association.regions.scope import limited_to
    from association.reports import catalogue
    from association.reports.services import build_document

    official = official_user()
    staff = User.objects.get(email="staff@demo.xcsw.org.cn")
    county = Region.objects.get(code="411081")
    others = set(
        Region.objects.association_area()
        .exclude(pk=county.pk)
        .exclude(parent=county)
        .exclude(level="city")
        .values_list("name", flat=True)
    )
    own = {county.name, *county.children.values_list("name", flat=True)}
    others = {name for name in others if not any(name in mine for mine in own)}
    assert "魏都区" in others and "颍川街道" not in others
    user_set_region(user=official, region=county, by=staff)
    try:
        client = Client()
        client.force_login(official)
        pages = crawl(client)
        dashboards = {url: text for url, text in pages.items() if url.startswith("/stations/")}
        assert dashboards and any("颍川街道" in text for text in dashboards.values())
        leaks = [
            f"{url}: {name}" for url, text in dashboards.items() for name in others if name in text
        ]
        reports = catalogue.reports_for(official)
        assert reports and all(report.regional for report in reports)
        for report in reports:
            with limited_to(catalogue.limited_area(official)):
                document = build_document(report, report_params(report))
            text = "\n".join(
                str(value)
                for section in document.sections
                for table in section.tables()
                for row in table.rows
                for value in row
            )
            leaks += [f"{report.slug}: {name}" for name in others if name in text]
        assert not leaks, "\n".join(sorted(leaks)[:80])
    finally:
        user_set_region(user=official, region=None, by=staff)


# --- sealed juvenile referrals ---------------------------------------------------------


def sealed_referral():
    from projects.models import Referral

    referral = Referral.objects.filter(sealed=True).order_by("pk").first()
    assert referral is not None, "the demo has a sealed referral"
    return referral


def sealed_terms(referral):
    terms = {
        referral.minor_name,
        referral.minor_school,
        referral.minor_address,
        referral.case_number,
    }
    return {term for term in terms if term}


def staff_client(user):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    if not user.authenticator_set.filter(type="totp").exists():
        TOTP.activate(user, generate_totp_secret())
    client = Client()
    client.force_login(user)
    session = client.session
    # allauth marks an MFA-authenticated session; the admin checks it through the user.
    session.save()
    return client


def outsiders_of(referral):
    """Staff and officers who are neither the designated officer nor an assigned expert."""
    from association.accounts.choices import Role
    from association.accounts.models import User

    users = User.objects.filter(is_active=True, is_staff=True).exclude(
        pk=referral.designated_officer_id
    )
    users = users.exclude(expert__assignments__referral=referral)
    officer = (
        users.filter(groups__name=Role.OFFICER.value).first()
        or users.filter(roles__contains=[Role.OFFICER.value]).first()
    )
    staff = users.filter(email="staff@demo.xcsw.org.cn").first() or users.first()
    return [user for user in (staff, officer) if user is not None]


ADMIN_PATHS = [
    "/admin/projects/referral/",
    "/admin/projects/assignment/",
    "/admin/projects/consent/",
    "/admin/projects/socialinvestigationreport/",
    "/admin/projects/session/",
    "/admin/projects/story/",
    "/admin/projects/expert/",
    "/admin/projects/application/",
    "/admin/pghistory/middlewareevents/?model=projects.Referral",
    "/admin/audit/accesslog/",
]


@pytest.mark.django_db
def test_it_hides_a_sealed_referral_from_staff_who_are_not_assigned(demo):
    referral = sealed_referral()
    terms = sealed_terms(referral)
    users = outsiders_of(referral)
    assert users
    leaks = []
    for user in users:
        client = staff_client(user)
        pages = crawl(client, limit=300)
        assert len(pages) > 10
        unmasked = {"ID number": ID_NUMBER, "mobile number": MOBILE}
        # A member's own profile shows their own mobile number (the demo's officers are on
        # the register too): that page is theirs, not a leak.
        others = {url: text for url, text in pages.items() if not url.startswith("/members/me/")}
        leaks += [f"{user.email} {leak}" for leak in leaks_in(others, terms, patterns=unmasked)]
        admin_pages = {}
        for path in ADMIN_PATHS:
            for term in ("", referral.minor_name, referral.case_number, referral.reference or ""):
                joiner = "&" if "?" in path else "?"
                url = f"{path}{joiner}q={term}" if term else path
                response = client.get(url)
                if response.status_code == 200:
                    # The admin echoes the search term (search box, filter links): drop it.
                    admin_pages[url] = (
                        text_of(response).replace(term, "") if term else text_of(response)
                    )
                    change = f"/admin/projects/referral/{referral.pk}/change/"
                    if change in admin_pages[url]:
                        leaks.append(f"{user.email} {url}: links the sealed referral")
        response = client.get(f"/admin/projects/referral/{referral.pk}/change/")
        if response.status_code == 200:
            admin_pages["referral change"] = text_of(response)
        leaks += [f"{user.email} {leak}" for leak in leaks_in(admin_pages, terms, patterns={})]
    assert not leaks, "\n".join(sorted(set(leaks))[:80])


@pytest.mark.django_db
def test_it_cannot_find_a_sealed_referral_in_the_admin_by_the_minors_name(demo):
    from django.contrib import admin as django_admin

    from projects.models import Referral

    referral = sealed_referral()
    model_admin = django_admin.site._registry[Referral]
    encrypted = {"minor_name", "minor_school", "minor_address", "guardian_name", "guardian_phone"}
    for field in model_admin.search_fields:
        name = field.lstrip("^=@").split("__")[0]
        assert name not in encrypted and "index" not in name, field
    for user in outsiders_of(referral):
        client = staff_client(user)
        for term in (referral.minor_name, referral.case_number):
            response = client.get("/admin/projects/referral/", {"q": term})
            if response.status_code != 200:
                continue
            body = response.content.decode()
            assert f"/admin/projects/referral/{referral.pk}/change/" not in body
            assert referral.reference not in body


@pytest.mark.django_db
def test_it_never_exports_a_referral_except_as_a_count(demo):
    from association.reports import catalogue
    from association.reports.services import build_document, render_document

    referral = sealed_referral()
    terms = sealed_terms(referral) | {referral.reference}
    leaks = []
    for report in catalogue.all_reports():
        try:
            document = build_document(report, report_params(report))
        except Exception as error:  # a report needing a parameter we cannot guess
            leaks.append(f"{report.slug}: could not build ({error!r})")
            continue
        content = render_document(document, "xlsx")
        from openpyxl import load_workbook

        workbook = load_workbook(io.BytesIO(content), read_only=True)
        text = "\n".join(
            str(value)
            for sheet in workbook.worksheets
            for row in sheet.iter_rows(values_only=True)
            for value in row
            if value is not None
        )
        leaks += [f"{report.slug}: {term}" for term in terms if term in text]
    assert not leaks, "\n".join(leaks)


@pytest.mark.django_db
def test_it_keeps_a_sealed_referral_out_of_the_superusers_history_and_logs(demo):
    """Superusers are not among the people who may see a sealed referral either."""
    from association.accounts.models import User

    referral = sealed_referral()
    terms = sealed_terms(referral)
    admin_user = User.objects.get(email="admin@demo.xcsw.org.cn")
    assert admin_user.is_superuser
    client = staff_client(admin_user)
    pages = {}
    for path in (
        "/admin/pghistory/middlewareevents/",
        "/admin/pghistory/middlewareevents/?model=projects.Referral",
        f"/admin/pghistory/middlewareevents/?obj=projects.Referral:{referral.pk}&method=tracks",
        "/admin/audit/accesslog/",
        "/admin/projects/referral/",
        f"/admin/projects/referral/{referral.pk}/change/",
        f"/admin/projects/referral/{referral.pk}/history/",
    ):
        response = client.get(path)
        if response.status_code == 200:
            pages[path] = text_of(response)
    assert "/admin/pghistory/middlewareevents/" in pages, "the superuser reaches the history"
    # Each event's own page shows the whole row as it was (pgh_data): not even by its URL.
    from django.contrib.admin.utils import quote
    from pghistory.models import MiddlewareEvents

    events = list(MiddlewareEvents.objects.tracks(referral))
    assert events, "the sealed referral has a history"
    for event in events:
        url = f"/admin/pghistory/middlewareevents/{quote(event.pk)}/change/"
        response = client.get(url)
        if response.status_code == 200:
            pages[url] = text_of(response)
    for listing in list(pages.values()):
        for link in set(
            re.findall(r'href="(/admin/pghistory/middlewareevents/[^"?]+/change/[^"]*)"', listing)
        ):
            response = client.get(link.replace("&amp;", "&"))
            if response.status_code == 200:
                pages[link] = text_of(response)
    leaks = leaks_in(pages, terms, patterns={"ID number": ID_NUMBER, "mobile number": MOBILE})
    assert not leaks, "\n".join(leaks)
