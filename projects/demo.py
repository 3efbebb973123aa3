"""Demo data of the projects app (idempotent, deterministic, bulk inserts).

The graduate programme of seed-news.txt: 600,000 yuan, 4 recruitment rounds, about 220
graduates in community projects, 16 themed activities for elders living alone (~3,000
person-times), 22 practice bases with ~3,200 student participations; and the juvenile
centre's pool of 57 experts (19 counselling, 20 family education, 12 social care, 6
legal) with a few clearly fictional referrals. expert@demo is one expert of the pool;
applicant@demo has applied to the open round."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from association.demo import demo_clock
from association.regions.models import Region
from association.services import history_context

from .choices import (
    STEP_ORDER,
    ActivityKind,
    ApplicationStatus,
    ConsentParty,
    Criterion,
    Degree,
    ExpertDomain,
    ReferralService,
    ReferringBody,
    ServiceDomain,
    StandardStep,
    StepStatus,
    TeamRole,
)
from .models import (
    Application,
    ApplicationTransition,
    Consent,
    EligibilityRule,
    Expert,
    PracticeBase,
    PracticeParticipation,
    Preference,
    Programme,
    Project,
    ProjectStep,
    RecruitmentRound,
    Referral,
    RoundQuota,
    ServiceActivity,
    TeamMember,
)
from .services import referrals

SEED = 7
CODE = "bys"
CITY_CODE = "411000"
UNIVERSITIES = ["许昌学院", "郑州大学", "河南大学", "重庆大学", "西南政法大学", "重庆师范大学"]
MAJORS = ["社会工作", "社会工作（专业硕士）", "心理学", "社会学", "应用心理学", "法学"]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = "子涵欣怡梓萱浩然宇轩雨桐思远佳怡一诺俊杰晨曦若汐嘉懿文博梦琪明哲雅琴志强静怡"
PROJECTS = [
    ("幸福颐养·独居老人关爱", ServiceDomain.ELDERLY),
    ("幸福颐养·社区助餐与探访", ServiceDomain.ELDERLY),
    ("护童成长·留守儿童陪伴", ServiceDomain.CHILDREN),
    ("护童成长·困境儿童个案", ServiceDomain.CHILDREN),
    ("医患同行·医务社工服务", ServiceDomain.MEDICAL),
    ("阳光回归·社区矫正帮教", ServiceDomain.CORRECTION),
    ("助残同心·残疾人康复支持", ServiceDomain.WORKERS_YOUTH_WOMEN_DISABLED),
    ("巾帼家园·妇女能力提升", ServiceDomain.WORKERS_YOUTH_WOMEN_DISABLED),
    ("青春驿站·青少年成长", ServiceDomain.WORKERS_YOUTH_WOMEN_DISABLED),
    ("邻里共治·社区议事", ServiceDomain.COMMUNITY),
    ("微心愿·社会救助对象帮扶", ServiceDomain.ASSISTANCE),
]
GRADUATES_PER_ROUND = 55
EXPERTS = [
    (ExpertDomain.COUNSELLING, 19, "心理咨询师（二级）"),
    (ExpertDomain.FAMILY_EDUCATION, 20, "家庭教育指导师"),
    (ExpertDomain.SOCIAL_CARE, 12, "社会工作师"),
    (ExpertDomain.LEGAL, 6, "执业律师"),
]
DEMO_PDF = "projects/demo/demo.pdf"


def _say(stdout, text):
    if stdout is not None:
        stdout.write(text)


def _name(rng):
    return rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, 2))


def _demo_file() -> str:
    if not default_storage.exists(DEMO_PDF):
        default_storage.save(DEMO_PDF, ContentFile(b"%PDF-1.4\n% demo\n%%EOF\n"))
    return DEMO_PDF


def seed(stdout=None):
    """Seed the demo (its history says "seed_demo", however it is called)."""
    with history_context("seed_demo"):
        return _seed(stdout)


def _seed(stdout):
    from allauth.account.models import EmailAddress
    from django.contrib.auth.models import Group

    from association.accounts.choices import Role
    from association.accounts.models import User
    from members.models import Organisation

    if Programme.objects.filter(code=CODE).exists():
        _say(stdout, "公益项目演示数据已存在，跳过 / projects demo data exists")
        return
    counties = list(Region.objects.counties().filter(parent__code=CITY_CODE).order_by("code"))
    if not counties:
        _say(stdout, "没有许昌市的县级区划，跳过公益项目演示数据（先运行 setup_instance --demo）")
        return
    rng = random.Random(SEED)
    today = timezone.localdate()
    staff = User.objects.filter(is_superuser=True).order_by("pk").first() or User.objects.first()
    pdf = _demo_file()
    operators = list(Organisation.objects.order_by("pk")[:6])
    try:
        from stations.models import Station

        stations = list(Station.objects.order_by("pk")[:11])
    except ImportError:  # pragma: no cover - stations is installed below projects
        stations = []

    programme = Programme.objects.create(
        name="毕业季社工计划",
        code=CODE,
        description="以社会公益服务项目为载体，招募高校应届毕业生到基层、到社区开展公益服务。",
        rules="《项目管理办法》《资金使用管理办法》《项目评估实施办法》；一项目一团队，清单化管理。",
        budget=Decimal("600000.00"),
        start_date=today - datetime.timedelta(days=700),
    )
    EligibilityRule.objects.bulk_create(
        [
            EligibilityRule(
                programme=programme,
                criterion=Criterion.GRADUATION_YEAR,
                allowed=f"{today.year - 2}-{today.year}",
                description="应届及往届两年内毕业生",
            ),
            EligibilityRule(
                programme=programme,
                criterion=Criterion.MAJOR,
                allowed="社会工作\n心理学\n社会学\n法学",
                description="相关专业背景",
            ),
        ]
    )
    rounds = []
    for number in range(1, 5):
        opens = today - datetime.timedelta(days=600 - (number - 1) * 180)
        closes = opens + datetime.timedelta(days=30)
        if number == 4:
            opens, closes = today - datetime.timedelta(days=10), today + datetime.timedelta(days=20)
        rounds.append(
            RecruitmentRound(
                programme=programme,
                number=number,
                name=f"第{number}批",
                opens_on=opens,
                closes_on=closes,
                service_starts_on=closes + datetime.timedelta(days=15),
                service_ends_on=closes + datetime.timedelta(days=380),
            )
        )
    rounds = RecruitmentRound.objects.bulk_create(rounds)

    projects = Project.objects.bulk_create(
        Project(
            programme=programme,
            name=name,
            domain=domain,
            summary="为有需要的受助对象提供心理疏导、精神慰藉、资源链接、能力提升、社会融入等服务。",
            host_station=stations[i] if i < len(stations) else None,
            host_community="" if i < len(stations) else f"示范社区{i + 1}",
            operator=operators[i % len(operators)] if operators else None,
            start_date=programme.start_date,
            end_date=today + datetime.timedelta(days=365),
            budget=Decimal("40000.00"),
            status="running",
        )
        for i, (name, domain) in enumerate(PROJECTS)
    )
    steps = []
    for project in projects:
        for step in StandardStep.values:
            done = STEP_ORDER[step] <= 5
            steps.append(
                ProjectStep(
                    project=project,
                    step=step,
                    position=STEP_ORDER[step],
                    status=StepStatus.DONE if done else StepStatus.IN_PROGRESS,
                    done_on=programme.start_date + datetime.timedelta(days=20 * STEP_ORDER[step])
                    if done
                    else None,
                )
            )
    ProjectStep.objects.bulk_create(steps)
    quotas = [RoundQuota(round=r, project=p, seats=6) for r in rounds for p in projects]
    RoundQuota.objects.bulk_create(quotas)

    # ~220 graduates: accounts, applications, preferences, teams.
    group = Group.objects.get(name=Role.APPLICANT.value)
    users = []
    names = []
    for n in range(GRADUATES_PER_ROUND * 4):
        name = _name(rng)
        names.append(name)
        user = User(email=f"graduate{n + 1:03d}@demo.xcsw.org.cn", display_name=name)
        user.set_unusable_password()
        users.append(user)
    users = User.objects.bulk_create(users)
    User.groups.through.objects.bulk_create(
        User.groups.through(user_id=u.pk, group_id=group.pk) for u in users
    )
    EmailAddress.objects.bulk_create(
        EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users
    )
    applications = []
    for index, user in enumerate(users):
        round_ = rounds[index // GRADUATES_PER_ROUND]
        project = projects[index % len(projects)]
        if round_.number < 3:
            status = ApplicationStatus.COMPLETED if index % 9 else ApplicationStatus.WITHDRAWN
        elif round_.number == 3:
            status = ApplicationStatus.SERVING
        else:
            status = [
                ApplicationStatus.SUBMITTED,
                ApplicationStatus.SCREENED,
                ApplicationStatus.INTERVIEWED,
                ApplicationStatus.OFFERED,
                ApplicationStatus.ACCEPTED,
            ][index % 5]
        seated = status not in (
            ApplicationStatus.SUBMITTED,
            ApplicationStatus.SCREENED,
            ApplicationStatus.INTERVIEWED,
        )
        applications.append(
            Application(
                round=round_,
                applicant=user,
                name=names[index],
                gender=rng.choice(["male", "female", "female"]),
                mobile=f"139{index:08d}",
                university=rng.choice(UNIVERSITIES),
                major=rng.choice(MAJORS[:4]),
                degree=rng.choice([Degree.BACHELOR, Degree.BACHELOR, Degree.MASTER]),
                graduation_year=round_.closes_on.year,
                resume=pdf,
                status=status,
                project=project if seated else None,
                decision_reason="服务期内考取公务员"
                if status == ApplicationStatus.WITHDRAWN
                else "",
                completed_on=round_.service_ends_on
                if status == ApplicationStatus.COMPLETED
                else None,
                certificate_number=f"BYS-{round_.service_ends_on.year}-{index + 1:04d}"
                if status == ApplicationStatus.COMPLETED
                else None,
            )
        )
    applications = Application.objects.bulk_create(applications)
    Preference.objects.bulk_create(
        Preference(application=a, project=projects[i % len(projects)], rank=1)
        for i, a in enumerate(applications)
    )
    ApplicationTransition.objects.bulk_create(
        ApplicationTransition(application=a, from_status="", to_status="submitted", by=a.applicant)
        for a in applications
    )
    TeamMember.objects.bulk_create(
        TeamMember(
            project=a.project,
            user=a.applicant,
            name=a.name,
            role=TeamRole.MEMBER,
            application=a,
            joined_on=a.round.service_starts_on,
            left_on=a.completed_on if a.status == ApplicationStatus.COMPLETED else None,
        )
        for a in applications
        if a.status
        in (ApplicationStatus.ACCEPTED, ApplicationStatus.SERVING, ApplicationStatus.COMPLETED)
    )
    mentor = User.objects.filter(email="station@demo.xcsw.org.cn").first()
    if mentor is not None:
        TeamMember.objects.bulk_create(
            [
                TeamMember(
                    project=projects[0],
                    user=mentor,
                    name=mentor.display_name,
                    role=TeamRole.MENTOR,
                    joined_on=programme.start_date,
                )
            ]
        )
    applicant = User.objects.filter(email="applicant@demo.xcsw.org.cn").first()
    if applicant is not None:
        mine = Application.objects.create(
            round=rounds[3],
            applicant=applicant,
            name="孙悦",
            gender="female",
            mobile="13800138888",
            university="许昌学院",
            major="社会工作",
            degree=Degree.BACHELOR,
            graduation_year=today.year,
            resume=pdf,
        )
        Preference.objects.create(application=mine, project=projects[0], rank=1)
        Preference.objects.create(application=mine, project=projects[2], rank=2)
        ApplicationTransition.objects.create(
            application=mine, from_status="", to_status="submitted", by=applicant
        )

    # Service activities: 16 themed activities for elders living alone (~3,000 person-times)
    recorder = staff or users[0]
    activities = []
    start = programme.start_date + datetime.timedelta(days=60)
    for n in range(16):
        people = rng.randint(45, 70)
        activities.append(
            ServiceActivity(
                project=projects[0],
                date=start + datetime.timedelta(days=35 * n),
                kind=ActivityKind.THEMED,
                title=f"“幸福颐养”独居老人主题活动第{n + 1}期",
                target_group="独居老人",
                beneficiaries=people,
                person_times=rng.randint(178, 198),
                narrative="健康讲座、精神慰藉与结对探访。",
                recorded_by=recorder,
            )
        )
    kinds = [ActivityKind.CASE, ActivityKind.GROUP, ActivityKind.VISIT]
    for n in range(60):
        project = projects[1 + n % (len(projects) - 1)]
        people = rng.randint(3, 12)
        activities.append(
            ServiceActivity(
                project=project,
                date=start + datetime.timedelta(days=9 * n),
                kind=kinds[n % 3],
                title=f"{project.name}服务{n + 1}",
                target_group=rng.choice(
                    ["留守儿童", "社区矫正对象", "残疾人", "困难家庭", "社区居民"]
                ),
                beneficiaries=people,
                person_times=people + rng.randint(0, 10),
                recorded_by=recorder,
            )
        )
    ServiceActivity.objects.bulk_create([a for a in activities if a.date <= today])

    # 22 practice bases and ~3,200 student participations.
    bases = PracticeBase.objects.bulk_create(
        PracticeBase(
            name=f"城乡社区社会工作实习实践基地（第{n + 1}号）",
            university=UNIVERSITIES[n % len(UNIVERSITIES)],
            host_station=stations[n] if n < len(stations) else None,
            host_community="" if n < len(stations) else f"实践社区{n + 1}",
            region=counties[n % len(counties)],
            capacity=20,
            agreement_starts_on=programme.start_date,
            agreement_ends_on=programme.start_date + datetime.timedelta(days=365 * 3),
            contact_name=_name(rng),
        )
        for n in range(22)
    )
    participations = []
    for n in range(3210):
        base = bases[n % len(bases)]
        begins = base.agreement_starts_on + datetime.timedelta(days=(n * 7) % 640)
        participations.append(
            PracticeParticipation(
                base=base,
                student_name=_name(rng),
                university=base.university,
                major=rng.choice(MAJORS),
                starts_on=begins,
                ends_on=begins + datetime.timedelta(days=rng.randint(1, 20)),
                hours=Decimal(rng.choice([4, 8, 16, 40])),
                activity=rng.choice(["实习实践", "志愿服务", "社会公益活动"]),
            )
        )
    PracticeParticipation.objects.bulk_create(participations, batch_size=1000)

    # The expert pool: 57 experts from the counties.
    experts = []
    for domain, count, qualification in EXPERTS:
        for n in range(count):
            experts.append(
                Expert(
                    name=_name(rng),
                    domain=domain,
                    county=counties[(len(experts) + n) % len(counties)],
                    workplace=rng.choice(
                        [
                            "许昌市人民医院",
                            "许昌学院",
                            "魏都区社工站",
                            "禹州市律师事务所",
                            "长葛市家庭教育指导中心",
                        ]
                    ),
                    qualifications=f"{qualification}，从业{rng.randint(3, 20)}年",
                    max_load=3,
                    joined_on=programme.start_date,
                )
            )
    expert_user = User.objects.filter(email="expert@demo.xcsw.org.cn").first()
    if expert_user is not None:
        social_care = next(e for e in experts if e.domain == ExpertDomain.SOCIAL_CARE)
        social_care.user = expert_user
        social_care.name = "赵磊"
    experts = Expert.objects.bulk_create(experts)

    officer = User.objects.filter(email="officer@demo.xcsw.org.cn").first()
    if officer is None or staff is None:
        _say(stdout, "公益项目演示数据已生成（没有演示负责人账户，未生成司法转介）")
        return
    letter = _demo_file()
    fictional = [
        ("甄小虚", "虚构实验中学", False),
        ("贾某某", "虚构第一小学", True),
        ("测小例", "虚构职业学校", False),
    ]
    investigator = next(
        (e for e in experts if e.user_id and e.domain == ExpertDomain.SOCIAL_CARE), None
    )
    for n, (minor, school, sealed) in enumerate(fictional):
        received = today - datetime.timedelta(days=20 - n * 5)
        with demo_clock(received):
            referral = referrals.referral_register(
                referral=Referral(
                    referring_body=ReferringBody.COURT if n != 2 else ReferringBody.PROCURATORATE,
                    body_name="许昌市中级人民法院（演示）"
                    if n != 2
                    else "许昌市人民检察院（演示）",
                    case_number=f"（演示）豫10刑初{100 + n}号",
                    received_on=received,
                    deadline=today + datetime.timedelta(days=10 + n * 5),
                    services=[ReferralService.INVESTIGATION, ReferralService.COUNSELLING],
                    commission_letter=letter,
                    county=counties[n % len(counties)],
                    sealed=sealed,
                    designated_officer=officer,
                    minor_name=minor,
                    minor_gender="male" if n % 2 else "female",
                    minor_birth_date=f"{today.year - 15}-0{n + 3}-15",
                    minor_school=school,
                    minor_address=f"虚构市虚构路{n + 1}号（演示）",
                    guardian_name=f"{minor[0]}家长",
                    guardian_relation="母亲",
                    guardian_phone="13000000000",
                ),
                by=staff,
            )
            if investigator is None:
                continue
            assignment = referrals.assignment_create(
                referral=referral,
                expert=investigator,
                service=ReferralService.INVESTIGATION,
                by=officer,
            )
        if n != 0:
            continue  # offered: waiting for the expert's answer
        # The first referral, worked through: the expert accepts, the guardian consents
        # to counselling, two investigation sessions, the report written and delivered.
        expert_user = investigator.user
        with demo_clock(received + datetime.timedelta(days=1)) as clock:
            referrals.assignment_accept(assignment=assignment, by=expert_user)
            referrals.consent_record(
                consent=Consent(
                    party=ConsentParty.GUARDIAN,
                    services=[ReferralService.COUNSELLING],
                    recorded_on=clock.today(),
                    method="书面签字",
                ),
                referral=referral,
                by=expert_user,
            )
            for days, summary in (
                (2, "家访：了解家庭结构、监护状况和成长经历（演示）。"),
                (6, "学校走访：了解在校表现和同伴关系（演示）。"),
            ):
                clock.set(received + datetime.timedelta(days=days), 15)
                referrals.session_log(
                    assignment=assignment,
                    by=expert_user,
                    date=clock.today(),
                    minutes=90,
                    summary=summary,
                )
            clock.set(received + datetime.timedelta(days=9), 10)
            referrals.report_save(
                referral=referral,
                by=expert_user,
                sections={
                    "family": "父母离异，随母亲生活，母亲务工收入不稳定（虚构）。",
                    "upbringing": "幼年由祖父母照看，亲子沟通较少（虚构）。",
                    "schooling": "初中在读，成绩中等，近期出勤下降（虚构）。",
                    "peers": "结交校外青年，受其影响较大（虚构）。",
                    "behaviour": "到案后认错态度较好，有悔改表现（虚构）。",
                    "support": "母亲愿意配合，学校同意接纳返校（虚构）。",
                    "opinion": "建议给予教育挽救，并开展家庭教育指导和心理疏导（演示）。",
                },
                finalise=True,
            )
            clock.set(received + datetime.timedelta(days=10), 9)
            referrals.report_deliver(referral=referral, by=officer, on=clock.today())
    _say(stdout, "公益项目演示数据已生成 / projects demo data seeded")
