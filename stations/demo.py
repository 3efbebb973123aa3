"""Demo data: 106 stations of 许昌 (103 townships and 3 functional-zone streets) built under
“一年起步、两年铺开、三年建成” (2021–2023), their staff taken from the members demo's social
workers, 26 months of monthly reports with late, missing and returned ones, the build
plan, “五有” checklists, contracts and two years of assessments.

Idempotent (skips when the stations exist) and deterministic (fixed seed); bulk inserts.
The demo user station@demo.xcsw.org.cn works at the first station of 魏都区 when the
members demo made a social worker for that user (otherwise the note below says so).
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

import pgtrigger
from dateutil.relativedelta import relativedelta
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.utils import timezone

from association.regions.choices import Level
from association.regions.models import Region
from association.services import history_context

from .choices import (
    AssessmentStatus,
    ChecklistItem,
    ReportAction,
    ReportStatus,
    StaffRole,
    StationStatus,
)
from .models import (
    Assessment,
    AssessmentIndicator,
    AssessmentRound,
    AssessmentScore,
    BuildTarget,
    ChecklistEntry,
    ReportEvent,
    ServiceArea,
    ServiceContract,
    ServiceReport,
    ServiceReportLine,
    StaffAssignment,
    Station,
    StationStatusChange,
    WorkKind,
)
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


def _insert_reports(reports, pending_lines) -> None:
    ServiceReport.objects.bulk_create(reports, batch_size=1000)
    ServiceReportLine.objects.bulk_create(
        (
            ServiceReportLine(report=report, area=area, kind=kind, activities=n, person_times=p)
            for report, cells in zip(reports, pending_lines, strict=True)
            for area, kind, n, p in cells
        ),
        batch_size=5000,
    )


def seed(stdout=None):
    """Seed the demo (its history says "seed_demo", however it is called)."""
    with history_context("seed_demo"):
        return _seed(stdout)


def _seed(stdout):
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
    from association.accounts.models import User

    today = timezone.localdate()
    staff_user = User.objects.filter(email="staff@demo.xcsw.org.cn").first()
    station_user = User.objects.filter(email="station@demo.xcsw.org.cn").first()
    operators = list(Organisation.objects.filter(kind="social_work_agency").order_by("id"))
    first_operator = operators[0] if operators else None

    # --- stations and their status history -----------------------------------------
    opens = _open_dates(rng, townships)
    stations, changes = [], []
    county_operator = {}
    for township in townships:
        county = township.parent
        if operators and county.pk not in county_operator:
            county_operator[county.pk] = operators[len(county_operator) % len(operators)]
        operator = county_operator.get(county.pk)
        if operators and rng.random() < 0.35:
            operator = rng.choice(operators)
        stations.append(
            Station(
                region=township,
                name=f"{township.name}社会工作服务站",
                operator=operator,
                address=f"{county.name}{township.name}便民服务中心{rng.randint(1, 3)}楼",
                contact_name="站长",
                contact_phone=f"0374-{rng.randint(2000000, 8999999)}",
                opened_on=opens[township.pk],
            )
        )
    # The demo organisation admin's organisation runs the first station of the city.
    if first_operator is not None:
        stations[0].operator = first_operator
    histories = {}
    for index, station in enumerate(stations):
        opened = station.opened_on
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
        history = [(day, status) for day, status in history if day <= today]
        histories[index] = history
        station.current_status = history[-1][1] if history else StationStatus.PLANNED
    # One station closed and replaced by a new operator's station in the same street.
    replaced = 40
    closed_on = max(
        datetime.date(2023, 6, 30), stations[replaced].opened_on + datetime.timedelta(60)
    )
    old = stations[replaced]
    old_station = Station(
        region=old.region,
        name=f"{old.region.name}社会工作服务站（原）",
        operator=operators[-1] if operators else None,
        address=old.address,
        opened_on=old.opened_on.replace(day=1) - relativedelta(months=10),
        closed_on=closed_on,
        current_status=StationStatus.CLOSED,
    )
    histories["old"] = [
        (old_station.opened_on - relativedelta(months=3), StationStatus.BUILDING),
        (old_station.opened_on, StationStatus.OPERATING),
        (closed_on, StationStatus.CLOSED),
    ]
    old.opened_on = closed_on + datetime.timedelta(days=62)
    histories[replaced] = [
        (closed_on + datetime.timedelta(days=20), StationStatus.BUILDING),
        (old.opened_on, StationStatus.OPERATING),
    ]
    Station.objects.bulk_create([old_station, *stations])
    areas = list(ServiceArea.objects.all())
    kinds = list(WorkKind.objects.all())
    for station in [old_station, *stations]:
        station.service_areas.set(rng.sample(areas, k=rng.randint(4, len(areas))))
    for key, history in histories.items():
        station = old_station if key == "old" else stations[key]
        for day, status in history:
            changes.append(
                StationStatusChange(
                    station=station, status=status, effective_on=day, note="演示数据"
                )
            )
    StationStatusChange.objects.bulk_create(changes)
    all_stations = [old_station, *stations]

    # --- build plan 2021–2023 --------------------------------------------------------
    by_county: dict[int, list] = {}
    for township in townships:
        by_county.setdefault(township.parent_id, []).append(township)
    targets = []
    for county_id, members in by_county.items():
        for year, share in ((2021, 0.3), (2022, 0.7), (2023, 1.0)):
            targets.append(
                BuildTarget(
                    county_id=county_id,
                    year=year,
                    due_on=datetime.date(year, 12, 31),
                    target_operating=max(1, round(len(members) * share)),
                    note="一年起步、两年铺开、三年建成",
                )
            )
    BuildTarget.objects.bulk_create(targets)

    # --- checklist and contracts -------------------------------------------------------
    checklist, contracts = [], []
    for station in stations:
        for item in ChecklistItem:
            checklist.append(
                ChecklistEntry(
                    station=station,
                    item=item,
                    is_met=rng.random() > 0.06,
                    note="演示核查记录",
                    checked_on=station.opened_on + datetime.timedelta(days=30),
                )
            )
        for year in range(station.opened_on.year, today.year + 1):
            start = max(datetime.date(year, 1, 1), station.opened_on)
            contracts.append(
                ServiceContract(
                    station=station,
                    year=year,
                    purchaser=f"{station.region.parent.name}民政局",
                    amount=Decimal(rng.randrange(150, 300)) * 1000,
                    starts_on=start,
                    ends_on=datetime.date(year, 12, 31),
                    number=f"XCMZ-{year}-{station.region.code[-6:]}",
                )
            )
    ChecklistEntry.objects.bulk_create(checklist)
    ServiceContract.objects.bulk_create(contracts)

    # --- staff from the members demo's social workers -------------------------------------
    # Not the demo's logins (their own pages are set up below); members who applied on
    # the portal have accounts without a known password and staff stations like anyone.
    busy = set(StaffAssignment.objects.values_list("worker_id", flat=True))
    logins = User.objects.exclude(password__startswith=UNUSABLE_PASSWORD_PREFIX)
    pool = list(SocialWorker.objects.exclude(pk__in=busy).exclude(user__in=logins).order_by("id"))
    rng.shuffle(pool)
    own = SocialWorker.objects.filter(user=station_user).first() if station_user else None
    assignments, linked = [], None
    for index, station in enumerate(stations):
        size = 1 if index % 13 == 5 else rng.choice([2, 2, 3])
        for position in range(size):
            worker = (
                own if (index == 0 and position == 1 and own) else (pool.pop() if pool else None)
            )
            if worker is None:
                break
            if worker is own:
                linked = station
            assignments.append(
                StaffAssignment(
                    station=station,
                    worker=worker,
                    role=StaffRole.HEAD if position == 0 else StaffRole.RESIDENT,
                    starts_on=station.opened_on,
                )
            )
    StaffAssignment.objects.bulk_create(assignments)

    # --- monthly reports -------------------------------------------------------------------
    last = last_month(today)
    months = month_range(last - relativedelta(months=25), last)
    history = StatusHistory.for_stations([s.pk for s in all_stations])
    reports, pending_lines, events = [], [], []
    for station in all_stations:
        scale = rng.uniform(0.6, 1.6)
        for month in months:
            if not history.operating_in_month(station.pk, month):
                continue
            if station is linked and month == last:
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
            submitted_at = timezone.make_aware(
                datetime.datetime.combine(submitted_day, datetime.time(9 + rng.randint(0, 8)))
            )
            area = rng.choice(areas)
            report = ServiceReport(
                station=station,
                month=month,
                status=status,
                volunteers=rng.randint(0, 40),
                narrative=rng.choice(NARRATIVES).format(area=area.name),
                first_submitted_at=None if status == ReportStatus.DRAFT else submitted_at,
                submitted_at=None if status == ReportStatus.DRAFT else submitted_at,
                submitted_by=station_user if station is linked else None,
            )
            if status in (ReportStatus.APPROVED, ReportStatus.RETURNED):
                report.reviewed_by = staff_user
                report.reviewed_at = submitted_at + datetime.timedelta(days=2)
                if status == ReportStatus.RETURNED:
                    report.review_comment = rng.choice(RETURN_COMMENTS)
            season = 1.3 if month.month in (1, 2, 9, 10) else 1.0
            cells = []
            for cell_area in areas:
                for kind in kinds:
                    if rng.random() < 0.7:
                        continue
                    activities = max(1, round(rng.randint(1, 6) * scale * season))
                    person_times = activities * rng.randint(2, 15)
                    cells.append((cell_area, kind, activities, person_times))
            report.total_activities = sum(c[2] for c in cells)
            report.total_person_times = sum(c[3] for c in cells)
            reports.append(report)
            pending_lines.append(cells)
    # Demo history needs no change log of its own: skip the audit triggers for the bulk rows.
    with pgtrigger.ignore(
        "stations.ServiceReport:insert_insert", "stations.ServiceReportLine:insert_insert"
    ):
        _insert_reports(reports, pending_lines)
    if staff_user is not None:
        for report in reports:
            if report.status in (ReportStatus.APPROVED, ReportStatus.RETURNED):
                action = (
                    ReportAction.APPROVE
                    if report.status == ReportStatus.APPROVED
                    else ReportAction.RETURN
                )
                events.append(
                    ReportEvent(
                        report=report,
                        action=action,
                        from_status=ReportStatus.SUBMITTED,
                        to_status=report.status,
                        by=staff_user,
                        comment=report.review_comment,
                    )
                )
        ReportEvent.objects.bulk_create(events, batch_size=2000)

    # The demo station worker lands on the report being written now: a draft of last
    # month, started and saved through the services as the worker would.
    if linked is not None and station_user is not None:
        from .services import report_save, report_start

        if history.operating_in_month(linked.pk, last):
            draft = report_start(station=linked, month=last, by=station_user)
            report_save(
                report=draft,
                by=station_user,
                lines={(areas[0], kinds[0]): (3, 24)},
                volunteers=2,
                narrative="本月已开展入户走访，其余服务数据待补充。",
            )

    # --- assessments of the last two full years -----------------------------------------------
    assessed = 0
    for year in (today.year - 2, today.year - 1):
        round_, _created = AssessmentRound.objects.get_or_create(
            year=year, defaults={"title": f"{year}年度乡镇（街道）社工站考核"}
        )
        indicators = [
            AssessmentIndicator.objects.get_or_create(
                round=round_,
                name=name,
                defaults={
                    "weight": weight,
                    "maximum": Decimal(10),
                    "guidance": guidance,
                    "order": i,
                },
            )[0]
            for i, (name, weight, guidance) in enumerate(INDICATORS)
        ]
        rows, scores = [], []
        for station in stations:
            if station.opened_on.year > year:
                continue
            quality = rng.uniform(5.5, 9.8)
            raw = {
                ind.pk: Decimal(str(round(min(10, max(0, rng.gauss(quality, 1.0))), 1)))
                for ind in indicators
            }
            total = sum(
                (raw[ind.pk] / ind.maximum * ind.weight for ind in indicators), Decimal(0)
            ).quantize(Decimal("0.01"))
            assessment = Assessment(
                round=round_,
                station=station,
                status=AssessmentStatus.PUBLISHED,
                total=total,
                grade=round_.grade_for(total),
                comment="演示考核意见：服务扎实，台账规范，建议加强特色品牌建设。",
                assessor=staff_user,
                assessed_at=timezone.make_aware(datetime.datetime(year + 1, 1, 20, 10)),
            )
            rows.append(assessment)
            scores.append(raw)
        Assessment.objects.bulk_create(rows)
        AssessmentScore.objects.bulk_create(
            AssessmentScore(assessment=assessment, indicator_id=pk, score=score)
            for assessment, raw in zip(rows, scores, strict=True)
            for pk, score in raw.items()
        )
        assessed += len(rows)

    note = (
        f"；演示用户 station@demo.xcsw.org.cn 为“{linked.name}”的驻站社工"
        if linked
        else "；未找到演示用户 station@demo.xcsw.org.cn 的社工档案（需先有会员演示数据），"
        "未关联站点"
    )
    _say(
        stdout,
        f"社工站演示数据：{len(all_stations)} 个站点（含 1 个已撤销），"
        f"{len(assignments)} 名驻站人员，"
        f"{len(reports)} 份月报，{assessed} 份考核，{len(targets)} 条建设计划{note}",
    )
