"""`setup_instance --demo` on an empty database gives every app its demo, twice over.

Each app tests its own demo on hand-made fixtures; this test runs the real thing, on
the real division codes, so a demo that silently skips itself is caught here.
"""

from io import StringIO

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_it_seeds_the_whole_demo_and_a_second_run_changes_nothing(settings):
    from django.utils import timezone

    settings.DEBUG = True  # seed_demo refuses to run in production (DEBUG=0)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    started = timezone.now()
    call_command("setup_instance", demo=True, stdout=StringIO())
    assert_every_change_attributed(since=started)

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
