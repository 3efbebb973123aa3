"""The graduates' programme after selection, through its pages: the agreement, training and
attendance, completion or withdrawal, the follow-up, start-up grants paid through finance,
practice-base placements, the pipeline on the applicant's page, and the admin's refusals
to write these records past the services."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from association.finance.chart import chart_load
from association.finance.models import Fund, VoucherLine
from projects.choices import ApplicationStatus as S
from projects.choices import GrantStatus, MilestoneStatus
from projects.models import (
    Agreement,
    Application,
    Attendance,
    FollowUp,
    GrantMilestone,
    PracticeParticipation,
    StartupGrant,
    TrainingSession,
)
from tests.conftest import assert_constant_queries

from .factories import (
    PDF,
    ApplicationFactory,
    PracticeBaseFactory,
    QuotaFactory,
    TeamMemberFactory,
    TrainingFactory,
)


def today():
    return timezone.localdate()


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


@pytest.fixture
def quota(db):
    return QuotaFactory(seats=5)


def graduate(quota, status=S.ACCEPTED, **kwargs):
    application = ApplicationFactory(round=quota.round, wants=[quota.project], **kwargs)
    Application.objects.filter(pk=application.pk).update(status=status, project=quota.project)
    return Application.objects.get(pk=application.pk)


def agreement_data(**overrides):
    data = {
        "signed_on": today().isoformat(),
        "starts_on": today().isoformat(),
        "ends_on": (today() + datetime.timedelta(days=365)).isoformat(),
        "monthly_stipend": "2500.00",
        "signed_file": SimpleUploadedFile("agreement.pdf", PDF, content_type="application/pdf"),
    }
    data.update(overrides)
    return data


# --- The agreement ----------------------------------------------------------------------


def test_it_lets_staff_record_the_signed_agreement(cast, quota, client_for):
    application = graduate(quota, applicant=cast.applicant)
    url = reverse("projects:agreement_sign", args=[application.pk])
    response = client_for(cast.staff).post(url, agreement_data())
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == S.SERVING
    assert Agreement.objects.get(application=application).monthly_stipend == Decimal("2500.00")


def test_it_refuses_an_agreement_ending_before_it_starts_in_chinese(cast, quota, client_for):
    application = graduate(quota)
    response = client_for(cast.staff).post(
        reverse("projects:agreement_sign", args=[application.pk]),
        agreement_data(ends_on=(today() - datetime.timedelta(days=1)).isoformat()),
    )
    assert response.status_code == 200
    assert "服务结束日期须晚于开始日期。" in response.content.decode()
    assert not Agreement.objects.exists()


def test_it_refuses_the_agreement_page_to_the_graduate(cast, quota, client_for):
    application = graduate(quota, applicant=cast.applicant)
    response = client_for(cast.applicant).post(
        reverse("projects:agreement_sign", args=[application.pk]), agreement_data()
    )
    assert response.status_code in (403, 404)
    assert not Agreement.objects.exists()


def test_it_explains_why_an_agreement_waits_for_the_offer_to_be_accepted(cast, quota, client_for):
    application = graduate(quota, status=S.OFFERED)
    response = client_for(cast.staff).get(reverse("projects:agreement_sign", args=[application.pk]))
    assert "毕业生接受录取后才能登记服务协议" in response.content.decode()


# --- Training and attendance -----------------------------------------------------------


def test_it_schedules_a_session_and_takes_its_attendance_by_ticking(cast, quota, client_for):
    from members.models import ContinuingEducation
    from tests.members.factories import SocialWorkerFactory

    worker = SocialWorkerFactory(user=cast.applicant)
    first = graduate(quota, status=S.SERVING, applicant=worker.user)
    second = graduate(quota)
    absent = graduate(quota)
    client = client_for(cast.staff)
    programme = quota.round.programme
    response = client.post(
        reverse("projects:training_list", args=[programme.pk]),
        {"title": "个案工作方法", "date": today().isoformat(), "hours": "6"},
    )
    session = TrainingSession.objects.get(programme=programme)
    assert response.url == reverse("projects:attendance_take", args=[session.pk])

    response = client.post(response.url, {"attendees": [first.pk, second.pk]}, follow=True)
    assert "已登记 2 人出勤。" in messages_of(response)
    assert set(Attendance.objects.values_list("application_id", flat=True)) == {
        first.pk,
        second.pk,
    }
    assert ContinuingEducation.objects.get(worker=worker).hours == Decimal("6.0")
    page = response.content.decode()
    assert f'value="{absent.pk}"' in page  # still to tick
    assert f'value="{first.pk}"' not in page  # recorded: no box to tick twice


def test_it_asks_for_the_attendees_in_chinese(cast, quota, client_for):
    session = TrainingFactory(programme=quota.round.programme)
    graduate(quota)
    response = client_for(cast.staff).post(
        reverse("projects:attendance_take", args=[session.pk]), {}
    )
    assert "请勾选出席培训的毕业生。" in response.content.decode()
    assert not Attendance.objects.exists()


def test_it_refuses_attendance_before_the_session_is_held(cast, quota, client_for):
    session = TrainingFactory(
        programme=quota.round.programme, date=today() + datetime.timedelta(days=3)
    )
    application = graduate(quota)
    response = client_for(cast.staff).post(
        reverse("projects:attendance_take", args=[session.pk]), {"attendees": [application.pk]}
    )
    assert "培训尚未举行，不能登记出勤。" in response.content.decode()
    assert not Attendance.objects.exists()


@pytest.mark.parametrize("persona", ["applicant", "org_admin_a", "official", "outsider"])
def test_it_keeps_training_pages_to_staff(cast, quota, client_for, persona):
    session = TrainingFactory(programme=quota.round.programme)
    client = client_for(getattr(cast, persona))
    for url in (
        reverse("projects:training_list", args=[quota.round.programme_id]),
        reverse("projects:attendance_take", args=[session.pk]),
    ):
        assert client.get(url).status_code in (403, 404)


def test_it_keeps_the_attendance_page_to_a_fixed_number_of_queries(cast, quota, client_for):
    session = TrainingFactory(programme=quota.round.programme)
    client = client_for(cast.staff)

    def grow(n):
        for _ in range(n):
            application = graduate(quota)
            Attendance.objects.create(session=session, application=application, hours=1)
            graduate(quota)

    assert_constant_queries(
        lambda: client.get(reverse("projects:attendance_take", args=[session.pk])),
        grow,
        small=2,
        large=20,
    )
    assert_constant_queries(
        lambda: client.get(reverse("projects:training_list", args=[quota.round.programme_id])),
        lambda n: [TrainingFactory(programme=quota.round.programme) for _ in range(n)],
    )


# --- Completion, withdrawal, follow-up ---------------------------------------------------


def test_it_completes_a_serving_graduate_with_a_certificate(cast, quota, client_for):
    application = graduate(quota, status=S.SERVING, applicant=cast.applicant)
    response = client_for(cast.staff).post(
        reverse("projects:application_complete", args=[application.pk]),
        {"on": today().isoformat()},
        follow=True,
    )
    assert "已办理结业，结业证书可以下载。" in messages_of(response)
    application.refresh_from_db()
    assert application.status == S.COMPLETED and application.certificate_number
    certificate = client_for(cast.applicant).get(
        reverse("projects:application_certificate", args=[application.pk])
    )
    assert certificate["Content-Type"] == "application/pdf"


def test_it_refuses_completion_before_the_service_in_chinese(cast, quota, client_for):
    application = graduate(quota)
    response = client_for(cast.staff).post(
        reverse("projects:application_complete", args=[application.pk]),
        {"on": today().isoformat()},
        follow=True,
    )
    assert any("不能变更为“服务期满”" in m for m in messages_of(response))


def test_it_refuses_completion_to_the_graduate(cast, quota, client_for):
    application = graduate(quota, status=S.SERVING, applicant=cast.applicant)
    response = client_for(cast.applicant).post(
        reverse("projects:application_complete", args=[application.pk]),
        {"on": today().isoformat()},
    )
    assert response.status_code == 403
    application.refresh_from_db()
    assert application.status == S.SERVING


def test_it_withdraws_with_a_reason_under_the_words_chehui_shenqing(cast, quota, client_for):
    application = graduate(quota, status=S.SERVING, applicant=cast.applicant)
    client = client_for(cast.applicant)
    page = client.get(reverse("projects:application_detail", args=[application.pk]))
    assert "撤回申请" in page.content.decode()
    url = reverse("projects:application_withdraw", args=[application.pk])
    refused = client.post(url, {"reason": " "}, follow=True)
    assert "请写明撤回申请的原因。" in messages_of(refused)
    done = client.post(url, {"reason": "考取公务员"}, follow=True)
    assert "已撤回申请。" in messages_of(done)
    application.refresh_from_db()
    assert application.status == S.WITHDRAWN
    assert application.get_status_display() == "已撤回"


def test_it_records_the_follow_up_after_completion(cast, quota, client_for):
    application = graduate(quota, status=S.COMPLETED)
    url = reverse("projects:follow_up_create", args=[application.pk])
    response = client_for(cast.staff).post(
        url,
        {
            "contacted_on": today().isoformat(),
            "outcome": "social_work_job",
            "employer": "许昌市社会工作服务中心",
        },
    )
    assert response.status_code == 302
    assert FollowUp.objects.get(application=application).employer == "许昌市社会工作服务中心"


def test_it_refuses_a_follow_up_during_the_service_in_chinese(cast, quota, client_for):
    application = graduate(quota, status=S.SERVING)
    response = client_for(cast.staff).post(
        reverse("projects:follow_up_create", args=[application.pk]),
        {"contacted_on": today().isoformat(), "outcome": "study"},
    )
    assert "服务期满或撤回申请后才进行跟踪回访。" in response.content.decode()
    assert not FollowUp.objects.exists()


# --- The pipeline on the applicant's page ------------------------------------------------


@pytest.mark.parametrize(
    ("status", "current", "next_step"),
    [
        (S.SUBMITTED, "筛选", "等待协会资格审查"),
        (S.OFFERED, "录用", "请在本页接受或放弃录取"),
        (S.ACCEPTED, "协议", "签署服务协议"),
        (S.SERVING, "培训", "请参加系统培训"),
        (S.COMPLETED, "跟踪", "请下载结业证书"),
    ],
)
def test_it_shows_the_graduate_where_they_are_and_what_comes_next(
    cast, quota, client_for, status, current, next_step
):
    application = graduate(quota, status=status, applicant=cast.applicant)
    response = client_for(cast.applicant).get(
        reverse("projects:application_detail", args=[application.pk])
    )
    stages = response.context["pipeline"]
    assert [str(s["label"]) for s in stages] == [
        "申请",
        "筛选",
        "面试",
        "录用",
        "协议",
        "培训",
        "服务",
        "结业",
        "跟踪",
    ]
    assert [str(s["label"]) for s in stages if s["state"] == "current"] == [current]
    assert next_step in response.context["next_step"]
    assert 'aria-current="step"' in response.content.decode()


def test_it_shows_where_a_withdrawn_application_stopped(cast, quota, client_for):
    application = graduate(quota, status=S.SERVING, applicant=cast.applicant)
    client = client_for(cast.applicant)
    client.post(
        reverse("projects:application_withdraw", args=[application.pk]), {"reason": "另有安排"}
    )
    response = client.get(reverse("projects:application_detail", args=[application.pk]))
    stopped = [str(s["label"]) for s in response.context["pipeline"] if s["state"] == "stopped"]
    assert stopped == ["培训"]
    assert "您已撤回申请。" in response.context["next_step"]


# --- Start-up grants, paid through finance ----------------------------------------------


@pytest.fixture
def team(cast, quota):
    TeamMemberFactory(project=quota.project, user=cast.applicant, role="member")
    return quota.project


def programme_fund(quota):
    chart_load()
    return Fund.objects.create(
        code=quota.round.programme.code,
        name="毕业季社工计划专项资金",
        restriction="restricted",
        purpose="毕业生补贴与创业资助",
    )


def apply_and_award(cast, project, client_for):
    client_for(cast.applicant).post(
        reverse("projects:grant_list", args=[project.pk]),
        {
            "team_name": "暖阳社工团队",
            "plan": "为独居老人提供上门服务",
            "amount_requested": "30000",
        },
    )
    grant = StartupGrant.objects.get(project=project)
    staff = client_for(cast.staff)
    staff.post(reverse("projects:grant_review", args=[grant.pk]))
    staff.post(
        reverse("projects:grant_decide", args=[grant.pk]),
        {
            "award": "1",
            "note": "计划可行",
            "amount": "30000",
            "milestones": f"完成机构注册，{today().isoformat()}，30000",
        },
    )
    grant.refresh_from_db()
    return grant


def test_it_takes_a_grant_from_application_to_payment_from_the_fund(
    cast, quota, team, client_for, django_capture_on_commit_callbacks
):
    fund = programme_fund(quota)
    grant = apply_and_award(cast, team, client_for)
    assert grant.status == GrantStatus.AWARDED and grant.amount_awarded == Decimal("30000")
    milestone = grant.milestones.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(cast.staff).post(
            reverse("projects:milestone_achieve", args=[milestone.pk]),
            {"on": today().isoformat()},
        )
    assert response.status_code == 302
    milestone.refresh_from_db()
    assert milestone.status == MilestoneStatus.PAID
    line = VoucherLine.objects.get(fund=fund, account__code="5101")
    assert line.debit == Decimal("30000") and line.voucher.number == milestone.payment_reference
    assert line.project_tag == team.name
    page = client_for(cast.official).get(
        reverse("projects:programme_detail", args=[quota.round.programme_id])
    )
    spending = page.context["spending"]
    assert spending["spent"] == Decimal("30000")
    assert "已支出 30000.00 元" in page.content.decode()


def test_it_leaves_a_milestone_unpaid_without_the_fund_and_pays_it_when_asked_again(
    cast, quota, team, client_for, django_capture_on_commit_callbacks
):
    grant = apply_and_award(cast, team, client_for)
    milestone = grant.milestones.get()
    staff = client_for(cast.staff)
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(
            reverse("projects:milestone_achieve", args=[milestone.pk]),
            {"on": today().isoformat()},
        )
    milestone.refresh_from_db()
    assert milestone.status == MilestoneStatus.ACHIEVED
    page = client_for(cast.official).get(
        reverse("projects:programme_detail", args=[quota.round.programme_id])
    )
    assert "财务尚未设立本计划的限定性资金" in page.content.decode()

    programme_fund(quota)
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(reverse("projects:milestone_pay", args=[milestone.pk]))
    milestone.refresh_from_db()
    assert milestone.status == MilestoneStatus.PAID


def test_it_refuses_milestones_that_do_not_add_up_in_chinese(cast, quota, team, client_for):
    client_for(cast.applicant).post(
        reverse("projects:grant_list", args=[team.pk]),
        {"team_name": "暖阳社工团队", "plan": "上门服务", "amount_requested": "30000"},
    )
    grant = StartupGrant.objects.get()
    staff = client_for(cast.staff)
    staff.post(reverse("projects:grant_review", args=[grant.pk]))
    response = staff.post(
        reverse("projects:grant_decide", args=[grant.pk]),
        {
            "award": "1",
            "note": "可行",
            "amount": "30000",
            "milestones": f"完成注册，{today().isoformat()}，10000",
        },
    )
    assert "各里程碑拨付金额之和须等于资助金额。" in response.content.decode()
    bad_line = staff.post(
        reverse("projects:grant_decide", args=[grant.pk]),
        {"award": "1", "note": "可行", "amount": "30000", "milestones": "完成注册"},
    )
    assert "第 1 行应为“里程碑，计划完成日期，拨付金额”。" in bad_line.content.decode()
    assert not GrantMilestone.objects.exists()


def test_it_lets_only_the_team_apply_for_a_grant(cast, quota, team, client_for):
    data = {"team_name": "外人", "plan": "计划", "amount_requested": "100"}
    # the operating organisation's admin sees the project but is not in its team
    from tests.members.factories import OrganisationAdminFactory, OrganisationFactory

    team.operator = OrganisationFactory()
    team.save()
    OrganisationAdminFactory(organisation=team.operator, user=cast.org_admin_a)
    response = client_for(cast.org_admin_a).post(
        reverse("projects:grant_list", args=[team.pk]), data
    )
    assert response.status_code == 403
    outsider = client_for(cast.outsider).post(reverse("projects:grant_list", args=[team.pk]), data)
    assert outsider.status_code == 404
    assert not StartupGrant.objects.exists()


def test_it_refuses_grant_decisions_to_the_team(cast, quota, team, client_for):
    grant = apply_and_award(cast, team, client_for)
    client = client_for(cast.applicant)
    milestone = grant.milestones.get()
    assert client.post(reverse("projects:grant_review", args=[grant.pk])).status_code == 403
    assert client.get(reverse("projects:grant_decide", args=[grant.pk])).status_code == 403
    assert (
        client.post(
            reverse("projects:milestone_achieve", args=[milestone.pk]),
            {"on": today().isoformat()},
        ).status_code
        == 403
    )


def test_it_shows_an_empty_grant_page_to_the_team(cast, quota, team, client_for):
    response = client_for(cast.applicant).get(reverse("projects:grant_list", args=[team.pk]))
    assert "本项目尚无创业资助申请。" in response.content.decode()
    assert response.context["form"] is not None


# --- Practice bases -----------------------------------------------------------------------


def placement(**overrides):
    data = {
        "student_name": "王同学",
        "university": "重庆大学",
        "starts_on": today().isoformat(),
        "ends_on": (today() + datetime.timedelta(days=30)).isoformat(),
        "hours": "80",
    }
    data.update(overrides)
    return data


def test_it_places_students_up_to_the_base_capacity(cast, client_for):
    base = PracticeBaseFactory(capacity=1)
    client = client_for(cast.staff)
    url = reverse("projects:base_detail", args=[base.pk])
    assert client.post(url, placement()).status_code == 302
    refused = client.post(url, placement(student_name="李同学"))
    assert "该基地同时最多接纳 1 名学生，所选时段已满。" in refused.content.decode()
    assert PracticeParticipation.objects.count() == 1


def test_it_shows_the_base_to_officials_but_lets_only_staff_place(cast, client_for):
    base = PracticeBaseFactory()
    client = client_for(cast.official)
    url = reverse("projects:base_detail", args=[base.pk])
    page = client.get(url)
    assert "本基地暂无学生实践。" in page.content.decode()
    assert page.context["form"] is None
    assert client.post(url, placement()).status_code == 403
    assert not PracticeParticipation.objects.exists()


# --- The admin writes nothing past the services -----------------------------------------


@pytest.mark.parametrize(
    "model", ["agreement", "attendance", "assessment", "followup", "grantmilestone"]
)
def test_it_offers_no_add_or_change_in_the_admin_for_pipeline_records(cast, client_for, model):
    client = client_for(cast.staff)
    assert client.get(reverse(f"admin:projects_{model}_add")).status_code == 403


def test_it_completes_through_the_admin_action_calling_the_service(cast, quota, client_for):
    application = graduate(quota, status=S.SERVING)
    client = client_for(cast.staff)
    response = client.post(
        reverse("admin:projects_application_changelist"),
        {
            "action": "complete",
            "_selected_action": [application.pk],
            "apply": "1",
            "on": today().isoformat(),
        },
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == S.COMPLETED and application.certificate_number


def test_it_keeps_the_grant_and_base_pages_to_a_fixed_number_of_queries(
    cast, quota, team, client_for
):
    client = client_for(cast.staff)

    def grow_grants(n):
        for index in range(n):
            grant = StartupGrant.objects.create(
                project=team,
                team_name=f"团队{index}",
                plan="计划",
                amount_requested=Decimal("1000"),
                applied_by=cast.applicant,
                applied_on=today(),
                status=GrantStatus.AWARDED,
                amount_awarded=Decimal("1000"),
            )
            GrantMilestone.objects.create(
                grant=grant, title="注册", due_on=today(), amount=Decimal("1000")
            )

    assert_constant_queries(
        lambda: client.get(reverse("projects:grant_list", args=[team.pk])),
        grow_grants,
        small=2,
        large=12,
    )
    base = PracticeBaseFactory(capacity=100)

    def grow_placements(n):
        for index in range(n):
            PracticeParticipation.objects.create(
                base=base,
                student_name=f"学生{index}",
                university="重庆大学",
                starts_on=today(),
                ends_on=today(),
            )

    assert_constant_queries(
        lambda: client.get(reverse("projects:base_detail", args=[base.pk])), grow_placements
    )


def test_it_sets_seats_and_appoints_a_mentor_through_admin_actions(cast, quota, client_for):
    from projects.models import RoundQuota, TeamMember

    client = client_for(cast.staff)
    client.post(
        reverse("admin:projects_recruitmentround_changelist"),
        {
            "action": "set_quota",
            "_selected_action": [quota.round.pk],
            "apply": "1",
            "project": quota.project.pk,
            "seats": "7",
        },
    )
    assert RoundQuota.objects.get(pk=quota.pk).seats == 7
    client.post(
        reverse("admin:projects_project_changelist"),
        {
            "action": "add_team_member",
            "_selected_action": [quota.project.pk],
            "apply": "1",
            "email": cast.station_worker.email,
            "role": "mentor",
        },
    )
    assert TeamMember.objects.get(project=quota.project, user=cast.station_worker).role == "mentor"
    refused = client.post(
        reverse("admin:projects_project_changelist"),
        {
            "action": "add_team_member",
            "_selected_action": [quota.project.pk],
            "apply": "1",
            "email": "nobody@example.org",
            "role": "mentor",
        },
    )
    assert "没有使用该邮箱的账户。" in refused.content.decode()
