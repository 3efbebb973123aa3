"""Meetings in the admin are created, changed and deleted through the services: the rules
in force are chosen by meeting_create, what a meeting's status freezes is not offered, and
only a meeting still being prepared can be deleted."""

import datetime

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from association.governance import services
from association.governance.choices import MeetingKind, MeetingStatus
from association.governance.models import Meeting

from .factories import MeetingFactory, rule_set


@pytest.fixture
def admin_client(cast, client_for):
    cast.staff.is_superuser = True
    cast.staff.save()
    TOTP.activate(cast.staff, generate_totp_secret())
    return client_for(cast.staff)


def test_a_meeting_added_in_the_admin_is_created_by_the_service(admin_client, monkeypatch):
    rules = rule_set()
    calls = []
    create = services.meeting_create

    def spy(**kwargs):
        calls.append(kwargs)
        return create(**kwargs)

    monkeypatch.setattr(services, "meeting_create", spy)
    response = admin_client.post(
        reverse("admin:governance_meeting_add"),
        {
            "kind": MeetingKind.COUNCIL,
            "title": "一届三次理事会",
            "starts_at_0": "2030-03-01",
            "starts_at_1": "09:00:00",
            "place": "协会会议室",
            "agenda": "审议年度工作报告",
            "presiding": "",
            "minutes": "",
            "talks-TOTAL_FORMS": "0",
            "talks-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert len(calls) == 1
    meeting = Meeting.objects.get(title="一届三次理事会")
    assert meeting.rule_set == rules
    assert meeting.status == MeetingStatus.PLANNED


def test_a_noticed_meeting_keeps_its_date_and_kind(admin_client, cast):
    meeting = MeetingFactory(status=MeetingStatus.NOTICED, title="旧名称")
    url = reverse("admin:governance_meeting_change", args=[meeting.pk])
    page = admin_client.get(url).content.decode()
    assert 'name="title"' in page
    assert 'name="starts_at_0"' not in page and 'name="kind"' not in page
    response = admin_client.post(
        url,
        {
            "title": "新名称",
            "place": meeting.place,
            "agenda": meeting.agenda,
            "presiding": "",
            "minutes": "",
            "talks-TOTAL_FORMS": "0",
            "talks-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.title == "新名称"
    # The service refuses what the form no longer offers.
    later = timezone.make_aware(datetime.datetime(2031, 1, 1, 9))
    with pytest.raises(ValidationError):
        services.meeting_update(meeting=meeting, by=cast.staff, starts_at=later)


def test_only_a_meeting_being_prepared_can_be_deleted(cast):
    noticed = MeetingFactory(status=MeetingStatus.NOTICED)
    with pytest.raises(ValidationError):
        services.meeting_delete(meeting=noticed, by=cast.staff)
    planned = MeetingFactory(status=MeetingStatus.PLANNED, opened_at=None)
    services.meeting_delete(meeting=planned, by=cast.staff)
    assert not Meeting.objects.filter(pk=planned.pk).exists()


def test_rules_in_force_are_read_only_in_the_admin(admin_client):
    rules = rule_set()
    assert rules.effective_from is not None
    url = reverse("admin:governance_ruleset_change", args=[rules.pk])
    page = admin_client.get(url).content.decode()
    assert 'name="quorum_numerator"' not in page
    response = admin_client.post(url, {"name": "改过的规则", "quorum_numerator": "1"})
    assert response.status_code == 403
    rules.refresh_from_db()
    assert rules.name != "改过的规则"
