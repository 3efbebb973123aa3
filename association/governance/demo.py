# ruff: noqa: E501  (demo texts: long Chinese sentences)
"""Demo data: the founding congress of July 2023 (seed-news.txt) with its 80+
representatives, the three documents it adopted, and the seminar that followed.

The election at the congress and the first council meeting are seeded by
``association.elections.demo`` (it runs after this module). Idempotent; deterministic.
"""

from __future__ import annotations

import datetime
import random
from zoneinfo import ZoneInfo

from django.db.models import Q

from .choices import DocumentKind, MeetingKind, MeetingStatus, MotionKind, VoteMethod
from .models import Attendee, Document, Meeting, MeetingTalk, RuleSet

SEED = 20230708
TZ = ZoneInfo("Asia/Shanghai")
CONGRESS_TITLE = "许昌市社会工作行业协会成立大会暨第一届会员代表大会第一次会议"
CONGRESS_DAY = datetime.date(2023, 7, 8)
SEMINAR_TITLE = "许昌市乡镇（街道）社工站建设研讨会"
ENTITLED = 86
PRESENT = 82

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏辉建国志明文博宇航欣怡晨阳子涵浩然俊杰雨萱思远嘉怡"

DOCUMENTS = [
    (
        DocumentKind.CHARTER,
        "许昌市社会工作行业协会章程",
        1,
        "第一章 总则\n"
        "第一条 本会名称为许昌市社会工作行业协会。\n"
        "第二条 本会是由许昌市从事社会工作服务的单位和社会工作者自愿结成的行业性、非营利性社会组织。\n"
        "第三条 本会宗旨：规范社会工作行业行为，整合行业力量，推动社会工作专业化、职业化发展。\n"
        "第二章 会员\n"
        "第八条 本会会员分为单位会员和个人会员。\n"
        "第九条 申请加入本会须提交入会申请书，经理事会讨论通过，发给会员证。\n"
        "第三章 组织机构\n"
        "第十五条 本会的最高权力机构是会员代表大会。\n"
        "第十七条 会员代表大会须有2/3以上的会员代表出席方能召开，其决议须经到会会员代表半数以上表决通过方能生效；"
        "制定和修改章程，须经到会会员代表2/3以上表决通过。\n"
        "第十八条 会员代表大会每届5年。\n"
        "第二十条 理事会是会员代表大会的执行机构，在闭会期间领导本会开展日常工作，对会员代表大会负责。\n"
        "第二十五条 本会会长、副会长、秘书长任期5年。",
    ),
    (
        DocumentKind.ELECTION_RULES,
        "许昌市社会工作行业协会选举办法",
        2,
        "第一条 本次大会选举理事会理事、会长、副会长、秘书长。\n"
        "第二条 选举采用无记名投票方式。\n"
        "第三条 会员代表委托其他代表出席的，须提交书面委托书，每名代表最多接受1份委托。\n"
        "第四条 候选人须为会籍有效的会员或会员单位人员。\n"
        "第五条 候选人获得的赞成票超过出席会议会员代表的半数，始得当选。\n"
        "第六条 获得过半数赞成票的候选人多于应选名额时，以得票多少为序确定当选人；票数相等不能确定当选人时，"
        "就票数相等的候选人再次投票。当选人数少于应选名额时，对不足的名额另行选举。\n"
        "第七条 大会设计票人、监票人，纸质选票由两名计票人分别独立计票，监票人核对确认。",
    ),
    (
        DocumentKind.FUND_RULES,
        "许昌市社会工作行业协会资金管理使用办法",
        3,
        "第一条 本会经费来源：会费、捐赠、政府购买服务、在核准的业务范围内开展活动或服务的收入、利息及其他合法收入。\n"
        "第二条 本会执行《民间非营利组织会计制度》，建立严格的财务管理制度。\n"
        "第三条 限定性资金按照资助方或法律规定的用途使用，单独核算。\n"
        "第四条 单笔支出5000元以上的，须经秘书长审核、会长批准。\n"
        "第五条 本会换届或更换法定代表人之前，须进行财务审计。\n"
        "第六条 会费收支情况每年向会员公布。",
    ),
]

TALKS = [
    ("吴艳君", "河南省民政厅慈善和社会工作处副处长", "乡镇（街道）社工站建设的政策与要求"),
    ("顾东辉", "中国社会工作学会副会长、复旦大学教授", "社会工作助力基层治理"),
    ("张原震", "河南省人口学会会长", "人口变化与基本民生保障"),
    ("张明锁", "郑州社会工作协会会长、郑州大学教授", "行业协会在社会工作发展中的作用"),
    ("田丰", "河南大学哲学与公共管理学院副院长、副教授", "社工站服务的专业化路径"),
]


def _say(stdout, text):
    if stdout is not None:
        stdout.write(text)


def _names(rng: random.Random, n: int) -> list[str]:
    seen, names = set(), []
    while len(names) < n:
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice([1, 2])))
        if name not in seen:
            seen.add(name)
            names.append(name)
    return names


DUES_MOTION = "关于会费标准的决议（单位会员每年800元，个人会员每年100元）"


def seed(stdout=None):
    """The founding congress, on its day, through the services (see association.demo for
    the clock): the documents drafted and the congress noticed in June; on 8 July the
    founders admitted (members demo), the roll frozen at the opening from the members in
    good standing, 82 of 86 checked in, the charter, the election rules, the fund rules
    and the dues standard adopted by motion (secret ballot, two thirds present); the
    seminar in the afternoon. The election and the closing are the elections demo's."""
    from association.accounts.models import User
    from association.demo import demo_clock
    from members import demo as members_demo

    from . import services

    if Meeting.objects.filter(title=CONGRESS_TITLE).exists():
        _say(stdout, "治理演示数据已存在，跳过 / governance demo data exists")
        return
    staff = (
        User.objects.filter(email="staff@demo.xcsw.org.cn").first()
        or User.objects.filter(Q(is_superuser=True) | Q(groups__name="协会工作人员")).first()
    )
    if staff is None:
        _say(stdout, "没有协会工作人员账户，跳过治理演示数据")
        return
    from members.models import Organisation

    if not Organisation.objects.exists():
        _say(stdout, "没有会员名册演示数据（发起会员），跳过治理演示数据")
        return
    rng = random.Random(SEED)
    starts_at = datetime.datetime.combine(CONGRESS_DAY, datetime.time(9, 0), tzinfo=TZ)
    with demo_clock(CONGRESS_DAY - datetime.timedelta(days=30)) as clock:
        documents = []
        for kind, title, order, text in DOCUMENTS:
            document, _ = Document.objects.get_or_create(
                title=title, defaults={"kind": kind, "order": order}
            )
            documents.append(
                services.version_create(
                    document=document, by=staff, text=text, change_summary="成立大会审议稿"
                )
            )
        # The election rules carry the rules of meetings and elections: in force from the
        # day the congress adopts them (the motion's adoption sets the date).
        RuleSet.objects.create(
            name="章程及选举办法（2023年7月通过）",
            source_version=documents[1],
            proxy_cap=1,
            notice_days=10,
            term_years=5,
            complaint_days=0,
        )
        clock.set(CONGRESS_DAY - datetime.timedelta(days=20))
        meeting = services.meeting_create(
            by=staff,
            kind=MeetingKind.GENERAL,
            title=CONGRESS_TITLE,
            starts_at=starts_at,
            place="许昌市民政局三楼会议室",
            agenda="一、宣读许昌市民政局关于成立许昌市社会工作行业协会的批复\n"
            "二、审议表决《章程（草案）》《选举办法》《资金管理使用办法》及会费标准\n"
            "三、选举理事会理事、会长、副会长、秘书长\n"
            "四、新任会长讲话；民政局领导讲话",
            presiding=staff,
        )
        seminar = services.meeting_create(
            by=staff,
            kind=MeetingKind.SEMINAR,
            title=SEMINAR_TITLE,
            starts_at=starts_at + datetime.timedelta(hours=5),
            place="许昌市民政局三楼会议室",
            agenda="围绕保障基本民生、助力基层治理基本任务、促进乡镇（街道）社工站建设举办专题讲座。",
            presiding=staff,
        )
        clock.set(CONGRESS_DAY - datetime.timedelta(days=12))
        services.meeting_send_notice(meeting=meeting, by=staff)
        services.meeting_send_notice(meeting=seminar, by=staff)
        # The morning of the congress: the founders are admitted, the roll is frozen.
        clock.set(CONGRESS_DAY, 7, 30)
        members_demo.admit_founders(by=staff, day=CONGRESS_DAY)
        clock.set(CONGRESS_DAY, 8, 30)
        meeting = services.meeting_open(meeting=meeting, by=staff)
        roll = list(Attendee.objects.filter(meeting=meeting).order_by("id"))
        present = roll[: len(roll) - (ENTITLED - PRESENT)] if len(roll) >= ENTITLED else roll
        for attendee in present:
            clock.advance(seconds=10)
            services.attendee_check_in(attendee=attendee, by=staff)
        clock.set(CONGRESS_DAY, 9, 20)
        votes = len(present)
        for version in documents:
            motion = services.motion_create(
                meeting=meeting,
                by=staff,
                title=f"关于审议《{version.document.title}》的议案",
                text=f"提请大会审议表决《{version.document.title}》。",
                document_version=version,
                vote_method=VoteMethod.SECRET,
            )
            services.motion_open_vote(motion=motion, by=staff)
            clock.advance(minutes=10)
            no, abstain = rng.randint(0, 2), rng.randint(0, 3)
            services.motion_record_counts(
                motion=motion, by=staff, yes=votes - no - abstain, no=no, abstain=abstain
            )
        motion = services.motion_create(
            meeting=meeting,
            by=staff,
            title=DUES_MOTION,
            text="依照《社会团体登记管理条例》和民发〔2014〕166号，会费标准由会员代表大会"
            "以无记名投票方式表决，经到会代表三分之二以上通过。",
            kind=MotionKind.DUES,
            vote_method=VoteMethod.SECRET,
        )
        services.motion_open_vote(motion=motion, by=staff)
        clock.advance(minutes=10)
        services.motion_record_counts(motion=motion, by=staff, yes=votes - 2, no=1, abstain=1)
        # The standard exists from the congress's vote on; adopting it bills the founders
        # admitted that morning (before any standard existed) their first year.
        for member_type, amount in members_demo.DUES_AMOUNTS.items():
            services.dues_standard_adopt(
                motion=motion,
                by=staff,
                member_type=member_type,
                amount=amount,
                effective_from=CONGRESS_DAY,
            )
    _say(
        stdout,
        f"治理演示数据：成立大会应到 {len(roll)} 人、实到 {len(present)} 人，"
        f"通过 {len(documents)} 份制度文件和会费标准；研讨会 {len(TALKS)} 场讲座",
    )


def seed_seminar(*, by) -> None:
    """The seminar of the afternoon after the congress closed (the 研讨会 has talks, no votes)."""
    from association.demo import demo_clock

    from . import services

    seminar = Meeting.objects.filter(title=SEMINAR_TITLE).first()
    if seminar is None or seminar.status == MeetingStatus.CLOSED:
        return
    with demo_clock(datetime.datetime.combine(CONGRESS_DAY, datetime.time(14), tzinfo=TZ)) as clock:
        services.meeting_open(meeting=seminar, by=by)
        MeetingTalk.objects.bulk_create(
            [
                MeetingTalk(meeting=seminar, speaker=s, affiliation=a, topic=t, order=i)
                for i, (s, a, t) in enumerate(TALKS, start=1)
            ]
        )
        clock.set(CONGRESS_DAY, 18)
        services.meeting_close(meeting=seminar, by=by, minutes="10余位省内外专家学者作专题讲座。")


# --- The registration record and the annual inspection's data --------------------------

ASSOCIATION_NAME = "许昌市社会工作行业协会"
REGISTERED_ON = datetime.date(2023, 7, 20)  # the certificate, twelve days after the congress
PRESIDENT = "李伟"  # elected at the congress (elections demo)
SECRETARY_GENERAL = "刘志明"
PHONE = "0374-2961806"
OLD_DOMICILE = "许昌市魏都区八一路民政局综合楼四楼"
NEW_DOMICILE = "许昌市东城区永兴东路许昌市社会组织孵化基地二楼"
AUDITOR = "河南华信会计师事务所有限公司许昌分所"

# (the day it was entered, the record) in the order it happened; every record is entered
# on its day (the demo clock), through organisation_record_save as the admin does.
MAIN_WORK = {
    2023: "召开成立大会暨第一届会员代表大会第一次会议，通过章程、选举办法、资金管理使用办法和会费标准，"
    "选举产生第一届理事会和负责人；召开理事会审议入会申请；举办乡镇（街道）社工站建设研讨会。",
    2024: "开展社工站运营督导，覆盖全市乡镇（街道）社工站；组织社会工作者继续教育培训4期；"
    "召开理事会4次，审议会员入会申请；设立社工站建设专业委员会；承接政府购买社工站督导服务。",
    2025: "承接全市乡镇（街道）社工站运营督导购买服务，开展月度督导和年度考核；组织继续教育培训5期、"
    "社会工作师考前辅导2期；设立督导专业委员会；实施“五社联动”公益项目；参加社会组织评估，获评3A级。",
}
COOPERATION = {
    2024: "与郑州社会工作协会签订行业交流合作协议，组织会员单位赴郑州考察社工站建设。",
    2025: "与河南大学哲学与公共管理学院共建社会工作实践教学基地；参加全省社会工作行业协会联席会议。",
}
DISCLOSURE = {
    2023: "在协会网站公开章程、登记信息和会费标准；成立大会情况在网站新闻栏目发布。",
    2024: "在协会网站公开年度工作报告、会费收支、接受捐赠情况和理事会决议，共发布公开信息18条。",
    2025: "在协会网站和“许昌社工”公众号公开年度工作报告、审计报告摘要、会费收支和接受捐赠情况，"
    "共发布公开信息26条。",
}
AUDIT_REFS = {
    2023: "豫华信许审字〔2024〕第031号",
    2024: "豫华信许审字〔2025〕第027号",
    2025: "豫华信许审字〔2026〕第019号",
}
FILED_ON = {
    2023: datetime.date(2024, 3, 25),
    2024: datetime.date(2025, 3, 20),
    2025: datetime.date(2026, 3, 18),
}
INSPECTED_ON = {
    2023: datetime.date(2024, 6, 20),
    2024: datetime.date(2025, 6, 18),
    2025: datetime.date(2026, 6, 16),
}


def _registration(domicile: str):
    from .models import Registration

    return Registration(
        name=ASSOCIATION_NAME,
        credit_code="51411000MJY58273XA",
        domicile=domicile,
        postcode="461000",
        legal_representative=PRESIDENT,
        supervising_body="许昌市民政局",
        registration_authority="许昌市民政局",
        registered_on=REGISTERED_ON,
        area="许昌市",
        business_scope="行业自律、业务培训、专业交流、咨询服务、政策研究、承接政府购买服务",
        registered_capital=3,
        phone=PHONE,
    )


def organisation_records() -> list[tuple[datetime.date, object]]:
    """The association's registration and annual-inspection records, each with the day it
    was entered (the registration, its staff and branches, the change of domicile, each
    year's inspection, filing, rewards, and its evaluation grade)."""
    from .models import (
        AnnualFiling,
        Branch,
        EvaluationGrade,
        InspectionResult,
        RegistrationChange,
        RewardOrPenalty,
        StaffMember,
    )
    from .models.organisation import (
        AuditOpinion,
        BranchKind,
        Grade,
        InspectionOutcome,
        RegisteredItem,
        SanctionKind,
        StaffKind,
    )

    D = datetime.date
    records: list[tuple[datetime.date, object]] = [(REGISTERED_ON, _registration(OLD_DOMICILE))]
    for name, post, kind, started, ended, insured in [
        ("王晓燕", "办公室主任", StaffKind.FULL_TIME, D(2023, 8, 1), None, True),
        ("赵静", "会员服务专员", StaffKind.FULL_TIME, D(2023, 8, 1), D(2025, 6, 30), True),
        ("陈丽", "会计", StaffKind.PART_TIME, D(2023, 8, 1), None, False),
        ("孙浩然", "督导项目专员", StaffKind.FULL_TIME, D(2024, 3, 1), None, True),
        ("周欣怡", "会员服务专员", StaffKind.FULL_TIME, D(2025, 7, 1), None, True),
    ]:
        records.append(
            (
                started,
                StaffMember(
                    name=name, post=post, kind=kind, started_on=started, social_insurance=insured
                ),
            )
        )
        if ended is not None:
            records.append((ended, ("ended", name, ended)))
    records += [
        (
            D(2024, 3, 15),
            Branch(
                kind=BranchKind.BRANCH,
                name="许昌市社会工作行业协会社工站建设专业委员会",
                head="张明",
                domicile=OLD_DOMICILE,
                established_on=D(2024, 3, 15),
                decision="理事会2024年3月15日会议决议",
            ),
        ),
        (
            D(2025, 3, 15),
            Branch(
                kind=BranchKind.BRANCH,
                name="许昌市社会工作行业协会督导专业委员会",
                head="田红",
                domicile=NEW_DOMICILE,
                established_on=D(2025, 3, 15),
                decision="理事会2025年3月15日会议决议",
            ),
        ),
        (
            D(2025, 3, 15),
            RegistrationChange(
                item=RegisteredItem.DOMICILE,
                before=OLD_DOMICILE,
                after=NEW_DOMICILE,
                decided_on=D(2025, 3, 15),
            ),
        ),
        (D(2025, 4, 10), ("approved", D(2025, 4, 10), "许民社变〔2025〕12号")),
        (
            D(2024, 12, 20),
            RewardOrPenalty(
                kind=SanctionKind.REWARD,
                on=D(2024, 12, 20),
                title="2024年度全市社会工作宣传周活动优秀组织单位",
                authority="许昌市民政局",
                reference="许民〔2024〕156号",
            ),
        ),
        (
            D(2025, 9, 28),
            RewardOrPenalty(
                kind=SanctionKind.REWARD,
                on=D(2025, 9, 28),
                title="全省乡镇（街道）社工站建设先进集体",
                authority="河南省民政厅",
                reference="豫民〔2025〕88号",
            ),
        ),
        (
            D(2025, 12, 10),
            EvaluationGrade(
                grade=Grade.A3,
                awarded_on=D(2025, 12, 10),
                valid_until=D(2030, 12, 9),
                awarded_by="许昌市民政局",
                reference="许民〔2025〕201号",
            ),
        ),
    ]
    for year, filed in FILED_ON.items():
        records.append(
            (
                filed,
                AnnualFiling(
                    year=year,
                    main_work=MAIN_WORK[year],
                    cooperation=COOPERATION.get(year, ""),
                    disclosure=DISCLOSURE[year],
                    audit_opinion=AuditOpinion.UNQUALIFIED,
                    auditor=AUDITOR,
                    audit_report_ref=AUDIT_REFS[year],
                    head=PRESIDENT,
                    preparer="王晓燕",
                    phone=PHONE,
                    filed_on=filed,
                ),
            )
        )
    for year, concluded in INSPECTED_ON.items():
        records.append(
            (
                concluded,
                InspectionResult(
                    year=year, outcome=InspectionOutcome.PASSED, concluded_on=concluded
                ),
            )
        )
    return sorted(records, key=lambda pair: pair[0])


def seed_organisation(stdout=None):
    """The registration record and the annual-inspection data, year by year from the
    registration certificate (July 2023), each entered on its day through
    ``services.organisation_record_save``; nothing after today."""
    from django.utils import timezone

    from association.accounts.models import User
    from association.demo import demo_clock

    from . import services
    from .models import Registration, RegistrationChange, StaffMember

    if Registration.objects.exists():
        _say(stdout, "登记和年检演示数据已存在，跳过 / organisation records exist")
        return
    staff = User.objects.filter(email="staff@demo.xcsw.org.cn").first()
    if staff is None:
        _say(stdout, "没有协会工作人员账户，跳过登记和年检演示数据")
        return
    today = timezone.localdate()
    n = 0
    for day, record in organisation_records():
        if day > today:
            break
        with demo_clock(day):
            if isinstance(record, tuple) and record[0] == "ended":  # a member of staff leaves
                record = StaffMember.objects.get(name=record[1], ended_on__isnull=True)
                record.ended_on = day
            elif isinstance(record, tuple) and record[0] == "approved":  # the authority approves
                change = RegistrationChange.objects.get(approved_on__isnull=True)
                change.approved_on, change.approval_ref = record[1], record[2]
                services.organisation_record_save(record=change, by=staff)
                record = _registration(change.after)
            services.organisation_record_save(record=record, by=staff)
        n += 1
    _say(
        stdout,
        f"登记和年检演示数据：{n} 条记录（登记信息、工作人员、分支机构、变更、年检、评估、奖惩、年报）",
    )
