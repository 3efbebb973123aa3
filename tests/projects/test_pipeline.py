"""The graduates' pipeline: which moves are allowed, and what each one does."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone

from projects import services
from projects.choices import APPLICATION_TRANSITIONS as TRANSITIONS
from projects.choices import ApplicationStatus as S
from projects.models import Application, TeamMember
from tests.factories import UserFactory

from .factories import PDF, ApplicationFactory, QuotaFactory, TeamMemberFactory, TrainingFactory


@pytest.fixture
def quota(db):
    return QuotaFactory(seats=2)


def interviewed(quota, **kwargs):
    application = ApplicationFactory(round=quota.round, wants=[quota.project], **kwargs)
    application.status = S.INTERVIEWED
    application.save()
    return application


def test_it_lists_every_status_in_the_transitions_table():
    assert set(TRANSITIONS) == set(S.values)
    for targets in TRANSITIONS.values():
        assert targets <= set(S.values)


def test_it_takes_an_application_from_submission_to_completion(cast, quota):
    application = ApplicationFactory(
        round=quota.round, applicant=cast.applicant, wants=[quota.project]
    )
    services.application_screen(application=application, by=cast.staff, passed=True)
    services.interview_score_add(application=application, by=cast.staff, score=Decimal("88"))
    services.interview_score_add(application=application, by=cast.officer, score=Decimal("92"))
    services.application_offer(application=application, project=quota.project, by=cast.staff)
    services.offer_accept(application=application, by=cast.applicant)
    assert TeamMember.objects.filter(project=quota.project, user=cast.applicant).exists()
    today = timezone.localdate()
    services.agreement_sign(
        application=application,
        by=cast.staff,
        signed_on=today,
        starts_on=today,
        ends_on=today + datetime.timedelta(days=365),
        monthly_stipend=Decimal("2500.00"),
        signed_file=ContentFile(PDF, name="agreement.pdf"),
    )
    services.application_complete(application=application, by=cast.staff)
    application.refresh_from_db()
    assert application.status == S.COMPLETED
    assert application.certificate_number.endswith("-0001")
    moves = list(application.transitions.values_list("to_status", flat=True))
    assert moves == [S.SCREENED, S.INTERVIEWED, S.OFFERED, S.ACCEPTED, S.SERVING, S.COMPLETED]
    # the graduate leaves the active team when the service ends
    assert TeamMember.objects.get(application=application).left_on == today


def test_it_refuses_a_move_the_table_does_not_allow(cast, quota):
    application = ApplicationFactory(round=quota.round, wants=[quota.project])
    with pytest.raises(ValidationError, match="不能变更为"):
        services.application_offer(application=application, project=quota.project, by=cast.staff)
    with pytest.raises(ValidationError, match="不能变更为"):
        services.application_complete(application=application, by=cast.staff)
    application.refresh_from_db()
    assert application.status == S.SUBMITTED


def test_it_lets_only_staff_select_and_only_the_graduate_accept(cast, quota):
    application = interviewed(quota, applicant=cast.applicant)
    with pytest.raises(PermissionDenied):
        services.application_offer(
            application=application, project=quota.project, by=cast.org_admin_a
        )
    services.application_offer(application=application, project=quota.project, by=cast.staff)
    with pytest.raises(PermissionDenied):
        services.offer_accept(application=application, by=cast.outsider)


def test_it_frees_the_seat_when_an_offer_is_declined(cast, quota):
    first, second, third = (interviewed(quota) for _ in range(3))
    services.application_offer(application=first, project=quota.project, by=cast.staff)
    services.application_offer(application=second, project=quota.project, by=cast.staff)
    with pytest.raises(ValidationError, match="名额已满"):
        services.application_offer(application=third, project=quota.project, by=cast.staff)
    services.offer_decline(application=first, by=first.applicant, reason="已考取研究生")
    services.application_offer(application=third, project=quota.project, by=cast.staff)
    third.refresh_from_db()
    assert third.status == S.OFFERED


def test_it_selects_only_into_a_preferred_project(cast, quota):
    other = QuotaFactory(round=quota.round)
    application = interviewed(quota)
    with pytest.raises(ValidationError, match="意向项目"):
        services.application_offer(application=application, project=other.project, by=cast.staff)


def test_it_asks_why_when_screening_fails_or_a_graduate_withdraws(cast, quota):
    application = ApplicationFactory(round=quota.round, applicant=cast.applicant)
    with pytest.raises(ValidationError):
        services.application_screen(application=application, by=cast.staff, passed=False)
    services.application_screen(application=application, by=cast.staff, passed=True)
    with pytest.raises(ValidationError):
        services.application_withdraw(application=application, by=cast.applicant, reason=" ")
    services.application_withdraw(application=application, by=cast.applicant, reason="另有工作")
    application.refresh_from_db()
    assert application.status == S.WITHDRAWN
    assert application.decision_reason == "另有工作"


def test_it_counts_training_hours_as_continuing_education_for_social_workers(cast, quota):
    from members.models import ContinuingEducation
    from tests.members.factories import SocialWorkerFactory

    worker_user = UserFactory()
    SocialWorkerFactory(user=worker_user)
    serving = interviewed(quota, applicant=worker_user)
    Application.objects.filter(pk=serving.pk).update(status=S.SERVING, project=quota.project)
    plain = interviewed(quota)
    Application.objects.filter(pk=plain.pk).update(status=S.SERVING, project=quota.project)
    session = TrainingFactory(programme=quota.round.programme, hours=Decimal("6.0"))

    counted = services.attendance_record(
        session=session, application=Application.objects.get(pk=serving.pk), by=cast.staff
    )
    noted = services.attendance_record(
        session=session, application=Application.objects.get(pk=plain.pk), by=cast.staff
    )
    assert counted.education is not None
    assert ContinuingEducation.objects.get(pk=counted.education_id).hours == Decimal("6.0")
    assert noted.education is None
    assert "未计入" in noted.education_note


def test_it_lets_only_the_projects_mentor_assess(cast, quota):
    application = interviewed(quota)
    Application.objects.filter(pk=application.pk).update(status=S.SERVING, project=quota.project)
    application.refresh_from_db()
    mentor = UserFactory()
    TeamMemberFactory(project=quota.project, user=mentor, role="mentor")
    with pytest.raises(PermissionDenied):
        services.assessment_record(
            application=application, by=cast.staff, period="2026年第一季度", score=Decimal("90")
        )
    services.assessment_record(
        application=application, by=mentor, period="2026年第一季度", score=Decimal("90")
    )
    with pytest.raises(ValidationError):
        services.assessment_record(
            application=application, by=mentor, period="2026年第一季度", score=Decimal("80")
        )
