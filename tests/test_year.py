"""One year of the association, run through the services and pages as the people would.

The founding congress (quorum, the charter, the dues standard and the fund rules adopted by
motion), the election that certifies the officers, members admitted and paying their dues,
an expense claim that goes to the newly elected secretary-general, a station reporting
its month, a graduate from application to 结业 with a start-up grant paid from the programme's
restricted fund, and the year closed; then the three statements and the annual report tie
out, and the annual report is sent to the officials.

The year is last year, replayed on its dates with the demo's clock (association.demo):
each service stamps the day it acts, as it did when it happened.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from association.accounts.choices import Role
from association.demo import demo_clock, moment
from tests.factories import UserFactory
from tests.governance.factories import ensure_reference_data
from tests.members.factories import credit_code, id_number, township

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%year\n"


def test_a_whole_year_through_the_services(
    settings, tmp_path, client_for, django_capture_on_commit_callbacks
):
    from association.elections import services as elections
    from association.finance import chart
    from association.finance import services as finance
    from association.finance.models import (
        Account,
        Budget,
        BudgetLine,
        Fund,
        Grant,
        GrantTranche,
        YearEnd,
    )
    from association.finance.statements import activities, balance_sheet, cash_flow
    from association.governance import services as governance
    from association.governance.choices import MeetingKind, MeetingStatus, MotionKind, VoteMethod
    from association.governance.models import Document, Motion, Term
    from association.governance.selectors import meeting_quorum
    from association.notifications.models import Notification
    from association.reports import catalogue
    from association.reports.choices import RunStatus
    from association.reports.models import ReportRun
    from association.reports.services import build_document, run_build, run_create_scheduled
    from members import services as members
    from members.choices import Gender, MembershipState, MemberType, Qualification
    from members.models import Dues, DuesStandard, Organisation, SocialWorker
    from projects import services as projects
    from projects.choices import ApplicationStatus, Degree, GrantStatus, ServiceDomain
    from projects.models import (
        Application,
        Programme,
        Project,
        RecruitmentRound,
        RoundQuota,
        StartupGrant,
        TrainingSession,
    )
    from stations import services as stations
    from stations.choices import StaffRole, StationStatus
    from stations.models import ServiceArea, WorkKind

    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private")},
        },
    }
    ensure_reference_data()
    chart.chart_load()
    stations.catalogue_ensure()
    year = timezone.localdate().year - 1
    D = lambda month, day: datetime.date(year, month, day)  # noqa: E731

    staff = UserFactory(display_name="王秘书", roles=[Role.STAFF.value], is_staff=True)
    official = UserFactory(display_name="陈静", roles=[Role.OFFICIAL.value])
    place = township(name="魏都区西大街道")

    def committed(step):
        """Run ``step`` and the work its transaction hands on at commit (mail, postings)."""
        with django_capture_on_commit_callbacks(execute=True):
            return step()

    with demo_clock(D(1, 10)) as clock:
        # --- Before the congress: the founding units and people apply ------------------
        units, admins, workers, people = [], [], [], []
        for n in range(4):
            admin = UserFactory(display_name=f"单位管理员{n}")
            membership = members.organisation_apply(
                organisation=Organisation(
                    name=f"许昌市第{n + 1}社会工作服务中心",
                    credit_code=credit_code(900 + n),
                    kind="social_work_agency",
                    legal_representative=f"法人{n}",
                    region=place,
                    address="许昌市魏都区西大街1号",
                    contact_name=f"联系人{n}",
                    contact_phone="0374-1234567",
                ),
                user=admin,
                note="发起单位",
            )
            units.append(membership)
            admins.append(admin)
        for n in range(4):
            user = UserFactory(display_name=f"社工{n}")
            worker = SocialWorker(
                name=f"社工{n}",
                gender=Gender.FEMALE,
                mobile=f"1380000{n:04d}",
                employer=units[n].organisation,
                region=place,
                qualification=Qualification.SOCIAL_WORKER,
                certificate_number=f"ZS-YEAR-{n}",
                certificate_date=datetime.date(year - 3, 6, 1),
                registered_on=datetime.date(year - 3, 9, 1),
            )
            worker.set_id_number(id_number(700 + n))
            people.append(members.individual_apply(worker=worker, user=user))
            workers.append(SocialWorker.objects.get(user=user))
        secretary_user, station_user = workers[0].user, workers[1].user

        # --- The founding congress (March): quorum, the charter, dues, fund rules -----
        congress_day = D(3, 18)
        clock.set(D(2, 20))
        versions = {}
        for kind, title in [
            ("charter", "许昌市社会工作行业协会章程"),
            ("fund_rules", "许昌市社会工作行业协会资金管理使用办法"),
        ]:
            document = Document.objects.create(kind=kind, title=title)
            versions[kind] = governance.version_create(
                document=document,
                by=staff,
                text=f"{title}（草案）",
                change_summary="成立大会审议稿",
            )
        clock.set(D(2, 25))
        meeting = governance.meeting_create(
            by=staff,
            kind=MeetingKind.GENERAL,
            title=f"许昌市社会工作行业协会成立大会（{year}）",
            starts_at=moment(congress_day, 9),
            place="许昌市民政局三楼会议室",
            agenda="审议章程、会费标准、资金管理使用办法；选举",
            presiding=staff,
        )
        clock.set(D(3, 1))  # the notice goes out 17 days ahead
        committed(lambda: governance.meeting_send_notice(meeting=meeting, by=staff))
        # The founders are admitted by the preparatory group on the morning of the congress
        # (no membership starts before it) and designate their representatives.
        clock.set(congress_day, 8)
        for membership in [*units, *people]:
            committed(
                lambda m=membership: members.membership_approve(
                    membership=m,
                    by=staff,
                    decided_on=congress_day,
                    basis="筹备组审核，成立大会确认",
                )
            )
        for n, membership in enumerate(units):
            members.representative_designate(
                membership=membership,
                by=admins[n],
                name=workers[n].name if n < 2 else f"代表{n}",
                mobile="13800000000",
                worker=workers[n] if n < 2 else None,
            )
        clock.set(congress_day, 8, 40)
        meeting = governance.meeting_open(meeting=meeting, by=staff)
        roll = list(meeting.attendees.order_by("id"))
        # 4 unit representatives and 4 individual members; the two representatives who
        # are individual members too are on the roll once.
        assert len(roll) == 6
        for attendee in roll[:5]:
            governance.attendee_check_in(attendee=attendee, by=staff)
        quorum = meeting_quorum(meeting)
        assert quorum.reached, quorum.text

        def motion(title, **kwargs):
            motion = governance.motion_create(
                meeting=meeting, by=staff, title=title, text=title, **kwargs
            )
            governance.motion_open_vote(motion=motion, by=staff)
            return governance.motion_record_counts(motion=motion, by=staff, yes=5, no=0, abstain=0)

        clock.advance(minutes=30)
        assert motion("审议《章程》", document_version=versions["charter"]).passed
        dues_motion = motion(
            "关于会费标准的决议（单位会员800元/年，个人会员100元/年）",
            kind=MotionKind.DUES,
            vote_method=VoteMethod.SECRET,
        )
        assert dues_motion.passed
        dues_motion = Motion.objects.get(meeting=meeting, kind=MotionKind.DUES)
        # No standard existed when the founders were admitted: none of them is billed yet.
        assert not Dues.objects.filter(year=year).exists()
        # The standard exists from the congress's vote; adopting it bills the founders.
        for member_type, amount in ((MemberType.UNIT, "800.00"), (MemberType.INDIVIDUAL, "100.00")):
            governance.dues_standard_adopt(
                motion=dues_motion,
                by=staff,
                member_type=member_type,
                amount=Decimal(amount),
                effective_from=congress_day,
            )
        assert DuesStandard.objects.filter(motion_ref=dues_motion.pk).count() == 2
        assert Dues.objects.filter(year=year).count() == len([*units, *people])
        assert motion("审议《资金管理使用办法》", document_version=versions["fund_rules"]).passed
        versions["fund_rules"].refresh_from_db()
        assert versions["fund_rules"].status == "adopted"
        # The adopted 办法 in data form: the approval chain of the fund rules.
        fund_rules_motion = Motion.objects.get(document_version=versions["fund_rules"])
        rules = finance.fund_rules_adopt(
            motion=fund_rules_motion,
            by=staff,
            name="资金管理使用办法",
            effective_from=congress_day,
            text="单笔5000元以下秘书长审批；以上经秘书长审核后报会长审批。",
            steps=[
                {"step": 1, "office": "secretary_general", "above_amount": "0"},
                {"step": 2, "office": "president", "above_amount": "5000"},
            ],
        )
        assert rules.steps.count() == 2

        # --- The election certifies the officers ----------------------------------------
        clock.advance(minutes=30)
        election = elections.election_create(
            meeting=meeting,
            by=staff,
            title="第一届理事会负责人选举",
            seats={"president": 1, "secretary_general": 1},
        )
        positions = {p.office.code: p for p in election.positions.select_related("office")}
        # Candidates stand as members on the register (their standing is checked).
        president = workers[2].user
        for code, name, worker in [
            ("president", workers[2].name, workers[2]),
            ("president", workers[3].name, workers[3]),
            ("secretary_general", workers[0].name, workers[0]),
            ("secretary_general", workers[1].name, workers[1]),
        ]:
            candidate = elections.candidate_nominate(
                position=positions[code], by=staff, name=name, nominated_by="筹备组", worker=worker
            )
            elections.candidate_accept(candidate=candidate, by=staff)
        elections.election_open_voting(election=election, by=staff)
        voters = [a.user for a in meeting.attendees.filter(checked_in_at__isnull=False) if a.user]
        assert voters, "members with accounts vote online"
        for voter in voters:
            choices = {}
            for code, wanted in (
                ("president", workers[2].name),
                ("secretary_general", workers[0].name),
            ):
                position = positions[code]
                choices[position.pk] = [c.pk for c in position.candidates.all() if c.name == wanted]
            elections.ballot_cast(election=election, by=voter, choices=choices)
        clock.advance(minutes=40)
        elections.election_close_voting(election=election, by=staff)
        # The paper voters of the room: the count takes the online ballots only here.
        election = elections.election_count(election=election, by=staff)
        clock.set(election.complaint_until or congress_day, 11)
        election = elections.election_certify(election=election, by=staff)
        assert election.status == "certified"
        secretary_term = Term.objects.get(office__code="secretary_general", ended_on__isnull=True)
        assert secretary_term.user == secretary_user
        assert secretary_term.starts_on == clock.today()
        president_term = Term.objects.get(office__code="president", ended_on__isnull=True)
        assert president_term.user == president
        clock.advance(hours=1)
        governance.meeting_close(
            meeting=meeting,
            by=staff,
            minutes="通过章程、会费标准、资金管理使用办法；选举产生会长、秘书长。",
        )
        meeting.refresh_from_db()
        assert meeting.status == MeetingStatus.CLOSED

        # --- Members pay their dues (the books open first) ------------------------------
        clock.set(D(3, 20))
        general = Fund.objects.get(is_general=True)
        finance.opening_balances_enter(
            by=staff,
            books_start=D(1, 1),
            lines=[
                {"account": "1002", "fund": general, "debit": Decimal("50000")},
                {"account": "3101", "fund": general, "credit": Decimal("50000")},
            ],
        )
        for n, membership in enumerate([*units, *people]):
            clock.set(D(4, 1 + n))
            dues = Dues.objects.get(membership=membership, year=year)
            committed(
                lambda d=dues: members.dues_record_payment(dues=d, by=staff, method="银行转账")
            )
            finance.dues_post(dues_id=dues.pk, by=staff)  # idempotent when the task ran
        assert not Dues.objects.filter(year=year, paid_on__isnull=True).exists()
        certificate = client_for(admins[0]).get(
            reverse("members:membership_certificate", args=[units[0].pk])
        )
        assert certificate.status_code == 200

        # --- A claim goes to the newly elected 秘书长 -----------------------------------
        clock.set(D(5, 6))
        budget = Budget.objects.create(
            fund=general, year=year, name="协会日常运行", approved_on=D(3, 20)
        )
        office_line = BudgetLine.objects.create(
            budget=budget,
            label="办公及会议费",
            account=Account.objects.get(code="5201"),
            amount=Decimal("20000"),
        )
        claim = finance.claim_create(
            by=staff,
            title="成立大会会务费",
            fund=general,
            budget_line=office_line,
            payee="许昌市会议中心",
            items=[
                {
                    "description": "会场租用",
                    "account": office_line.account,
                    "amount": Decimal("3200.00"),
                    "spent_on": congress_day,
                }
            ],
        )
        claim = finance.claim_submit(claim=claim, by=staff)
        from association.finance.todo import claims_awaiting

        assert claim in claims_awaiting(secretary_user)
        claim = finance.claim_approve(claim=claim, by=secretary_user, comment="同意")
        assert claim.status == "approved"
        claim = finance.claim_pay(claim=claim, by=staff, paid_on=D(5, 8))

        # --- Stations report -------------------------------------------------------------
        clock.set(D(5, 10))
        station = stations.station_create(
            region=place,
            name="西大街道社会工作服务站",
            operator=units[0].organisation,
            address="西大街2号",
            by=staff,
            status=StationStatus.OPERATING,
            effective_on=D(4, 1),
        )
        stations.assignment_start(
            station=station, worker=workers[1], role=StaffRole.RESIDENT, starts_on=D(4, 1), by=staff
        )
        station_user.groups.add(Group.objects.get(name=Role.STATION_WORKER.value))
        month = D(4, 1)
        report = stations.report_start(station=station, month=month, by=station_user)
        area, kind = ServiceArea.objects.first(), WorkKind.objects.first()
        report = stations.report_save(
            report=report,
            by=station_user,
            lines={(area, kind): (5, 60)},
            volunteers=3,
            narrative="本月开展入户走访和社区活动。",
        )
        report = stations.report_submit(report=report, by=station_user)
        report = stations.report_approve(report=report, by=staff)
        assert report.status == "approved"

        # --- The programme: a graduate from application to 结业, a start-up grant paid ----
        fund = Fund.objects.create(
            code=f"ZC-{year}-BY",
            name="毕业季社工计划",
            restriction="restricted",
            purpose="应届毕业生社区服务、培训与创业资助",
            grantor="许昌市人力资源和社会保障局",
            starts_on=D(1, 1),
            ends_on=D(12, 31),
        )
        grant = Grant.objects.create(
            kind="government_grant",
            title="毕业季社工计划专项补助",
            counterparty="许昌市人力资源和社会保障局",
            fund=fund,
            account=Account.objects.get(code="4401"),
            total=Decimal("100000"),
            signed_on=D(2, 1),
            starts_on=D(2, 1),
            ends_on=D(12, 31),
            project_tag="毕业季社工计划",
        )
        tranche = GrantTranche.objects.create(
            grant=grant, label="全额", due_on=D(3, 1), amount=Decimal("100000")
        )
        clock.set(D(5, 12))
        finance.tranche_settle(tranche=tranche, by=staff, on=D(3, 2))
        programme = projects.programme_save(
            programme=Programme(
                name="毕业季社工计划", code="bys", budget=Decimal("100000.00"), start_date=D(5, 1)
            ),
            by=staff,
        )
        project = projects.project_create(
            project=Project(
                programme=programme,
                name="幸福颐养·独居老人关爱",
                domain=ServiceDomain.ELDERLY,
                host_community="西大街社区",
                start_date=D(6, 1),
                end_date=D(12, 31),
                budget=Decimal("40000.00"),
            ),
            by=staff,
        )
        round_ = projects.round_save(
            round_=RecruitmentRound(
                programme=programme,
                number=1,
                name="第1批",
                opens_on=D(5, 12),
                closes_on=D(5, 31),
                service_starts_on=D(6, 15),
                service_ends_on=D(11, 30),
            ),
            by=staff,
        )
        projects.quota_set(round_=round_, project=project, seats=2, by=staff)
        mentor = station_user
        projects.team_member_add(project=project, by=staff, user=mentor, name="督导", role="mentor")
        graduate = UserFactory(display_name="孙悦")
        application = projects.application_submit(
            round_=round_,
            application=Application(
                name="孙悦",
                gender="female",
                mobile="13800138888",
                university="许昌学院",
                major="社会工作",
                degree=Degree.BACHELOR,
                graduation_year=year,
                resume=ContentFile(PDF, name="resume.pdf"),
            ),
            preferences=[project],
            user=graduate,
        )
        clock.set(D(6, 2))
        projects.application_screen(application=application, by=staff, passed=True)
        projects.interview_score_add(application=application, by=staff, score=Decimal("90"))
        projects.application_offer(application=application, project=project, by=staff)
        projects.offer_accept(application=application, by=graduate)
        clock.set(D(6, 10))
        projects.agreement_sign(
            application=application,
            by=staff,
            signed_on=D(6, 10),
            starts_on=D(6, 15),
            ends_on=D(11, 30),
            monthly_stipend=Decimal("2500.00"),
            signed_file=ContentFile(PDF, name="agreement.pdf"),
        )
        clock.set(D(6, 20))
        session = projects.training_session_create(
            session=TrainingSession(
                programme=programme, title="岗前培训", date=D(6, 20), hours=Decimal("8.0")
            ),
            by=staff,
        )
        application.refresh_from_db()
        assert application.status == ApplicationStatus.SERVING  # the agreement signed
        projects.attendance_record(session=session, application=application, by=staff)
        clock.set(D(9, 1))
        startup = projects.grant_apply(
            grant=StartupGrant(
                team_name="社区助老创业团队",
                plan="为独居老人提供助餐与探访服务。",
                amount_requested=Decimal("6000.00"),
            ),
            project=project,
            by=graduate,
        )
        projects.grant_review_start(grant=startup, by=staff)
        startup = projects.grant_decide(
            grant=startup,
            by=staff,
            award=True,
            note="方案可行，同意资助",
            amount=Decimal("6000.00"),
            milestones=[("团队组建与场地落实", D(10, 15), Decimal("6000.00"))],
        )
        clock.set(D(10, 16))
        milestone = startup.milestones.get()
        projects.milestone_achieve(milestone=milestone, by=staff, on=D(10, 15))
        startup.refresh_from_db()
        assert startup.status == GrantStatus.COMPLETED
        # The award is paid from the programme's restricted fund, through a claim.
        grant_budget = Budget.objects.create(
            fund=fund,
            year=year,
            name="毕业季社工计划",
            project_tag="毕业季社工计划",
            approved_on=D(3, 2),
        )
        grant_line = BudgetLine.objects.create(
            budget=grant_budget,
            label="创业资助",
            account=Account.objects.get(code="5101"),
            amount=Decimal("30000"),
        )
        payment = finance.claim_create(
            by=staff,
            title=f"创业资助：{startup.team_name}",
            fund=fund,
            budget_line=grant_line,
            payee="孙悦创业团队",
            items=[
                {
                    "description": milestone.title,
                    "account": grant_line.account,
                    "amount": milestone.amount,
                    "spent_on": D(10, 16),
                }
            ],
        )
        payment = finance.claim_submit(claim=payment, by=staff)
        payment = finance.claim_approve(claim=payment, by=secretary_user, comment="同意")
        assert payment.status != "approved"  # above 5,000 yuan: the 会长 approves too
        payment = finance.claim_approve(claim=payment, by=president, comment="同意")
        assert payment.status == "approved"
        payment = finance.claim_pay(claim=payment, by=staff, paid_on=D(10, 20))
        assert payment.voucher.lines.filter(fund=fund).exists()
        clock.set(D(12, 1))
        projects.application_complete(application=application, by=staff, on=D(11, 30))
        application.refresh_from_db()
        assert application.status == ApplicationStatus.COMPLETED
        assert application.certificate_number

        # --- The year closes ----------------------------------------------------------------
        clock.set(datetime.date(year + 1, 1, 15))
        finance.year_close(year=year, by=staff)
        assert YearEnd.objects.filter(year=year).exists()

        # --- The statements and the annual report tie out -------------------------------
        start, end = D(1, 1), D(12, 31)
        for statement in (
            balance_sheet(start=start, end=end),
            activities(start=start, end=end),
            cash_flow(start=start, end=end),
        ):
            assert statement.tie_outs and statement.balanced, [
                (t.label, t.left, t.right) for t in statement.tie_outs if not t.ok
            ]
        annual = catalogue.get("annual-report")
        document = build_document(annual, {"year": str(year)})
        assert document.failures == []

        # --- The officials' report is sent (1 March: last year's annual report) -----------
        clock.set(datetime.date(year + 1, 3, 1), 6)
        run = committed(
            lambda: run_create_scheduled(
                slug="annual-report", fmt="xlsx", audience_role=Role.OFFICIAL.value, schedule="年报"
            )
        )
        run = committed(lambda: run_build(run.pk)) or ReportRun.objects.get(pk=run.pk)
        run.refresh_from_db()
        assert run.status == RunStatus.DONE and not run.held, run.check_failures
        assert Notification.objects.filter(user=official).exists()
        assert ReportRun.objects.visible_to(official).filter(pk=run.pk).exists()
    download = client_for(official).get(reverse("reports:run_download", args=[run.pk]))
    assert download.status_code == 200
    assert units[0].__class__.objects.get(pk=units[0].pk).state == MembershipState.APPROVED
    assert RoundQuota.objects.filter(round=round_).exists()
