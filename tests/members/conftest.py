import datetime
from decimal import Decimal

import pytest

from members.choices import MemberType

from .factories import (
    DuesStandardFactory,
    MembershipFactory,
    OrganisationAdminFactory,
    OrganisationFactory,
)


@pytest.fixture
def standards(db):
    return {
        MemberType.UNIT: DuesStandardFactory(
            member_type=MemberType.UNIT,
            amount=Decimal("1000.00"),
            effective_from=datetime.date(2020, 1, 1),
        ),
        MemberType.INDIVIDUAL: DuesStandardFactory(
            member_type=MemberType.INDIVIDUAL,
            amount=Decimal("100.00"),
            effective_from=datetime.date(2020, 1, 1),
        ),
    }


@pytest.fixture
def org_a(cast):
    """Organisation A, administered by ``cast.org_admin_a``, an admitted unit member."""
    organisation = OrganisationFactory(name="许昌市甲社会工作服务中心")
    OrganisationAdminFactory(organisation=organisation, user=cast.org_admin_a)
    MembershipFactory(organisation=organisation, number="XCSW-D-0901")
    return organisation


@pytest.fixture
def org_b(cast):
    organisation = OrganisationFactory(name="许昌市乙社会工作服务中心")
    OrganisationAdminFactory(organisation=organisation, user=cast.org_admin_b)
    MembershipFactory(organisation=organisation, number="XCSW-D-0902")
    return organisation


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private")},
        },
    }
