"""At scale: the standing filter and overview from SQL, the navigation's dues check, the
bulk import (all-or-nothing, every bad line named) and the memberships export."""

from __future__ import annotations

import datetime

import pytest
import tablib
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from members.choices import MembershipStatus, Qualification
from members.importing import check_holds
from members.models import Membership, SocialWorker
from members.resources import MembershipResource, SocialWorkerResource
from members.rules import Rules, membership_status
from members.services.standing import standing_refresh
from tests.conftest import assert_constant_queries
from tests.factories import UserFactory

from .factories import (
    DuesFactory,
    MembershipFactory,
    OrganisationAdminFactory,
    SocialWorkerFactory,
    bulk_memberships,
    id_number,
)
from .test_admin import HEADERS, admin_client, worker_row


@pytest.mark.parametrize("standing", ["current", "grace", "lapsed"])
def test_it_filters_the_admin_by_the_same_standing_as_the_rule(cast, client, standing):
    bulk_memberships(150, today=timezone.localdate(), seed=7)
    today, rules = timezone.localdate(), Rules.from_settings()
    expected = {
        m.pk
        for m in Membership.objects.prefetch_related("dues")
        if membership_status(m, m.dues.all(), today, rules) == standing
    }
    assert expected  # the generated histories hold every standing
    client = admin_client(client, cast.staff)
    response = client.get(
        reverse("admin:members_membership_changelist"), {"standing": standing, "all": ""}
    )
    assert {m.pk for m in response.context["cl"].result_list} == expected


def test_it_counts_the_overview_in_constant_queries(cast, client):
    client.force_login(cast.staff)
    today = timezone.localdate()

    def grow(n):
        bulk_memberships(n * 20, today=today, seed=n)
        # the view after a change computes the marked memberships again (the next test)
        standing_refresh()

    queries = assert_constant_queries(lambda: client.get(reverse("members:overview")), grow)
    # session, user, roles and menu; 6 for the figures, 2 of them the standing (its marks
    # taken, its changes summed)
    assert queries <= 15


def test_the_standing_computes_a_change_in_the_same_queries_for_one_or_many(db, cast):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    today = timezone.localdate()
    standing_refresh()  # the rules recorded (once a process)
    counts = []
    for n in (1, 60):
        bulk_memberships(n, today=today, seed=n)
        with CaptureQueriesContext(connection) as queries:
            assert standing_refresh() == n
        counts.append(len(queries))
    # the marks taken, the dues, the memberships, the spans out and in
    assert counts[0] == counts[1] == 5


def test_it_counts_the_overview_as_the_rule_does(db):
    from members.selectors import members_overview

    today, rules = timezone.localdate(), Rules.from_settings()
    bulk_memberships(120, today=today, seed=3)
    overview = members_overview(today=today)
    counts = {}
    for m in Membership.objects.prefetch_related("dues"):
        status = membership_status(m, m.dues.all(), today, rules)
        counts[status] = counts.get(status, 0) + 1
    individual = dict(overview.by_status["个人会员"])
    for status in (MembershipStatus.CURRENT, MembershipStatus.GRACE, MembershipStatus.LAPSED):
        assert individual[status.label] == counts.get(status, 0)


def test_the_reports_read_the_register_a_chunk_at_a_time_and_count_the_same(db, monkeypatch):
    """The per-member rules of the reports (the register's standing, the continuing
    education) and the member list read a chunk of rows at a time, each with its own
    prefetched dues or records, so a report's memory does not grow with the register."""
    from association.reports import catalogue
    from association.reports.services import build_document
    from members import selectors

    from .factories import EducationFactory

    today = timezone.localdate()
    bulk_memberships(25, today=today, seed=11)
    for worker in SocialWorker.objects.order_by("pk")[:7]:
        worker.qualification = Qualification.ASSISTANT
        worker.certificate_number = f"ZS{worker.pk}"
        worker.certificate_date = datetime.date(2021, 6, 20)
        worker.registered_on = datetime.date(2021, 9, 1)
        worker.save()
        EducationFactory(worker=worker, date=today - datetime.timedelta(days=30))

    def figures():
        with CaptureQueriesContext(connection) as queries:
            register = selectors.register_in_good_standing(today)
            education = selectors.education_summary(today)
            document = build_document(catalogue.get("member-list"), {"on": today.isoformat()})
        people = document.sections[1].tables()[0].rows
        return (register, education, people), len(queries)

    whole, queries = figures()
    monkeypatch.setattr(selectors, "REPORT_CHUNK", 4)
    chunked, chunked_queries = figures()
    assert chunked == whole
    assert sum(whole[0].values()) > 0 and sum(whole[1].values()) == 7 and len(whole[2]) == 25
    # A prefetch a chunk: 25 memberships in 7 chunks of dues, 7 certified workers in 2 of
    # records, where one chunk each held them all before.
    assert chunked_queries == queries + (7 - 1) + (2 - 1)


def test_it_shows_my_dues_in_the_menu_with_one_query(cast):
    from association.finance.navigation import _has_dues

    worker = SocialWorkerFactory(user=cast.applicant)
    DuesFactory(membership=MembershipFactory(person=worker))
    organisation_dues = DuesFactory()
    OrganisationAdminFactory(
        organisation=organisation_dues.membership.organisation, user=cast.org_admin_a
    )
    with CaptureQueriesContext(connection) as queries:
        assert _has_dues(cast.applicant)
    assert len(queries) == 1
    assert _has_dues(cast.org_admin_a)
    assert not _has_dues(cast.org_admin_b)
    assert not _has_dues(cast.outsider)


def test_my_dues_lists_the_users_own_and_their_units_dues_once_each(cast, client_for):
    """The page's query reads the user's memberships first, then their dues by index
    (an OR across the joins walked every dues row at province scale)."""
    from association.finance.selectors import my_dues

    worker = SocialWorkerFactory(user=cast.applicant)
    own = MembershipFactory(person=worker)
    mine = [DuesFactory(membership=own, year=year) for year in (2023, 2024)]
    unit = DuesFactory(year=2024)
    OrganisationAdminFactory(organisation=unit.membership.organisation, user=cast.applicant)
    OrganisationAdminFactory(organisation=unit.membership.organisation, user=cast.org_admin_a)
    DuesFactory(year=2024)  # someone else's

    listed = list(my_dues(user=cast.applicant))
    expected = sorted([*mine, unit], key=lambda d: (-d.year, d.membership_id))
    assert [d.pk for d in listed] == [d.pk for d in expected]
    assert [d.pk for d in my_dues(user=cast.org_admin_a)] == [unit.pk]
    assert list(my_dues(user=cast.outsider)) == []
    page = client_for(cast.applicant).get("/finance/dues/mine/")
    assert page.status_code == 200
    assert list(page.context["page"].object_list) == listed


# --- The bulk import -----------------------------------------------------------------


def big_file(n: int, bad: dict[int, list]) -> tablib.Dataset:
    """``n`` good rows, with the rows at the given lines replaced."""
    rows = []
    for line in range(2, n + 2):
        birth = (datetime.date(1960, 1, 1) + datetime.timedelta(days=line // 1000)).strftime(
            "%Y%m%d"
        )
        rows.append(bad.get(line) or worker_row(f"社工{line}", id_number(line, birth=birth)))
    return tablib.Dataset(*rows, headers=HEADERS)


def test_it_imports_a_large_file_all_or_nothing_and_names_every_bad_line(db):
    taken = SocialWorkerFactory(id_number=id_number(900)).id_number
    first = worker_row("甲", id_number(7, birth="19500101"))
    wrong = id_number(2, birth="19500101")
    wrong = wrong[:-1] + ("0" if wrong[-1] != "0" else "1")
    bad = {
        17: worker_row("李四", wrong),  # check digit
        1200: first,
        4321: worker_row("乙", id_number(7, birth="19500101")),  # duplicate of line 1200
        2500: worker_row("=cmd()", id_number(4, birth="19500101")),  # formula
        4999: worker_row("孙七", taken),  # already registered
        3001: worker_row("周八", id_number(5, birth="19500101"), 取得资格日期="2021-13-45"),
        5001: worker_row("", id_number(6, birth="19500101")),  # no name (the last line)
    }
    dataset = big_file(5000, bad)
    with CaptureQueriesContext(connection) as queries:
        result = SocialWorkerResource().import_data(
            dataset, dry_run=False, raise_errors=False, rollback_on_validation_errors=True
        )
    assert len(queries) < 20  # one register lookup per 1,000 rows, no query per row
    messages = {row.number + 1: " ".join(row.error.messages) for row in result.invalid_rows}
    assert sorted(messages) == [17, 2500, 3001, 4321, 4999, 5001]
    assert "校验位" in messages[17]
    assert "与第1200行重复" in messages[4321]
    assert "公式" in messages[2500]
    assert "已登记" in messages[4999]
    assert SocialWorker.objects.count() == 1  # nothing of the file


def test_it_imports_a_large_good_file_in_one_insert(db):
    with CaptureQueriesContext(connection) as queries:
        result = SocialWorkerResource().import_data(
            big_file(5000, {}), dry_run=False, rollback_on_validation_errors=True
        )
    assert not result.has_errors() and not result.has_validation_errors()
    assert result.totals["new"] == 5000
    assert SocialWorker.objects.count() == 5000
    assert len(queries) < 40
    worker = SocialWorker.objects.get(name="社工2")
    assert worker.id_number_index and worker.registration_expires_on == datetime.date(2024, 8, 31)


def test_it_reports_a_missing_certificate_as_the_model_constraint_does(db):
    row = worker_row("张三", id_number(1), 资格证书编号="", 取得资格日期="")
    result = SocialWorkerResource().import_data(
        tablib.Dataset(row, headers=HEADERS), dry_run=False, rollback_on_validation_errors=True
    )
    assert "持有职业资格的，须填写证书编号和取得资格日期。" in result.invalid_rows[0].error.messages


@pytest.mark.parametrize(
    ("qualification", "number", "date"),
    [
        (Qualification.NONE, "", None),
        (Qualification.ASSISTANT, "", None),
        (Qualification.ASSISTANT, "ZS1", None),
        (Qualification.ASSISTANT, "", datetime.date(2020, 1, 1)),
        (Qualification.SENIOR, "ZS1", datetime.date(2020, 1, 1)),
    ],
)
def test_it_checks_constraints_in_python_as_the_database_does(db, qualification, number, date):
    from django.core.exceptions import ValidationError

    worker = SocialWorker(
        qualification=qualification, certificate_number=number, certificate_date=date
    )
    (constraint,) = SocialWorker._meta.constraints
    try:
        constraint.validate(SocialWorker, worker)
        in_database = True
    except ValidationError:
        in_database = False
    assert check_holds(constraint, worker) == in_database


# --- The memberships export ----------------------------------------------------------


def test_it_exports_memberships_masked_and_formula_safe(db):
    worker = SocialWorkerFactory(name="=HYPERLINK(1)", id_number="11010519491231002X")
    MembershipFactory(person=worker)
    MembershipFactory()
    dataset = MembershipResource().export()
    rows = {row["会员类型"]: row for row in dataset.dict}
    assert rows["个人会员"]["会员名称"] == "'=HYPERLINK(1)"
    assert rows["个人会员"]["公民身份号码"] == "1101**********002X"
    assert rows["单位会员"]["统一社会信用代码"]
    assert {row["今日状态"] for row in dataset.dict} <= {s.label for s in MembershipStatus}
    assert "verification_code" not in dataset.headers and "验证码" not in dataset.headers


def test_it_exports_memberships_from_the_admin_for_who_may_export(cast, client):
    MembershipFactory(person=SocialWorkerFactory(id_number="11010519491231002X"))
    viewer = UserFactory(is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_membership"))
    viewer_client = admin_client(client, viewer)
    assert viewer_client.get(reverse("admin:members_membership_export")).status_code == 403
    assert cast.staff.has_perm("members.export_membership")
    staff = admin_client(client, cast.staff)
    response = staff.post(
        reverse("admin:members_membership_export"),
        {
            "format": "0",
            "resource": "0",
            **{f"membershipresource_{f}": "on" for f in MembershipResource._meta.fields},
        },
    )
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    assert "1101**********002X" in text and "11010519491231002X" not in text
