"""Factories of the projects app."""

import datetime
from decimal import Decimal

import factory
from django.core.files.base import ContentFile
from django.utils import timezone

from projects.choices import (
    ActivityKind,
    ApplicationStatus,
    Degree,
    ExpertDomain,
    Gender,
    ReferralService,
    ReferringBody,
    ServiceDomain,
)
from projects.models import (
    Application,
    Expert,
    PracticeBase,
    Preference,
    Programme,
    Project,
    RecruitmentRound,
    Referral,
    RoundQuota,
    ServiceActivity,
    TeamMember,
    TrainingSession,
)
from tests.factories import RegionFactory, UserFactory

PDF = b"%PDF-1.4\n%test\n"


def today():
    return timezone.localdate()


def county(name="魏都区", code="411002"):
    from association.regions.choices import Kind, Level

    city = RegionFactory(code="411000", name="许昌市", level=Level.CITY, kind=Kind.CITY)
    return RegionFactory(code=code, name=name, level=Level.COUNTY, kind=Kind.DISTRICT, parent=city)


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme
        django_get_or_create = ["code"]

    name = "毕业季社工计划"
    code = factory.Sequence(lambda n: f"bys{n}")
    budget = Decimal("600000.00")
    start_date = factory.LazyFunction(lambda: today() - datetime.timedelta(days=200))


class RoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RecruitmentRound

    programme = factory.SubFactory(ProgrammeFactory)
    number = factory.Sequence(lambda n: n + 1)
    name = factory.LazyAttribute(lambda o: f"第{o.number}批")
    opens_on = factory.LazyFunction(lambda: today() - datetime.timedelta(days=10))
    closes_on = factory.LazyFunction(lambda: today() + datetime.timedelta(days=10))


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    programme = factory.SubFactory(ProgrammeFactory)
    name = factory.Sequence(lambda n: f"幸福颐养项目{n}")
    domain = ServiceDomain.ELDERLY
    host_community = "测试社区"
    start_date = factory.LazyFunction(lambda: today() - datetime.timedelta(days=100))
    end_date = factory.LazyFunction(lambda: today() + datetime.timedelta(days=265))
    budget = Decimal("50000.00")


class QuotaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoundQuota

    round = factory.SubFactory(RoundFactory)
    project = factory.SubFactory(
        ProjectFactory, programme=factory.SelfAttribute("..round.programme")
    )
    seats = 3


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application
        skip_postgeneration_save = True

    round = factory.SubFactory(RoundFactory)
    applicant = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"毕业生{n}")
    gender = Gender.FEMALE
    mobile = "13800138000"
    university = "许昌学院"
    major = "社会工作"
    degree = Degree.BACHELOR
    graduation_year = factory.LazyFunction(lambda: today().year)
    resume = factory.LazyFunction(lambda: ContentFile(PDF, name="resume.pdf"))
    status = ApplicationStatus.SUBMITTED

    @factory.post_generation
    def wants(self, create, extracted, **kwargs):
        for rank, project in enumerate(extracted or [], start=1):
            Preference.objects.create(application=self, project=project, rank=rank)


class TeamMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TeamMember

    project = factory.SubFactory(ProjectFactory)
    user = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"成员{n}")
    role = "member"
    joined_on = factory.LazyFunction(today)


class TrainingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingSession

    programme = factory.SubFactory(ProgrammeFactory)
    title = "社会工作伦理与实务"
    date = factory.LazyFunction(lambda: today() - datetime.timedelta(days=1))
    hours = Decimal("6.0")


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceActivity

    project = factory.SubFactory(ProjectFactory)
    date = factory.LazyFunction(lambda: today() - datetime.timedelta(days=3))
    kind = ActivityKind.THEMED
    title = factory.Sequence(lambda n: f"独居老人主题活动{n}")
    target_group = "独居老人"
    beneficiaries = 40
    person_times = 180
    recorded_by = factory.SubFactory(UserFactory)


class PracticeBaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PracticeBase

    name = factory.Sequence(lambda n: f"社会工作实习实践基地{n}")
    university = "重庆大学"
    host_community = "测试社区"
    capacity = 2
    agreement_starts_on = factory.LazyFunction(lambda: today() - datetime.timedelta(days=100))
    agreement_ends_on = factory.LazyFunction(lambda: today() + datetime.timedelta(days=700))


class ExpertFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Expert

    user = factory.SubFactory(UserFactory, roles=["专家"])
    name = factory.Sequence(lambda n: f"专家{n}")
    domain = ExpertDomain.SOCIAL_CARE
    county = factory.LazyFunction(county)
    max_load = 3


class ReferralFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Referral

    reference = factory.Sequence(lambda n: f"ZJ2026-T{n:04d}")
    referring_body = ReferringBody.COURT
    body_name = "许昌市中级人民法院"
    case_number = factory.Sequence(lambda n: f"（2026）豫10刑初{n}号")
    received_on = factory.LazyFunction(lambda: today() - datetime.timedelta(days=5))
    deadline = factory.LazyFunction(lambda: today() + datetime.timedelta(days=25))
    services = factory.LazyFunction(
        lambda: [ReferralService.INVESTIGATION, ReferralService.COUNSELLING]
    )
    commission_letter = factory.LazyFunction(lambda: ContentFile(PDF, name="letter.pdf"))
    county = factory.LazyFunction(county)
    designated_officer = factory.SubFactory(UserFactory, roles=["协会负责人"], is_staff=True)
    minor_name = "王小明"
    minor_gender = "male"
    minor_birth_date = "2010-05-01"
    minor_id_number = "411002201005010011"
    minor_school = "许昌市虚构第九中学"
    minor_address = "许昌市魏都区虚构路88号"
    guardian_name = "王大山"
    guardian_relation = "父亲"
    guardian_phone = "13912345678"
    created_by = factory.SelfAttribute("designated_officer")
