"""Sweep cases of the stations portal: a station worker of A never sees B, operators
see only their stations, officials only the dashboard's aggregates."""

from __future__ import annotations

import datetime

from django.core.files.base import ContentFile

from stations.choices import AssessmentStatus, Grade
from stations.models import (
    Assessment,
    AssessmentIndicator,
    AssessmentRound,
    ReportPhoto,
    StaffAssignment,
)
from tests.members.factories import OrganisationAdminFactory, OrganisationFactory, township
from tests.sweep import EVERYONE, Case

from .factories import ReportFactory, StationFactory, city

STAFF = {"staff", "officer"}
OF_A = STAFF | {"org_admin_a", "station_worker"}
WRITERS_A = {"org_admin_a", "station_worker"}


def stations(cast):
    """Station A (run by org A, worker assigned) and station B (run by org B)."""
    from tests.members.factories import SocialWorkerFactory

    org_a = OrganisationFactory(name="甲机构", region=city())
    OrganisationAdminFactory(organisation=org_a, user=cast.org_admin_a)
    org_b = OrganisationFactory(name="乙机构", region=city())
    OrganisationAdminFactory(organisation=org_b, user=cast.org_admin_b)
    a = StationFactory(operator=org_a, region=township("甲镇"))
    b = StationFactory(operator=org_b, region=township("乙镇", "禹州市"))
    StaffAssignment.objects.create(
        station=a,
        worker=SocialWorkerFactory(user=cast.station_worker),
        role="head",
        starts_on=datetime.date(2021, 1, 1),
    )
    return a, b


def station_a(cast):
    return {"pk": stations(cast)[0].pk}


def report_a(cast):
    a, _b = stations(cast)
    month = (datetime.date.today().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    return {"pk": ReportFactory(station=a, month=month).pk}


def submitted_report_a(cast):
    a, _b = stations(cast)
    month = (datetime.date.today().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    return {"pk": ReportFactory(station=a, month=month, status="submitted").pk}


def locked_report_a(cast):
    a, _b = stations(cast)
    return {"pk": ReportFactory(station=a, month=datetime.date(2022, 1, 1)).pk}


def photo_a(cast):
    report = ReportFactory(station=stations(cast)[0])
    photo = ReportPhoto(report=report, caption="活动")
    photo.image.save("a.png", ContentFile(b"\x89PNG\r\n\x1a\n0000"), save=True)
    return {"pk": photo.pk}


def assessment_a(cast):
    a, _b = stations(cast)
    round_ = AssessmentRound.objects.create(year=2024, title="2024年度考核")
    assessment = Assessment.objects.create(
        round=round_, station=a, status=AssessmentStatus.PUBLISHED, total=88, grade=Grade.GOOD
    )
    return {"pk": assessment.pk}


def score_a(cast):
    a, _b = stations(cast)
    round_ = AssessmentRound.objects.create(year=2024, title="2024年度考核")
    AssessmentIndicator.objects.create(round=round_, name="服务成效", weight=100)
    return {"round_pk": round_.pk, "pk": a.pk}


def with_stations(cast):
    stations(cast)
    return {}


def with_county_official(cast):
    """The official is limited to 禹州市 (station B's county) on their account: the
    dashboard of 魏都区 (station A's county) is not theirs."""
    from association.accounts.services import user_set_region

    _a, b = stations(cast)
    user_set_region(user=cast.official, region=b.region.parent, by=cast.staff)
    return {}


CASES = {
    "stations:station_list": Case(make=with_stations, allowed=OF_A | {"org_admin_b"}),
    # The official is limited to 禹州市 on their account and opens that county's figures;
    # another county's (?region=) is 404 for them: tests/regions/test_area.py.
    "stations:dashboard": Case(make=with_county_official, allowed=STAFF | {"official"}),
    "stations:review_list": Case(make=with_stations, allowed=STAFF),
    "stations:station_detail": Case(make=station_a, allowed=OF_A),
    "stations:station_reports": Case(make=station_a, allowed=OF_A),
    "stations:report_start": Case(
        make=station_a, allowed=WRITERS_A, method="post", data={"month": "2024-01"}
    ),
    "stations:report_detail": Case(make=report_a, allowed=OF_A),
    "stations:report_edit": Case(make=report_a, allowed=WRITERS_A),
    # Without a JSON body the writers get 400 (after the permission check), the others 403/404.
    "stations:report_sync": Case(make=report_a, allowed=WRITERS_A, method="post", ok=(400,)),
    "stations:service_worker": Case(allowed=EVERYONE),
    "stations:report_submit": Case(make=report_a, allowed=WRITERS_A, method="post"),
    "stations:report_review": Case(
        make=submitted_report_a, allowed=STAFF, method="post", data={"decision": "approve"}
    ),
    "stations:report_unlock": Case(
        make=locked_report_a, allowed=STAFF, method="post", data={"reason": "补报"}
    ),
    "stations:report_photo_add": Case(make=report_a, allowed=WRITERS_A, method="post"),
    "stations:report_photo": Case(make=photo_a, allowed=OF_A),
    "stations:bulk_upload": Case(make=with_stations, allowed={"org_admin_a", "org_admin_b"}),
    "stations:bulk_template": Case(make=with_stations, allowed={"org_admin_a", "org_admin_b"}),
    "stations:assessment_detail": Case(make=assessment_a, allowed=OF_A),
    "stations:assessment_score": Case(make=score_a, allowed=STAFF),
}

# Reporting completeness: figures and station names, read-only, for staff and officials.
CASES["stations:completeness"] = Case(make=with_stations, allowed=STAFF | {"official"})
CASES["stations:completeness_station"] = Case(make=station_a, allowed=STAFF | {"official"})
