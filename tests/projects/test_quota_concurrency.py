"""Selection under concurrency: parallel offers never fill more seats than the quota."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from association.accounts.choices import Role
from projects import services
from projects.choices import SEAT_HOLDING
from projects.choices import ApplicationStatus as S
from projects.models import Application
from tests.factories import UserFactory

from .factories import ApplicationFactory, QuotaFactory


@pytest.mark.django_db(transaction=True)
def test_it_never_offers_more_seats_than_the_quota_under_parallel_selection():
    staff = UserFactory(is_staff=True, roles=[Role.STAFF.value])
    quota = QuotaFactory(seats=2)
    applications = [
        ApplicationFactory(round=quota.round, wants=[quota.project], status=S.INTERVIEWED)
        for _ in range(8)
    ]
    barrier = threading.Barrier(len(applications))
    outcomes = []

    def select(application):
        try:
            barrier.wait()
            services.application_offer(application=application, project=quota.project, by=staff)
            outcomes.append("offered")
        except ValidationError:
            outcomes.append("full")
        finally:
            connection.close()

    threads = [threading.Thread(target=select, args=(a,)) for a in applications]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["full"] * 6 + ["offered"] * 2
    assert (
        Application.objects.filter(
            round=quota.round, project=quota.project, status__in=SEAT_HOLDING
        ).count()
        == 2
    )
