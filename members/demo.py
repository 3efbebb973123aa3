"""Demo data: 23 member organisations and ~520 social workers of 许昌，with memberships,
dues and continuing education; certified workers grow from 100+ in 2020 to 500+.

Fictional people: ID numbers and credit codes are made up but carry valid check digits.
Idempotent (skips when the demo organisations exist) and deterministic (fixed seed).
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.utils import timezone

from association.accounts.choices import Role
from association.regions.models import Region

from .choices import (
    EducationKind,
    Gender,
    MembershipState,
    MemberType,
    OrganisationKind,
    Qualification,
)
from .models import (
    ContinuingEducation,
    Dues,
    DuesStandard,
    Membership,
    NumberSequence,
    Organisation,
    OrganisationAdmin,
    Representative,
    SocialWorker,
)
from .rules import Rules
from .validators import credit_code_check_char, id_check_char

SEED = 20260101
ORG_NAMES = [
    "许昌市阳光社会工作服务中心",
    "许昌市同心社会工作服务中心",
    "许昌市春晖社会工作服务中心",
    "许昌市魏都区启航社会工作服务中心",
    "许昌市建安区和美社会工作服务中心",
    "禹州市钧都社会工作服务中心",
    "长葛市葛天社会工作服务中心",
    "鄢陵县花都社会工作服务中心",
    "襄城县汝河社会工作服务中心",
    "许昌市善德社会工作服务中心",
    "许昌市博爱社会工作服务中心",
    "许昌市馨家园社会工作服务中心",
    "许昌市乐龄社会工作服务中心",
    "许昌市青禾青少年社会工作服务中心",
    "许昌市仁和医务社会工作服务中心",
    "禹州市颍川社会工作服务中心",
    "长葛市众益社会工作服务中心",
    "鄢陵县睦邻社会工作服务中心",
    "襄城县首山社会工作服务中心",
    "许昌市明德社会工作服务中心",
    "许昌市社区发展促进会",
    "许昌市康复辅助中心",
    "许昌市志愿服务联合会",
]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段漕钱汤尹黎易常武乔贺赖龚文"  # noqa: E501
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍鹏辉俊红燕晶建文宁琳欣悦晨浩宇子涵雨轩思佳梦瑶"  # noqa: E501
# Cumulative certified social workers at the end of each year.
CERTIFIED_BY_YEAR = {2020: 112, 2021: 186, 2022: 263, 2023: 341, 2024: 428, 2025: 507}
PROVIDERS = ["许昌市社会工作行业协会", "许昌市民政局", "河南省社会工作协会", "许昌学院社会工作系"]
CE_TITLES = [
    "社会工作伦理与实务",
    "儿童保护个案管理",
    "老年社会工作",
    "社区治理与社工站建设",
    "危机干预",
    "督导能力提升",
    "项目设计与评估",
    "心理健康与社会支持",
]


def _credit_code(rng, area: str) -> str:
    first17 = "52" + area + "MJ" + "".join(rng.choice("0123456789") for _ in range(7))
    return first17 + credit_code_check_char(first17)


def _id_number(rng, area: str, used: set) -> str:
    while True:
        birth = datetime.date(1965, 1, 1) + datetime.timedelta(days=rng.randrange(0, 35 * 365))
        first17 = f"{area}{birth:%Y%m%d}{rng.randrange(0, 1000):03d}"
        number = first17 + id_check_char(first17)
        if number not in used:
            used.add(number)
            return number


def _council_decision(day: datetime.date) -> str:
    term = "一" if day.year < 2024 else "二"
    return f"第{term}届理事会{day.year}年第{day.month // 4 + 1}次会议决议"


def _say(stdout, text):
    if stdout is not None:
        stdout.write(text)


def seed(stdout=None):
    from association.accounts.models import User

    if Organisation.objects.filter(name=ORG_NAMES[0]).exists():
        _say(stdout, "会员演示数据已存在，跳过 / members demo data exists")
        return
    townships = list(Region.objects.townships().select_related("parent").order_by("code"))
    if not townships:
        _say(stdout, "没有区划数据，跳过会员演示数据（先运行 load_regions）")
        return
    rng = random.Random(SEED)
    today = timezone.localdate()
    rules = Rules.from_settings()
    for member_type, amounts in (
        (MemberType.UNIT, ("800.00", "1000.00")),
        (MemberType.INDIVIDUAL, ("100.00", "120.00")),
    ):
        DuesStandard.objects.get_or_create(
            member_type=member_type,
            effective_from=datetime.date(2019, 1, 1),
            defaults={
                "amount": Decimal(amounts[0]),
                "resolution": "第一届会员代表大会第三次会议决议（许社协〔2018〕12号）",
            },
        )
        DuesStandard.objects.get_or_create(
            member_type=member_type,
            effective_from=datetime.date(2024, 1, 1),
            defaults={
                "amount": Decimal(amounts[1]),
                "resolution": "第二届会员代表大会第二次会议决议（许社协〔2023〕9号）",
            },
        )

    # Organisations.
    organisations = []
    kinds = [OrganisationKind.SOCIAL_WORK_AGENCY] * 20 + [
        OrganisationKind.OTHER_SOCIAL_ORG,
        OrganisationKind.PUBLIC_INSTITUTION,
        OrganisationKind.OTHER_SOCIAL_ORG,
    ]
    for i, name in enumerate(ORG_NAMES):
        region = rng.choice(townships)
        legal = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)
        organisations.append(
            Organisation(
                name=name,
                credit_code=_credit_code(rng, region.code[:6]),
                kind=kinds[i],
                legal_representative=legal,
                registration_authority="许昌市民政局",
                registered_on=datetime.date(2012 + i % 12, 1 + i % 12, 1 + i),
                registered_capital=Decimal(rng.choice([3, 5, 10, 20])),
                business_scope="社会工作专业服务；社区服务；社会工作培训与督导；政府购买服务项目承接。",
                region=region,
                address=f"{region.name}{rng.randrange(1, 300)}号",
                contact_name=legal,
                contact_phone=f"0374-{rng.randrange(2000000, 8999999)}",
            )
        )
    organisations = Organisation.objects.bulk_create(organisations)

    # Social workers: certificate dates so that the cumulative count follows CERTIFIED_BY_YEAR.
    used: set = set()
    workers = []
    previous = 0
    cert_years = []
    for year, total in CERTIFIED_BY_YEAR.items():
        count = total - previous
        start = 2012 if year == 2020 else year
        cert_years += [rng.randrange(start, year + 1) for _ in range(count)]
        previous = total
    cert_years += [None] * 13  # practitioners without a qualification yet
    for n, cert_year in enumerate(cert_years):
        region = rng.choice(townships)
        employer = rng.choice(organisations) if rng.random() < 0.85 else None
        if cert_year is None:
            qualification = Qualification.NONE
        else:
            roll = rng.random()
            qualification = (
                Qualification.ASSISTANT
                if roll < 0.68
                else Qualification.SOCIAL_WORKER
                if roll < 0.97
                else Qualification.SENIOR
            )
        cert_date = (
            datetime.date(cert_year, 6, 1) + datetime.timedelta(days=rng.randrange(0, 180))
            if cert_year
            else None
        )
        registered = (
            cert_date + datetime.timedelta(days=rng.randrange(20, 300)) if cert_date else None
        )
        if registered and registered > today:
            registered = today
        worker = SocialWorker(
            name=rng.choice(SURNAMES)
            + rng.choice(GIVEN)
            + (rng.choice(GIVEN) if rng.random() < 0.6 else ""),
            gender=rng.choice([Gender.FEMALE, Gender.FEMALE, Gender.MALE]),
            mobile=f"1{rng.choice('3579')}{rng.randrange(100000000, 999999999)}",
            employer=employer,
            region=employer.region if employer else region,
            qualification=qualification,
            certificate_number=f"{cert_year}4100{n:05d}" if cert_year else "",
            certificate_date=cert_date,
            registered_on=registered,
        )
        worker.set_id_number(_id_number(rng, region.code[:6], used))
        worker.sync_derived()
        workers.append(worker)
    workers = SocialWorker.objects.bulk_create(workers)

    # Continuing education in each registered worker's current period.
    records = []
    for worker in workers:
        if not worker.registered_on:
            continue
        for _ in range(rng.randrange(2, 10)):
            day = today - datetime.timedelta(days=rng.randrange(1, 3 * 365))
            if day < worker.registered_on:
                continue
            records.append(
                ContinuingEducation(
                    worker=worker,
                    date=day,
                    hours=Decimal(rng.choice([4, 6, 8, 12, 16])),
                    kind=rng.choice(list(EducationKind)),
                    title=rng.choice(CE_TITLES),
                    provider=rng.choice(PROVIDERS),
                )
            )
    ContinuingEducation.objects.bulk_create(records)

    # Memberships: all organisations, most certified workers; numbers in order of admission.
    admitted = [
        (o, None, datetime.date(2019 + i % 6, 1 + i % 12, 10)) for i, o in enumerate(organisations)
    ]
    for worker in workers:
        if worker.registered_on and rng.random() < 0.8:
            since = max(worker.registered_on, datetime.date(2019, 3, 1)) + datetime.timedelta(
                days=rng.randrange(10, 200)
            )
            if since < today:
                admitted.append((None, worker, since))
    admitted.sort(key=lambda a: a[2])
    counters = {MemberType.UNIT: 0, MemberType.INDIVIDUAL: 0}
    memberships = []
    for organisation, worker, since in admitted:
        member_type = MemberType.UNIT if organisation else MemberType.INDIVIDUAL
        counters[member_type] += 1
        prefix = "XCSW-D" if organisation else "XCSW-G"
        memberships.append(
            Membership(
                member_type=member_type,
                organisation=organisation,
                person=worker,
                number=f"{prefix}-{counters[member_type]:04d}",
                state=MembershipState.APPROVED,
                applied_on=since - datetime.timedelta(days=30),
                decided_on=since,
                member_since=since,
                decision_basis=_council_decision(since),
                verification_code=f"{rng.getrandbits(64):016x}",
            )
        )
    memberships = Membership.objects.bulk_create(memberships)
    for prefix, member_type in (("XCSW-D", MemberType.UNIT), ("XCSW-G", MemberType.INDIVIDUAL)):
        NumberSequence.objects.update_or_create(
            key=f"member:{prefix}", defaults={"last": counters[member_type]}
        )

    # Dues: paid most years; some members stop paying (lapsed), some are late this year.
    standards = list(DuesStandard.objects.order_by("effective_from"))
    payments = []
    for membership in memberships:
        stops = membership.member_since.year + rng.randrange(1, 8) if rng.random() < 0.1 else 9999
        for year in range(membership.member_since.year, today.year + 1):
            due_on = rules.due_date(year, membership.member_since)
            amount = [
                s
                for s in standards
                if s.member_type == membership.member_type and s.effective_from <= due_on
            ][-1].amount
            paid_on = None
            if year < stops:
                paid_on = min(due_on - datetime.timedelta(days=rng.randrange(0, 60)), today)
                paid_on = max(paid_on, membership.member_since)
                if year == today.year and rng.random() < 0.25:
                    paid_on = None
                if paid_on and paid_on > today:
                    paid_on = None
            payments.append(
                Dues(
                    membership=membership,
                    year=year,
                    amount=amount,
                    due_on=due_on,
                    paid_on=paid_on,
                    payment_method="银行转账" if paid_on else "",
                )
            )
    payments.sort(key=lambda d: (d.paid_on or datetime.date.max, d.membership.number))
    receipts: dict[int, int] = {}
    for dues in payments:
        if dues.paid_on:
            receipts[dues.paid_on.year] = receipts.get(dues.paid_on.year, 0) + 1
            dues.receipt_number = f"HF-{dues.paid_on.year}-{receipts[dues.paid_on.year]:04d}"
    Dues.objects.bulk_create(payments)
    for year, last in receipts.items():
        NumberSequence.objects.update_or_create(key=f"receipt:{year}", defaults={"last": last})

    # Representatives to the general meeting: 2-4 per unit member.
    staff_user = User.objects.filter(groups__name=Role.STAFF.value).first()
    representatives = []
    by_org = {}
    for worker in workers:
        if worker.employer_id:
            by_org.setdefault(worker.employer_id, []).append(worker)
    for membership in memberships:
        if membership.member_type != MemberType.UNIT or staff_user is None:
            continue
        for worker in rng.sample(
            by_org.get(membership.organisation_id, []),
            k=min(3, len(by_org.get(membership.organisation_id, []))),
        ):
            representatives.append(
                Representative(
                    membership=membership,
                    name=worker.name,
                    mobile=worker.mobile,
                    worker=worker,
                    position=rng.choice(["主任", "副主任", "项目主管", "督导"]),
                    designated_on=max(membership.member_since, datetime.date(2024, 1, 1)),
                    designated_by=staff_user,
                )
            )
    Representative.objects.bulk_create(representatives)

    _attach_demo_users(organisations[0], workers, rng, today)
    _say(
        stdout,
        f"会员演示数据：{len(organisations)} 个单位，{len(workers)} 名社会工作者，"
        f"{len(memberships)} 份会籍，{len(payments)} 条会费，{len(records)} 条继续教育记录",
    )


def _attach_demo_users(organisation, workers, rng, today):
    from association.accounts.models import User

    orgadmin = User.objects.filter(email="orgadmin@demo.xcsw.org.cn").first()
    if orgadmin is not None:
        OrganisationAdmin.objects.get_or_create(organisation=organisation, user=orgadmin)
    station = User.objects.filter(email="station@demo.xcsw.org.cn").first()
    if station is not None:
        worker = next(
            w
            for w in workers
            if w.qualification == Qualification.ASSISTANT
            and w.employer_id == organisation.pk
            and w.memberships.exists()
        )
        worker.user = station
        worker.name = "刘洋"
        worker.email = station.email
        worker.save()
    applicant = User.objects.filter(email="applicant@demo.xcsw.org.cn").first()
    if applicant is not None:
        used = set()
        worker = SocialWorker(
            name="孙悦",
            gender=Gender.FEMALE,
            mobile="13903740000",
            email=applicant.email,
            employer=organisation,
            region=organisation.region,
            user=applicant,
            qualification=Qualification.ASSISTANT,
            certificate_number="20254100ZZ001",
            certificate_date=datetime.date(today.year - 1, 6, 20),
            registered_on=datetime.date(today.year - 1, 9, 1),
        )
        worker.set_id_number(_id_number(rng, "411002", used))
        worker.save()
        Membership.objects.create(
            member_type=MemberType.INDIVIDUAL,
            person=worker,
            state=MembershipState.APPLIED,
            applied_on=today - datetime.timedelta(days=3),
            submitted_by=applicant,
            application_note="已在社工站工作一年，希望加入协会。",
        )
