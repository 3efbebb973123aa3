"""Stored XSS, template and formula injection: a payload corpus through the free-text fields.

Each payload is written into the free-text fields of the main models (as a member, a
station or a clerk could type it), then every portal page and admin page that shows them
is opened as staff, and the exports are read back:

- no page answers 500 (a ``{}`` in a name once crashed ``format_html``);
- no page contains the payload's live markup (``<script>alert(1)``, ``<img src=x
  onerror``, an ``href="javascript:``): escaped text (``&lt;script&gt;``) is fine;
- no template syntax is evaluated (``{{7*7}}`` is shown as typed, never as 49);
- the xlsx and CSV exports write formula-looking text with a leading apostrophe
  (association/exports.py ``safe_cell``), and no cell is a formula;
- the PDFs (meeting minutes, membership certificate) print the payload as text.

Its figures go to ``test-artifacts/security/xss-corpus.json`` (docs/security.md).
"""

from __future__ import annotations

import csv
import io
import json
import zipfile

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.html import escape
from openpyxl import load_workbook
from pypdf import PdfReader

from association.exports import FORMULA_STARTS
from association.governance.choices import MeetingStatus
from association.governance.models import Meeting, Motion
from members.certificates import certificate_pdf
from members.resources import CheckedXLSX, OrganisationResource, SocialWorkerResource
from stations.resources import StationResource
from tests.factories import NotificationFactory, UserFactory
from tests.governance.factories import (
    AttendeeFactory,
    DocumentFactory,
    MeetingFactory,
    VersionFactory,
)
from tests.members.factories import MembershipFactory, OrganisationFactory, SocialWorkerFactory
from tests.projects.factories import ProjectFactory
from tests.stations.factories import StationFactory

from .figures import FIGURES, record

pytestmark = pytest.mark.django_db

# payload → the fragments a page must never contain (live markup it would create).
PAYLOADS = {
    "<script>alert(1)</script>": ["<script>alert(1)"],
    '"><img src=x onerror=alert(1)>': ["<img src=x onerror"],
    "{{7*7}}": [],
    "{% debug %}": [],
    "javascript:alert(1)": ['href="javascript:', "href='javascript:", "href=javascript:"],
    '=HYPERLINK("http://x")': [],
    "@SUM(1,2)": [],
    "{} {0} {name}": [],
}


def seed(payload, officer):
    """Every free-text field below gets the payload; returns (fields, portal pages, objects)."""
    organisation = OrganisationFactory(name=payload, address=payload, contact_name=payload)
    membership = MembershipFactory(organisation=organisation)
    worker = SocialWorkerFactory(name=payload, employer=organisation)
    station = StationFactory(name=payload, address=payload, contact_name=payload)
    project = ProjectFactory(name=payload, host_community=payload)
    meeting = MeetingFactory(title=payload, place=payload, agenda=payload)
    motion = Motion.objects.create(
        meeting=meeting,
        number=1,
        title=payload,
        text=payload,
        threshold_numerator=1,
        threshold_denominator=2,
        threshold_strict=True,
    )
    attendee = AttendeeFactory(meeting=meeting, name=payload, affiliation=payload)
    version = VersionFactory(
        document=DocumentFactory(title=payload), text=payload, change_summary=payload
    )
    notification = NotificationFactory(user=officer, title=payload, body=payload)
    fields = [
        "organisation.name",
        "organisation.address",
        "organisation.contact_name",
        "social_worker.name",
        "station.name",
        "station.address",
        "station.contact_name",
        "project.name",
        "project.host_community",
        "meeting.title",
        "meeting.place",
        "meeting.agenda",
        "motion.title",
        "motion.text",
        "attendee.name",
        "attendee.affiliation",
        "document.title",
        "document_version.text",
        "document_version.change_summary",
        "notification.title",
        "notification.body",
    ]
    pages = [
        ("members:membership_list", {}),
        ("members:membership_detail", {"pk": membership.pk}),
        ("members:organisation_detail", {"pk": organisation.pk}),
        ("members:organisation_roster", {"pk": organisation.pk}),
        ("members:worker_detail", {"pk": worker.pk}),
        ("stations:station_list", {}),
        ("stations:station_detail", {"pk": station.pk}),
        ("projects:project_list", {}),
        ("projects:project_detail", {"pk": project.pk}),
        ("governance:meeting_list", {}),
        ("governance:meeting_detail", {"pk": meeting.pk}),
        ("governance:attendance", {"pk": meeting.pk}),
        ("governance:document_list", {}),
        ("governance:version_detail", {"pk": version.pk}),
        ("notifications:inbox", {}),
    ]
    objects = [
        organisation,
        membership,
        worker,
        station,
        project,
        meeting,
        motion,
        attendee,
        version.document,
        version,
        notification,
    ]
    return fields, pages, objects, meeting, membership


def admin_pages(objects):
    pages = []
    for obj in objects:
        meta = obj._meta
        for suffix, args in (("changelist", []), ("change", [obj.pk])):
            try:
                name = f"admin:{meta.app_label}_{meta.model_name}_{suffix}"
                pages.append(reverse(name, args=args))
            except NoReverseMatch:  # not in the admin
                continue
    return pages


def live_markup(body: str, payload: str) -> list[str]:
    found = [fragment for fragment in PAYLOADS[payload] if fragment in body]
    if "{{7*7}}" in payload and "{{7*7}}" not in body:
        found.append("{{7*7}} evaluated or lost")
    return found


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def formula_cells(content: bytes) -> tuple[list[str], list[str]]:
    """(text cells that would run as a formula, every text cell) of an xlsx file."""
    book = load_workbook(io.BytesIO(content))
    texts, bad = [], []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    bad.append(f"{sheet.title}!{cell.coordinate} is a formula")
                elif isinstance(cell.value, str):
                    texts.append(cell.value)
                    if cell.value.startswith(FORMULA_STARTS):
                        bad.append(f"{sheet.title}!{cell.coordinate} = {cell.value!r}")
    return bad, texts


def close(meeting):
    """The minutes and the filing pack exist once the meeting is closed."""
    Meeting.objects.filter(pk=meeting.pk).update(
        status=MeetingStatus.CLOSED, closed_at=timezone.now()
    )


@pytest.fixture
def superuser(db):
    return UserFactory(email="root@example.org", is_staff=True, is_superuser=True)


@pytest.mark.parametrize("payload", list(PAYLOADS))
def test_the_payload_is_never_live_on_a_page(payload, cast, superuser, client_for):
    fields, pages, objects, _meeting, _version = seed(payload, cast.officer)
    officer = client_for(cast.officer)
    root = client_for(superuser)
    wrong, shown = [], 0
    urls = [(officer, reverse(name, kwargs=kwargs)) for name, kwargs in pages]
    urls += [(root, url) for url in admin_pages(objects)]
    for client, url in urls:
        response = client.get(url)
        if response.status_code != 200:
            wrong.append(f"{url}: {response.status_code}")
            continue
        body = response.content.decode()
        shown += escape(payload) in body or payload in body
        wrong += [f"{url}: {found}" for found in live_markup(body, payload)]
    record(
        "xss-corpus.json",
        f"pages {payload}",
        {"fields": len(fields), "pages": len(urls), "pages_showing_it": shown, "ok": not wrong},
    )
    assert shown, "no page showed the payload: the corpus tests nothing"
    assert not wrong, "; ".join(wrong)


@pytest.mark.parametrize("payload", list(PAYLOADS))
def test_the_exports_never_write_a_formula(payload, cast, client_for):
    _fields, _pages, _objects, meeting, _membership = seed(payload, cast.officer)
    close(meeting)
    wrong, files = [], 0
    for resource in (OrganisationResource(), SocialWorkerResource(), StationResource()):
        content = CheckedXLSX().export_data(resource.export())
        bad, texts = formula_cells(content)
        files += 1
        wrong += [f"{type(resource).__name__}: {b}" for b in bad]
        if payload.startswith(FORMULA_STARTS):
            assert "'" + payload in texts, f"{type(resource).__name__} lost the payload"
    response = client_for(cast.officer).get(reverse("elections:filing_pack", args=[meeting.pk]))
    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(response.content)) as pack:
        for name in pack.namelist():
            if not name.endswith(".csv"):
                continue
            files += 1
            rows = list(csv.reader(io.StringIO(pack.read(name).decode("utf-8-sig"))))
            cells = [cell for row in rows for cell in row]
            wrong += [f"{name}: {cell!r}" for cell in cells if cell.startswith(FORMULA_STARTS)]
            if name.startswith("02-") and payload.startswith(FORMULA_STARTS):
                assert "'" + payload in cells, f"{name} lost the payload"
    record("xss-corpus.json", f"exports {payload}", {"files": files, "ok": not wrong})
    assert not wrong, "; ".join(wrong)


@pytest.mark.parametrize("payload", list(PAYLOADS))
def test_the_pdfs_print_the_payload_as_text(payload, cast, client_for):
    _fields, _pages, _objects, meeting, membership = seed(payload, cast.officer)
    close(meeting)
    response = client_for(cast.officer).get(
        reverse("elections:meeting_minutes_pdf", args=[meeting.pk])
    )
    assert response.status_code == 200
    pdfs = {
        "meeting minutes": response.content,
        "membership certificate": certificate_pdf(membership),
    }
    wrong = []
    for name, content in pdfs.items():
        assert content.startswith(b"%PDF-"), name
        text = pdf_text(content).replace("\n", "").replace(" ", "")
        if payload.replace(" ", "") not in text:
            wrong.append(f"{name}: payload not printed as text")
    record("xss-corpus.json", f"pdfs {payload}", {"pdfs": len(pdfs), "ok": not wrong})
    assert not wrong, "; ".join(wrong)


def test_zz_the_corpus_figures_add_up(cast):
    """Runs after the corpus (file order): totals over the payloads tried in this run."""
    path = FIGURES / "xss-corpus.json"
    if not path.exists():
        pytest.skip("the corpus did not run")
    known = json.loads(path.read_text())
    pages = [known[f"pages {p}"] for p in PAYLOADS if f"pages {p}" in known]
    exports = [known[f"exports {p}"] for p in PAYLOADS if f"exports {p}" in known]
    pdfs = [known[f"pdfs {p}"] for p in PAYLOADS if f"pdfs {p}" in known]
    fields = len(seed("x", cast.officer)[0])
    record(
        "xss-corpus-totals.json",
        "totals",
        {
            "payloads": len(PAYLOADS),
            "free_text_fields": fields,
            "payload_field_pairs": len(PAYLOADS) * fields,
            "page_renders": sum(p["pages"] for p in pages),
            "page_renders_showing_the_payload": sum(p["pages_showing_it"] for p in pages),
            "export_files_read": sum(e["files"] for e in exports),
            "pdfs_read": sum(p["pdfs"] for p in pdfs),
            "failures": sum(not r["ok"] for r in pages + exports + pdfs),
        },
    )
