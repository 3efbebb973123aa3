"""Issue 12 in members: one table shape for the state machines, every change attributed in
the history, the admin's actions on the shared runner, and the app's settings read through
``members.conf`` with defaults."""

import datetime

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from pghistory.models import Context

from association.workflow import check_table
from members import services
from members.choices import (
    CHANGE_REQUEST_TRANSITIONS,
    MEMBERSHIP_TRANSITIONS,
    ChangeRequestStatus,
    MembershipState,
)
from members.models import Dues, Membership
from members.rules import Rules, education_standing

from .factories import MembershipFactory, SocialWorkerFactory
from .test_admin import admin_client

D = datetime.date


@pytest.mark.parametrize(
    ("table", "states"),
    [
        (MEMBERSHIP_TRANSITIONS, MembershipState.values),
        (CHANGE_REQUEST_TRANSITIONS, ChangeRequestStatus.values),
    ],
)
def test_its_transition_tables_are_complete(table, states):
    check_table(table, states)


def test_it_refuses_a_move_the_table_does_not_allow(cast):
    withdrawn = MembershipFactory(state=MembershipState.WITHDRAWN)
    with pytest.raises(ValidationError) as refused:
        services.membership_review_start(membership=withdrawn, by=cast.staff)
    assert refused.value.code == "invalid_transition"
    withdrawn.refresh_from_db()
    assert withdrawn.state == MembershipState.WITHDRAWN


def test_it_decides_a_change_request_once(cast, org_a):
    request = services.change_request_submit(
        organisation=org_a, by=cast.org_admin_a, changes={"legal_representative": "新代表"}
    )
    services.change_request_reject(change_request=request, by=cast.staff, note="材料不全")
    with pytest.raises(ValidationError) as refused:
        services.change_request_approve(change_request=request, by=cast.staff)
    assert refused.value.code == "invalid_transition"
    request.refresh_from_db()
    assert request.status == ChangeRequestStatus.REJECTED


def test_it_attributes_a_decision_and_its_billing_to_the_staff_member(cast, standards):
    membership = MembershipFactory(
        state=MembershipState.APPLIED, number=None, member_since=None, verification_code=None
    )
    services.membership_approve(
        membership=membership, by=cast.staff, decided_on=D(2025, 3, 1), basis="理事会决议"
    )
    events = [
        # the test's one transaction gives every event the same time: the last is the highest id
        Membership.pgh_event_model.objects.filter(pgh_obj=membership).latest("pgh_id"),
        Dues.pgh_event_model.objects.get(pgh_obj__membership=membership),
    ]
    for event in events:
        metadata = Context.objects.get(pk=event.pgh_context_id).metadata
        assert metadata["user"] == cast.staff.pk
        assert metadata["action"] == "members.membership_approve"


def test_it_attributes_a_scheduled_reminder_to_its_service(cast, standards):
    """A reminder runs without a person: its billing still says through what."""
    membership = MembershipFactory(member_since=D(2020, 1, 1))
    with time_machine.travel(D(2025, 4, 15), tick=False):
        assert services.dues_reminder_send(membership_id=membership.pk, year=2025)
    event = Dues.pgh_event_model.objects.get(pgh_obj__membership=membership)
    metadata = Context.objects.get(pk=event.pgh_context_id).metadata
    assert metadata["action"] == "members.dues_reminder_send"
    assert metadata.get("user") is None


def test_it_reports_each_refused_row_of_an_admin_action_by_name(cast, client):
    applied = MembershipFactory(
        state=MembershipState.APPLIED, number=None, member_since=None, verification_code=None
    )
    rejected = MembershipFactory(state=MembershipState.REJECTED, number=None, member_since=None)
    client = admin_client(client, cast.staff)
    response = client.post(
        reverse("admin:members_membership_changelist"),
        {"action": "start_review", "_selected_action": [applied.pk, rejected.pk]},
    )
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    assert any(text.startswith(f"{rejected}：") and "不能变为" in text for text in texts)
    assert any("1 份申请进入审核" in text for text in texts)
    applied.refresh_from_db()
    assert applied.state == MembershipState.UNDER_REVIEW


def test_it_asks_for_a_reason_on_the_shared_action_form(cast, client):
    admitted = MembershipFactory()
    client = admin_client(client, cast.staff)
    response = client.post(
        reverse("admin:members_membership_changelist"),
        {"action": "suspend", "_selected_action": [admitted.pk]},
    )
    assert response.templates[0].name == "admin/action_form.html"
    assert 'name="reason"' in response.content.decode()


def test_it_refuses_an_education_record_for_someone_else(cast):
    from members.models import ContinuingEducation

    worker = SocialWorkerFactory()
    record = ContinuingEducation(
        date=D(2024, 5, 1), hours=6, kind="training", title="督导", provider="协会"
    )
    with pytest.raises(PermissionDenied):
        services.education_add(worker=worker, by=cast.org_admin_a, record=record)


def test_it_reads_its_rules_from_settings_with_defaults(settings):
    settings.MEMBERS_DUES_GRACE_DAYS = 60
    del settings.MEMBERS_DUES_DUE_MONTH
    del settings.MEMBERS_DUES_DUE_DAY
    rules = Rules.from_settings()
    assert (rules.grace_days, rules.due_month, rules.due_day) == (60, 3, 31)


def test_it_runs_education_periods_on_from_a_leap_day():
    standing = education_standing(
        qualification="assistant",
        registered_on=D(2020, 2, 29),
        records=[],
        today=D(2023, 3, 1),
    )
    assert (standing.period_start, standing.period_end) == (D(2023, 2, 28), D(2026, 2, 27))


def test_it_ends_a_registration_begun_on_a_leap_day_on_the_27th_of_february():
    from members.models import SocialWorker

    worker = SocialWorker(registered_on=D(2020, 2, 29))
    worker.sync_derived()
    assert worker.registration_expires_on == D(2023, 2, 27)


def test_it_fills_in_an_application_from_an_open_invitation_link(cast, client, org_a):
    from members.models import StaffInvitation

    invitation = StaffInvitation.objects.create(
        organisation=org_a, email="liu@example.org", name="刘洋", invited_by=cast.org_admin_a
    )
    url = reverse("members:apply_individual")
    response = client.get(url, {"invitation": invitation.token})
    assert response.context["invitation"] == invitation
    assert response.context["form"].initial["name"] == "刘洋"
    StaffInvitation.objects.filter(pk=invitation.pk).update(accepted_at="2025-01-01T00:00Z")
    assert client.get(url, {"invitation": invitation.token}).context["invitation"] is None
    assert client.get(url, {"invitation": ""}).context["invitation"] is None
