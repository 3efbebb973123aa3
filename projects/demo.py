"""Demo data of the projects app (idempotent, deterministic), made through the services.

The graduate programme of seed-news.txt: 600,000 yuan, 4 recruitment rounds, about 220
graduates in community projects (each applies, is screened, interviewed, offered a seat,
accepts, signs the agreement, is trained and assessed, and completes or withdraws), ~730
training attendances, a few start-up grants, 16 themed activities for elders living alone
(~3,000 person-times), 22 practice bases with ~3,200 student participations; and the
juvenile centre's pool of 57 experts (19 counselling, 20 family education, 12 social
care, 6 legal) with a few clearly fictional referrals. expert@demo is one expert of the
pool; applicant@demo has applied to the open round.

Nothing is written into a table here: every row comes from a service, called at the
moment it happened on the demo's clock (``association.demo``). The programme's history is
a timeline of events (``_Timeline``): each event may schedule later ones (an application
submitted schedules its screening), and they run in the order of their moments, the clock
set to each in turn; an event after the present is not run (it has not happened yet)."""

from __future__ import annotations

import datetime
import heapq
import itertools
import random
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from association.demo import committed, demo_clock, moment
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
    StepStatus,
    TeamRole,
)
from .models import (
    Application,
    Consent,
    EligibilityRule,
    Expert,
    GrantMilestone,
    PracticeBase,
    PracticeParticipation,
    Programme,
    Project,
    RecruitmentRound,
    Referral,
    ServiceActivity,
    StartupGrant,
    TrainingSession,
)
from .services import activities, programmes, recruitment, referrals

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
# The cohort's training (days from the start of service, hours, title): ~730 attendances.
TRAINING = [
    (-2, "16.0", "岗前培训：社会工作伦理与服务规范"),
    (60, "8.0", "个案工作方法与记录"),
    (120, "8.0", "小组工作与社区活动策划"),
    (180, "8.0", "资源链接与政策运用"),
    (270, "8.0", "专业督导与自我照顾"),
]
WITHDRAW_AFTER = 100  # days into the service: a graduate leaves for a civil-service post
GRANTS = [  # (round, project, amount requested, awarded)
    (1, 0, "8000.00", True),
    (1, 2, "6000.00", True),
    (2, 4, "9000.00", False),
    (2, 1, "5000.00", True),
]


def programme_begins(today: datetime.date) -> datetime.date:
    """The day the programme's projects start (the programme opens 30 days before); the
    finance demo sets up the programme's fund and grant by it."""
    return today - datetime.timedelta(days=700)


def _say(stdout, text):
    if stdout is not None:
        stdout.write(text)


def _name(rng):
    return rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, 2))


def _demo_file() -> str:
    if not default_storage.exists(DEMO_PDF):
        default_storage.save(DEMO_PDF, ContentFile(b"%PDF-1.4\n% demo\n%%EOF\n"))
    return DEMO_PDF


class _Timeline:
    """Events in the order of their moments; an event may schedule later ones."""

    def __init__(self, now: datetime.datetime):
        self.now = now
        self.queue: list = []
        self.counter = itertools.count()

    def at(self, day, call, hour: int = 9) -> None:
        when = moment(day, hour)
        if when <= self.now:  # what lies after the present has not happened
            heapq.heappush(self.queue, (when, next(self.counter), call))

    def run(self) -> None:
        if not self.queue:
            return
        with demo_clock(self.queue[0][0]) as clock:
            while self.queue:
                when, _n, call = heapq.heappop(self.queue)
                clock.set(when)
                call()


def seed(stdout=None):
    """Seed the demo (its history says "seed_demo", however it is called)."""
    with history_context("seed_demo"):
        return _seed(stdout)


def _seed(stdout):
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
    staff = (
        User.objects.filter(email="staff@demo.xcsw.org.cn").first()
        or User.objects.filter(is_superuser=True).order_by("pk").first()
    )
    if staff is None:
        _say(stdout, "没有协会工作人员账户，跳过公益项目演示数据")
        return
    pdf = _demo_file()
    operators = list(Organisation.objects.order_by("pk")[:6])
    try:
        from stations.models import Station

        stations = list(Station.objects.order_by("pk")[:11])
    except ImportError:  # pragma: no cover - stations is installed below projects
        stations = []
    mentor = User.objects.filter(email="station@demo.xcsw.org.cn").first()
    applicant = User.objects.filter(email="applicant@demo.xcsw.org.cn").first()
    expert_user = User.objects.filter(email="expert@demo.xcsw.org.cn").first()

    begins = programme_begins(today)
    timeline = _Timeline(timezone.now())
    state: dict = {"rounds": [], "projects": [], "bases": []}

    def day(n: int) -> datetime.date:
        return begins + datetime.timedelta(days=n)

    # --- The programme, its rules and its projects ---------------------------------------
    def open_programme():
        state["programme"] = programme = programmes.programme_save(
            programme=Programme(
                name="毕业季社工计划",
                code=CODE,
                description="以社会公益服务项目为载体，招募高校应届毕业生到基层、到社区开展公益服务。",
                rules="《项目管理办法》《资金使用管理办法》《项目评估实施办法》；一项目一团队，清单化管理。",
                budget=Decimal("600000.00"),
                start_date=begins,
            ),
            by=staff,
        )
        for criterion, allowed, description in (
            (Criterion.GRADUATION_YEAR, f"{today.year - 2}-{today.year}", "应届及往届两年内毕业生"),
            (Criterion.MAJOR, "社会工作\n心理学\n社会学\n法学", "相关专业背景"),
        ):
            programmes.eligibility_rule_save(
                rule=EligibilityRule(
                    programme=programme,
                    criterion=criterion,
                    allowed=allowed,
                    description=description,
                ),
                by=staff,
            )

    def create_projects():
        programme = state["programme"]
        for i, (name, domain) in enumerate(PROJECTS):
            state["projects"].append(
                programmes.project_create(
                    project=Project(
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
                    ),
                    by=staff,
                )
            )
        if mentor is not None:
            programmes.team_member_add(
                project=state["projects"][0], user=mentor, role=TeamRole.MENTOR, by=staff
            )

    def step_done(position: int):
        for project in state["projects"]:
            step = project.steps.get(position=position)
            programmes.step_update(
                step=step, by=staff, status=StepStatus.DONE, done_on=timezone.localdate()
            )
            # the next step is under way (after training: assessment and supervision)
            for following in project.steps.filter(
                position__in=[position + 1, 7] if position == 5 else [position + 1]
            ):
                programmes.step_update(step=following, by=staff, status=StepStatus.IN_PROGRESS)

    timeline.at(day(-30), open_programme)
    timeline.at(day(0), create_projects)
    for position in sorted(STEP_ORDER.values()):
        if position <= 5:
            timeline.at(day(20 * position), lambda position=position: step_done(position), 16)

    # --- The rounds: each graduate from application to completion ------------------------
    names = [_name(rng) for _n in range(GRADUATES_PER_ROUND * 4)]
    particulars = [
        (
            rng.choice(["male", "female", "female"]),
            rng.choice(UNIVERSITIES),
            rng.choice(MAJORS[:4]),
            rng.choice([Degree.BACHELOR, Degree.BACHELOR, Degree.MASTER]),
        )
        for _n in range(GRADUATES_PER_ROUND * 4)
    ]

    def open_round(number: int, opens: datetime.date, closes: datetime.date):
        round_ = programmes.round_save(
            round_=RecruitmentRound(
                programme=state["programme"],
                number=number,
                name=f"第{number}批",
                opens_on=opens,
                closes_on=closes,
                service_starts_on=closes + datetime.timedelta(days=15),
                service_ends_on=closes + datetime.timedelta(days=380),
            ),
            by=staff,
        )
        state["rounds"].append(round_)
        for project in state["projects"]:
            programmes.quota_set(round_=round_, project=project, seats=6, by=staff)

    def submit(index: int, number: int):
        round_ = state["rounds"][number - 1]
        gender, university, major, degree = particulars[index]
        projects = state["projects"]
        first = projects[index % len(projects)]
        second = projects[(index + 3) % len(projects)]
        application = recruitment.application_submit(
            round_=round_,
            application=Application(
                name=names[index],
                gender=gender,
                mobile=f"139{index:08d}",
                university=university,
                major=major,
                degree=degree,
                graduation_year=round_.opens_on.year,
                resume=pdf,
            ),
            preferences=[first, second],
            # the account is made by the application (``user_create``); the demo's
            # graduates have no password (they never sign in)
            account={
                "email": f"graduate{index + 1:03d}@demo.xcsw.org.cn",
                "password": None,
                "display_name": names[index],
            },
        )
        state[index] = application
        if number == 4:
            _recruit_open_round(index, application, first)
        else:
            _recruit(index, application, first, round_)

    def _recruit(index, application, project, round_):
        closes, starts = round_.closes_on, round_.service_starts_on
        plus = datetime.timedelta
        timeline.at(
            closes + plus(days=2),
            lambda: recruitment.application_screen(
                application=application, by=staff, passed=True, note="材料齐全"
            ),
        )
        timeline.at(
            closes + plus(days=5),
            lambda: recruitment.interview_score_add(
                application=application, by=staff, score=Decimal(rng.randint(72, 95))
            ),
            14,
        )
        timeline.at(
            closes + plus(days=7),
            lambda: recruitment.application_offer(
                application=application, project=project, by=staff
            ),
        )
        timeline.at(
            closes + plus(days=8),
            lambda: recruitment.offer_accept(application=application, by=application.applicant),
            20,
        )
        timeline.at(
            starts - plus(days=5),
            lambda: recruitment.agreement_sign(
                application=application,
                by=staff,
                signed_on=timezone.localdate(),
                starts_on=round_.service_starts_on,
                ends_on=round_.service_ends_on,
                monthly_stipend=Decimal("2500.00"),
                signed_file=pdf,
            ),
        )
        if round_.number < 3 and index % 9 == 0:
            timeline.at(
                starts + plus(days=WITHDRAW_AFTER),
                lambda: recruitment.application_withdraw(
                    application=application, by=staff, reason="服务期内考取公务员"
                ),
            )
            return
        if mentor is not None and project == state["projects"][0]:
            for days, period in ((180, "中期考核"), (360, "期末考核")):
                timeline.at(
                    starts + plus(days=days),
                    lambda period=period: recruitment.assessment_record(
                        application=Application.objects.get(pk=application.pk),
                        by=mentor,
                        period=f"{round_.name}{period}",
                        score=Decimal(rng.randint(80, 96)),
                        strengths="服务态度认真，与服务对象关系良好。",
                    ),
                    15,
                )
        timeline.at(
            round_.service_ends_on + plus(days=1),
            lambda: recruitment.application_complete(
                application=application, by=staff, on=round_.service_ends_on
            ),
        )

    def _recruit_open_round(index, application, project):
        # the open round: the applications are at every stage of the pipeline
        stage = index % 5
        steps = [
            (
                6,
                lambda: recruitment.application_screen(
                    application=application, by=staff, passed=True
                ),
            ),
            (
                7,
                lambda: recruitment.interview_score_add(
                    application=application, by=staff, score=Decimal(rng.randint(72, 95))
                ),
            ),
            (
                8,
                lambda: recruitment.application_offer(
                    application=application, project=project, by=staff
                ),
            ),
            (
                9,
                lambda: recruitment.offer_accept(application=application, by=application.applicant),
            ),
        ]
        for days, call in steps[:stage]:
            timeline.at(today - datetime.timedelta(days=10 - days), call, 10)

    def train(round_number: int, offset: int, hours: str, title: str):
        round_ = state["rounds"][round_number - 1]
        session = recruitment.training_session_create(
            session=TrainingSession(
                programme=state["programme"],
                title=f"{round_.name}{title}",
                date=round_.service_starts_on + datetime.timedelta(days=offset),
                hours=Decimal(hours),
                trainer="许昌市社会工作指导中心",
                location="许昌市社会工作指导中心培训室",
            ),
            by=staff,
        )
        timeline.at(session.date, lambda: attend(session, round_), 17)

    def attend(session, round_):
        present = list(
            Application.objects.filter(
                round=round_,
                status__in=[ApplicationStatus.ACCEPTED, ApplicationStatus.SERVING],
            ).select_related("round__programme", "applicant__social_worker")
        )
        if present:
            recruitment.attendance_take(session=session, applications=present, by=staff)

    index = 0
    for number in range(1, 5):
        opens = today - datetime.timedelta(days=600 - (number - 1) * 180)
        closes = opens + datetime.timedelta(days=30)
        if number == 4:
            opens, closes = today - datetime.timedelta(days=10), today + datetime.timedelta(days=20)
        timeline.at(
            opens - datetime.timedelta(days=20),
            lambda number=number, opens=opens, closes=closes: open_round(number, opens, closes),
        )
        for n in range(GRADUATES_PER_ROUND):
            submit_on = opens + datetime.timedelta(days=n % 25 if number < 4 else n % 5)
            timeline.at(
                submit_on, lambda index=index, number=number: submit(index, number), 10 + n % 8
            )
            index += 1
        if number < 4:
            starts = closes + datetime.timedelta(days=15)
            for offset, hours, title in TRAINING:
                timeline.at(
                    starts + datetime.timedelta(days=offset - 14),
                    lambda number=number, offset=offset, hours=hours, title=title: train(
                        number, offset, hours, title
                    ),
                )
    if applicant is not None:

        def apply_myself():
            projects = state["projects"]
            recruitment.application_submit(
                round_=state["rounds"][3],
                application=Application(
                    name="孙悦",
                    gender="female",
                    mobile="13800138888",
                    university="许昌学院",
                    major="社会工作",
                    degree=Degree.BACHELOR,
                    graduation_year=today.year,
                    resume=pdf,
                ),
                preferences=[projects[0], projects[2]],
                user=applicant,
            )

        timeline.at(today - datetime.timedelta(days=8), apply_myself, 21)

    # --- Start-up grants: teams of serving graduates found community enterprises ---------
    def grant(round_number: int, project_index: int, requested: str, award: bool):
        round_ = state["rounds"][round_number - 1]
        project = state["projects"][project_index]
        member = (
            Application.objects.filter(
                round=round_, project=project, status=ApplicationStatus.SERVING
            )
            .select_related("applicant")
            .order_by("pk")
            .first()
        )
        if member is None:
            return
        startup = activities.grant_apply(
            grant=StartupGrant(
                team_name=f"{member.name}社区服务创业团队",
                plan=f"依托“{project.name}”，为服务对象提供持续的社区服务。",
                amount_requested=Decimal(requested),
            ),
            project=project,
            by=member.applicant,
        )
        applied = timezone.localdate()
        plus = datetime.timedelta
        timeline.at(
            applied + plus(days=7),
            lambda: activities.grant_review_start(grant=startup, by=staff),
        )

        def decide():
            amount = Decimal(requested)
            decided = activities.grant_decide(
                grant=startup,
                by=staff,
                award=award,
                note="方案可行，同意资助" if award else "市场调研不足，暂不资助",
                amount=amount if award else None,
                milestones=[
                    ("团队组建与场地落实", applied + plus(days=80), amount / 2),
                    ("首批服务对象签约", applied + plus(days=170), amount / 2),
                ]
                if award
                else [],
            )
            for milestone in GrantMilestone.objects.filter(grant=decided).order_by("due_on"):
                timeline.at(milestone.due_on, lambda m=milestone: achieve(m), 16)

        def achieve(milestone):
            # committed on the day: finance pays it then, from the programme's fund
            with committed():
                activities.milestone_achieve(milestone=milestone, by=staff, on=milestone.due_on)

        timeline.at(applied + plus(days=21), decide)

    for round_number, project_index, requested, award in GRANTS:
        starts = today - datetime.timedelta(days=600 - (round_number - 1) * 180 - 45)
        timeline.at(
            starts + datetime.timedelta(days=200),
            lambda r=round_number, p=project_index, q=requested, a=award: grant(r, p, q, a),
        )

    # --- Service activities: 16 themed activities for elders living alone (~3,000) -------
    def record(project_index: int, activity: ServiceActivity):
        activities.activity_record(
            activity=activity, project=state["projects"][project_index], by=staff
        )

    start = begins + datetime.timedelta(days=60)
    for n in range(16):
        people = rng.randint(45, 70)
        held = start + datetime.timedelta(days=35 * n)
        activity = ServiceActivity(
            date=held,
            kind=ActivityKind.THEMED,
            title=f"“幸福颐养”独居老人主题活动第{n + 1}期",
            target_group="独居老人",
            beneficiaries=people,
            person_times=rng.randint(178, 198),
            narrative="健康讲座、精神慰藉与结对探访。",
        )
        timeline.at(held, lambda activity=activity: record(0, activity), 18)
    kinds = [ActivityKind.CASE, ActivityKind.GROUP, ActivityKind.VISIT]
    for n in range(60):
        project_index = 1 + n % (len(PROJECTS) - 1)
        people = rng.randint(3, 12)
        held = start + datetime.timedelta(days=9 * n)
        activity = ServiceActivity(
            date=held,
            kind=kinds[n % 3],
            title=f"{PROJECTS[project_index][0]}服务{n + 1}",
            target_group=rng.choice(["留守儿童", "社区矫正对象", "残疾人", "困难家庭", "社区居民"]),
            beneficiaries=people,
            person_times=people + rng.randint(0, 10),
        )
        timeline.at(held, lambda activity=activity, p=project_index: record(p, activity), 18)

    # --- 22 practice bases and ~3,200 student participations -----------------------------
    base_rows = [
        PracticeBase(
            name=f"城乡社区社会工作实习实践基地（第{n + 1}号）",
            university=UNIVERSITIES[n % len(UNIVERSITIES)],
            host_station=stations[n] if n < len(stations) else None,
            host_community="" if n < len(stations) else f"实践社区{n + 1}",
            region=counties[n % len(counties)],
            capacity=20,
            agreement_starts_on=begins,
            agreement_ends_on=begins + datetime.timedelta(days=365 * 3),
            contact_name=_name(rng),
        )
        for n in range(22)
    ]

    def sign_bases():
        for base in base_rows:
            state["bases"].append(activities.practice_base_save(base=base, by=staff))

    timeline.at(day(-10), sign_bases)
    rosters: dict = {}
    for n in range(3210):
        base_index = n % len(base_rows)
        placed = begins + datetime.timedelta(days=(n * 7) % 640)
        term = (placed.year, (placed.month - 1) // 4)  # a university's roster each term
        rosters.setdefault((base_index, term), []).append(
            PracticeParticipation(
                student_name=_name(rng),
                university=base_rows[base_index].university,
                major=rng.choice(MAJORS),
                starts_on=placed,
                ends_on=placed + datetime.timedelta(days=rng.randint(1, 20)),
                hours=Decimal(rng.choice([4, 8, 16, 40])),
                activity=rng.choice(["实习实践", "志愿服务", "社会公益活动"]),
            )
        )
    for (base_index, _term), roster in rosters.items():
        timeline.at(
            min(p.starts_on for p in roster),
            lambda b=base_index, roster=roster: activities.participations_add(
                base=state["bases"][b], participations=roster, by=staff
            ),
            8,
        )

    # --- The expert pool: 57 experts from the counties ------------------------------------
    expert_rows = []
    for domain, count, qualification in EXPERTS:
        for n in range(count):
            expert_rows.append(
                Expert(
                    name=_name(rng),
                    domain=domain,
                    county=counties[(len(expert_rows) + n) % len(counties)],
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
                    joined_on=begins,
                )
            )
    if expert_user is not None:
        social_care = next(e for e in expert_rows if e.domain == ExpertDomain.SOCIAL_CARE)
        social_care.user = expert_user
        social_care.name = "赵磊"

    def enrol_experts():
        state["experts"] = [referrals.expert_save(expert=e, by=staff) for e in expert_rows]

    timeline.at(day(0), enrol_experts, 14)

    timeline.run()
    experts = state["experts"]

    officer = User.objects.filter(email="officer@demo.xcsw.org.cn").first()
    if officer is None:
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


# Stories of the programme's work (案例故事) for the public site, written and published by
# the association's staff; none names a minor, a school or an address.
STORIES = [
    (
        "社工站里的“四点半课堂”",
        "放学后无人照看的孩子，是不少乡镇家庭的难题。驻站社工联合村（社区）志愿者，在社工站开设“四点半课堂”，"
        "每周三次陪伴孩子完成作业、开展阅读和安全教育活动。\n\n"
        "半年来，课堂累计服务超过六百人次。家长们说，孩子放学后有了去处，自己外出务工也更安心。",
    ),
    (
        "从“心结”到“心桥”：一次家庭关系修复的陪伴",
        "一名初中生因与家人长期沟通不畅而情绪低落。经司法社工转介后，社工通过多次家访和亲子沟通小组，"
        "帮助家庭成员学习表达与倾听。\n\n"
        "三个月后，孩子重新回到课堂，家长也开始主动与学校老师沟通。社工将继续跟进，巩固服务成效。",
    ),
]


def seed_stories(stdout=None) -> int:
    """Publish the demo's stories through ``referrals.story_save`` and ``story_publish`` (the
    privacy check runs). Idempotent: nothing is done once the first story exists."""
    from association.accounts.models import User

    from .models import Story

    with history_context("seed_demo"):
        if Story.objects.filter(title=STORIES[0][0]).exists():
            return 0
        staff = User.objects.filter(email="staff@demo.xcsw.org.cn", is_active=True).first()
        if staff is None:
            return 0
        for title, body in STORIES:
            story = referrals.story_save(story=Story(title=title, body=body), by=staff)
            referrals.story_publish(story=story, by=staff)
        _say(stdout, f"案例故事：{len(STORIES)} 篇已发布")
        return len(STORIES)
