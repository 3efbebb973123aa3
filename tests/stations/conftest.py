import pytest

from stations.models import CountyReviewer
from tests.members.factories import OrganisationAdminFactory, OrganisationFactory

from .factories import AssignmentFactory, StationFactory, city


@pytest.fixture
def station_a(cast):
    """Station A: run by organisation A (admin ``cast.org_admin_a``), with
    ``cast.station_worker`` assigned to it."""
    operator = OrganisationFactory(name="许昌市甲社会工作服务中心", region=city())
    OrganisationAdminFactory(organisation=operator, user=cast.org_admin_a)
    station = StationFactory(operator=operator, name="甲镇社工站")
    AssignmentFactory(station=station, worker__user=cast.station_worker, role="head")
    return station


@pytest.fixture
def station_b(cast):
    """Station B: run by organisation B (admin ``cast.org_admin_b``), in another county."""
    from tests.members.factories import township

    operator = OrganisationFactory(name="许昌市乙社会工作服务中心", region=city())
    OrganisationAdminFactory(organisation=operator, user=cast.org_admin_b)
    return StationFactory(
        operator=operator, name="乙镇社工站", region=township(name="乙镇", county="禹州市")
    )


@pytest.fixture
def county_reviewer(station_a):
    from tests.factories import UserFactory

    user = UserFactory(email="reviewer@example.org")
    CountyReviewer.objects.create(county=station_a.region.parent, user=user)
    return user
