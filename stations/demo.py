"""Demo data: 106 stations of 许昌 (103 townships and 3 functional-zone streets) built under
“一年起步、两年铺开、三年建成” (2021–2023), their staff taken from the members demo's social
workers, 26 months of monthly reports with late, missing and returned ones, the build
plan, “五有” checklists, contracts and two years of assessments.

Built the way staff and the stations built it: the random draws (fixed seed, so the demo
is deterministic) first make a plan, then every step of the plan runs through the
stations services on its own day of the demo clock (``association.demo``), in the order
things happened: the build targets, a station registered as 建设中 and recorded 运营中 on
its opening day, its social workers assigned, its checklist checked and its contracts
registered, each month's report started, saved and submitted by the station's writer (its
operator's admin, as a bulk submission would; the demo station worker for that user's
station) and approved or returned by staff two days later, the assessments scored and
published in January. Nothing writes a row past a service.

Each operator organisation without an admin gets a demo admin account
(``operatorNN@demo.xcsw.org.cn``, the demo password): a station's reports are written by
someone who may write them. Idempotent (skips when the stations exist). The demo user
station@demo.xcsw.org.cn works at the first station of 魏都区 when the members demo made a
social worker for that user (otherwise the note below says so).
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.utils import timezone

from association.demo import moment
from association.regions.choices import Level
from association.regions.models import Region
from association.services import history_context

from . import services
from .choices import ChecklistItem, ReportStatus, StaffRole, StationStatus
from .models import ServiceArea, StaffAssignment, Station, WorkKind
from .selectors import StatusHistory, last_month, month_range, report_deadline

SEED = 20260104
CITY_CODE = "411000"
INDICATORS = [
    ("服务成效", 30, "个案、小组、社区活动的数量与质量，服务对象的改变。"),
    ("服务台账规范", 15, "月报按时报送、数据真实、一人一档完整。"),
    ("人员配备与持证", 15, "在岗社工不少于2人，持证比例不低于60%。"),
    ("制度建设", 10, "值班、督导、档案、安全等制度健全并上墙。"),
    ("群众满意度", 20, "随机回访服务对象的满意度。"),
    ("特色亮点", 10, "品牌项目、媒体报道、经验推广。"),
]
NARRATIVES = [
    "本月围绕{area}开展入户走访和个案跟进，链接镇村资源，为困难群众解决实际问题。",
    "本月开展“{area}”主题社区活动，联动志愿者服务居民，并完成服务对象一人一档更新。",
    "本月重点推进{area}工作，开展小组活动和政策宣传，建立服务对象需求清单。",
]
RETURN_COMMENTS = [
    "服务人次与台账记录不一致，请核对后重新报送。",
    "工作概述过于简略，请补充典型服务案例。",
    "个案数量明显高于上月，请说明原因或更正。",
]

# The public cards' opening hours (服务时间): most stations keep the township office's hours,
# some open on Saturday mornings, a few add summer hours.
SERVICE_HOURS = [
    "周一至周五 8:30—12:00，14:30—17:30",
    "周一至周五 8:30—12:00，14:30—17:30；周六上午 9:00—11:30",
    "周一至周五 8:00—12:00，15:00—18:00（夏季）",
]


def _say(stdout, text):
    if stdout is not None:
        stdout.write(text)


def _open_dates(rng, townships):
    """Operating dates in three waves: ~30 % in 2021, ~70 % by 2022, all by 2023."""
    order = list(townships)
    rng.shuffle(order)
    count = len(order)
    dates = {}
    for index, township in enumerate(order):
        share = index / count
        year = 2021 if share < 0.3 else 2022 if share < 0.7 else 2023
        dates[township.pk] = datetime.date(year, rng.randint(3, 11), rng.choice([1, 8, 15, 20]))
    return dates


def seed(stdout=None):
    """Seed the demo (its history says "seed_demo", however it is called)."""
    with history_context("seed_demo"):
        return _seed(stdout)


class _Plan:
    """The steps of the demo, each at its moment: ``add`` plans one (never after the real
    now: the services refuse the future), ``run`` takes them in time order (ties in the
    order they were planned) on the demo clock."""

    def __init__(self, now: datetime.datetime):
        self.now = now
        self.steps: list = []

    def add(self, day, step, hour: int = 9) -> None:
        self.steps.append((min(moment(day, hour), self.now), len(self.steps), step))

    def run(self) -> None:
        from association.demo import demo_clock

        if not self.steps:
            return
        self.steps.sort(key=lambda planned: planned[:2])
        with demo_clock(self.steps[0][0]) as clock:
            for at, _order, step in self.steps:
                if at > clock.at:
                    clock.set(at)
                step()


def _writers(operators, staff_user) -> dict:
    """The admin of each operator organisation, who writes its stations' reports (the
    first admin it has, else a demo account made an admin by staff)."""
    from association.accounts.choices import Role
    from association.accounts.demo import demo_user_ensure
    from members.models import OrganisationAdmin
    from members.services import organisation_admin_add

    writers = {}
    for number, organisation in enumerate(operators, start=1):
        existing = (
            OrganisationAdmin.objects.filter(organisation=organisation)
            .select_related("user")
            .order_by("id")
            .first()
        )
        if existing is not None:
            writers[organisation.pk] = existing.user
            continue
        user = demo_user_ensure(
            f"operator{number:02d}@demo.xcsw.org.cn", f"{organisation.name}管理员", Role.ORG_ADMIN
        )
        organisation_admin_add(organisation=organisation, user=user, by=staff_user)
        writers[organisation.pk] = user
    return writers


def _seed(stdout):
    from association.accounts.models import User
    from members.models import Organisation, SocialWorker

    rng = random.Random(SEED)
    townships = list(
        Region.objects.filter(level=Level.TOWNSHIP, parent__parent__code=CITY_CODE)
        .select_related("parent")
        .order_by("code")
    )
    if not townships:
        _say(stdout, "没有许昌市的乡镇区划，跳过社工站演示数据（先运行 setup_instance --demo）")
        return
    if Station.objects.filter(region__in=townships).exists():
        _say(stdout, "社工站演示数据已存在，跳过")
        return
    staff_user = User.objects.filter(email="staff@demo.xcsw.org.cn").first()
    if staff_user is None:
        _say(stdout, "没有演示用户 staff@demo.xcsw.org.cn，跳过社工站演示数据（先运行账户演示）")
        return
    today = timezone.localdate()
    plan = _Plan(timezone.now())
    station_user = User.objects.filter(email="station@demo.xcsw.org.cn").first()
    operators = list(Organisation.objects.filter(kind="social_work_agency").order_by("id"))
    first_operator = operators[0] if operators else None

    # --- the plan: stations and their status history ------------------------------------
    # (The random draws come in the order the demo always made them: same seed, same demo.)
    opens = _open_dates(rng, townships)
    specs = []
    county_operator = {}
    for township in townships:
        county = township.parent
        if operators and county.pk not in county_operator:
            county_operator[county.pk] = operators[len(county_operator) % len(operators)]
        operator = county_operator.get(county.pk)
        if operators and rng.random() < 0.35:
            operator = rng.choice(operators)
        specs.append(
            {
                "region": township,
                "name": f"{township.name}社会工作服务站",
                "operator": operator,
                "address": f"{county.name}{township.name}便民服务中心{rng.randint(1, 3)}楼",
                "contact_name": "站长",
                "contact_phone": f"0374-{rng.randint(2000000, 8999999)}",
                "service_hours": SERVICE_HOURS[len(specs) % len(SERVICE_HOURS)],
                "opened_on": opens[township.pk],
            }
        )
    # The demo organisation admin's organisation runs the first station of the city.
    if first_operator is not None:
        specs[0]["operator"] = first_operator
    histories = {}
    for index, spec in enumerate(specs):
        opened = spec["opened_on"]
        history = [
            (
                opened.replace(day=1) - relativedelta(months=rng.randint(3, 6)),
                StationStatus.BUILDING,
            ),
            (opened, StationStatus.OPERATING),
        ]
        if index in (17, 58):  # suspended for a few months in 2024 (site renovation)
            history += [
                (datetime.date(2024, 5 + index % 3, 1), StationStatus.SUSPENDED),
                (datetime.date(2024, 8 + index % 3, 1), StationStatus.OPERATING),
            ]
        histories[index] = [(day, status) for day, status in history if day <= today]
    # One station closed and replaced by a new operator's station in the same street.
    replaced = 40
    new = specs[replaced]
    closed_on = max(datetime.date(2023, 6, 30), new["opened_on"] + datetime.timedelta(60))
    old_opened = new["opened_on"].replace(day=1) - relativedelta(months=10)
    OLD = -1  # the closed station's key; the others are their index in ``specs``
    old_spec = {
        "region": new["region"],
        "name": f"{new['region'].name}社会工作服务站（原）",
        "operator": operators[-1] if operators else None,
        "address": new["address"],
        "opened_on": old_opened,
    }
    histories[OLD] = [
        (old_opened - relativedelta(months=3), StationStatus.BUILDING),
        (old_opened, StationStatus.OPERATING),
        (closed_on, StationStatus.CLOSED),
    ]
    new["opened_on"] = closed_on + datetime.timedelta(days=62)
    histories[replaced] = [
        (closed_on + datetime.timedelta(days=20), StationStatus.BUILDING),
        (new["opened_on"], StationStatus.OPERATING),
    ]
    spec_of = {OLD: old_spec, **dict(enumerate(specs))}
    keys = [OLD, *range(len(specs))]
    areas = list(ServiceArea.objects.all())
    kinds = list(WorkKind.objects.all())
    areas_of = {key: rng.sample(areas, k=rng.randint(4, len(areas))) for key in keys}

    made: dict[int, Station] = {}  # key -> the station, once registered

    def create(key, status, day):
        spec = spec_of[key]
        made[key] = services.station_create(
            by=staff_user,
            status=status,
            effective_on=day,
            service_areas=areas_of[key],
            **{field: value for field, value in spec.items() if field != "opened_on"},
        )

    def record(key, status, day):
        services.station_status_record(
            station=made[key], status=status, effective_on=day, by=staff_user
        )

    for key in keys:
        history = histories[key]
        if not history:
            plan.add(today, lambda key=key: create(key, StationStatus.PLANNED, None))
        for position, (day, status) in enumerate(history):
            step = create if position == 0 else record
            plan.add(day, lambda step=step, key=key, status=status, day=day: step(key, status, day))

    # --- the build plan 2021–2023, set in January of each year ---------------------------
    by_county: dict[int, list] = {}
    counties = {}
    for township in townships:
        by_county.setdefault(township.parent_id, []).append(township)
        counties[township.parent_id] = township.parent
    targets = 0
    for county_id, members in by_county.items():
        for year, share in ((2021, 0.3), (2022, 0.7), (2023, 1.0)):
            targets += 1
            n = max(1, round(len(members) * share))
            plan.add(
                datetime.date(year, 1, 15),
                lambda county=counties[county_id], year=year, n=n: services.build_target_set(
                    county=county,
                    year=year,
                    due_on=datetime.date(year, 12, 31),
                    target_operating=n,
                    note="一年起步、两年铺开、三年建成",
                    by=staff_user,
                ),
            )

    # --- the checklist a month after opening, a contract each year ------------------------
    for index, spec in enumerate(specs):
        checked_on = spec["opened_on"] + datetime.timedelta(days=30)
        results = {item: rng.random() > 0.06 for item in ChecklistItem}
        plan.add(
            checked_on,
            lambda index=index, results=results, day=checked_on: services.checklist_record(
                station=made[index],
                results=results,
                checked_on=day,
                note="演示核查记录",
                by=staff_user,
            ),
            hour=10,
        )
        for year in range(spec["opened_on"].year, today.year + 1):
            start = max(datetime.date(year, 1, 1), spec["opened_on"])
            amount = Decimal(rng.randrange(150, 300)) * 1000
            plan.add(
                start,
                lambda index=index, year=year, start=start, amount=amount: services.contract_record(
                    station=made[index],
                    year=year,
                    purchaser=f"{spec_of[index]['region'].parent.name}民政局",
                    amount=amount,
                    starts_on=start,
                    ends_on=datetime.date(year, 12, 31),
                    number=f"XCMZ-{year}-{spec_of[index]['region'].code[-6:]}",
                    by=staff_user,
                ),
                hour=11,
            )

    # --- staff from the members demo's social workers, from the opening day ---------------
    # Not the demo's logins (their own pages are set up below); members who applied on
    # the portal have accounts without a known password and staff stations like anyone.
    busy = set(StaffAssignment.objects.values_list("worker_id", flat=True))
    logins = User.objects.exclude(password__startswith=UNUSABLE_PASSWORD_PREFIX)
    pool = list(SocialWorker.objects.exclude(pk__in=busy).exclude(user__in=logins).order_by("id"))
    rng.shuffle(pool)
    own = SocialWorker.objects.filter(user=station_user).first() if station_user else None
    assignments, linked = 0, None
    for index, spec in enumerate(specs):
        size = 1 if index % 13 == 5 else rng.choice([2, 2, 3])
        for position in range(size):
            worker = (
                own if (index == 0 and position == 1 and own) else (pool.pop() if pool else None)
            )
            if worker is None:
                break
            if worker is own:
                linked = index
            assignments += 1
            plan.add(
                spec["opened_on"],
                lambda index=index, worker=worker, position=position: services.assignment_start(
                    station=made[index],
                    worker=worker,
                    role=StaffRole.HEAD if position == 0 else StaffRole.RESIDENT,
                    starts_on=spec_of[index]["opened_on"],
                    by=staff_user,
                ),
                hour=10,
            )

    # --- monthly reports: written and submitted after the month, reviewed two days on ------
    used = {spec["operator"].pk: spec["operator"] for spec in spec_of.values() if spec["operator"]}
    writers: dict = {}
    last = last_month(today)
    months = month_range(last - relativedelta(months=25), last)
    plan.add(
        months[0],
        lambda: writers.update(_writers(list(used.values()), staff_user)),
        hour=8,
    )
    history = StatusHistory(
        (key, day, status) for key in keys for day, status in sorted(histories[key])
    )
    reports: dict = {}
    counted = 0

    def writer_of(key):
        return station_user if key == linked else writers.get(spec_of[key]["operator"].pk)

    def draft_save(key, month, lines, volunteers, narrative):
        by = writer_of(key)
        report = services.report_start(station=made[key], month=month, by=by)
        services.report_save(
            report=report, by=by, lines=lines, volunteers=volunteers, narrative=narrative
        )

    def submit(batch):
        """An operator's bulk submission of its stations' reports of a month."""
        done = services.reports_submit_many(
            rows=[
                {
                    "station": made[key],
                    "month": month,
                    "lines": lines,
                    "volunteers": volunteers,
                    "narrative": narrative,
                }
                for key, month, lines, volunteers, narrative in batch
            ],
            by=writer_of(batch[0][0]),
        )
        for (key, month, *_rest), report in zip(batch, done, strict=True):
            reports[(key, month)] = report

    def approve(keys_months):
        services.reports_approve_many(
            reports=[reports[key_month] for key_month in keys_months], by=staff_user
        )

    def send_back(key, month, comment):
        services.report_return(report=reports[(key, month)], comment=comment, by=staff_user)

    # Each writer submits a month's reports in one go (those on time, then the late ones),
    # on the day the first of them was ready; staff review them two days on.
    batches: dict = {}  # (writer, month, late) -> [(at, row, status, comment)]
    for key in keys:
        scale = rng.uniform(0.6, 1.6)
        for month in months:
            if not history.operating_in_month(key, month):
                continue
            if key == linked and month == last:
                continue  # the demo worker's report of the month: a draft, below
            deadline = report_deadline(month)
            roll = rng.random()
            if month == last and today <= deadline:
                status = rng.choice([ReportStatus.DRAFT, ReportStatus.SUBMITTED, None])
            elif roll < 0.03:
                continue  # missing
            else:
                status = ReportStatus.RETURNED if roll < 0.06 else ReportStatus.APPROVED
                if month >= last - relativedelta(months=1) and roll > 0.8:
                    status = ReportStatus.SUBMITTED
            if status is None:
                continue
            late = rng.random() < 0.1
            submitted_day = min(
                deadline + datetime.timedelta(days=rng.randint(1, 12))
                if late
                else month + relativedelta(day=31) + datetime.timedelta(days=rng.randint(1, 5)),
                today,
            )
            at = moment(submitted_day, 9 + rng.randint(0, 8))
            area = rng.choice(areas)
            volunteers = rng.randint(0, 40)
            narrative = rng.choice(NARRATIVES).format(area=area.name)
            comment = rng.choice(RETURN_COMMENTS) if status == ReportStatus.RETURNED else ""
            season = 1.3 if month.month in (1, 2, 9, 10) else 1.0
            lines = {}
            for cell_area in areas:
                for kind in kinds:
                    if rng.random() < 0.7:
                        continue
                    activities = max(1, round(rng.randint(1, 6) * scale * season))
                    lines[(cell_area, kind)] = (activities, activities * rng.randint(2, 15))
            if not lines:  # nothing to submit: one home visit
                lines[(areas[0], kinds[0])] = (1, 2)
            if key != linked and spec_of[key]["operator"] is None:
                continue  # no one to write it
            counted += 1
            row = (key, month, lines, volunteers, narrative)
            if status == ReportStatus.DRAFT:
                plan.add(at, lambda row=row: draft_save(*row))
                continue
            writer = "station" if key == linked else spec_of[key]["operator"].pk
            batches.setdefault((writer, month, late), []).append((at, row, status, comment))
    # Staff work through the review queue in two sittings a month: the reports in on time,
    # two days after the last of them arrived, then the late ones.
    queues: dict = {}  # (month, late) -> [the last submission, approvals, returns]
    for (_writer, month, late), batch in batches.items():
        at = min(entry[0] for entry in batch)
        plan.add(at, lambda rows=[entry[1] for entry in batch]: submit(rows))
        queue = queues.setdefault((month, late), [at, [], []])
        queue[0] = max(queue[0], at)
        for _at, (key, month_, *_rest), status, comment in batch:
            if status == ReportStatus.APPROVED:
                queue[1].append((key, month_))
            elif status == ReportStatus.RETURNED:
                queue[2].append((key, month_, comment))
    for last_in, approved, returned in queues.values():
        reviewed = last_in + datetime.timedelta(days=2)
        for key, month, comment in returned:
            plan.add(
                reviewed,
                lambda key=key, month=month, comment=comment: send_back(key, month, comment),
            )
        if approved:
            plan.add(reviewed, lambda approved=approved: approve(approved))

    # The demo station worker lands on the report being written now: a draft of last
    # month, started and saved as the worker would.
    if linked is not None and station_user is not None and history.operating_in_month(linked, last):

        def draft():
            report = services.report_start(station=made[linked], month=last, by=station_user)
            services.report_save(
                report=report,
                by=station_user,
                lines={(areas[0], kinds[0]): (3, 24)},
                volunteers=2,
                narrative="本月已开展入户走访，其余服务数据待补充。",
            )

        plan.add(plan.now, draft)

    # --- assessments of the last two full years: opened in December, scored and published
    # in January ---------------------------------------------------------------------------
    rounds: dict = {}
    assessed = 0

    def open_round(year):
        from .models import AssessmentRound

        rounds[year] = AssessmentRound.objects.filter(year=year).first() or (
            services.assessment_round_create(
                year=year,
                title=f"{year}年度乡镇（街道）社工站考核",
                indicators=[
                    (name, Decimal(weight), Decimal(10), guidance)
                    for name, weight, guidance in INDICATORS
                ],
                by=staff_user,
            )
        )

    def score(year, index, raw):
        round_ = rounds[year]
        indicators = list(round_.indicators.order_by("order", "id"))
        assessment = services.assessment_score(
            round=round_,
            station=made[index],
            scores={ind.pk: value for ind, value in zip(indicators, raw, strict=True)},
            comment="演示考核意见：服务扎实，台账规范，建议加强特色品牌建设。",
            by=staff_user,
        )
        services.assessment_publish(assessment=assessment, by=staff_user)

    for year in (today.year - 2, today.year - 1):
        plan.add(datetime.date(year, 12, 1), lambda year=year: open_round(year))
        for index, spec in enumerate(specs):
            if spec["opened_on"].year > year:
                continue
            quality = rng.uniform(5.5, 9.8)
            raw = [
                Decimal(str(round(min(10, max(0, rng.gauss(quality, 1.0))), 1)))
                for _i in INDICATORS
            ]
            assessed += 1
            plan.add(
                datetime.date(year + 1, 1, 20),
                lambda year=year, index=index, raw=raw: score(year, index, raw),
                hour=10,
            )

    # --- and now it happens, day by day ------------------------------------------------------
    plan.run()

    linked_station = made.get(linked) if linked is not None else None
    note = (
        f"；演示用户 station@demo.xcsw.org.cn 为“{linked_station.name}”的驻站社工"
        if linked_station
        else "；未找到演示用户 station@demo.xcsw.org.cn 的社工档案（需先有会员演示数据），"
        "未关联站点"
    )
    _say(
        stdout,
        f"社工站演示数据：{len(made)} 个站点（含 1 个已撤销），"
        f"{assignments} 名驻站人员，"
        f"{counted} 份月报，{assessed} 份考核，{targets} 条建设计划{note}",
    )
