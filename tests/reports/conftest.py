"""A small association: members of both kinds, social workers, stations in two counties
with reports; report files go to a temporary private folder."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from members.choices import MembershipState, MemberType, Qualification
from tests.members.factories import (
    EducationFactory,
    MembershipFactory,
    OrganisationFactory,
    SocialWorkerFactory,
    township,
)

D = datetime.date
TODAY = D(2025, 11, 15)


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private")},
        },
    }
    return tmp_path / "private"


@pytest.fixture
def members_data(db):
    """3 unit members (one withdrawn), 2 individual members; workers of each level with
    continuing education met, short and unregistered."""
    for n in range(3):
        MembershipFactory(
            organisation=OrganisationFactory(name=f"许昌市第{n}社会工作服务中心"),
            member_since=D(2023 + n % 2, 2, 1),
            state=MembershipState.WITHDRAWN if n == 2 else MembershipState.APPROVED,
        )
    met = SocialWorkerFactory(qualification=Qualification.ASSISTANT, registered_on=D(2024, 1, 1))
    EducationFactory(worker=met, date=D(2024, 6, 1), hours=Decimal("72.0"))
    short = SocialWorkerFactory(
        qualification=Qualification.SOCIAL_WORKER, registered_on=D(2024, 1, 1)
    )
    EducationFactory(worker=short, date=D(2024, 6, 1), hours=Decimal("10.0"))
    SocialWorkerFactory(qualification=Qualification.SENIOR, registered_on=None)
    for worker in (met, short):
        MembershipFactory(
            person=worker, member_type=MemberType.INDIVIDUAL, member_since=D(2024, 5, 1)
        )
    SocialWorkerFactory(qualification=Qualification.NONE, certificate_date=None, registered_on=None)
    # Dues paid every year keep everyone current whatever the date of the run.
    from members.models import Membership
    from tests.members.factories import DuesFactory

    years = sorted({2023, 2024, 2025, timezone.localdate().year})
    for membership in Membership.objects.filter(state=MembershipState.APPROVED):
        for year in years:
            DuesFactory(
                membership=membership,
                year=year,
                paid_on=D(year, 1, 5),
                receipt_number=f"R{membership.pk}-{year}",
            )


@pytest.fixture
def stations_data(db):
    """Stations in two counties: 魏都区 (2 operating, one of them understaffed) and
    禹州市 (1 operating, 1 building); reports for October 2025."""
    from stations.choices import ReportStatus, StationStatus
    from stations.services import rebuild_area_totals
    from tests.stations.factories import AssignmentFactory, ReportFactory, StationFactory, fill

    op = [(D(2021, 1, 1), StationStatus.OPERATING)]
    a = StationFactory(region=township(name="甲街道", county="魏都区"), history=op)
    b = StationFactory(region=township(name="乙街道", county="魏都区"), history=op)
    c = StationFactory(region=township(name="丙镇", county="禹州市"), history=op)
    StationFactory(
        region=township(name="丁镇", county="禹州市"),
        history=[(D(2024, 1, 1), StationStatus.BUILDING)],
    )
    township(name="戊镇", county="禹州市")  # a township without a station
    for station, count in ((a, 3), (b, 1), (c, 2)):
        for _ in range(count):
            AssignmentFactory(station=station, starts_on=D(2021, 1, 1))
    october = D(2025, 10, 1)

    def at(day):
        return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, 10))

    fill(
        ReportFactory(
            station=a,
            month=october,
            status=ReportStatus.APPROVED,
            first_submitted_at=at(D(2025, 11, 3)),
        ),
        activities=4,
        person_times=120,
    )
    fill(
        ReportFactory(
            station=c,
            month=october,
            status=ReportStatus.APPROVED,
            first_submitted_at=at(D(2025, 11, 9)),
        ),
        activities=2,
        person_times=45,
    )
    # Approved by writing the status, past the service that keeps the yearly sums.
    rebuild_area_totals()
    return {"a": a, "b": b, "c": c, "month": october}
