"""Build the benchmark dataset: ``python bench/generate.py --scale city|province [--seed N]``.

- ``city``: the demo instance (``setup_instance --demo``: 106 stations of 许昌，~500 social
  workers, 26 months of reports, every app's demo rows).
- ``province``: the city, then every township and street of Henan (``bench/data/
  henan_townships.csv``, the Ministry's table Xzqh20251231) with a station each (2,475 with
  the demo's closed one), social workers up to 25,000 with memberships and ~110,000 dues
  rows, and 63 months of monthly reports (~149,000 reports, ~1.3 M lines).
- ``tiny``: a handful of stations and workers on whatever townships exist (the test's scale).

Seeded and deterministic (``--seed``; dates count back from today, like the demo's).
Re-runnable on a kept database: each phase (people, stations, reports) runs in one
transaction and is skipped when its rows are already there, so a second run adds nothing.
Rows go in through ``bulk_create`` in batches, and report lines through COPY; the models'
constraints hold (the database checks them). The audit triggers of reports and their
lines are skipped, as the demo does for its bulk rows.
"""

from __future__ import annotations

import argparse
import datetime
import random
import sys
import time
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
HENAN = HERE / "data" / "henan_townships.csv"
SOURCE = "Xzqh20251231"
DEMO_STAFF = "staff@demo.xcsw.org.cn"  # the demo's staff account (association/accounts/demo.py)
DEFAULT_SEED = 20261201


@dataclass(frozen=True)
class Scale:
    name: str
    demo: bool  # the demo instance first (the city)
    regions: Path | None  # a region file to load on top
    workers: int  # social workers in all, demo included
    months: int  # months of reports of each generated station
    stations: int | None = None  # stations in all (None: one on every township)


SCALES = {
    "tiny": Scale("tiny", demo=False, regions=None, workers=30, months=3, stations=5),
    "city": Scale("city", demo=True, regions=None, workers=0, months=0, stations=0),
    "province": Scale("province", demo=True, regions=HENAN, workers=25_000, months=63),
}


def _say(out, text):
    if out is not None:
        out.write(text + "\n")
        out.flush()


class Step:
    def __init__(self, out, label):
        self.out, self.label = out, label

    def __enter__(self):
        self.start = time.perf_counter()
        _say(self.out, f"… {self.label}")
        return self

    def __exit__(self, *exc):
        if exc[0] is None:
            _say(self.out, f"  {self.label}: {time.perf_counter() - self.start:.1f} s")


def generate(scale: str = "city", seed: int = DEFAULT_SEED, out=sys.stdout) -> dict:
    """Build (or complete) the dataset of ``scale`` in the current database; returns counts."""
    from django.core.management import call_command

    spec = SCALES[scale]
    if spec.demo and _demo_seeded():
        # Seeding the demo again would post every generated paid dues to the books, one
        # voucher each (the finance demo posts whatever is paid and not posted), and refuse
        # those paid before the books opened. The instance is only brought up to date.
        with Step(out, "demo instance seeded: migrations only (setup_instance)"):
            call_command("setup_instance", stdout=out)
    elif spec.demo:
        with Step(out, "demo instance (setup_instance --demo)"):
            # The bench runs with the production settings (DEBUG=0, bench/run.py), in its own
            # database with bench-only keys: the demo's known passwords are meant here.
            call_command("setup_instance", demo=True, force=True, stdout=out)
    if spec.regions is not None:
        with Step(out, f"regions of {spec.regions.name}"):
            _load_regions(spec.regions, out)
    if spec.workers or spec.stations != 0:
        rng = random.Random(seed)
        _populate(spec, rng, out)
    from django.db import connection

    # What autovacuum gives a database in service: the planner's statistics of every table
    # (the organisations and regions were still estimated at their demo sizes) and the
    # visibility map that lets an index answer without reading the rows. Not in a
    # transaction (a test's dataset), where VACUUM cannot run.
    if not connection.in_atomic_block:
        with Step(out, "VACUUM (ANALYZE)"), connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE)")
    return counts(out)


def _demo_seeded() -> bool:
    """Whether this database holds the demo instance already (its staff account)."""
    from django.db import connection

    if "accounts_user" not in connection.introspection.table_names():
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM accounts_user WHERE email = %s", [DEMO_STAFF])
        return cursor.fetchone() is not None


def _load_regions(path: Path, out) -> None:
    from association.regions.services import regions_load
    from association.services import history_context

    with history_context("bench.generate"):
        report = regions_load(path.read_text(encoding="utf-8"), source=SOURCE)
    _say(out, f"  {len(report.created)} regions created")


def counts(out=None) -> dict:
    from members.models import Dues, Membership, Organisation, SocialWorker
    from stations.models import ServiceReport, ServiceReportLine, StaffAssignment, Station

    result = {
        "stations": Station.objects.count(),
        "organisations": Organisation.objects.count(),
        "social workers": SocialWorker.objects.count(),
        "memberships": Membership.objects.count(),
        "dues": Dues.objects.count(),
        "staff assignments": StaffAssignment.objects.count(),
        "monthly reports": ServiceReport.objects.count(),
        "report lines": ServiceReportLine.objects.count(),
    }
    _say(out, "  " + ", ".join(f"{k}: {v:,}" for k, v in result.items()))
    return result


# --- the generated rows ----------------------------------------------------------------


def _populate(spec: Scale, rng: random.Random, out) -> None:
    from django.db import transaction
    from django.utils import timezone

    from association.services import history_context
    from association.sql import checked_per_statement

    today = timezone.localdate()
    # Foreign keys checked per statement, as the portal's bulk writes do: deferred to
    # commit, they made every row's history trigger slower as the transaction grew.
    with history_context("bench.generate"):
        with (
            Step(out, "people (organisations, social workers, memberships, dues)"),
            transaction.atomic(),
            checked_per_statement(),
        ):
            _people(spec, random.Random(rng.random()), today, out)
        with (
            Step(out, "stations (status history, service areas, staff)"),
            transaction.atomic(),
            checked_per_statement(),
        ):
            _stations(spec, random.Random(rng.random()), today, out)
        with Step(out, "monthly reports and their lines"):
            _reports(spec, random.Random(rng.random()), today, out)
        with Step(out, "yearly sums of approved reports (rebuild_area_totals)"):
            # The reports above went in by bulk insert, past the approval services that
            # keep these sums: computed once from their lines, as the services would have.
            from stations.services import rebuild_area_totals

            rebuild_area_totals()


SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段钱汤尹黎易常武乔贺赖龚文"  # noqa: E501
BRANDS = ["阳光", "同心", "仁和", "启航", "善缘"]
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍鹏辉俊红燕晶建文宁琳欣悦晨浩宇子涵雨轩思佳梦瑶"  # noqa: E501


def _name(rng):
    return (
        rng.choice(SURNAMES) + rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.6 else "")
    )


def _townships_without_station(spec):
    from association.regions.models import Region
    from stations.models import Station

    taken = Station.objects.filter(closed_on__isnull=True).values("region")
    townships = (
        Region.objects.townships()
        .exclude(pk__in=taken)
        .select_related("parent", "parent__parent")
        .order_by("code")
    )
    if spec.stations is not None:
        townships = townships[: max(0, spec.stations - Station.objects.count())]
    return list(townships)


def _standards():
    from members.choices import MemberType
    from members.models import DuesStandard

    motion = None
    for member_type, amount in ((MemberType.UNIT, "1000.00"), (MemberType.INDIVIDUAL, "120.00")):
        if DuesStandard.objects.filter(
            member_type=member_type, effective_from=datetime.date(2019, 1, 1)
        ).exists():
            continue
        motion = motion or _dues_motion()
        DuesStandard.objects.create(
            member_type=member_type,
            effective_from=datetime.date(2019, 1, 1),
            amount=Decimal(amount),
            resolution="会员代表大会决议（基准测试数据）",
            motion_ref=motion.pk,
            adopted_on=datetime.date(2018, 12, 1),
        )
    standards = {}
    for standard in DuesStandard.objects.order_by("effective_from"):
        standards.setdefault(standard.member_type, []).append(standard)
    return standards


def _dues_motion():
    """The general meeting's passed secret motion that set the benchmark's dues (a dues
    standard needs one: a DB constraint)."""
    from django.utils import timezone

    from association.governance.models import Meeting, Motion, RuleSet
    from association.governance.rules import motion_outcome

    rules = RuleSet.objects.order_by("effective_from", "id").first()
    meeting = Meeting.objects.create(
        kind="general",
        title="会员代表大会（基准测试数据）",
        starts_at=timezone.make_aware(datetime.datetime(2018, 12, 1, 9)),
        place="协会会议室",
        agenda="审议会费标准",
        rule_set=rules,
        status="closed",
    )
    outcome = motion_outcome(
        entitled=30,
        present=27,
        yes=25,
        no=1,
        abstain=1,
        quorum_threshold=rules.quorum_threshold,
        pass_threshold=rules.pass_threshold,
    )
    return Motion.objects.create(
        meeting=meeting,
        number=1,
        title="关于会费标准的议案",
        text="单位会员每年1000元，个人会员每年120元。",
        kind="dues",
        vote_method="secret",
        threshold_numerator=rules.pass_numerator,
        threshold_denominator=rules.pass_denominator,
        threshold_strict=rules.pass_strict,
        status="decided",
        entitled=30,
        present=27,
        yes=25,
        no=1,
        abstain=1,
        passed=outcome.passed,
        arithmetic=outcome.text,
        decided_at=meeting.starts_at,
    )


def _next_numbers(key: str) -> int:
    from members.models import NumberSequence

    row = NumberSequence.objects.filter(key=key).first()
    return row.last if row else 0


def _set_number(key: str, last: int) -> None:
    from members.models import NumberSequence

    NumberSequence.objects.update_or_create(key=key, defaults={"last": last})


def _people(spec: Scale, rng, today, out) -> None:
    from members.choices import Gender, MembershipState, MemberType, OrganisationKind, Qualification
    from members.models import Dues, Membership, Organisation, SocialWorker
    from members.rules import Rules
    from members.services.standing import standing_refresh
    from members.validators import credit_code_check_char, id_check_char

    existing = SocialWorker.objects.count()
    missing = spec.workers - existing
    townships = _townships_without_station(spec)
    if missing <= 0:
        _say(out, f"  {existing:,} social workers already: skipped")
        return
    rules = Rules.from_settings()
    standards = _standards()

    # One operating agency per county whose townships get new stations.
    counties = {}
    for township in townships:
        counties.setdefault(township.parent_id, township)
    used_codes = set(Organisation.objects.values_list("credit_code", flat=True))
    organisations = []
    for _county_id, township in counties.items():
        county = township.parent
        while True:
            first17 = (
                "52" + county.code[:6] + "MJ" + "".join(rng.choice("0123456789") for _ in range(7))
            )
            code = first17 + credit_code_check_char(first17)
            if code not in used_codes:
                used_codes.add(code)
                break
        legal = _name(rng)
        organisations.append(
            Organisation(
                name=f"{county.name}{rng.choice(BRANDS)}社会工作服务中心",
                credit_code=code,
                kind=OrganisationKind.SOCIAL_WORK_AGENCY,
                legal_representative=legal,
                registration_authority=f"{county.name}民政局",
                registered_on=datetime.date(2014 + rng.randrange(8), rng.randint(1, 12), 1),
                registered_capital=Decimal(rng.choice([3, 5, 10])),
                business_scope="社会工作专业服务；社区服务；政府购买服务项目承接。",
                region=township,
                address=f"{county.name}{township.name}{rng.randrange(1, 300)}号",
                contact_name=legal,
                contact_phone=f"0{rng.randint(370, 399)}-{rng.randrange(2000000, 8999999)}",
            )
        )
    organisations = Organisation.objects.bulk_create(organisations, batch_size=1000)

    # Social workers across the province's townships, most of them certified.
    from association.regions.models import Region

    places = list(Region.objects.townships().order_by("code"))
    used_ids = set(SocialWorker.objects.values_list("id_number_index", flat=True))
    from association.crypto import blind_index

    workers = []
    for n in range(max(missing, 0)):
        region = rng.choice(places)
        employer = rng.choice(organisations) if organisations and rng.random() < 0.7 else None
        cert_year = rng.randrange(2012, today.year) if rng.random() < 0.9 else None
        roll = rng.random()
        qualification = (
            Qualification.NONE
            if cert_year is None
            else Qualification.ASSISTANT
            if roll < 0.68
            else Qualification.SOCIAL_WORKER
            if roll < 0.97
            else Qualification.SENIOR
        )
        cert_date = (
            datetime.date(cert_year, 6, 1) + datetime.timedelta(days=rng.randrange(180))
            if cert_year
            else None
        )
        registered = (
            min(cert_date + datetime.timedelta(days=rng.randrange(20, 300)), today)
            if cert_date
            else None
        )
        while True:
            birth = datetime.date(1965, 1, 1) + datetime.timedelta(days=rng.randrange(35 * 365))
            first17 = f"{region.code[:6]}{birth:%Y%m%d}{rng.randrange(1000):03d}"
            number = first17 + id_check_char(first17)
            if blind_index(number) not in used_ids:
                break
        worker = SocialWorker(
            name=_name(rng),
            gender=rng.choice([Gender.FEMALE, Gender.FEMALE, Gender.MALE]),
            mobile=f"1{rng.choice('3579')}{rng.randrange(100000000, 999999999)}",
            employer=employer,
            region=region,
            qualification=qualification,
            certificate_number=f"{cert_year}41{existing + n:07d}" if cert_year else "",
            certificate_date=cert_date,
            registered_on=registered,
        )
        worker.set_id_number(number)
        worker.sync_derived()
        used_ids.add(worker.id_number_index)
        workers.append(worker)
    workers = SocialWorker.objects.bulk_create(workers, batch_size=2000)

    # Memberships: every organisation, ~95 % of the workers (the rest have applied).
    parties = [(o, None) for o in organisations] + [(None, w) for w in workers]
    counters = {
        MemberType.UNIT: _next_numbers("member:XCSW-D"),
        MemberType.INDIVIDUAL: _next_numbers("member:XCSW-G"),
    }
    admitted = []
    memberships = []
    for organisation, worker in parties:
        since = datetime.date(2019, 1, 1) + datetime.timedelta(
            days=rng.randrange((today - datetime.date(2019, 1, 1)).days)
        )
        member_type = MemberType.UNIT if organisation else MemberType.INDIVIDUAL
        if worker is not None and rng.random() < 0.05:
            memberships.append(
                Membership(
                    member_type=member_type,
                    person=worker,
                    state=MembershipState.APPLIED,
                    applied_on=since,
                    application_note="申请加入协会（基准测试数据）",
                )
            )
            continue
        admitted.append((since, organisation, worker))
    admitted.sort(key=lambda a: (a[0], a[1].credit_code if a[1] else "", (a[2] and a[2].pk) or 0))
    for since, organisation, worker in admitted:
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
                decision_basis=f"理事会{since.year}年会议决议",
                verification_code=f"{rng.getrandbits(128):032x}",
            )
        )
    memberships = Membership.objects.bulk_create(memberships, batch_size=2000)
    _set_number("member:XCSW-D", counters[MemberType.UNIT])
    _set_number("member:XCSW-G", counters[MemberType.INDIVIDUAL])

    # Dues: one row a year since admission; most paid, some stop paying, some late this year.
    payments = []
    for membership in memberships:
        if membership.state != MembershipState.APPROVED:
            continue
        stops = membership.member_since.year + rng.randrange(1, 8) if rng.random() < 0.1 else 9999
        for year in range(membership.member_since.year, today.year + 1):
            due_on = rules.due_date(year, membership.member_since)
            amount = [s for s in standards[membership.member_type] if s.effective_from <= due_on]
            amount = (amount or standards[membership.member_type])[-1].amount
            paid_on = None
            if year < stops:
                paid_on = max(
                    min(due_on - datetime.timedelta(days=rng.randrange(60)), today),
                    membership.member_since,
                )
                if year == today.year and rng.random() < 0.25:
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
            year = dues.paid_on.year
            if year not in receipts:
                receipts[year] = _next_numbers(f"receipt:{year}")
            receipts[year] += 1
            dues.receipt_number = f"HF-{year}-{receipts[year]:04d}"
    Dues.objects.bulk_create(payments, batch_size=5000)
    for year, last in receipts.items():
        _set_number(f"receipt:{year}", last)
    _say(
        out,
        f"  {len(organisations):,} organisations, {len(workers):,} social workers, "
        f"{len(memberships):,} memberships, {len(payments):,} dues rows",
    )
    # The inserts marked every membership; computed here rather than at the first view.
    started = time.perf_counter()
    computed = standing_refresh()
    _say(out, f"  standing of {computed:,} memberships: {time.perf_counter() - started:.1f} s")


def _stations(spec: Scale, rng, today, out) -> None:
    from dateutil.relativedelta import relativedelta

    from members.models import Organisation, SocialWorker
    from stations.choices import StaffRole, StationStatus
    from stations.models import (
        ServiceArea,
        StaffAssignment,
        Station,
        StationStatusChange,
    )

    townships = _townships_without_station(spec)
    if not townships:
        _say(out, "  every township has its station: skipped")
        return
    first_month = (today.replace(day=1) - relativedelta(months=spec.months + 1)).replace(day=1)
    operators = {}
    for organisation in (
        Organisation.objects.filter(
            region__parent__in={t.parent_id for t in townships}, kind="social_work_agency"
        )
        .select_related("region")
        .order_by("id")
    ):
        operators.setdefault(organisation.region.parent_id, organisation)
    stations = []
    for township in townships:
        opened = first_month - datetime.timedelta(days=rng.randrange(30, 400))
        stations.append(
            Station(
                region=township,
                name=f"{township.name}社会工作服务站",
                operator=operators.get(township.parent_id),
                address=f"{township.parent.name}{township.name}便民服务中心",
                contact_name="站长",
                contact_phone=f"0{rng.randint(370, 399)}-{rng.randrange(2000000, 8999999)}",
                opened_on=opened,
                current_status=StationStatus.OPERATING,
            )
        )
    stations = Station.objects.bulk_create(stations, batch_size=1000)
    StationStatusChange.objects.bulk_create(
        [
            change
            for station in stations
            for change in (
                StationStatusChange(
                    station=station,
                    status=StationStatus.BUILDING,
                    effective_on=station.opened_on - relativedelta(months=rng.randint(3, 6)),
                    note="基准测试数据",
                ),
                StationStatusChange(
                    station=station,
                    status=StationStatus.OPERATING,
                    effective_on=station.opened_on,
                    note="基准测试数据",
                ),
            )
        ],
        batch_size=5000,
    )
    areas = list(ServiceArea.objects.all())
    through = Station.service_areas.through
    through.objects.bulk_create(
        [
            through(station_id=station.pk, servicearea_id=area.pk)
            for station in stations
            for area in rng.sample(areas, k=rng.randint(min(4, len(areas)), len(areas)))
        ],
        batch_size=5000,
    )
    busy = StaffAssignment.objects.values("worker_id")
    pool = list(
        SocialWorker.objects.exclude(pk__in=busy)
        .filter(user__isnull=True)
        .order_by("id")
        .values_list("pk", flat=True)
    )
    rng.shuffle(pool)
    assignments = []
    for station in stations:
        for position in range(rng.choice([2, 2, 3])):
            if not pool:
                break
            assignments.append(
                StaffAssignment(
                    station=station,
                    worker_id=pool.pop(),
                    role=StaffRole.HEAD if position == 0 else StaffRole.RESIDENT,
                    starts_on=station.opened_on,
                )
            )
    StaffAssignment.objects.bulk_create(assignments, batch_size=5000)
    _say(out, f"  {len(stations):,} stations, {len(assignments):,} staff assignments")


def _reports(spec: Scale, rng, today, out) -> None:
    import pgtrigger
    from dateutil.relativedelta import relativedelta
    from django.db import connection, transaction
    from django.utils import timezone

    from association.accounts.models import User
    from association.sql import checked_per_statement
    from stations.choices import ReportStatus
    from stations.models import ServiceArea, ServiceReport, Station, WorkKind
    from stations.selectors import last_month, report_deadline

    stations = list(
        Station.objects.filter(closed_on__isnull=True, reports__isnull=True)
        .order_by("id")
        .only("id", "opened_on")
    )
    if not stations or not spec.months:
        _say(out, "  every station has its reports: skipped")
        return
    staff_user = User.objects.filter(email=DEMO_STAFF).first()
    areas = list(ServiceArea.objects.values_list("pk", flat=True))
    kinds = list(WorkKind.objects.values_list("pk", flat=True))
    last = last_month(today)
    months = [last - relativedelta(months=k) for k in range(spec.months - 1, -1, -1)]
    reports_made = lines_made = 0
    chunk = 100  # stations a transaction
    for start in range(0, len(stations), chunk):
        reports, cells_of = [], []
        for station in stations[start : start + chunk]:
            scale = rng.uniform(0.6, 1.6)
            for month in months:
                if station.opened_on and month < station.opened_on.replace(day=1):
                    continue
                roll = rng.random()
                if roll < 0.02:
                    continue  # missing
                deadline = report_deadline(month)
                if month == last and today <= deadline:
                    status = rng.choice([ReportStatus.DRAFT, ReportStatus.SUBMITTED])
                elif roll < 0.05:
                    status = ReportStatus.RETURNED
                elif month >= last - relativedelta(months=1) and roll > 0.8:
                    status = ReportStatus.SUBMITTED
                else:
                    status = ReportStatus.APPROVED
                day = min(
                    month + relativedelta(day=31) + datetime.timedelta(days=rng.randint(1, 8)),
                    today,
                )
                at = timezone.make_aware(
                    datetime.datetime.combine(day, datetime.time(9 + rng.randint(0, 8)))
                )
                season = 1.3 if month.month in (1, 2, 9, 10) else 1.0
                cells = []
                for area in areas:
                    for kind in kinds:
                        if rng.random() < 0.7:
                            continue
                        activities = max(1, round(rng.randint(1, 6) * scale * season))
                        cells.append((area, kind, activities, activities * rng.randint(2, 15)))
                reviewed = status in (ReportStatus.APPROVED, ReportStatus.RETURNED)
                reports.append(
                    ServiceReport(
                        station_id=station.pk,
                        month=month,
                        status=status,
                        volunteers=rng.randint(0, 40),
                        narrative="本月开展入户走访、个案跟进和社区活动，完成服务对象一人一档更新。",
                        total_activities=sum(c[2] for c in cells),
                        total_person_times=sum(c[3] for c in cells),
                        first_submitted_at=None if status == ReportStatus.DRAFT else at,
                        submitted_at=None if status == ReportStatus.DRAFT else at,
                        reviewed_by=staff_user if reviewed else None,
                        reviewed_at=at + datetime.timedelta(days=2) if reviewed else None,
                        review_comment="请核对服务人次后重新报送。"
                        if status == ReportStatus.RETURNED
                        else "",
                    )
                )
                cells_of.append(cells)
        with (
            transaction.atomic(),
            checked_per_statement(),
            pgtrigger.ignore(
                "stations.ServiceReport:insert_insert",
                "stations.ServiceReportLine:insert_insert",
            ),
        ):
            ServiceReport.objects.bulk_create(reports, batch_size=2000)
            with connection.cursor() as cursor:
                # Through Django's cursor first: pgtrigger's wrapper sets its
                # transaction-local "ignore" setting, which the COPY below then sees.
                cursor.execute("SELECT 1")
                with cursor.cursor.copy(
                    "COPY stations_servicereportline "
                    "(report_id, area_id, kind_id, activities, person_times) FROM STDIN"
                ) as copy:
                    for report, cells in zip(reports, cells_of, strict=True):
                        for area, kind, activities, person_times in cells:
                            copy.write_row((report.pk, area, kind, activities, person_times))
                            lines_made += 1
        reports_made += len(reports)
        _say(
            out,
            f"  stations {min(start + chunk, len(stations)):,}/{len(stations):,}: "
            f"{reports_made:,} reports, {lines_made:,} lines",
        )
    with connection.cursor() as cursor:
        cursor.execute(
            "ANALYZE stations_servicereport; ANALYZE stations_servicereportline; "
            "ANALYZE members_dues; ANALYZE members_membership; ANALYZE members_socialworker"
        )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", choices=sorted(SCALES), default="city")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(HERE))
    from _django import setup

    setup(args.scale)
    start = time.perf_counter()
    generate(args.scale, args.seed)
    print(f"dataset {args.scale}: ready in {time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main()
