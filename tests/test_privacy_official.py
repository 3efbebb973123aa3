"""Privacy review: what officials, staff and other officers can reach, by crawling.

DESIGN.md: an official (民政部门) sees aggregates and reports, never people's personal
data; a sealed juvenile referral is seen only by its assigned experts and its
designated officer, and never leaves the system except as a count; ID numbers are
shown masked. These tests seed the whole demo once for the module, log in as each
persona and follow every same-site link (and every xlsx/PDF download) from "/",
checking the text of each page for ID numbers, mobile numbers and people's names.
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


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The whole demo, seeded once inside a transaction that is rolled back at the end."""
    from django.conf import settings

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        old_debug, settings.DEBUG = settings.DEBUG, True
        old_email = settings.EMAIL_BACKEND
        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
        try:
            regions = settings.BASE_DIR / "association" / "regions" / "data"
            out = StringIO()
            call_command(
                "load_regions",
                regions / "xuchang_townships.csv",
                source="Xzqh20251231",
                stdout=out,
            )
            call_command(
                "load_regions",
                regions / "xuchang_functional_zones.csv",
                source="手工添加（功能区，演示）",
                stdout=out,
            )
            call_command("seed_demo", stdout=out)
            settings.DEBUG = old_debug
            yield
        finally:
            settings.DEBUG = old_debug
            settings.EMAIL_BACKEND = old_email
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


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


def leaks_in(pages: dict, names=(), *, patterns=PATTERNS, allow=()):
    found = []
    for url, text in pages.items():
        for label, pattern in patterns.items():
            for match in pattern.findall(text):
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
