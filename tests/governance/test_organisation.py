"""The registration record and the annual inspection's data: written through staff-only
services (the admin too), validated in Chinese, read by the selectors the annual report
calls."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from association.governance import selectors
from association.governance.models import (
    Branch,
    EvaluationGrade,
    InspectionResult,
    Registration,
    StaffMember,
)
from association.governance.services import (
    organisation_record_delete,
    organisation_record_save,
)
from tests.governance.factories import MeetingFactory, TermFactory, office

pytestmark = pytest.mark.django_db

D = datetime.date


def test_only_staff_keep_the_records_and_the_registration_is_one_row(cast):
    with pytest.raises(PermissionDenied):
        organisation_record_save(record=Registration(name="某协会"), by=cast.official)
    organisation_record_save(record=Registration(name="许昌市社会工作行业协会"), by=cast.staff)
    organisation_record_save(
        record=Registration(name="许昌市社会工作行业协会", phone="0374-1234567"), by=cast.staff
    )
    assert Registration.objects.count() == 1
    assert selectors.registration().phone == "0374-1234567"
    with pytest.raises(ValidationError, match="统一社会信用代码应为 18 位"):
        organisation_record_save(
            record=Registration(name="许昌市社会工作行业协会", credit_code="123"), by=cast.staff
        )


def test_dates_that_cannot_be_are_refused_in_chinese(cast):
    with pytest.raises(ValidationError, match="离职日期不能早于入职日期"):
        organisation_record_save(
            record=StaffMember(
                name="张丽", post="干事", started_on=D(2025, 3, 1), ended_on=D(2025, 1, 1)
            ),
            by=cast.staff,
        )
    with pytest.raises(ValidationError, match="有效期须晚于评定日期"):
        organisation_record_save(
            record=EvaluationGrade(
                grade="3A",
                awarded_on=D(2025, 1, 1),
                valid_until=D(2024, 1, 1),
                awarded_by="市民政局",
            ),
            by=cast.staff,
        )


def test_the_selectors_count_what_held_on_the_day(cast):
    save = organisation_record_save
    for started, ended, kind in (
        (D(2020, 1, 1), None, "full_time"),
        (D(2020, 1, 1), D(2025, 6, 30), "full_time"),
        (D(2026, 1, 5), None, "full_time"),
        (D(2021, 1, 1), None, "part_time"),
    ):
        save(
            record=StaffMember(
                name="某", post="干事", kind=kind, started_on=started, ended_on=ended
            ),
            by=cast.staff,
        )
    assert selectors.staff_on(D(2025, 12, 31)) == {"full_time": 1, "part_time": 1, "insured": 2}
    save(
        record=Branch(
            kind="branch", name="督导专委会", established_on=D(2024, 1, 1), decision="理事会决议"
        ),
        by=cast.staff,
    )
    closed = Branch(
        kind="representative",
        name="禹州代表处",
        established_on=D(2023, 1, 1),
        closed_on=D(2025, 3, 1),
        decision="理事会决议",
    )
    save(record=closed, by=cast.staff)
    assert [b.name for b in selectors.branches_on(D(2025, 12, 31))] == ["督导专委会"]
    assert selectors.branch_changes(2025) == {"established": 0, "closed": 1}
    for year in (2023, 2024):
        save(
            record=InspectionResult(year=year, outcome="passed", concluded_on=D(year + 1, 6, 1)),
            by=cast.staff,
        )
    assert selectors.last_inspection(2025).year == 2024
    assert selectors.last_inspection(2023) is None
    organisation_record_delete(record=closed, by=cast.staff)
    assert selectors.branch_changes(2025) == {"established": 0, "closed": 0}


def test_meetings_offices_and_council_as_the_annual_report_counts_them():
    from django.utils import timezone

    from association.governance.choices import MeetingStatus

    held = timezone.make_aware(datetime.datetime(2025, 4, 10, 9))
    MeetingFactory(kind="council", status=MeetingStatus.CLOSED, starts_at=held)
    MeetingFactory(kind="seminar", status=MeetingStatus.CLOSED, starts_at=held)
    MeetingFactory(kind="general", starts_at=held)  # still open: not held yet
    assert selectors.meetings_held_by_kind(2025)["council"] == 1
    assert [m.kind for m in selectors.meetings_held(2025)] == ["council"]
    TermFactory(office=office("president"), holder_name="王建国", starts_on=D(2025, 7, 1))
    TermFactory(holder_name="王建国", starts_on=D(2025, 7, 1))
    TermFactory(holder_name="李四", ended_on=D(2025, 9, 1))
    sizes = selectors.council_sizes(D(2025, 12, 31))
    assert sizes == {"council": 1, "standing_council": 1, "officers": 1}
    changes = {c.office.code: c for c in selectors.office_changes(2025)}
    assert (changes["president"].holding, changes["president"].took_office) == (1, 1)
    assert changes["council"].left_office == 1


def test_the_admin_saves_through_the_service(cast, client_for):
    url = reverse("admin:governance_inspectionresult_add")
    response = client_for(cast.staff).post(
        url, {"year": "2024", "outcome": "passed", "concluded_on": "2025-06-30", "remarks": ""}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    result = InspectionResult.objects.get()
    from pghistory.models import Context

    event = InspectionResult.pgh_event_model.objects.filter(pgh_obj=result).latest("pgh_id")
    metadata = Context.objects.get(pk=event.pgh_context_id).metadata
    assert metadata["user"] == cast.staff.pk
    assert "governance.organisation_record_save" in {
        metadata.get("action"),
        *metadata.get("services", []),
    }
    officer_add = client_for(cast.officer).get(url)
    assert officer_add.status_code == 403
