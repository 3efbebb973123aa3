"""Issue 12 in stations: one table shape for the two workflows, every change attributed in
the history (actor and service), the default catalogues kept by a service, and the
reporting calendar read from the app's settings."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from pghistory.models import Context

from association.workflow import check_table
from stations import selectors, services, tasks
from stations.choices import (
    DEFAULT_SERVICE_AREAS,
    INITIAL_STATION_STATUSES,
    REPORT_ACTION_TARGETS,
    REPORT_TRANSITIONS,
    STATION_TRANSITIONS,
    ReportStatus,
    StationStatus,
)
from stations.models import ServiceArea, ServiceReport, Station, StationStatusChange

from .test_workflow import lines

D = datetime.date


def contexts(model, **filters) -> list[dict]:
    events = model.pgh_event_model.objects.filter(**filters)
    ids = set(events.values_list("pgh_context_id", flat=True))
    assert ids and None not in ids, f"{model.__name__}: a change without a history context"
    return list(Context.objects.filter(pk__in=ids).values_list("metadata", flat=True))


@pytest.mark.parametrize(
    ("table", "states"),
    [(REPORT_TRANSITIONS, ReportStatus.values), (STATION_TRANSITIONS, StationStatus.values)],
)
def test_its_transition_tables_are_complete(table, states):
    check_table(table, states)


def test_every_report_action_leads_somewhere_the_table_allows():
    targets = {target for row in REPORT_TRANSITIONS.values() for target in row}
    assert set(REPORT_ACTION_TARGETS.values()) <= targets
    assert set(StationStatus.values) >= INITIAL_STATION_STATUSES


@pytest.fixture
def frozen():
    with time_machine.travel(datetime.datetime(2024, 4, 3, 10, 0), tick=False):
        yield


def test_the_history_names_who_moved_a_report_and_through_which_service(cast, station_a, frozen):
    report = services.report_start(station=station_a, month=D(2024, 3, 1), by=cast.station_worker)
    services.report_save(
        report=report,
        by=cast.station_worker,
        lines=lines(3, 30),
        volunteers=2,
        narrative="本月开展走访和社区活动，服务困难群众。",
    )
    services.report_submit(report=report, by=cast.station_worker)
    services.report_return(report=report, by=cast.staff, comment="人次与台账不符")
    by_status = {
        status: contexts(ServiceReport, pgh_obj=report, status=status)
        for status in (ReportStatus.DRAFT, ReportStatus.SUBMITTED, ReportStatus.RETURNED)
    }
    for metadata in by_status[ReportStatus.DRAFT]:
        assert metadata["user"] == cast.station_worker.pk
        assert metadata["action"] in {"stations.report_start", "stations.report_save"}
    [submitted] = by_status[ReportStatus.SUBMITTED]
    assert submitted == {"user": cast.station_worker.pk, "action": "stations.report_submit"}
    [returned] = by_status[ReportStatus.RETURNED]
    assert returned == {"user": cast.staff.pk, "action": "stations.report_return"}


def test_the_admin_action_records_the_staff_member_on_the_status_history(cast, client_for):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from .factories import StationFactory

    TOTP.activate(cast.staff, generate_totp_secret())
    staff_client = client_for(cast.staff)

    station = StationFactory()
    staff_client.post(
        reverse("admin:stations_station_changelist"),
        {
            "action": "record_status",
            "_selected_action": [station.pk],
            "apply": "1",
            "status": StationStatus.SUSPENDED,
            "effective_on": datetime.date.today().isoformat(),
            "note": "场地改造",
        },
    )
    change = StationStatusChange.objects.get(station=station, status=StationStatus.SUSPENDED)
    [metadata] = contexts(StationStatusChange, pgh_obj=change)
    assert metadata["action"] == "stations.station_status_record"
    assert metadata["user"] == change.recorded_by_id
    station_events = contexts(Station, pgh_obj=station, current_status=StationStatus.SUSPENDED)
    assert [m["action"] for m in station_events] == ["stations.station_status_record"]


def test_a_new_station_starts_only_in_an_initial_status(cast):
    from django.core.exceptions import ValidationError

    from tests.members.factories import township

    region = township(name="新设镇")
    with pytest.raises(ValidationError, match="不能从"):
        services.station_create(
            region=region, name="新设镇社工站", by=cast.staff, status=StationStatus.SUSPENDED
        )
    station = services.station_create(
        region=region, name="新设镇社工站", by=cast.staff, status=StationStatus.BUILDING
    )
    assert station.current_status == StationStatus.BUILDING


def test_the_reminder_task_runs_the_service(cast, station_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_report_reminders("2024-04-02") == {"due_soon": 1, "overdue": 0}
        assert tasks.send_report_reminders("2024-04-02") == {"due_soon": 0, "overdue": 0}


def test_the_default_catalogue_comes_back_but_staff_changes_stay(db):
    first_code, _name = DEFAULT_SERVICE_AREAS[0]
    ServiceArea.objects.filter(code=first_code).delete()
    ServiceArea.objects.filter(code=DEFAULT_SERVICE_AREAS[1][0]).update(name="养老与助老")
    services.catalogue_ensure()
    assert ServiceArea.objects.filter(code=first_code).exists()
    assert ServiceArea.objects.get(code=DEFAULT_SERVICE_AREAS[1][0]).name == "养老与助老"


@pytest.mark.parametrize(
    ("month", "deadline_day", "deadline", "locks_on"),
    [
        (D(2024, 3, 1), 5, D(2024, 4, 5), D(2024, 4, 21)),
        (D(2024, 1, 1), 31, D(2024, 2, 29), D(2024, 2, 21)),  # a leap February
        (D(2024, 12, 1), 5, D(2025, 1, 5), D(2025, 1, 21)),
    ],
)
def test_the_reporting_calendar_follows_the_settings(
    settings, month, deadline_day, deadline, locks_on
):
    settings.STATIONS_REPORT_DEADLINE_DAY = deadline_day
    settings.STATIONS_LOCK_DAYS = 20
    assert selectors.report_deadline(month) == deadline
    assert selectors.lock_date(month) == locks_on
    assert selectors.last_month(D(2025, 1, 15)) == D(2024, 12, 1)
    assert selectors.month_range(D(2024, 11, 1), D(2025, 2, 1)) == [
        D(2024, 11, 1),
        D(2024, 12, 1),
        D(2025, 1, 1),
        D(2025, 2, 1),
    ]
