"""Factories of the stations app."""

from __future__ import annotations

import datetime
import itertools

import factory

from stations.choices import StaffRole, StationStatus
from stations.models import (
    ServiceArea,
    ServiceReport,
    ServiceReportLine,
    StaffAssignment,
    Station,
    StationStatusChange,
    WorkKind,
)
from tests.members.factories import OrganisationFactory, SocialWorkerFactory, township

_names = itertools.count(1)


def city():
    """许昌市 itself (organisations sit there, so they add no township to count)."""
    from association.regions.choices import Kind, Level
    from tests.factories import RegionFactory

    return RegionFactory(code="411000000000", name="许昌市", level=Level.CITY, kind=Kind.CITY)


class StationFactory(factory.django.DjangoModelFactory):
    """A station; pass ``history=[(date, status), ...]`` (default: operating since 2021-01-01)."""

    class Meta:
        model = Station
        skip_postgeneration_save = True

    region = factory.LazyFunction(lambda: township(name=f"测试镇{next(_names)}"))
    name = factory.LazyAttribute(lambda o: f"{o.region.name}社工站")
    operator = factory.SubFactory(OrganisationFactory, region=factory.LazyFunction(city))
    address = "测试路1号"
    contact_name = "站长"
    contact_phone = "0374-0000000"

    @factory.post_generation
    def history(self, create, extracted, **kwargs):
        if not create:
            return
        changes = extracted or [(datetime.date(2021, 1, 1), StationStatus.OPERATING)]
        for day, status in changes:
            StationStatusChange.objects.create(station=self, effective_on=day, status=status)
        last_day, last_status = changes[-1]
        self.current_status = last_status
        self.closed_on = last_day if last_status == StationStatus.CLOSED else None
        self.save(update_fields=["current_status", "closed_on"])


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffAssignment

    station = factory.SubFactory(StationFactory)
    worker = factory.SubFactory(SocialWorkerFactory)
    role = StaffRole.RESIDENT
    starts_on = datetime.date(2021, 1, 1)


class ReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceReport

    station = factory.SubFactory(StationFactory)
    month = datetime.date(2024, 3, 1)
    narrative = "本月开展走访和社区活动，服务困难群众。"


def fill(report: ServiceReport, activities: int = 3, person_times: int = 30) -> ServiceReport:
    """Give a report one line in the first area × first kind, and its totals."""
    area, kind = ServiceArea.objects.first(), WorkKind.objects.first()
    ServiceReportLine.objects.update_or_create(
        report=report,
        area=area,
        kind=kind,
        defaults={"activities": activities, "person_times": person_times},
    )
    report.total_activities = activities
    report.total_person_times = person_times
    report.save(update_fields=["total_activities", "total_person_times"])
    return report
