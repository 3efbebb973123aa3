"""Factories of the reports app."""

import datetime

import factory
from django.utils import timezone

from association.reports.choices import RunStatus
from association.reports.models import ReportRun
from tests.factories import UserFactory


class RunFactory(factory.django.DjangoModelFactory):
    """A finished run of the coverage report with a small file."""

    class Meta:
        model = ReportRun

    class Params:
        with_file = True

    report = "station-coverage"
    title = "社工站覆盖与人员配备（按区县）"
    format = "xlsx"
    parameters = factory.LazyFunction(lambda: {"on": "2025-11-15", "townships": ""})
    requested_by = factory.SubFactory(UserFactory)
    status = RunStatus.DONE
    progress = 100
    file = factory.Maybe(
        factory.LazyAttribute(lambda o: o.with_file and o.status == RunStatus.DONE),
        factory.django.FileField(data=b"PK\x03\x04 test", filename="report.xlsx"),
        "",
    )
    expires_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=30))
