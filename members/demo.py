"""Demo data: 23 member organisations and ~520 social workers of 许昌，with memberships,
dues and continuing education; certified workers grow from 100+ in 2020 to 500+.

Fictional people: ID numbers and credit codes are made up but carry valid check digits.
Idempotent (skips when the demo organisations exist) and deterministic (fixed seed).
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from association.accounts.choices import Role
from association.regions.models import Region

from .choices import (
    EducationKind,
    Gender,
    MemberType,
    OrganisationKind,
    Qualification,
)
from .models import (
    ContinuingEducation,
    Membership,
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


FOUNDING_DAY = datetime.date(2023, 7, 8)  # the founding congress (seed-news.txt)
FIRST_COUNCIL_DAY = datetime.date(2023, 9, 15)  # the first council meeting admits members
FOUNDING_INDIVIDUALS = 17  # with 23 units' representatives: 86 entitled at the congress
# The officers elected at the congress are individual founding members (the elections
# demo nominates them by their register entries; the two with accounts approve claims).
OFFICER_PEOPLE = [
    ("李伟", "officer@demo.xcsw.org.cn"),
    ("刘志明", "secretary@demo.xcsw.org.cn"),
    ("张红", None),
    ("王建国", None),
    ("陈静怡", None),
]
DUES_AMOUNTS = {MemberType.UNIT: Decimal("800.00"), MemberType.INDIVIDUAL: Decimal("100.00")}


def seed(stdout=None):
    """The members app with what it needs before it: the register, the founding congress
    (governance's demo: the founders admitted that morning, the dues standard adopted by
    the congress's motion and the founders billed), and the admissions and dues after it.
    ``seed_demo`` runs the same steps in its own order (association.demo)."""
    if not seed_register(stdout):
        return
    from association.governance import demo as governance_demo

    governance_demo.seed(stdout)
    seed_admissions(stdout)


def _staff():
    from association.accounts.models import User

    return (
        User.objects.filter(email="staff@demo.xcsw.org.cn").first()
        or User.objects.filter(groups__name=Role.STAFF.value).order_by("pk").first()
    )


def bill_founders(day: datetime.date) -> int:
    """Bill the founding year's dues of the members admitted on ``day`` (the founding
    congress), at the standard the congress has just adopted. Idempotent."""
    from .services import dues_bill

    founders = Membership.objects.filter(member_since=day).exclude(dues__year=day.year)
    count = 0
    for membership in founders.order_by("pk"):
        dues_bill(membership=membership, year=day.year)
        count += 1
    return count


def seed_register(stdout=None) -> bool:
    """The register as the association keeps it: 23 organisations (12 registered by 2020,
    23 by the founding congress), ~520 social workers with certificates (100+ in 2020,
    500+ by 2025) and their continuing education. No membership yet."""

    if Organisation.objects.filter(name=ORG_NAMES[0]).exists():
        _say(stdout, "会员演示数据已存在，跳过 / members demo data exists")
        return False
    townships = list(Region.objects.townships().select_related("parent").order_by("code"))
    if not townships:
        _say(stdout, "没有区划数据，跳过会员演示数据（先运行 load_regions）")
        return False
    rng = random.Random(SEED)
    today = timezone.localdate()

    # Organisations: 12 registered before 2020, 11 more by the founding congress.
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
                registered_on=(
                    datetime.date(2012 + i % 8, 1 + i % 12, 1 + i)
                    if i < 12
                    else datetime.date(2020 + (i - 12) % 3, 1 + (i - 12) % 6, 1 + i)
                ),
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

    _attach_demo_users(organisations[0], workers, rng, today)
    _say(
        stdout,
        f"会员名册演示数据：{len(organisations)} 个单位，{len(workers)} 名社会工作者，"
        f"{len(records)} 条继续教育记录",
    )
    return True


def _attach_demo_users(organisation, workers, rng, today):
    from association.accounts.demo import demo_user_ensure
    from association.accounts.models import User
    from association.demo import demo_clock

    from .services import individual_apply

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
            and w.registered_on
        )
        worker.user = station
        worker.name = "刘洋"
        worker.email = station.email
        worker.save()
    # The officers-to-be: individual founding members on the register.
    used: set = set()
    for n, (name, email) in enumerate(OFFICER_PEOPLE):
        user = None
        if email == "officer@demo.xcsw.org.cn":
            user = User.objects.filter(email=email).first()
        elif email:
            user = demo_user_ensure(email, f"{name}（秘书长）", Role.OFFICER, is_staff=True)
        worker = SocialWorker(
            name=name,
            gender=Gender.MALE if n % 2 == 0 else Gender.FEMALE,
            mobile=f"1390374{n:04d}",
            email=email or "",
            employer=None,
            region=organisation.region,
            user=user,
            qualification=Qualification.SENIOR if n == 0 else Qualification.SOCIAL_WORKER,
            certificate_number=f"20184100GB{n:03d}",
            certificate_date=datetime.date(2018, 6, 20),
            registered_on=datetime.date(2018, 9, 1),
        )
        worker.set_id_number(_id_number(rng, "411002", used))
        worker.sync_derived()
        worker.save()
    applicant = User.objects.filter(email="applicant@demo.xcsw.org.cn").first()
    if applicant is not None:
        worker = SocialWorker(
            name="孙悦",
            gender=Gender.FEMALE,
            mobile="13903740000",
            email=applicant.email,
            employer=organisation,
            region=organisation.region,
            qualification=Qualification.ASSISTANT,
            certificate_number="20254100ZZ001",
            certificate_date=datetime.date(today.year - 1, 6, 20),
            registered_on=datetime.date(today.year - 1, 9, 1),
        )
        worker.set_id_number(_id_number(rng, "411002", used))
        # She applied three days ago, on the portal's form (the service behind it).
        with demo_clock(today - datetime.timedelta(days=3)):
            individual_apply(
                worker=worker, user=applicant, note="已在社工站工作一年，希望加入协会。"
            )


def _founders() -> tuple[list[Organisation], list[SocialWorker]]:
    """The founding members: every organisation on the register, and the officers-to-be
    with the first registered workers up to ``FOUNDING_INDIVIDUALS``."""
    organisations = list(Organisation.objects.order_by("pk"))
    officers = [
        SocialWorker.objects.filter(name=name, certificate_number__startswith="20184100GB")
        .order_by("pk")
        .first()
        for name, _email in OFFICER_PEOPLE
    ]
    officers = [w for w in officers if w is not None]
    others = list(
        SocialWorker.objects.filter(registered_on__lt=FOUNDING_DAY, employer__isnull=False)
        .exclude(pk__in=[w.pk for w in officers])
        .exclude(user__isnull=False)
        .order_by("registered_on", "pk")[: FOUNDING_INDIVIDUALS - len(officers)]
    )
    return organisations, officers + others


def admit_founders(*, by, day: datetime.date) -> list[Membership]:
    """The founding members apply to the preparatory group and are admitted on the
    morning of the founding congress (no membership starts before it); each unit designates
    up to three representatives to the congress. Run inside ``demo_clock``: the approval
    stamps the day; their founding year's dues are billed by :func:`bill_founders` once the
    congress has adopted the dues standard."""
    from .services import membership_approve

    if Membership.objects.filter(member_since__lte=day).exists():
        return []
    rng = random.Random(SEED + 1)
    organisations, people = _founders()
    applied_on = day - datetime.timedelta(days=30)
    applications = Membership.objects.bulk_create(
        [
            Membership(
                member_type=MemberType.UNIT,
                organisation=o,
                applied_on=applied_on,
                application_note="发起单位",
            )
            for o in organisations
        ]
        + [
            Membership(
                member_type=MemberType.INDIVIDUAL,
                person=w,
                applied_on=applied_on,
                application_note="发起人",
            )
            for w in people
        ]
    )
    admitted = [
        membership_approve(
            membership=m,
            by=by,
            decided_on=day,
            basis="成立大会筹备组审核（发起会员）",
            council_meeting="成立大会筹备组",
            # no dues standard exists before the congress adopts one: billed after its vote
            bill=False,
        )
        for m in applications
    ]
    by_org: dict[int, list[SocialWorker]] = {}
    founders = {w.pk for w in people}
    for worker in SocialWorker.objects.filter(employer__isnull=False).order_by("pk"):
        if worker.pk not in founders:
            by_org.setdefault(worker.employer_id, []).append(worker)
    representatives = []
    for membership in admitted:
        if membership.member_type != MemberType.UNIT:
            continue
        staff_of = by_org.get(membership.organisation_id, [])
        for worker in rng.sample(staff_of, k=min(3, len(staff_of))):
            representatives.append(
                Representative(
                    membership=membership,
                    name=worker.name,
                    mobile=worker.mobile,
                    worker=worker,
                    position=rng.choice(["主任", "副主任", "项目主管", "督导"]),
                    designated_on=day,
                    designated_by=by,
                )
            )
    Representative.objects.bulk_create(representatives)
    return admitted


def council_days(until: datetime.date) -> list[datetime.date]:
    """The council's meetings that admit members: the first on 15 September 2023, then
    one a quarter (15 March, June, September, December)."""
    days, day = [], FIRST_COUNCIL_DAY
    while day <= until:
        days.append(day)
        month = day.month + 3
        day = datetime.date(day.year + (month > 12), (month - 1) % 12 + 1, 15)
    return days


def seed_admissions(stdout=None) -> None:
    """After the founding congress, in the order it happened: applications decided at the
    council's meetings (membership_approve numbers the members and bills the first year),
    each year's dues billed (dues_bill) and paid (dues_record_payment, which issues the
    receipt and hands the payment to finance); some members stop paying, some are late
    this year. Each step runs on its own day on the demo clock."""
    from association.demo import demo_clock

    from .services import dues_bill, dues_record_payment, membership_approve

    if Membership.objects.filter(member_since__gt=FOUNDING_DAY).exists():
        return
    staff = _staff()
    rng = random.Random(SEED + 2)
    today = timezone.localdate()
    rules = Rules.from_settings()
    days = council_days(today)
    if not days:
        return
    members_already = set(
        Membership.objects.filter(person__isnull=False).values_list("person_id", flat=True)
    )
    # Applications: most registered workers apply once registered (and the station's
    # demo worker does); each is decided at the council's next meeting.
    applications, decided_on = [], {}
    for worker in SocialWorker.objects.filter(registered_on__isnull=False).order_by("pk"):
        if worker.pk in members_already or worker.email == "applicant@demo.xcsw.org.cn":
            continue
        if worker.user_id is None and rng.random() >= 0.8:
            continue
        applied = max(worker.registered_on, FOUNDING_DAY) + datetime.timedelta(
            days=rng.randrange(1, 200)
        )
        meeting = next((d for d in days if d >= applied + datetime.timedelta(days=14)), None)
        if meeting is None or meeting > today:
            continue
        applications.append(
            Membership(member_type=MemberType.INDIVIDUAL, person=worker, applied_on=applied)
        )
        decided_on[worker.pk] = meeting
    applications = Membership.objects.bulk_create(applications)
    events = []  # (day, order, action)
    for membership in applications:
        day = decided_on[membership.person_id]
        events.append((day, 0, membership.pk, ("approve", membership)))
    founders = list(Membership.objects.filter(member_since__lte=FOUNDING_DAY))
    # The demo accounts' members (the organisation admin's unit, the workers with an
    # account) pay every year on time: their pages show a current membership.
    punctual = set(
        Membership.objects.filter(
            Q(organisation__admins__user__email__endswith="@demo.xcsw.org.cn")
            | Q(person__user__isnull=False)
        ).values_list("pk", flat=True)
    )
    for membership in [*founders, *applications]:
        since = FOUNDING_DAY if membership in founders else decided_on[membership.person_id]
        stops = since.year + rng.randrange(1, 4) if rng.random() < 0.1 else 9999
        late = rng.random() < 0.25
        if membership.pk in punctual:
            stops, late = 9999, False
        for year in range(since.year, today.year + 1):
            due_on = rules.due_date(year, since)
            if year > since.year:
                events.append((datetime.date(year, 1, 2), 1, membership.pk, ("bill", year)))
            if year >= stops or (year == today.year and late):
                continue
            paid_on = max(due_on - datetime.timedelta(days=rng.randrange(0, 60)), since)
            if year > since.year:
                paid_on = max(paid_on, datetime.date(year, 1, 2))
            if paid_on > today:
                continue
            events.append((paid_on, 2, membership.pk, ("pay", year)))
    events.sort(key=lambda e: (e[0], e[1], e[2]))
    by_pk = {m.pk: m for m in [*founders, *applications]}
    paid = 0
    with demo_clock(events[0][0] if events else today) as clock:
        for day, _order, pk, (action, arg) in events:
            clock.set(day, 10)
            membership = by_pk[pk]
            if action == "approve":
                by_pk[pk] = membership_approve(
                    membership=membership,
                    by=staff,
                    decided_on=day,
                    basis=_council_decision(day),
                    council_meeting=_council_decision(day).removesuffix("决议"),
                )
            elif action == "bill":
                dues_bill(membership=membership, year=arg)
            else:
                dues = dues_bill(membership=membership, year=arg)
                dues_record_payment(dues=dues, by=staff, paid_on=day, method="银行转账")
                paid += 1
    _say(
        stdout,
        f"会员演示数据：{len(founders)} 个发起会员于成立大会当日入会，"
        f"其后理事会批准 {len(applications)} 名个人会员；登记缴费 {paid} 笔",
    )
