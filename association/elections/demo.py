"""Demo data: the election at the founding congress (paper ballots, two tellers and a
scrutineer), certified into the first council and officers with 李伟 as president, and
the first council meeting after it. Runs after ``association.governance.demo``.
Idempotent; deterministic."""

from __future__ import annotations

import datetime
import random

from dateutil.relativedelta import relativedelta

from association.governance import services as governance
from association.governance.choices import MeetingKind, MeetingStatus, VoteMethod
from association.governance.demo import CONGRESS_DAY, CONGRESS_TITLE, TZ, _names
from association.governance.models import Attendee, Meeting, Motion, Term
from association.governance.selectors import ruleset_in_force

from . import documents, services
from .choices import OfficialRole
from .models import Candidate, Election, PaperBatch, Voter
from .selectors import with_positions

SEED = 2023
COUNCIL_MEETING_TITLE = "第一届理事会第一次会议"
OFFICERS = {
    "president": [("李伟", "河南农业大学文法学院副院长、教授")],
    "vice_president": [
        ("张红", "许昌市魏都区社会工作服务中心主任"),
        ("王建国", "禹州市阳光社会工作服务中心理事长"),
        ("陈静怡", "许昌学院社会工作系主任"),
    ],
    "secretary_general": [("刘志明", "许昌市社会工作服务站项目办主任")],
}


def _say(stdout, text):
    if stdout is not None:
        stdout.write(text)


def _officer(email, name):
    """The secretary-general's demo account (负责人，password login like the others)."""
    from django.contrib.auth.models import Group

    from association.accounts.choices import Role
    from association.accounts.demo import DEMO_PASSWORD
    from association.accounts.models import User

    user, created = User.objects.get_or_create(
        email=email, defaults={"display_name": name, "is_staff": True}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    user.groups.add(Group.objects.get(name=Role.OFFICER.value))
    return user


def _official(email, name):
    from association.accounts.models import User

    user, created = User.objects.get_or_create(email=email, defaults={"display_name": name})
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def _split(total: int, rng: random.Random) -> tuple[int, int]:
    first = min(total, 41, max(0, total // 2 + rng.randint(-2, 2)))
    return first, total - first


def seed(stdout=None):
    from association.accounts.models import User

    meeting = Meeting.objects.filter(title=CONGRESS_TITLE).first()
    if meeting is None:
        _say(stdout, "没有成立大会的演示数据，跳过选举演示数据")
        return
    if Election.objects.filter(meeting=meeting).exists():
        _say(stdout, "选举演示数据已存在，跳过 / elections demo data exists")
        return
    staff = meeting.presiding
    rng = random.Random(SEED)
    start = datetime.datetime.combine(CONGRESS_DAY, datetime.time(10, 30), tzinfo=TZ)
    Meeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.OPEN)
    meeting.refresh_from_db()

    election = services.election_create(
        meeting=meeting,
        by=staff,
        title="第一届理事会理事及会长、副会长、秘书长选举",
        seats={"council": 21, "president": 1, "vice_president": 3, "secretary_general": 1},
        online=False,
        paper=True,
    )
    tellers = [
        _official("teller1@demo.xcsw.org.cn", "计票人 周敏"),
        _official("teller2@demo.xcsw.org.cn", "计票人 郑浩"),
    ]
    scrutineer = _official("scrutineer@demo.xcsw.org.cn", "监票人 孙丽")
    for user in tellers:
        services.official_appoint(election=election, by=staff, user=user, role=OfficialRole.TELLER)
    services.official_appoint(
        election=election, by=staff, user=scrutineer, role=OfficialRole.SCRUTINEER
    )
    positions = {p.office.code: p for p in election.positions.select_related("office")}
    officer_names = [name for people in OFFICERS.values() for name, _ in people]
    others = [n for n in _names(rng, 40) if n not in officer_names][:18]
    council = [(n, a) for people in OFFICERS.values() for n, a in people] + [
        (n, "许昌市社会工作行业会员单位代表") for n in others
    ]
    rows = []
    for code, people in [("council", council), *OFFICERS.items()]:
        for i, (name, affiliation) in enumerate(people):
            rows.append(
                Candidate(
                    position=positions[code],
                    name=name,
                    affiliation=affiliation,
                    nominated_by="成立大会筹备组提名",
                    accepted_at=start - datetime.timedelta(days=7),
                    eligible=True,
                    eligibility_note="筹备组资格审查：符合候选人条件",
                    order=i,
                )
            )
    Candidate.objects.bulk_create(rows)
    services.election_open_voting(election=election, by=staff)
    voters = list(Voter.objects.filter(election=election))
    for voter in voters:
        services.paper_ballot_issue(election=election, by=staff, voter=voter)
    services.election_close_voting(election=election, by=staff)
    n = len(voters)
    # Deterministic totals: the 21 council candidates listed first well over half, two not.
    council_ids = [c.pk for c in rows if c.position_id == positions["council"].pk]
    votes = {}
    for i, pk in enumerate(council_ids):
        votes[pk] = n - rng.randint(0, 12) if i < 21 else rng.randint(18, 38)
    for code in OFFICERS:
        for c in rows:
            if c.position_id == positions[code].pk:
                votes[c.pk] = n - rng.randint(0, 5)
    halves = {}
    for pk, total in votes.items():
        halves[pk] = _split(total, rng)
    for index in range(2):
        batch = services.batch_create(election=election, by=staff)
        ballots = 41 if index == 0 else n - 41
        share = {pk: halves[pk][index] for pk in votes}
        for copy, teller in enumerate(tellers, start=1):
            services.tally_enter(
                batch=batch, by=teller, copy=copy, ballots=ballots, invalid=0, votes=share
            )
        services.batch_confirm(batch=batch, by=scrutineer)
    services.election_count(election=election, by=staff)
    services.election_certify(election=election, by=staff)
    # Put the history on its real dates (the services stamp "now").
    Term.objects.filter(election_ref=election.pk).update(
        starts_on=CONGRESS_DAY, ends_on=CONGRESS_DAY + relativedelta(years=5)
    )
    # The demo's officer accounts hold the terms: the president and the secretary-general
    # approve expense claims by their terms of office (finance follows governance).
    Term.objects.filter(election_ref=election.pk, holder_name="李伟").update(
        user=User.objects.filter(email="officer@demo.xcsw.org.cn").first()
    )
    Term.objects.filter(election_ref=election.pk, holder_name="刘志明").update(
        user=_officer("secretary@demo.xcsw.org.cn", "刘志明（秘书长）")
    )
    Election.objects.filter(pk=election.pk).update(
        voting_opened_at=start,
        voting_closed_at=start + datetime.timedelta(minutes=40),
        counted_on=CONGRESS_DAY,
        complaint_until=CONGRESS_DAY,
        certified_at=start + datetime.timedelta(hours=1, minutes=30),
    )
    PaperBatch.objects.filter(election=election).update(
        confirmed_at=start + datetime.timedelta(hours=1)
    )
    # The announcement stored at certification carries today's date: render it again on
    # the congress's dates.
    election = with_positions(Election.objects.select_related("meeting")).get(pk=election.pk)
    documents.results_pdf_store(election)
    election.save(update_fields=["results_file"])
    Meeting.objects.filter(pk=meeting.pk).update(
        status=MeetingStatus.CLOSED,
        closed_at=start + datetime.timedelta(hours=2),
        minutes="大会宣读了成立批复，表决通过三个制度文件，选举产生第一届理事会及会长、副会长、秘书长。"
        "李伟当选首任会长。",
    )
    _council_meeting(staff, rng)
    _say(
        stdout,
        f"选举演示数据：{n} 名选举人，纸质选票 2 批，当选理事 21 名，会长李伟；"
        "第一届理事会第一次会议",
    )


def _council_meeting(staff, rng):
    day = datetime.date(2023, 9, 15)
    starts_at = datetime.datetime.combine(day, datetime.time(14, 30), tzinfo=TZ)
    meeting = Meeting.objects.create(
        kind=MeetingKind.COUNCIL,
        title=COUNCIL_MEETING_TITLE,
        starts_at=starts_at,
        place="许昌市社会工作行业协会秘书处会议室",
        agenda="一、审议第一批会员入会申请\n二、审议2023年下半年工作计划",
        rule_set=ruleset_in_force(day),
        presiding=staff,
    )
    governance.meeting_send_notice(
        meeting=meeting, by=staff, now=starts_at - datetime.timedelta(days=11)
    )
    Meeting.objects.filter(pk=meeting.pk).update(
        notice_sent_at=starts_at - datetime.timedelta(days=11)
    )
    governance.meeting_open(meeting=meeting, by=staff)
    roll = list(Attendee.objects.filter(meeting=meeting).order_by("id"))
    for attendee in roll[: len(roll) - 3]:
        governance.attendee_check_in(attendee=attendee, by=staff)
    present = len(roll) - 3
    for title in ["关于批准第一批会员入会申请的决议", "关于2023年下半年工作计划的决议"]:
        motion = governance.motion_create(
            meeting=meeting, by=staff, title=title, text=title, vote_method=VoteMethod.NAMED
        )
        governance.motion_open_vote(motion=motion, by=staff)
        governance.motion_record_counts(motion=motion, by=staff, yes=present - 1, no=0, abstain=1)
    governance.meeting_close(meeting=meeting, by=staff, minutes="会议审议通过两项决议。")
    Attendee.objects.filter(meeting=meeting, checked_in_at__isnull=False).update(
        checked_in_at=starts_at - datetime.timedelta(minutes=10)
    )
    Motion.objects.filter(meeting=meeting).update(
        decided_at=starts_at + datetime.timedelta(hours=1)
    )
    Meeting.objects.filter(pk=meeting.pk).update(
        opened_at=starts_at, closed_at=starts_at + datetime.timedelta(hours=2)
    )
