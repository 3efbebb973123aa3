"""The demo data: 106 stations with realistic reporting, idempotent."""

import pytest
from django.apps import apps
from django.core.management import call_command

from stations.choices import ReportStatus
from stations.models import Assessment, BuildTarget, ServiceReport, StaffAssignment, Station
from stations.selectors import reporting_rates

REGIONS = "association/regions/data/"


@pytest.mark.django_db
def test_it_seeds_106_stations_with_staff_and_two_years_of_reports():
    from association.accounts import demo as accounts_demo
    from members import demo as members_demo
    from stations import demo

    call_command("load_regions", REGIONS + "xuchang_townships.csv", verbosity=0)
    call_command(
        "load_regions", REGIONS + "xuchang_functional_zones.csv", source="手工添加", verbosity=0
    )
    accounts_demo.seed()
    members_demo.seed()
    demo.seed()
    # Issue 12: every change the demo made says so in the history.
    for model in apps.get_app_config("stations").get_models():
        if hasattr(model, "pgh_event_model"):
            events = model.pgh_event_model.objects.all()
            assert not events.filter(pgh_context__isnull=True).exists(), model
            actions = set(events.values_list("pgh_context__metadata__action", flat=True))
            assert actions <= {"seed_demo"}, (model, actions)
    assert Station.objects.filter(closed_on__isnull=True).count() == 106
    assert Station.objects.filter(closed_on__isnull=False).count() == 1
    assert StaffAssignment.objects.count() > 200
    months = ServiceReport.objects.dates("month", "month")
    assert len(months) >= 24
    statuses = set(ServiceReport.objects.values_list("status", flat=True))
    assert {ReportStatus.APPROVED, ReportStatus.RETURNED} <= statuses
    assert BuildTarget.objects.values("year").distinct().count() == 3
    assert Assessment.objects.values("round__year").distinct().count() == 2
    station_worker = Station.objects.filter(
        assignments__worker__user__email="station@demo.xcsw.org.cn"
    )
    assert station_worker.count() == 1
    for month in list(months)[:-1]:
        rates = reporting_rates(month)
        assert rates.received <= rates.expected
        assert 80 <= rates.rate <= 100
    count = ServiceReport.objects.count()
    demo.seed()  # idempotent
    assert ServiceReport.objects.count() == count
