"""Signals from the services become notifications; scheduled reminders are sent once."""

import datetime

import time_machine

from association.notifications.models import Notification
from members import services, tasks
from members.choices import MembershipState
from members.models import Reminder

from .factories import (
    DuesFactory,
    EducationFactory,
    MembershipFactory,
    OrganisationAdminFactory,
    SocialWorkerFactory,
)

D = datetime.date


def test_it_tells_the_applicant_and_staff_of_an_application_and_its_decision(
    cast, standards, django_capture_on_commit_callbacks
):
    membership = MembershipFactory(
        state=MembershipState.APPLIED,
        number=None,
        member_since=None,
        verification_code=None,
        submitted_by=cast.applicant,
    )
    OrganisationAdminFactory(organisation=membership.organisation, user=cast.applicant)
    from members import signals

    with django_capture_on_commit_callbacks(execute=True):
        signals.application_received.send(sender="members", membership_id=membership.pk)
    assert Notification.objects.filter(user=cast.applicant, kind="members_application_received")
    assert Notification.objects.filter(user=cast.staff, kind="members_application_new")
    with django_capture_on_commit_callbacks(execute=True):
        services.membership_approve(
            membership=membership, by=cast.staff, decided_on=D(2025, 3, 1), basis="理事会决议"
        )
    decided = Notification.objects.get(user=cast.applicant, kind="members_application_decided")
    assert "XCSW-D-0001" in decided.body


def test_it_sends_a_dues_reminder_once(cast, standards, django_capture_on_commit_callbacks):
    membership = MembershipFactory(member_since=D(2024, 2, 1))
    OrganisationAdminFactory(organisation=membership.organisation, user=cast.org_admin_a)
    DuesFactory(membership=membership, year=2024, paid_on=D(2024, 2, 2), receipt_number="R")
    with time_machine.travel(D(2025, 3, 10), tick=False):
        for _ in range(2):
            with django_capture_on_commit_callbacks(execute=True):
                tasks.check_dues()
    assert Notification.objects.filter(user=cast.org_admin_a, kind="members_dues_due").count() == 1
    assert Reminder.objects.filter(kind="dues_due").count() == 1


def test_it_warns_a_member_in_grace_of_the_lapse_date(
    cast, standards, django_capture_on_commit_callbacks
):
    membership = MembershipFactory(member_since=D(2024, 2, 1))
    OrganisationAdminFactory(organisation=membership.organisation, user=cast.org_admin_a)
    DuesFactory(membership=membership, year=2024, paid_on=D(2024, 2, 2), receipt_number="R")
    with time_machine.travel(D(2025, 5, 1), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            tasks.check_dues()
        with django_capture_on_commit_callbacks(execute=True):
            tasks.check_dues()
    lapsing = Notification.objects.filter(user=cast.org_admin_a, kind="members_membership_lapsing")
    assert lapsing.count() == 1
    assert "2025-06-30" in lapsing.get().body


def test_it_warns_of_a_continuing_education_shortfall_90_days_before_the_period_ends(
    cast, django_capture_on_commit_callbacks
):
    worker = SocialWorkerFactory(user=cast.station_worker, registered_on=D(2023, 9, 1))
    EducationFactory(worker=worker, date=D(2024, 1, 1), hours=40)
    # 122 days left: no warning yet
    with (
        time_machine.travel(D(2026, 5, 1), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        tasks.check_education()
    assert not Notification.objects.filter(kind="members_education_shortfall").exists()
    with time_machine.travel(D(2026, 6, 15), tick=False):
        for _ in range(2):
            with django_capture_on_commit_callbacks(execute=True):
                tasks.check_education()
    note = Notification.objects.get(kind="members_education_shortfall")
    assert note.user == cast.station_worker and "40.0" in note.body and "90" in note.body


def test_it_emails_an_invitation_to_someone_without_an_account(
    cast, org_a, django_capture_on_commit_callbacks
):
    from association.notifications.models import OutboxEmail

    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_create(
            organisation=org_a, by=cast.org_admin_a, email="new@example.org", name="新人"
        )
    email = OutboxEmail.objects.get(to="new@example.org")
    assert "invitation=" in email.body and org_a.name in email.subject
