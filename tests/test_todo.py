"""The to-do lists at the top of each role's home page: each item appears with the work
and goes when the work is done, and the page costs the same however much is waiting."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.db.models import CharField, Value
from django.urls import reverse

from association.todo import Urgency, todo_items
from stations import services as stations_services
from stations.choices import ReportStatus
from stations.models import ServiceArea, WorkKind
from tests.conftest import assert_constant_queries
from tests.stations.factories import ReportFactory, StationFactory, fill

D = datetime.date


@pytest.fixture
def frozen():
    # 2024-04-03: March's report is due on 04-05 (STATIONS_REPORT_DEADLINE_DAY); the
    # year's dues fell due on 03-31.
    with time_machine.travel(datetime.datetime(2024, 4, 3, 10, 0), tick=False):
        yield


@pytest.fixture
def station_a(cast):
    """Run by organisation A (admin ``cast.org_admin_a``), ``cast.station_worker`` its head
    (as in tests/stations/conftest.py)."""
    from tests.members.factories import OrganisationAdminFactory, OrganisationFactory
    from tests.stations.factories import AssignmentFactory, city

    operator = OrganisationFactory(name="许昌市甲社会工作服务中心", region=city())
    OrganisationAdminFactory(organisation=operator, user=cast.org_admin_a)
    station = StationFactory(operator=operator, name="甲镇社工站")
    AssignmentFactory(station=station, worker__user=cast.station_worker, role="head")
    return station


@pytest.fixture
def station_b(cast):
    """Run by organisation B (admin ``cast.org_admin_b``), in 禹州市."""
    from tests.members.factories import OrganisationAdminFactory, OrganisationFactory, township
    from tests.stations.factories import city

    operator = OrganisationFactory(name="许昌市乙社会工作服务中心", region=city())
    OrganisationAdminFactory(organisation=operator, user=cast.org_admin_b)
    return StationFactory(
        operator=operator, name="乙镇社工站", region=township(name="乙镇", county="禹州市")
    )


def labels(user) -> dict[str, object]:
    return {item.label: item for item in todo_items(user)}


def home(client_for, user) -> str:
    response = client_for(user).get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


def write(report, by):
    area, kind = ServiceArea.objects.first(), WorkKind.objects.first()
    stations_services.report_save(
        report=report,
        by=by,
        lines={(area, kind): (4, 40)},
        volunteers=2,
        narrative="本月走访独居老人并开展社区活动。",
    )
    return stations_services.report_submit(report=report, by=by)


# --- station worker -----------------------------------------------------------------------


def test_the_month_due_shows_until_the_report_is_submitted(cast, station_a, client_for, frozen):
    page = home(client_for, cast.station_worker)
    assert "3月月报" in page and "04-05 截止" in page and "（未填）" in page
    item = labels(cast.station_worker)["3月月报"]
    assert item.deadline == D(2024, 4, 5) and item.urgency == Urgency.SOON
    assert item.url == reverse("stations:station_reports", args=[station_a.pk])

    report = stations_services.report_start(
        station=station_a, month=D(2024, 3, 1), by=cast.station_worker
    )
    item = labels(cast.station_worker)["3月月报"]
    assert item.status == "草稿未报送"
    assert item.url == reverse("stations:report_edit", args=[report.pk])

    write(report, cast.station_worker)
    assert "3月月报" not in labels(cast.station_worker)
    assert "3月月报" not in home(client_for, cast.station_worker)


def test_a_returned_report_shows_until_it_is_resubmitted(cast, station_a, client_for, frozen):
    report = stations_services.report_start(
        station=station_a, month=D(2024, 3, 1), by=cast.station_worker
    )
    write(report, cast.station_worker)
    stations_services.report_return(report=report, by=cast.staff, comment="人次与台账不符")

    page = home(client_for, cast.station_worker)
    assert "退回 1 份" in page
    assert reverse("stations:report_edit", args=[report.pk]) in page

    report.refresh_from_db()
    write(report, cast.station_worker)
    assert "退回的月报" not in labels(cast.station_worker)
    assert "退回 1 份" not in home(client_for, cast.station_worker)


def test_a_month_past_its_deadline_is_overdue(cast, station_a):
    with time_machine.travel(datetime.datetime(2024, 4, 8, 10, 0), tick=False):
        item = labels(cast.station_worker)["3月月报"]
    assert item.urgency == Urgency.OVERDUE and "已逾期" in item.status


def test_an_operator_sees_its_stations_together(cast, station_a, frozen):
    StationFactory(operator=station_a.operator)
    item = labels(cast.org_admin_a)["3月月报"]
    assert item.count == 2 and item.status == "2 个站点未报送"
    assert item.url == reverse("stations:station_list")
    assert "3月月报" not in labels(cast.org_admin_b)


# --- reviewers ----------------------------------------------------------------------------


def test_reviews_wait_by_county_until_decided(cast, station_a, station_b, client_for, frozen):
    first = write(ReportFactory(station=station_a, month=D(2024, 3, 1)), cast.station_worker)
    write(ReportFactory(station=station_b, month=D(2024, 3, 1)), cast.org_admin_b)

    page = home(client_for, cast.staff)
    assert "待审核月报 · 魏都区" in page and "待审核月报 · 禹州市" in page

    stations_services.report_approve(report=first, by=cast.staff)
    assert "待审核月报 · 魏都区" not in labels(cast.staff)
    assert labels(cast.staff)["待审核月报 · 禹州市"].count == 1


def test_reviews_in_many_counties_are_one_item(cast, frozen, monkeypatch):
    """Staff of a province would read 159 lines, one a county: beyond
    ``COUNTIES_LISTED`` counties, one item counts the reports and the counties."""
    from stations import todo
    from tests.members.factories import township

    monkeypatch.setattr(todo, "COUNTIES_LISTED", 2)
    for i in range(3):
        station = StationFactory(region=township(name=f"镇{i}", county=f"县{i}"))
        ReportFactory(station=station, month=D(2024, 3, 1), status=ReportStatus.SUBMITTED)
    found = [item for label, item in labels(cast.staff).items() if label.startswith("待审核月报")]
    assert [(item.label, item.count, item.status) for item in found] == [
        ("待审核月报", 3, "3 份，3 个县（市、区）")
    ]
    assert found[0].url == reverse("stations:review_list")


def test_a_county_reviewer_sees_only_the_county(cast, station_a, station_b, frozen):
    from stations.models import CountyReviewer
    from tests.factories import UserFactory

    reviewer = UserFactory(email="reviewer@example.org")
    CountyReviewer.objects.create(county=station_a.region.parent, user=reviewer)
    write(ReportFactory(station=station_b, month=D(2024, 3, 1)), cast.org_admin_b)
    assert not any(label.startswith("待审核月报") for label in labels(reviewer))
    write(ReportFactory(station=station_a, month=D(2024, 3, 1)), cast.station_worker)
    assert list(labels(reviewer)) == ["待审核月报 · 魏都区"]


# --- organisation admin -------------------------------------------------------------------


@pytest.fixture
def organisation(station_a):
    return station_a.operator


def test_dues_due_show_until_paid(cast, organisation, client_for, frozen):
    from members.services import dues_record_payment
    from tests.members.factories import DuesFactory, MembershipFactory

    dues = DuesFactory(membership=MembershipFactory(organisation=organisation), year=2024)
    page = home(client_for, cast.org_admin_a)
    assert "缴纳会费" in page and "03-31 截止" in page
    item = labels(cast.org_admin_a)["缴纳会费"]
    assert item.urgency == Urgency.OVERDUE
    assert item.url == reverse("members:membership_detail", args=[dues.membership_id])
    assert "缴纳会费" not in labels(cast.org_admin_b)

    dues_record_payment(dues=dues, by=cast.staff, paid_on=D(2024, 4, 2))
    assert "缴纳会费" not in labels(cast.org_admin_a)


def test_dues_due_count_a_members_own_and_their_organisations(cast, organisation, frozen):
    """An organisation's admin who is also an individual member sees both dues records in
    one item, each once, and the list of memberships as its link."""
    from tests.members.factories import DuesFactory, MembershipFactory, SocialWorkerFactory

    DuesFactory(membership=MembershipFactory(organisation=organisation), year=2024)
    person = SocialWorkerFactory(user=cast.org_admin_a)
    DuesFactory(membership=MembershipFactory(person=person), year=2024)
    DuesFactory(membership=MembershipFactory(), year=2024)  # someone else's
    item = labels(cast.org_admin_a)["缴纳会费"]
    assert item.count == 2
    assert item.url == reverse("members:membership_list")
    assert "缴纳会费" not in labels(cast.org_admin_b)


def test_registrations_expiring_on_the_roster(cast, organisation, frozen):
    from tests.members.factories import SocialWorkerFactory

    SocialWorkerFactory(employer=organisation, registered_on=D(2021, 5, 1))  # ends 2024-04-30
    SocialWorkerFactory(employer=organisation, registered_on=D(2022, 5, 1))  # ends 2025
    item = labels(cast.org_admin_a)["社工登记到期"]
    assert item.count == 1 and item.deadline == D(2024, 4, 30) and item.status == "1 人即将到期"
    SocialWorkerFactory(employer=organisation, registered_on=D(2021, 3, 1))  # ended 02-29
    item = labels(cast.org_admin_a)["社工登记到期"]
    assert item.count == 2 and item.urgency == Urgency.OVERDUE
    assert item.status == "1 人已过期，1 人即将到期"
    assert "社工登记到期" not in labels(cast.org_admin_b)


def test_roster_invitations_wait_until_accepted(cast, organisation, frozen):
    from members.services import invitation_accept, invitation_create
    from tests.members.factories import SocialWorkerFactory

    invitation = invitation_create(
        organisation=organisation, by=cast.org_admin_a, email=cast.outsider.email, name="外人"
    )
    assert labels(cast.org_admin_a)["人员名册邀请"].count == 1
    invited = labels(cast.outsider)["加入单位人员名册"]
    assert invited.url == reverse("members:invitation_accept", args=[invitation.token])

    SocialWorkerFactory(user=cast.outsider)
    invitation_accept(invitation=invitation, by=cast.outsider)
    assert "人员名册邀请" not in labels(cast.org_admin_a)
    assert "加入单位人员名册" not in labels(cast.outsider)


# --- staff and officers -------------------------------------------------------------------


def test_staff_see_membership_applications_until_decided(cast, frozen):
    from tests.members.factories import MembershipFactory

    application = MembershipFactory(state="applied", number=None, member_since=None)
    item = labels(cast.staff)["入会申请待办理"]
    assert item.count == 1 and item.url.startswith(reverse("admin:members_membership_changelist"))
    assert "入会申请待办理" not in labels(cast.officer)  # officers: their approvals only
    application.state = "rejected"
    application.save()
    assert "入会申请待办理" not in labels(cast.staff)


@pytest.mark.usefixtures("frozen")
def test_an_approver_sees_the_claims_waiting_for_their_step(cast):
    from association.finance.chart import chart_load
    from association.finance.services import claim_approve, claim_pay, claim_submit
    from tests.finance.factories import approver, claim, fund_rules

    chart_load()
    fund_rules()
    approver(cast.officer, "secretary_general")
    submitted = claim_submit(claim=claim(cast.staff, "3000"), by=cast.staff)
    item = labels(cast.officer)["报销单待您审批"]
    assert item.count == 1 and item.url == reverse("finance:claim_list") + "?status=submitted"
    assert "报销单待您审批" not in labels(cast.staff)  # their own claim, and no office
    assert labels(cast.staff)["报销单审批中"].count == 1

    approved = claim_approve(claim=submitted, by=cast.officer)
    assert approved.status == "approved"
    assert "报销单待您审批" not in labels(cast.officer)
    assert labels(cast.staff)["报销单待付款"].count == 1
    claim_pay(claim=approved, by=cast.staff, paid_on=D(2024, 4, 3))
    assert "报销单待付款" not in labels(cast.staff)


def test_a_later_step_waits_for_the_earlier_one(cast):
    from association.finance.chart import chart_load
    from association.finance.services import claim_approve, claim_submit
    from tests.factories import UserFactory
    from tests.finance.factories import approver, claim, fund_rules

    chart_load()
    fund_rules()
    secretary = UserFactory(roles=["协会负责人"])
    approver(secretary, "secretary_general")
    approver(cast.officer, "president")
    submitted = claim_submit(claim=claim(cast.staff, "8000"), by=cast.staff)
    assert "报销单待您审批" not in labels(cast.officer)  # the secretary general is first
    claim_approve(claim=submitted, by=secretary)
    assert labels(cast.officer)["报销单待您审批"].count == 1
    assert "报销单待您审批" not in labels(secretary)


# --- expert and applicant -----------------------------------------------------------------


def test_an_expert_answers_then_works_an_assignment(cast):
    from projects.models import Assignment
    from projects.services import assignment_accept
    from tests.projects.factories import ExpertFactory, ReferralFactory

    referral = ReferralFactory()
    assignment = Assignment.objects.create(
        referral=referral,
        expert=ExpertFactory(user=cast.expert),
        service="investigation",
        assigned_by=referral.designated_officer,
    )
    item = labels(cast.expert)["新的指派待答复"]
    assert item.deadline == referral.deadline
    assert item.url == reverse("projects:assignment_list")
    assignment_accept(assignment=assignment, by=cast.expert)
    assert "新的指派待答复" not in labels(cast.expert)
    assert labels(cast.expert)["承办中的指派"].count == 1


def test_an_applicant_sees_the_next_step(cast, client_for):
    from projects.services import application_screen, application_withdraw
    from tests.projects.factories import ApplicationFactory

    application = ApplicationFactory(applicant=cast.applicant)
    label = f"报名 · {application.round.name}"
    assert labels(cast.applicant)[label].status == "等待资格审查"
    application_screen(application=application, by=cast.staff, passed=True)
    page = home(client_for, cast.applicant)
    assert "资格审查通过，等待面试" in page
    assert reverse("projects:application_detail", args=[application.pk]) in page
    application.refresh_from_db()
    application_withdraw(application=application, by=cast.applicant, reason="已找到工作")
    assert label not in labels(cast.applicant)


def test_nothing_to_do_says_so(cast, client_for):
    assert "暂无待办事项" in home(client_for, cast.outsider)


# --- query budgets ------------------------------------------------------------------------


def test_an_operators_home_page_costs_the_same_however_much_waits(
    cast, station_a, client_for, frozen
):
    from tests.members.factories import DuesFactory, MembershipFactory, SocialWorkerFactory

    client = client_for(cast.org_admin_a)
    operator = station_a.operator
    membership = MembershipFactory(organisation=operator)
    years = iter(range(2024, 1900, -1))

    def grow(n):
        for _ in range(n):
            station = StationFactory(operator=operator)
            report = ReportFactory(station=station, month=D(2024, 2, 1))
            fill(report)
            report.status = ReportStatus.RETURNED
            report.save()
            SocialWorkerFactory(employer=operator, registered_on=D(2021, 5, 1))
            DuesFactory(membership=membership, year=next(years))

    assert_constant_queries(lambda: client.get(reverse("home")), grow)


def test_the_staff_home_page_costs_the_same_however_much_waits(cast, client_for, frozen):
    from tests.members.factories import township

    client = client_for(cast.staff)
    counties = iter(range(100))

    def grow(n):
        for _ in range(n):
            i = next(counties)
            station = StationFactory(region=township(name=f"镇{i}", county=f"县{i}"))
            ReportFactory(station=station, month=D(2024, 3, 1), status=ReportStatus.SUBMITTED)

    assert_constant_queries(lambda: client.get(reverse("home")), grow)


# --- one statement ------------------------------------------------------------------------


def _fresh(user):
    from association.accounts.models import User

    return User.objects.get(pk=user.pk)  # no roles cached on the object


def test_every_apps_todo_is_one_query(cast, station_a, frozen):
    """The writer's months, the returned reports, dues, invitations, assignments, claims and
    notices: one statement, whatever the apps ask."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from association.accounts.roles import role_names

    user = _fresh(cast.station_worker)
    role_names(user)  # read before, and cached on the user
    with CaptureQueriesContext(connection) as queries:
        items = todo_items(user)
    assert len(queries) == 1
    assert "3月月报" in [item.label for item in items]


def test_the_statement_is_compiled_once_a_user_roles_and_day(cast, station_a, monkeypatch, frozen):
    """The SQL is kept for the user, their roles and the day; the rows are the database's
    on every view (a report written shows at once), a new role or a new day compiles it
    again, and so does a changed setting (the statement holds the deadlines' values)."""
    from django.contrib.auth.models import Group
    from django.test import override_settings
    from django.utils import timezone

    from association import todo
    from association.accounts.choices import Role

    compiled = []
    statement = todo._statement
    monkeypatch.setattr(
        todo, "_statement", lambda user, today: compiled.append(user.pk) or statement(user, today)
    )
    todo._compiled.clear()
    user = cast.station_worker

    [month] = [i for i in todo_items(_fresh(user)) if i.label == "3月月报"]
    assert month.status == "未填" and month.deadline == D(2024, 4, 5)
    report = ReportFactory(station=station_a, month=D(2024, 3, 1))
    [month] = [i for i in todo_items(_fresh(user)) if i.label == "3月月报"]
    assert month.status == "草稿未报送"
    assert month.url == reverse("stations:report_edit", args=[report.pk])
    assert compiled == [user.pk]

    user.groups.add(Group.objects.get(name=Role.STAFF.value))
    todo_items(_fresh(user))
    assert compiled == [user.pk, user.pk]

    monkeypatch.setattr(timezone, "localdate", lambda: D(2024, 4, 4))
    todo_items(_fresh(user))
    assert compiled == [user.pk] * 3

    with override_settings(STATIONS_REPORT_DEADLINE_DAY=10):
        [month] = [i for i in todo_items(_fresh(user)) if i.label == "3月月报"]
        assert month.deadline == D(2024, 4, 10)
    assert compiled == [user.pk] * 4


def test_the_statements_kept_are_bounded(cast, monkeypatch):
    from association import todo

    monkeypatch.setattr(todo._compiled, "size", 2)
    todo._compiled.clear()
    for user in [cast.staff, cast.official, cast.outsider]:
        todo_items(_fresh(user))
    assert [key[0] for key in todo._compiled] == [cast.official.pk, cast.outsider.pk]


def _todo_statements():
    from tests.conftest import prepared_statements

    return [g + c for g, c in prepared_statements("SELECT (SELECT COALESCE(json_agg(")]


def test_the_statement_is_prepared_once_for_users_of_the_same_roles(cast, organisation):
    """Two organisation admins share one prepared statement: parsed and planned by the
    database once a connection, not once a page."""
    before = sum(_todo_statements())
    for user in [cast.org_admin_a, cast.org_admin_b, cast.org_admin_a]:
        todo_items(_fresh(user))
    statements = _todo_statements()
    assert sum(statements) == before + 3
    assert len(statements) == 1


def test_staffs_queues_are_written_into_the_statement_with_their_values(cast):
    """Staff's queues are the same for every member of staff: their values are literals of
    the statement, so that the plan kept for it can use the partial indexes on a status;
    a value holding % survives the quoting."""
    from django.utils import timezone

    from association import todo
    from association.accounts.models import User
    from association.sql import dict_rows

    statement = todo._statement(_fresh(cast.staff), timezone.localdate())
    assert "'submitted'" in statement.sql and "'under_review'" in statement.sql

    users = User.objects.filter(pk=cast.staff.pk)
    query = todo.Shared(users.annotate(t=Value("5%", CharField())).values("t"))
    sql, params, names, _decoders = todo._part(query)
    assert params == () and names == ("t",) and "'5%%'" in sql
    assert dict_rows(sql, [], prepare=True) == [{"t": "5%"}]
