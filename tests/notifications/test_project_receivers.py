"""The projects app's signals reach the graduate and the expert, and no case detail leaks."""

import pytest
from django.core import mail

from association.notifications.models import Notification
from projects import signals
from projects.choices import ApplicationStatus, ReferralService
from projects.services.referrals import assignment_create
from tests.projects.factories import ApplicationFactory, ExpertFactory, ReferralFactory

pytestmark = pytest.mark.django_db


def test_it_tells_the_graduate_of_an_offer(django_capture_on_commit_callbacks):
    application = ApplicationFactory()
    with django_capture_on_commit_callbacks(execute=True):
        signals.application_moved.send(
            sender="projects", application_id=application.pk, status=ApplicationStatus.OFFERED
        )
    notification = Notification.objects.get(user=application.applicant)
    assert "录取通知" in notification.title
    assert "确认接受或放弃" in notification.body
    assert notification.url.endswith(f"/applications/{application.pk}/")


def test_it_keeps_quiet_about_internal_screening_steps():
    application = ApplicationFactory()
    signals.application_moved.send(
        sender="projects", application_id=application.pk, status=ApplicationStatus.SCREENED
    )
    assert not Notification.objects.exists()


def test_it_tells_the_expert_of_an_assignment_without_the_minors_details(
    django_capture_on_commit_callbacks,
):
    referral = ReferralFactory()
    expert = ExpertFactory()
    with django_capture_on_commit_callbacks(execute=True):
        assignment_create(
            referral=referral,
            expert=expert,
            service=ReferralService.INVESTIGATION,
            by=referral.designated_officer,
        )
    notification = Notification.objects.get(user=expert.user)
    text = notification.title + notification.body + "".join(m.body for m in mail.outbox)
    assert "服务指派" in notification.title
    for secret in ("王小明", "虚构第九中学", "虚构路", "王大山", referral.case_number):
        assert secret not in text
