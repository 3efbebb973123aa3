"""Portal pages: applying, sealed reads through the browser-facing views, query budgets."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from association.audit.models import AccessLog
from projects.choices import ApplicationStatus, AssignmentStatus, ReferralService
from projects.models import Application, Assignment, Programme
from tests.conftest import assert_constant_queries
from tests.factories import UserFactory

from .factories import (
    PDF,
    ActivityFactory,
    ApplicationFactory,
    ExpertFactory,
    PracticeBaseFactory,
    ProgrammeFactory,
    ProjectFactory,
    QuotaFactory,
    ReferralFactory,
    RoundFactory,
    TeamMemberFactory,
)


def test_it_lets_a_graduate_apply_and_creates_the_account(db, client):
    quota = QuotaFactory()
    response = client.post(
        reverse("projects:apply", args=[quota.round.pk]),
        {
            "account-email": "grad@example.org",
            "account-display_name": "李毕业",
            "account-password1": "a-long-enough-pass-9",
            "account-password2": "a-long-enough-pass-9",
            "name": "李毕业",
            "gender": "female",
            "mobile": "13800138001",
            "university": "许昌学院",
            "major": "社会工作",
            "degree": "bachelor",
            "graduation_year": "2026",
            "first_choice": quota.project.pk,
            "resume": SimpleUploadedFile("cv.pdf", PDF, content_type="application/pdf"),
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    application = Application.objects.get()
    assert application.applicant.email == "grad@example.org"
    assert application.applicant.groups.filter(name="申请人").exists()
    assert application.applicant.emailaddress_set.filter(verified=False).exists()
    assert client.get(response["Location"]).status_code == 200


def test_it_refuses_a_resume_that_is_not_a_pdf(client, cast):
    quota = QuotaFactory()
    client.force_login(cast.outsider)
    response = client.post(
        reverse("projects:apply", args=[quota.round.pk]),
        {
            "name": "张三",
            "gender": "male",
            "mobile": "13800138002",
            "university": "许昌学院",
            "major": "社会工作",
            "degree": "bachelor",
            "graduation_year": "2026",
            "first_choice": quota.project.pk,
            "resume": SimpleUploadedFile("cv.pdf", b"MZ not a pdf"),
        },
    )
    assert response.status_code == 200
    assert "文件内容与扩展名" in response.content.decode()
    assert not Application.objects.exists()


@pytest.fixture
def sealed(cast):
    expert = ExpertFactory(user=cast.expert)
    referral = ReferralFactory(designated_officer=cast.officer, sealed=True)
    Assignment.objects.create(
        referral=referral,
        expert=expert,
        service=ReferralService.INVESTIGATION,
        status=AssignmentStatus.ACCEPTED,
        assigned_by=cast.officer,
    )
    return referral


def test_it_gives_404_to_an_officer_who_is_not_designated(sealed, client_for):
    other_officer = UserFactory(roles=["协会负责人"], is_staff=True)
    url = reverse("projects:referral_detail", args=[sealed.pk])
    assert client_for(other_officer).get(url).status_code == 404
    assert client_for(other_officer).post(url, {"reason": "想看看"}).status_code == 404
    assert not AccessLog.objects.filter(user=other_officer).exists()


def test_it_opens_a_sealed_referral_to_the_assigned_expert_after_a_reason(sealed, cast, client_for):
    client = client_for(cast.expert)
    url = reverse("projects:referral_detail", args=[sealed.pk])
    first = client.get(url)
    assert first.status_code == 200
    assert "查阅事由" in first.content.decode()
    assert sealed.case_number not in first.content.decode()
    assert not AccessLog.objects.exists()  # nothing was read yet

    assert client.post(url, {"reason": "撰写社会调查报告"}).status_code == 302
    page = client.get(url)
    text = page.content.decode()
    assert sealed.case_number in text
    assert "王**" in text and "王小明" not in text  # masked on screen
    client.get(url)
    reads = AccessLog.objects.filter(user=cast.expert, object_id=str(sealed.pk))
    assert reads.count() == 2
    assert set(reads.values_list("reason", flat=True)) == {"承办专家（社会调查）：撰写社会调查报告"}


def test_it_logs_every_read_of_an_unsealed_referral(cast, client_for):
    referral = ReferralFactory(designated_officer=cast.officer)
    client = client_for(cast.officer)
    client.get(reverse("projects:referral_detail", args=[referral.pk]))
    client.get(reverse("projects:referral_letter", args=[referral.pk]))
    reads = AccessLog.objects.filter(user=cast.officer).order_by("at")
    assert list(reads.values_list("action", "reason")) == [
        ("view_referral", "指定负责人"),
        ("download_commission_letter", "指定负责人"),
    ]


def test_it_lists_referrals_without_the_minors_data(cast, client_for):
    referral = ReferralFactory(designated_officer=cast.officer)
    text = client_for(cast.officer).get(reverse("projects:referral_list")).content.decode()
    assert referral.reference in text
    assert "王小明" not in text and "王**" not in text


def test_it_shows_the_graduate_on_the_team_page_after_accepting(cast, client_for):
    quota = QuotaFactory()
    application = ApplicationFactory(
        round=quota.round,
        applicant=cast.applicant,
        wants=[quota.project],
        status=ApplicationStatus.OFFERED,
        project=quota.project,
        name="孙悦",
    )
    client = client_for(cast.applicant)
    client.post(reverse("projects:offer_accept", args=[application.pk]))
    page = client.get(reverse("projects:project_detail", args=[quota.project.pk]))
    assert page.status_code == 200
    assert "孙悦" in page.content.decode()


# --- Query budgets: each list costs the same with 5 rows as with 50 -----------------


def _grow_applications(round_, project, user=None):
    """Interviewed applications to one round, or (with ``user``) one per new round."""

    def grow(n):
        for _ in range(n):
            if user is None:
                ApplicationFactory(
                    round=round_, wants=[project], status=ApplicationStatus.INTERVIEWED
                )
            else:
                ApplicationFactory(round=RoundFactory(programme=round_.programme), applicant=user)

    return grow


def test_it_keeps_the_round_applications_page_to_a_fixed_number_of_queries(cast, client_for):
    quota = QuotaFactory(seats=100)
    client = client_for(cast.staff)
    url = reverse("projects:round_applications", args=[quota.round.pk])
    assert_constant_queries(lambda: client.get(url), _grow_applications(quota.round, quota.project))


def test_it_keeps_my_applications_to_a_fixed_number_of_queries(cast, client_for):
    quota = QuotaFactory()
    client = client_for(cast.applicant)
    url = reverse("projects:my_applications")
    assert_constant_queries(
        lambda: client.get(url), _grow_applications(quota.round, quota.project, cast.applicant)
    )


def test_it_keeps_the_project_list_to_a_fixed_number_of_queries(cast, client_for):
    client = client_for(cast.staff)

    def grow(n):
        for _ in range(n):
            project = ProjectFactory()
            TeamMemberFactory(project=project)

    assert_constant_queries(lambda: client.get(reverse("projects:project_list")), grow)


def test_it_keeps_the_activity_list_to_a_fixed_number_of_queries(cast, client_for):
    project = ProjectFactory()
    client = client_for(cast.staff)
    assert_constant_queries(
        lambda: client.get(reverse("projects:activity_list", args=[project.pk])),
        lambda n: [ActivityFactory(project=project) for _ in range(n)],
    )


def test_it_keeps_the_mentor_page_to_a_fixed_number_of_queries(cast, client_for):
    quota = QuotaFactory(seats=100)
    TeamMemberFactory(project=quota.project, user=cast.station_worker, role="mentor")
    client = client_for(cast.station_worker)

    def grow(n):
        for _ in range(n):
            ApplicationFactory(
                round=quota.round,
                project=quota.project,
                status=ApplicationStatus.SERVING,
            )

    assert_constant_queries(lambda: client.get(reverse("projects:mentor_home")), grow)


def test_it_keeps_the_programme_pages_to_a_fixed_number_of_queries(cast, client_for):
    programme = ProgrammeFactory()
    client = client_for(cast.official)

    def grow(n):
        for _ in range(n):
            ActivityFactory(project=ProjectFactory(programme=programme))
            ProgrammeFactory()

    assert_constant_queries(
        lambda: client.get(reverse("projects:programme_detail", args=[programme.pk])), grow
    )
    assert Programme.objects.count() > 50
    assert_constant_queries(lambda: client.get(reverse("projects:programme_list")), lambda n: None)


def test_it_keeps_the_base_and_expert_lists_to_a_fixed_number_of_queries(cast, client_for):
    client = client_for(cast.staff)
    assert_constant_queries(
        lambda: client.get(reverse("projects:base_list")),
        lambda n: [PracticeBaseFactory() for _ in range(n)],
    )
    assert_constant_queries(
        lambda: client.get(reverse("projects:expert_list")),
        lambda n: [ExpertFactory() for _ in range(n)],
    )


def test_it_keeps_the_referral_and_assignment_lists_to_a_fixed_number_of_queries(cast, client_for):
    expert = ExpertFactory(user=cast.expert, max_load=100)

    def grow(n):
        for _ in range(n):
            referral = ReferralFactory(designated_officer=cast.officer)
            Assignment.objects.create(
                referral=referral,
                expert=expert,
                service=ReferralService.INVESTIGATION,
                assigned_by=cast.officer,
            )

    assert_constant_queries(
        lambda: client_for(cast.officer).get(reverse("projects:referral_list")), grow
    )
    expert_client = client_for(cast.expert)
    assert_constant_queries(lambda: expert_client.get(reverse("projects:assignment_list")), grow)


def test_it_keeps_the_open_rounds_page_to_a_fixed_number_of_queries(db, client):
    quota = QuotaFactory()
    assert_constant_queries(
        lambda: client.get(reverse("projects:round_list")),
        lambda n: [QuotaFactory(round=quota.round) for _ in range(n)],
    )
