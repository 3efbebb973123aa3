"""The workers by county and qualification, and the certified workers by the year of their
certificate, kept by the database (members.models.register), equal the counts over the
workers after each kind of change: workers added in bulk and one by one, their
qualification, certificate date, employer and region changed, workers removed, an
organisation moved to another region or removed, a township moved to another county and a
region's level changed."""

from __future__ import annotations

import datetime
import importlib
from collections import Counter

import pytest
from django.db import connection
from django.db.models import Count
from django.db.models.functions import ExtractYear

from association.regions.choices import Kind, Level
from association.regions.models import Region
from members.choices import Qualification
from members.models import CertificateCount, Organisation, RegisterCount, SocialWorker
from members.models.register import RECOUNT, RECOUNT_CERTIFIED
from members.selectors import _county_expression, _register_counts
from tests.factories import RegionFactory

from .factories import OrganisationFactory, SocialWorkerFactory, bulk_memberships

pytestmark = pytest.mark.django_db


def _counted():
    """The count over the workers, as the overview took it before it was kept."""
    return Counter(
        {
            (row["county"], row["qualification"]): row["n"]
            for row in SocialWorker.objects.annotate(
                county=_county_expression("employer__region", "region")
            )
            .values("county", "qualification")
            .annotate(n=Count("id"))
            .order_by()
        }
    )


def _certified():
    """The certified workers by the year of their certificate, counted over the workers."""
    return dict(
        SocialWorker.objects.exclude(qualification=Qualification.NONE)
        .filter(certificate_date__isnull=False)
        .values_list(ExtractYear("certificate_date"))
        .annotate(n=Count("id"))
        .order_by()
    )


def _kept():
    workers, _organisations, years = _register_counts()
    return Counter({(county, qualification): n for county, qualification, n in workers}), dict(
        years
    )


def _counted_both():
    return _counted(), _certified()


@pytest.fixture
def areas():
    city = RegionFactory(code="411000000000", name="许昌市", level=Level.CITY, kind=Kind.CITY)
    east = RegionFactory(code="411001000000", name="东区", level=Level.COUNTY, parent=city)
    west = RegionFactory(code="411002000000", name="西区", level=Level.COUNTY, parent=city)
    town_east = RegionFactory(code="411001001000", name="东街道", parent=east)
    town_west = RegionFactory(code="411002001000", name="西街道", parent=west)
    return city, east, west, town_east, town_west


def test_the_kept_count_follows_every_change_to_workers_organisations_and_regions(areas):
    city, east, west, town_east, town_west = areas
    in_town = OrganisationFactory(region=town_east)
    in_county = OrganisationFactory(region=west)
    in_city = OrganisationFactory(region=city)  # no county: the worker's own region counts
    workers = [
        SocialWorkerFactory(employer=employer, region=region, qualification=qualification)
        for employer in (in_town, in_county, in_city, None)
        for region in (town_east, town_west, east, city, None)
        for qualification in (Qualification.NONE, Qualification.ASSISTANT)
    ]
    bulk_memberships(30, today=workers[0].created_at.date())  # workers inserted in bulk
    steps = [
        lambda: SocialWorker.objects.filter(pk=workers[0].pk).update(
            qualification=Qualification.SENIOR
        ),
        lambda: SocialWorker.objects.filter(pk=workers[1].pk).update(employer=in_county),
        lambda: SocialWorker.objects.filter(employer=in_city).update(region=town_west),
        lambda: SocialWorker.objects.filter(pk=workers[2].pk).update(employer=None, region=None),
        lambda: SocialWorker.objects.filter(pk=workers[3].pk).update(mobile="13800000000"),
        lambda: workers[4].delete(),
        lambda: Organisation.objects.filter(pk=in_town.pk).update(region=west),
        lambda: Organisation.objects.filter(pk__in=[in_county.pk, in_city.pk]).update(
            region=town_east
        ),
        lambda: in_city.delete(),  # its staff lose their employer (SET_NULL) first
        lambda: Region.objects.filter(pk=town_east.pk).update(parent=west),
        lambda: Region.objects.filter(pk=town_west.pk).update(level=Level.COUNTY),
        lambda: Region.objects.filter(pk=east.pk).update(name="东区（新）"),
        lambda: SocialWorker.objects.filter(pk=workers[5].pk).update(
            certificate_date=datetime.date(2016, 3, 1)
        ),
        lambda: SocialWorker.objects.filter(qualification=Qualification.ASSISTANT).update(
            certificate_date=datetime.date(2024, 9, 1)
        ),
        lambda: SocialWorker.objects.filter(pk=workers[7].pk).update(
            qualification=Qualification.NONE
        ),
    ]
    assert _kept() == _counted_both()
    for number, step in enumerate(steps):
        step()
        assert _kept() == _counted_both(), number
    assert _certified()  # the steps leave certified workers to count
    assert not RegisterCount.objects.filter(workers__lt=0).exists()
    assert not CertificateCount.objects.filter(workers__lt=0).exists()


@pytest.mark.django_db(transaction=True)
def test_emptying_the_workers_empties_the_count(areas):
    SocialWorkerFactory(region=areas[3])
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE members_socialworker CASCADE")
    assert _kept() == (Counter(), {})
    assert not RegisterCount.objects.filter(workers__gt=0).exists()
    assert not CertificateCount.objects.filter(workers__gt=0).exists()


def test_the_regions_trigger_counts_as_the_workers_triggers_do():
    """The regions' trigger (migration 0013, on a table of another app) counts every worker
    again with the statement the model's triggers are built from: the two stay in step."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT prosrc FROM pg_proc WHERE proname = 'members_registercount_regions'")
        (source,) = cursor.fetchone()
    assert " ".join(RECOUNT.split()) in " ".join(source.split())


def test_the_migration_counts_the_certificates_as_the_triggers_do():
    """Migration 0014 counted the certified workers with a frozen copy of the statement the
    triggers are built from: the two stay in step."""
    migration = importlib.import_module("members.migrations.0014_certificates_kept")
    assert migration.RECOUNT_CERTIFIED == RECOUNT_CERTIFIED
