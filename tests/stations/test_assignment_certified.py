"""Whether a staff assignment's worker is certified (``StaffAssignment.certified``), kept by
the database for the coverage's staffing counts: whatever writes an assignment or changes a
worker's qualification, the flag is the worker's, and the coverage counts it as the rule on
the worker does."""

import pytest
from django.db import connection

from members.choices import Qualification
from members.models import SocialWorker
from stations import selectors
from stations.models import StaffAssignment
from tests.members.factories import SocialWorkerFactory

from .factories import AssignmentFactory, StationFactory

pytestmark = pytest.mark.django_db


def flags() -> dict[int, bool]:
    return dict(StaffAssignment.objects.values_list("pk", "certified"))


def workers() -> dict[int, bool]:
    """Each assignment's flag as the rule on its worker gives it."""
    return {
        pk: qualification != Qualification.NONE
        for pk, qualification in StaffAssignment.objects.values_list("pk", "worker__qualification")
    }


def test_an_assignment_takes_its_workers_qualification():
    certified = AssignmentFactory(worker__qualification=Qualification.ASSISTANT)
    uncertified = AssignmentFactory(worker__qualification=Qualification.NONE)
    assert flags() == {certified.pk: True, uncertified.pk: False}


def test_assignments_written_in_bulk_and_by_hand_take_their_workers():
    station = StationFactory()
    people = [
        SocialWorkerFactory(qualification=q) for q in (Qualification.NONE, Qualification.SENIOR)
    ]
    StaffAssignment.objects.bulk_create(
        StaffAssignment(station=station, worker=w, role="resident", starts_on="2024-01-01")
        for w in people
    )
    assert flags() == workers()
    StaffAssignment.objects.update(certified=True)  # put right by the trigger
    assert flags() == workers()


def test_an_assignment_given_to_another_worker_takes_theirs():
    assignment = AssignmentFactory(worker__qualification=Qualification.NONE)
    other = SocialWorkerFactory(qualification=Qualification.SOCIAL_WORKER)
    StaffAssignment.objects.filter(pk=assignment.pk).update(worker=other)
    assert flags() == {assignment.pk: True}


def test_a_worker_who_qualifies_or_loses_it_passes_it_on_without_history():
    worker = SocialWorkerFactory(qualification=Qualification.NONE)
    first = AssignmentFactory(worker=worker, ends_on="2024-12-31")
    second = AssignmentFactory(worker=worker)
    bystander = AssignmentFactory(worker__qualification=Qualification.NONE)
    events = StaffAssignment.pgh_event_model.objects.count()

    SocialWorker.objects.filter(pk=worker.pk).update(qualification=Qualification.ASSISTANT)
    assert flags() == {first.pk: True, second.pk: True, bystander.pk: False}
    SocialWorker.objects.filter(pk=worker.pk).update(qualification=Qualification.NONE)
    assert flags() == workers()
    # The flag is the worker's fact, copied: no assignment became an event.
    assert StaffAssignment.pgh_event_model.objects.count() == events


def test_a_worker_saved_without_a_new_qualification_leaves_the_assignments_alone():
    assignment = AssignmentFactory()

    def version():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT xmin::text FROM stations_staffassignment WHERE id = %s", [assignment.pk]
            )
            return cursor.fetchone()[0]

    before = version()
    SocialWorker.objects.filter(pk=assignment.worker_id).update(
        name="改名", qualification=Qualification.SOCIAL_WORKER
    )
    assert version() == before


def test_the_coverage_counts_the_certified_staff_as_the_rule_on_the_workers(station_a):
    """The staffing counts from the kept flags equal the station page's (the Python rule,
    reading each worker's qualification), through a change of qualification."""
    worker = SocialWorkerFactory(qualification=Qualification.NONE)
    AssignmentFactory(station=station_a, worker=worker)

    def counted():
        _rows, total = selectors.coverage_by_county(region=station_a.region.parent)
        page = selectors.station_detail_context(station_a)
        assert (total.workers, total.certified) == (page["workers"], page["certified"])
        return total.workers, total.certified

    assert counted() == (2, 1)
    SocialWorker.objects.filter(pk=worker.pk).update(qualification=Qualification.ASSISTANT)
    assert counted() == (2, 2)


@pytest.mark.django_db(transaction=True)
def test_a_new_qualification_recounts_the_coverage_and_a_new_name_does_not(station_a):
    worker = SocialWorkerFactory(qualification=Qualification.NONE)
    AssignmentFactory(station=station_a, worker=worker)
    month = selectors.last_month()
    first = selectors.dashboard_figures(None, month)

    SocialWorker.objects.filter(pk=worker.pk).update(name="改名")
    assert selectors.dashboard_figures(None, month).rows is first.rows  # the coverage is kept

    SocialWorker.objects.filter(pk=worker.pk).update(qualification=Qualification.ASSISTANT)
    after = selectors.dashboard_figures(None, month)
    assert after.rows is not first.rows
    assert after.total.certified == first.total.certified + 1
