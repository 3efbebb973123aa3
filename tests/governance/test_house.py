"""Issue 12 in governance: one table shape for the state machines, every change attributed
in the history, terms computed with relativedelta, and the attendance search a FilterSet."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from pghistory.models import Context

from association.governance import services
from association.governance.choices import (
    MEETING_TRANSITIONS,
    MOTION_TRANSITIONS,
    VERSION_TRANSITIONS,
    MeetingStatus,
    MotionStatus,
    VersionStatus,
)
from association.governance.models import Meeting, Term
from association.workflow import check_table

from .factories import MeetingFactory, TermFactory, office, roll


@pytest.mark.parametrize(
    ("table", "states"),
    [
        (VERSION_TRANSITIONS, VersionStatus.values),
        (MEETING_TRANSITIONS, MeetingStatus.values),
        (MOTION_TRANSITIONS, MotionStatus.values),
    ],
)
def test_its_transition_tables_are_complete(table, states):
    check_table(table, states)


def test_it_refuses_a_meeting_move_the_table_does_not_allow(db, cast):
    planned = MeetingFactory(status=MeetingStatus.PLANNED, opened_at=None)
    with pytest.raises(ValidationError) as refused:
        services.meeting_open(meeting=planned, by=cast.staff)  # not noticed yet
    assert refused.value.code == "invalid_transition"
    planned.refresh_from_db()
    assert planned.status == MeetingStatus.PLANNED


def test_it_attributes_a_meeting_change_to_its_actor_and_service(db, cast):
    meeting = MeetingFactory(status=MeetingStatus.PLANNED, opened_at=None)
    services.meeting_send_notice(meeting=meeting, by=cast.staff)
    event = Meeting.pgh_event_model.objects.filter(pgh_obj=meeting).latest("pgh_id")
    metadata = Context.objects.get(pk=event.pgh_context_id).metadata
    assert metadata["user"] == cast.staff.pk
    assert metadata["action"] == "governance.meeting_send_notice"


def test_it_ends_a_term_started_on_a_leap_day_on_the_28th_of_february(db):
    council = office("council")
    TermFactory(
        office=council, starts_on=datetime.date(2019, 3, 1), ends_on=datetime.date(2024, 3, 1)
    )
    (term,) = services.office_holders_install(
        office=council,
        holders=[{"holder_name": "李伟"}],
        starts_on=datetime.date(2024, 2, 29),
        term_years=5,
        basis="第二届会员代表大会选举",
    )
    assert term.ends_on == datetime.date(2029, 2, 28)
    old = Term.objects.exclude(pk=term.pk).get()
    assert old.ended_on == datetime.date(2024, 2, 29)


def test_it_finds_attendees_by_name_or_affiliation(cast, client_for):
    meeting = MeetingFactory()
    roll(meeting, entitled=40, present=0)  # 代表000 … 代表039 of 单位00 … 单位22
    client = client_for(cast.staff)
    url = reverse("governance:attendance", args=[meeting.pk])
    by_unit = client.get(url, {"q": "单位07"}).context["page"].object_list
    assert sorted(row.name for row in by_unit) == ["代表007", "代表030"]
    by_name = client.get(url, {"q": "代表012"}).context["page"].object_list
    assert [row.name for row in by_name] == ["代表012"]
    assert len(client.get(url, {"q": "  "}).context["page"].object_list) == 40
