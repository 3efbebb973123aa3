"""Factories of the members app."""

import datetime
import zlib
from decimal import Decimal

import factory

from members.choices import (
    EducationKind,
    Gender,
    MembershipState,
    MemberType,
    OrganisationKind,
    Qualification,
)
from members.models import (
    ContinuingEducation,
    Dues,
    DuesStandard,
    Membership,
    Organisation,
    OrganisationAdmin,
    Representative,
    SocialWorker,
)
from members.validators import credit_code_check_char, id_check_char
from tests.factories import RegionFactory, UserFactory


def township(name="测试街道", county="魏都区"):
    """A township under a county under 许昌市 (regions need their parents)."""
    from association.regions.choices import Kind, Level

    city = RegionFactory(code="411000000000", name="许昌市", level=Level.CITY, kind=Kind.CITY)
    county_region = RegionFactory(
        code=f"4110{zlib.crc32(county.encode()) % 100:02d}000000",
        name=county,
        level=Level.COUNTY,
        kind=Kind.DISTRICT,
        parent=city,
    )
    return RegionFactory(name=name, parent=county_region)


def credit_code(n: int) -> str:
    first17 = f"52411000{n:09d}"
    return first17 + credit_code_check_char(first17)


def id_number(n: int, birth: str = "19900101") -> str:
    first17 = f"411002{birth}{n % 1000:03d}"
    return first17 + id_check_char(first17)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"许昌市测试社会工作服务中心{n}")
    credit_code = factory.Sequence(lambda n: credit_code(n + 1))
    kind = OrganisationKind.SOCIAL_WORK_AGENCY
    legal_representative = "王测试"
    region = factory.LazyFunction(township)
    address = "许昌市魏都区测试路1号"
    contact_name = "李联系"
    contact_phone = "0374-1234567"


class OrganisationAdminFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganisationAdmin

    organisation = factory.SubFactory(OrganisationFactory)
    user = factory.SubFactory(UserFactory)


class SocialWorkerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SocialWorker

    name = factory.Sequence(lambda n: f"社工{n}")
    gender = Gender.FEMALE
    id_number = factory.Sequence(lambda n: id_number(n, birth=f"19{80 + n // 1000 % 20:02d}0101"))
    mobile = "13800138000"
    qualification = Qualification.SOCIAL_WORKER
    certificate_number = factory.Sequence(lambda n: f"ZS{n:08d}")
    certificate_date = datetime.date(2020, 6, 1)
    registered_on = datetime.date(2020, 9, 1)


class MembershipFactory(factory.django.DjangoModelFactory):
    """An admitted unit membership by default; pass ``person=`` for an individual one."""

    class Meta:
        model = Membership

    member_type = factory.LazyAttribute(
        lambda o: MemberType.INDIVIDUAL if o.person else MemberType.UNIT
    )
    organisation = factory.LazyAttribute(lambda o: None if o.person else OrganisationFactory())
    person = None
    state = MembershipState.APPROVED
    applied_on = datetime.date(2024, 1, 10)
    member_since = datetime.date(2024, 2, 1)
    decided_on = datetime.date(2024, 2, 1)
    decision_basis = "第二届理事会第三次会议决议"
    number = factory.Sequence(lambda n: f"XCSW-T-{n:04d}")
    verification_code = factory.Sequence(lambda n: f"code{n:08d}")


class DuesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Dues

    membership = factory.SubFactory(MembershipFactory)
    year = 2024
    amount = Decimal("500.00")
    due_on = factory.LazyAttribute(lambda o: datetime.date(o.year, 3, 31))
    paid_on = None
    receipt_number = None


class DuesStandardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DuesStandard
        django_get_or_create = ["member_type", "effective_from"]

    member_type = MemberType.UNIT
    amount = Decimal("1000.00")
    effective_from = datetime.date(2020, 1, 1)
    resolution = "第二届会员代表大会第一次会议决议（许社协〔2020〕1号）"
    # Every standard is set by a passed motion of the general meeting (a DB constraint).
    motion_ref = factory.LazyFunction(lambda: _dues_motion().pk)
    adopted_on = factory.LazyAttribute(lambda o: o.effective_from)


def _dues_motion():
    from tests.governance.factories import decided_motion

    return decided_motion()


class EducationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContinuingEducation

    worker = factory.SubFactory(SocialWorkerFactory)
    date = datetime.date(2021, 5, 1)
    hours = Decimal("8.0")
    kind = EducationKind.TRAINING
    title = "社会工作伦理培训"
    provider = "许昌市社会工作行业协会"


class RepresentativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Representative

    membership = factory.SubFactory(MembershipFactory)
    name = factory.Sequence(lambda n: f"代表{n}")
    mobile = factory.Sequence(lambda n: f"139{n:08d}")
    designated_on = datetime.date(2025, 1, 1)
    designated_by = factory.SubFactory(UserFactory)


def bulk_memberships(n: int, *, today: datetime.date, seed: int = 0) -> list:
    """``n`` admitted individual memberships with random dues histories, inserted in bulk
    (for tests and measurements at a few thousand rows). Returns the memberships."""
    import random

    rnd = random.Random(seed)
    start = SocialWorker.objects.count()
    workers = []
    for i in range(start, start + n):
        birth = datetime.date(1970, 1, 1) + datetime.timedelta(days=i // 1000)
        worker = SocialWorker(
            name=f"社工{i}", gender=Gender.FEMALE, qualification=Qualification.NONE
        )
        worker.set_id_number(id_number(i, birth=birth.strftime("%Y%m%d")))
        worker.sync_derived()
        workers.append(worker)
    workers = SocialWorker.objects.bulk_create(workers)
    memberships = []
    for i, worker in enumerate(workers, start):
        since = today - datetime.timedelta(days=rnd.randint(0, 6 * 365))
        state = MembershipState.SUSPENDED if rnd.random() < 0.05 else MembershipState.APPROVED
        memberships.append(
            Membership(
                member_type=MemberType.INDIVIDUAL,
                person=worker,
                state=state,
                applied_on=since,
                decided_on=since,
                member_since=since,
                number=f"XCSW-B-{i:06d}",
                verification_code=f"bulk{i:08d}",
            )
        )
    memberships = Membership.objects.bulk_create(memberships)
    dues = []
    for membership in memberships:
        for year in range(membership.member_since.year, today.year + 1):
            if year == today.year and rnd.random() < 0.3:
                continue  # not billed yet
            due_on = max(datetime.date(year, 3, 31), membership.member_since)
            paid = rnd.random() < 0.8
            paid_on = due_on + datetime.timedelta(days=rnd.randint(-60, 200)) if paid else None
            dues.append(
                Dues(
                    membership=membership,
                    year=year,
                    amount=Decimal("100.00"),
                    due_on=due_on,
                    paid_on=paid_on,
                    receipt_number=f"B{membership.pk}-{year}" if paid else None,
                )
            )
    Dues.objects.bulk_create(dues)
    return memberships
