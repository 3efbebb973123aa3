"""Demo data: the election at the founding congress (paper ballots, two tellers and a
scrutineer), certified into the first council and officers with 李伟 as president, and
the first council meeting after it. Runs after ``association.governance.demo``.
Idempotent; deterministic."""

from __future__ import annotations

import datetime
import random

from association.governance import services as governance
from association.governance.choices import MeetingKind, MeetingStatus, VoteMethod
from association.governance.demo import CONGRESS_DAY, CONGRESS_TITLE, TZ
from association.governance.models import Attendee, Meeting

from . import services
from .choices import OfficialRole
from .models import Election, Voter

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
    """The election at the founding congress and the first council meeting, on their
    dates through the services (the demo clock, association.demo): candidates nominated
    from the register and checked for eligibility, paper ballots counted by two tellers
    and confirmed by the scrutineer, the count certified (the terms start that day, held
    by the accounts of the register entries elected), the congress closed; the seminar of
    the afternoon; the council's first meeting in September."""
    from association.demo import demo_clock
    from association.governance import demo as governance_demo
    from members.models import SocialWorker

    meeting = Meeting.objects.filter(title=CONGRESS_TITLE).first()
    if meeting is None:
        _say(stdout, "没有成立大会的演示数据，跳过选举演示数据")
        return
    if Election.objects.filter(meeting=meeting).exists():
        _say(stdout, "选举演示数据已存在，跳过 / elections demo data exists")
        return
    if meeting.status != MeetingStatus.OPEN:
        _say(stdout, "成立大会未在进行中，跳过选举演示数据")
        return
    staff = meeting.presiding
    rng = random.Random(SEED)
    start = datetime.datetime.combine(CONGRESS_DAY, datetime.time(10, 30), tzinfo=TZ)
    with demo_clock(start) as clock:
        tellers = [
            _official("teller1@demo.xcsw.org.cn", "计票人 周敏"),
            _official("teller2@demo.xcsw.org.cn", "计票人 郑浩"),
        ]
        scrutineer = _official("scrutineer@demo.xcsw.org.cn", "监票人 孙丽")
        election = services.election_create(
            meeting=meeting,
            by=staff,
            title="第一届理事会理事及会长、副会长、秘书长选举",
            seats={"council": 21, "president": 1, "vice_president": 3, "secretary_general": 1},
            online=False,
            paper=True,
        )
        for user in tellers:
            services.official_appoint(
                election=election, by=staff, user=user, role=OfficialRole.TELLER
            )
        services.official_appoint(
            election=election, by=staff, user=scrutineer, role=OfficialRole.SCRUTINEER
        )
        positions = {p.office.code: p for p in election.positions.select_related("office")}
        # Candidates are people on the register (their membership is checked): the
        # officers-to-be, and representatives of the founding units for the council.
        officers = {}
        register = SocialWorker.objects.filter(certificate_number__startswith="20184100GB")
        for people in OFFICERS.values():
            for name, affiliation in people:
                officers[name] = (register.filter(name=name).order_by("pk").first(), affiliation)
        taken = {w.pk for w, _a in officers.values() if w}
        representatives = [
            a
            for a in Attendee.objects.filter(meeting=meeting, representative__isnull=False)
            .select_related("representative__worker")
            .order_by("id")
            if a.representative.worker_id and a.representative.worker_id not in taken
        ]
        others = [(a.representative.worker, a.affiliation) for a in representatives[:17]]
        council = [officers[name] for people in OFFICERS.values() for name, _ in people]
        council += others
        clock.advance(minutes=5)
        nominated = []
        for code, people in [("council", council), *OFFICERS.items()]:
            for i, entry in enumerate(people):
                worker, affiliation = entry if code == "council" else officers[entry[0]]
                if worker is None:
                    continue
                candidate = services.candidate_nominate(
                    position=positions[code],
                    by=staff,
                    name=worker.name,
                    nominated_by="成立大会筹备组提名",
                    worker=worker,
                    affiliation=affiliation,
                    order=i,
                )
                services.candidate_accept(candidate=candidate, by=staff)
                nominated.append(candidate)
        clock.advance(minutes=10)
        services.election_open_voting(election=election, by=staff)
        voters = list(Voter.objects.filter(election=election))
        for voter in voters:
            services.paper_ballot_issue(election=election, by=staff, voter=voter)
        clock.advance(minutes=40)
        services.election_close_voting(election=election, by=staff)
        n = len(voters)
        # Deterministic totals: the 21 council candidates listed first well over half, two not.
        council_ids = [c.pk for c in nominated if c.position_id == positions["council"].pk]
        votes = {}
        for i, pk in enumerate(council_ids):
            votes[pk] = n - rng.randint(0, 12) if i < 21 else rng.randint(18, 38)
        for code in OFFICERS:
            for c in nominated:
                if c.position_id == positions[code].pk:
                    votes[c.pk] = n - rng.randint(0, 5)
        halves = {pk: _split(total, rng) for pk, total in votes.items()}
        clock.advance(minutes=10)
        for index in range(2):
            batch = services.batch_create(election=election, by=staff)
            ballots = 41 if index == 0 else n - 41
            share = {pk: halves[pk][index] for pk in votes}
            for copy, teller in enumerate(tellers, start=1):
                services.tally_enter(
                    batch=batch, by=teller, copy=copy, ballots=ballots, invalid=0, votes=share
                )
            clock.advance(minutes=5)
            services.batch_confirm(batch=batch, by=scrutineer)
        clock.advance(minutes=10)
        services.election_count(election=election, by=staff)
        clock.advance(minutes=10)
        services.election_certify(election=election, by=staff)
        clock.advance(minutes=20)
        governance.meeting_close(
            meeting=meeting,
            by=staff,
            minutes="大会宣读了成立批复，表决通过三个制度文件和会费标准，选举产生第一届理事会"
            "及会长、副会长、秘书长。李伟当选首任会长。",
        )
    governance_demo.seed_seminar(by=staff)
    _council_meeting(staff)
    _say(
        stdout,
        f"选举演示数据：{n} 名选举人，纸质选票 2 批，当选理事 21 名，会长李伟；"
        "第一届理事会第一次会议",
    )


def _council_meeting(staff):
    """The council's first meeting (15 September 2023): it admits the first members after
    the congress (the members demo decides those applications on this day)."""
    from association.demo import demo_clock
    from members.demo import FIRST_COUNCIL_DAY

    day = FIRST_COUNCIL_DAY
    starts_at = datetime.datetime.combine(day, datetime.time(14, 30), tzinfo=TZ)
    with demo_clock(starts_at - datetime.timedelta(days=20)) as clock:
        meeting = governance.meeting_create(
            by=staff,
            kind=MeetingKind.COUNCIL,
            title=COUNCIL_MEETING_TITLE,
            starts_at=starts_at,
            place="许昌市社会工作行业协会秘书处会议室",
            agenda="一、审议第一批会员入会申请\n二、审议2023年下半年工作计划",
            presiding=staff,
        )
        clock.set(starts_at - datetime.timedelta(days=11))
        governance.meeting_send_notice(meeting=meeting, by=staff)
        clock.set(starts_at - datetime.timedelta(minutes=20))
        governance.meeting_open(meeting=meeting, by=staff)
        roll = list(Attendee.objects.filter(meeting=meeting).order_by("id"))
        for attendee in roll[: len(roll) - 3]:
            clock.advance(seconds=30)
            governance.attendee_check_in(attendee=attendee, by=staff)
        present = len(roll) - 3
        clock.set(starts_at)
        for title in ["关于批准第一批会员入会申请的决议", "关于2023年下半年工作计划的决议"]:
            motion = governance.motion_create(
                meeting=meeting, by=staff, title=title, text=title, vote_method=VoteMethod.NAMED
            )
            governance.motion_open_vote(motion=motion, by=staff)
            clock.advance(minutes=30)
            governance.motion_record_counts(
                motion=motion, by=staff, yes=present - 1, no=0, abstain=1
            )
        clock.advance(minutes=30)
        governance.meeting_close(meeting=meeting, by=staff, minutes="会议审议通过两项决议。")
