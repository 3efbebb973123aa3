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
    MembershipState,
    MemberType,
    OrganisationKind,
    Qualification,
)
from .models import (
    ContinuingEducation,
    Membership,
    Organisation,
    OrganisationAdmin,
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
FOUNDERS_APPLIED_ON = FOUNDING_DAY - datetime.timedelta(days=30)  # to the preparatory group
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
    """The members app with what it needs before it: the register and the founders'
    applications, the founding congress (governance's demo: the founders admitted that
    morning, the dues standard adopted by the congress's motion, which bills them), and the
    admissions and dues after it.
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


def seed_register(stdout=None) -> bool:
    """The register as the association keeps it, and the founders' applications: the 23
    organisations (12 registered by 2020, 23 by the founding congress) apply to the
    preparatory group a month before the congress, each through ``organisation_apply``
    with its contact's account (the unit's admin from then on); ~520 social workers with
    certificates (100+ in 2020, 500+ by 2025) are the register staff imported from the
    civil-affairs records, through the admin's import (:func:`_import_workers`); their
    continuing education, kept by the providers, is written in bulk (members has no
    import of it, and a service call a record would add ~2,500 calls to the seed); the
    founding individuals apply through
    ``individual_apply``, linked to their register entries. No one is admitted yet."""
    from association.demo import demo_clock

    from .services import organisation_apply

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
    # The founding units apply on the portal, a month before the congress.
    users = _unit_accounts(organisations)
    with demo_clock(FOUNDERS_APPLIED_ON):
        for organisation, user in zip(organisations, users, strict=True):
            organisation_apply(organisation=organisation, user=user, note="发起单位")

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
            qualification=qualification,
            certificate_number=f"{cert_year}4100{n:05d}" if cert_year else "",
            certificate_date=cert_date,
            registered_on=registered,
        )
        worker.set_id_number(_id_number(rng, region.code[:6], used))
        workers.append(worker)
    workers = _import_workers(workers)

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
    # Recorded by the staff as the certificates came in, through the service (its rules:
    # staff only, no date after today), in the order they happened.
    from .services import education_add

    staff = _staff()
    for record in sorted(records, key=lambda r: (r.date, r.worker.pk)):
        education_add(worker=record.worker, by=staff, record=record)

    _attach_demo_users(organisations[0], workers, rng, today)
    founders = _founders_apply()
    _say(
        stdout,
        f"会员名册演示数据：{len(organisations)} 个单位，{len(workers)} 名社会工作者，"
        f"{len(records)} 条继续教育记录；{len(organisations)} 个单位和 {founders} 名个人"
        f"申请作为发起会员入会",
    )
    return True


def _import_workers(workers: list[SocialWorker]) -> list[SocialWorker]:
    """The register of social workers as staff import it from the civil-affairs records:
    one file through the admin's import (``SocialWorkerResource``: every row checked, the
    whole file written at once or not at all). The file has no region column, so the
    imported entries have none."""
    import tablib

    from .resources import SocialWorkerResource

    resource = SocialWorkerResource()
    columns = {name: field.column_name for name, field in resource.fields.items()}
    dataset = tablib.Dataset(headers=list(columns.values()))
    for worker in workers:
        cells = {
            "name": worker.name,
            "gender": worker.gender,
            "id_number": worker.id_number,
            "mobile": worker.mobile,
            "email": worker.email,
            "employer": worker.employer.credit_code if worker.employer else "",
            "qualification": worker.qualification,
            "certificate_number": worker.certificate_number,
            "certificate_date": worker.certificate_date,
            "registered_on": worker.registered_on,
        }
        dataset.append([cells[name] for name in columns])
    first = SocialWorker.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    result = resource.import_data(dataset, dry_run=False, rollback_on_validation_errors=True)
    if result.has_errors() or result.has_validation_errors():
        problems = [row.error for row in result.invalid_rows] or result.base_errors
        raise RuntimeError(f"the demo's register did not import: {problems[:3]}")
    return list(SocialWorker.objects.filter(pk__gt=first).order_by("pk"))


def _accounts(entries: list[tuple[str, str]]):
    """Portal accounts of people who applied online (email, display name), opened by the
    accounts service as an application opens one, with no known password: the demo's
    logins are the accounts step's."""
    from association.accounts.services import user_create

    return [user_create(email=email, password=None, display_name=name) for email, name in entries]


def _unit_accounts(organisations):
    """The account each founding unit applies with: the demo's organisation admin for the
    first, the unit's contact for the others."""
    from association.accounts.models import User

    orgadmin = User.objects.filter(email="orgadmin@demo.xcsw.org.cn").first()
    wanted = [
        (f"unit{n + 1:02d}@demo.xcsw.org.cn", o.contact_name)
        for n, o in enumerate(organisations)
        if n or orgadmin is None
    ]
    created = iter(_accounts(wanted))
    return [orgadmin if n == 0 and orgadmin else next(created) for n in range(len(organisations))]


def _applicant_copy(worker: SocialWorker, email: str) -> SocialWorker:
    """What a person on the register types into the application form: ``individual_apply``
    finds the register entry by the ID number and links it to the account."""
    copy = SocialWorker(name=worker.name, gender=worker.gender, mobile=worker.mobile, email=email)
    copy.set_id_number(worker.id_number)
    return copy


def _founders_apply() -> int:
    """The founding individuals apply on the portal a month before the congress (the
    officers-to-be with their accounts, the others with accounts of their own)."""
    from association.demo import demo_clock

    from .services import individual_apply

    _organisations, people = _founders()
    without = [w for w in people if w.user_id is None]
    accounts = iter(
        _accounts([(f"founder{n + 1:02d}@demo.xcsw.org.cn", w.name) for n, w in enumerate(without)])
    )
    with demo_clock(FOUNDERS_APPLIED_ON):
        for worker in people:
            user = worker.user if worker.user_id else next(accounts)
            individual_apply(worker=_applicant_copy(worker, user.email), user=user, note="发起人")
    return len(people)


def _attach_demo_users(organisation, workers, rng, today):
    from association.accounts.demo import demo_user_ensure
    from association.accounts.models import User
    from association.demo import demo_clock

    from .services import individual_apply

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
    """The preparatory group reviews the founders' applications (made a month before,
    :func:`seed_register`) and admits them on the morning of the founding congress (no
    membership starts before it); each unit's admin then designates up to three of its
    staff as its representatives to the congress (``representative_designate``). Run
    inside ``demo_clock``: the services stamp the day. No dues standard exists yet, so the
    approvals bill nothing: the congress's dues motion bills them when the standard is
    adopted (``governance.services.dues_standard_adopt``)."""
    from .services import membership_approve, membership_review_start, representative_designate

    if Membership.objects.filter(member_since__lte=day).exists():
        return []
    rng = random.Random(SEED + 1)
    applications = Membership.objects.filter(
        state=MembershipState.APPLIED, applied_on__lte=FOUNDERS_APPLIED_ON
    ).order_by("pk")
    admitted = []
    for application in applications:
        membership_review_start(membership=application, by=by)
        admitted.append(
            membership_approve(
                membership=application,
                by=by,
                decided_on=day,
                basis="成立大会筹备组审核（发起会员）",
                council_meeting="成立大会筹备组",
            )
        )
    by_org: dict[int, list[SocialWorker]] = {}
    founders = {m.person_id for m in admitted if m.person_id}
    for worker in SocialWorker.objects.filter(employer__isnull=False).order_by("pk"):
        if worker.pk not in founders:
            by_org.setdefault(worker.employer_id, []).append(worker)
    # The unit's admin (who applied for it) designates; the first admin of each unit.
    admins = {
        a.organisation_id: a.user
        for a in OrganisationAdmin.objects.select_related("user").order_by("-pk")
    }
    for membership in admitted:
        if membership.member_type != MemberType.UNIT:
            continue
        staff_of = by_org.get(membership.organisation_id, [])
        for worker in rng.sample(staff_of, k=min(3, len(staff_of))):
            representative_designate(
                membership=membership,
                by=admins[membership.organisation_id],
                name=worker.name,
                mobile=worker.mobile,
                worker=worker,
                position=rng.choice(["主任", "副主任", "项目主管", "督导"]),
            )
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
    """After the founding congress, in the order it happened: registered workers apply on
    the portal (``individual_apply``, linked to their register entries), staff start the
    review, the council's next meeting admits them (``membership_approve`` numbers the
    members and bills the first year); each year's dues billed (``dues_bill``) and paid
    (``dues_record_payment``, which issues the receipt and hands the payment to finance);
    some members stop paying, some are late this year. Each step runs on its own day on
    the demo clock."""
    from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX

    from association.accounts.models import User
    from association.demo import demo_clock

    from .services import (
        dues_bill,
        dues_record_payment,
        individual_apply,
        membership_approve,
        membership_review_start,
    )

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
    applicants, applied_on, decided_on = [], {}, {}
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
        applicants.append(worker)
        applied_on[worker.pk], decided_on[worker.pk] = applied, meeting
    # The demo's logins (the organisation admin's unit, the workers with a known
    # password) pay every year on time: their pages show a current membership.
    logins = User.objects.exclude(password__startswith=UNUSABLE_PASSWORD_PREFIX)
    punctual_founders = set(
        Membership.objects.filter(
            Q(organisation__admins__user__in=logins) | Q(person__user__in=logins)
        ).values_list("pk", flat=True)
    )
    punctual_workers = {w.pk for w in applicants if w.user_id}
    # Everyone else applies with an account of their own.
    without = [w for w in applicants if w.user_id is None]
    for worker, user in zip(
        without,
        _accounts([(f"member{n + 1:04d}@demo.xcsw.org.cn", w.name) for n, w in enumerate(without)]),
        strict=True,
    ):
        worker.user = user
    # Events: (day, order, key, action); a founder's key is its membership, an
    # applicant's its register entry (the membership exists once they apply).
    events = []
    for worker in applicants:
        key = ("worker", worker.pk)
        meeting = decided_on[worker.pk]
        events.append((applied_on[worker.pk], 0, key, ("apply", worker)))
        events.append((meeting - datetime.timedelta(days=10), 1, key, ("review", None)))
        events.append((meeting, 2, key, ("approve", None)))
    founders = list(Membership.objects.filter(member_since__lte=FOUNDING_DAY).order_by("pk"))
    members = [(("membership", m.pk), FOUNDING_DAY, m.pk in punctual_founders) for m in founders]
    members += [(("worker", w.pk), decided_on[w.pk], w.pk in punctual_workers) for w in applicants]
    for key, since, punctual in members:
        stops = since.year + rng.randrange(1, 4) if rng.random() < 0.1 else 9999
        late = rng.random() < 0.25
        if punctual:
            stops, late = 9999, False
        for year in range(since.year, today.year + 1):
            due_on = rules.due_date(year, since)
            if year > since.year:
                events.append((datetime.date(year, 1, 2), 3, key, ("bill", year)))
            if year >= stops or (year == today.year and late):
                continue
            paid_on = max(due_on - datetime.timedelta(days=rng.randrange(0, 60)), since)
            if year > since.year:
                paid_on = max(paid_on, datetime.date(year, 1, 2))
            if paid_on > today:
                continue
            events.append((paid_on, 4, key, ("pay", year)))
    events.sort(key=lambda e: (e[0], e[1], e[2]))
    by_key = {("membership", m.pk): m for m in founders}
    paid = 0
    with demo_clock(events[0][0] if events else today) as clock:
        for day, _order, key, (action, arg) in events:
            clock.set(day, 10)
            membership = by_key.get(key)
            if action == "apply":
                by_key[key] = individual_apply(
                    worker=_applicant_copy(arg, arg.user.email),
                    user=arg.user,
                    note="已取得社会工作者职业资格并登记，申请加入协会。",
                )
            elif action == "review":
                by_key[key] = membership_review_start(membership=membership, by=staff)
            elif action == "approve":
                by_key[key] = membership_approve(
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
        f"其后 {len(applicants)} 名社会工作者申请并经理事会批准入会；登记缴费 {paid} 笔",
    )


# What unit members agreed to show in the public member directory (会员名录): most agree to
# the county, the business scope and the phone; some add the address, the contact or the
# website; a few choose nothing (not listed).
DIRECTORY_CHOICES_DEMO = [
    ["county", "business_scope", "contact_phone"],
    ["county", "business_scope", "address", "contact_phone", "website"],
    ["county", "business_scope", "contact_name", "contact_phone", "contact_email"],
    ["county", "contact_phone"],
    [],
]


def seed_directory(stdout=None) -> int:
    """Each admitted unit member's admin chooses what the directory shows of it, through
    ``organisation_directory_set`` as on the portal page 会员名录公开项. Idempotent: nothing
    is done once an organisation has chosen. Returns the organisations listed."""
    from .services.organisations import organisation_directory_set

    if Organisation.objects.exclude(directory_fields=[]).exists():
        return 0
    listed = 0
    admins = (
        OrganisationAdmin.objects.filter(
            organisation__memberships__state=MembershipState.APPROVED,
            user__is_active=True,
        )
        .select_related("organisation", "user")
        .order_by("organisation__name", "pk")
    )
    seen = set()
    for admin in admins:
        if admin.organisation_id in seen:
            continue
        seen.add(admin.organisation_id)
        fields = DIRECTORY_CHOICES_DEMO[len(seen) % len(DIRECTORY_CHOICES_DEMO)]
        organisation_directory_set(organisation=admin.organisation, by=admin.user, fields=fields)
        listed += bool(fields)
    _say(stdout, f"会员名录：{listed} 家单位会员同意公开部分信息")
    return listed
