"""Demo data of finance: a realistic year of the association's books (idempotent).

Funds for the stations' purchase-of-service contract and the graduate programme (made
before the programme opens, ``seed_programme``: its start-up grants are paid from it), the
founding congress's fund rules with their approval chain, budgets, the demo members'
paid dues posted, grants received, claims along the chain, the first months closed.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.utils import timezone

from association.accounts.choices import Role
from association.accounts.models import User

from . import chart, selectors, services
from .choices import ClaimStatus, PeriodStatus
from .models import (
    Account,
    Budget,
    BudgetLine,
    FinanceApprover,
    Fund,
    FundRules,
    Grant,
    GrantTranche,
    Milestone,
    Period,
)

SECRETARY_EMAIL = "secretary@demo.xcsw.org.cn"


def _say(stdout, text):
    if stdout is not None:
        stdout.write(text)


def _user(email, name, role, *, is_staff=True):
    from association.accounts.demo import DEMO_PASSWORD

    user, created = User.objects.get_or_create(
        email=email, defaults={"display_name": name, "is_staff": is_staff}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    user.groups.add(Group.objects.get(name=role.value))
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


def _kept(staff, model, defaults=None, **lookup):
    """The record ``lookup`` names, or a new one with ``defaults`` saved through the
    service staff use in the admin (``record_save``: permission, rules, history)."""
    found = model.objects.filter(**lookup).first()
    if found is not None:
        return found
    return _save(staff, model, **lookup, **(defaults or {}))


def _save(staff, model, **fields):
    """A new setup record saved through ``record_save``, as staff save one in the admin."""
    return services.record_save(record=model(**fields), by=staff)


def _people():
    from association.accounts.demo import demo_account_get

    staff = demo_account_get(Role.STAFF)
    president = demo_account_get(Role.OFFICER)
    secretary = _user(SECRETARY_EMAIL, "刘志明（秘书长）", Role.OFFICER)
    council = _user("council@demo.xcsw.org.cn", "理事会办公室", Role.STAFF)
    # 会长 and 秘书长 approve by their terms of office (the founding election); the council's
    # step is recorded by its office under a dated delegation.
    _kept(
        staff,
        FinanceApprover,
        user=council,
        office="council",
        defaults={
            "starts_on": datetime.date(2023, 7, 1),
            "basis": "第一届理事会第一次会议决定：理事会办公室登记理事会审议决议",
        },
    )
    # Seeded without the elections demo (no terms of office), the two officers approve
    # under a delegation that says so.
    for user, office in ((secretary, "secretary_general"), (president, "president")):
        if office not in selectors.approver_offices(user):
            _kept(
                staff,
                FinanceApprover,
                user=user,
                office=office,
                defaults={
                    "starts_on": datetime.date(2023, 7, 1),
                    "basis": "演示：未载入选举数据，按授权审批",
                },
            )
    return staff, president, secretary, council


FUND_RULES_TEXT = (
    "第十二条 单笔支出5000元（含）以下由秘书长审批；超过5000元的，经秘书长审核后"
    "报会长审批；超过50000元的，须经理事会审议通过。"
)
FUND_RULES_STEPS = [
    {"step": 1, "office": "secretary_general", "above_amount": "0", "article": "第十二条"},
    {"step": 2, "office": "president", "above_amount": "5000", "article": "第十二条"},
    {
        "step": 3,
        "office": "council",
        "above_amount": "50000",
        "article": "第十二条",
        "needs_resolution": True,
    },
]


def _rules(staff):
    """The fund rules in force: the version the founding congress adopted by motion
    (governance's demo), recorded through ``fund_rules_adopt`` with its approval chain.
    None when no congress has adopted them (the finance demo then has no claims)."""
    from association.governance.choices import DocumentKind, MeetingKind
    from association.governance.models import Motion

    current = FundRules.objects.order_by("-effective_from").first()
    if current is not None:
        return current
    motion = (
        Motion.objects.filter(
            passed=True,
            meeting__kind=MeetingKind.GENERAL,
            document_version__document__kind=DocumentKind.FUND_RULES,
        )
        .select_related("meeting")
        .order_by("decided_at")
        .first()
    )
    if motion is None:
        return None
    return services.fund_rules_adopt(
        motion=motion,
        by=staff,
        name="资金管理使用办法",
        effective_from=timezone.localdate(motion.meeting.starts_at),
        text=FUND_RULES_TEXT,
        steps=FUND_RULES_STEPS,
    )


FOUNDING_YEAR = 2023  # the books start with the association (the founding congress, July)


def seed_opening(stdout=None):
    """The books open once, before the first receipt: the chart of accounts, the approval
    chain of the fund rules the founding congress adopted, and the opening balances the
    preparatory group handed over (entered in July 2023, as of 1 January 2023)."""
    from association.demo import demo_clock

    chart.chart_load()
    staff, _president, _secretary, _council = _people()
    _rules(staff)
    if services.opening_voucher() is not None:
        return
    general = Fund.objects.get(is_general=True)
    with demo_clock(datetime.date(FOUNDING_YEAR, 7, 10)):
        services.opening_balances_enter(
            by=staff,
            books_start=datetime.date(FOUNDING_YEAR, 1, 1),
            lines=[
                {"account": "1002", "fund": general, "debit": Decimal("186000")},
                {"account": "1001", "fund": general, "debit": Decimal("2000")},
                {"account": "3101", "fund": general, "credit": Decimal("188000")},
            ],
        )
    _say(stdout, "财务：账簿启用，期初余额已录入。")


# Donations received (the register of the annual work report and its disclosure), each
# recorded on its day with the voucher of the money (bank / 4101 捐赠收入, general fund).
DONATIONS = [
    (
        datetime.date(2024, 5, 20),
        "许昌瑞贝卡慈善基金会",
        "organisation",
        "60000.00",
        "社工站督导培训",
    ),
    (datetime.date(2024, 11, 8), "王建华", "individual", "2000.00", ""),
    (
        datetime.date(2025, 4, 16),
        "许昌市慈善总会",
        "organisation",
        "80000.00",
        "“五社联动”公益项目",
    ),
    (
        datetime.date(2025, 9, 5),
        "河南许继电气有限公司工会委员会",
        "organisation",
        "30000.00",
        "社会工作者继续教育",
    ),
    (datetime.date(2025, 12, 18), "张桂英", "individual", "1000.00", ""),
]


def seed_donations(stdout=None):
    """The donations of 2024 and 2025, each on its day (demo clock): the voucher of the
    money posted and the donation recorded through ``donation_save``; nothing after today."""
    from association.demo import demo_clock

    from .models import Donation

    if Donation.objects.exists():
        return
    staff, _president, _secretary, _council = _people()
    today = timezone.localdate()
    n = 0
    for index, (day, donor, kind, amount, purpose) in enumerate(DONATIONS, start=1):
        if day > today or selectors.period_is_closed(day):
            continue
        amount = Decimal(amount)
        with demo_clock(day):
            services.voucher_create_and_post(
                by=staff,
                date=day,
                summary=f"接受捐赠：{donor}",
                lines=[
                    {"account": "1002", "debit": amount, "counterparty": donor},
                    {"account": "4101", "credit": amount, "counterparty": donor},
                ],
            )
            services.donation_save(
                donation=Donation(
                    donor=donor,
                    donor_kind=kind,
                    received_on=day,
                    amount=amount,
                    purpose=purpose,
                    receipt_number=f"豫财捐{day.year}-{index:04d}",
                ),
                by=staff,
            )
        n += 1
    _say(stdout, f"财务：接受捐赠 {n} 笔（登记并记账）。")


def seed_programme(stdout=None):
    """The graduate programme (projects' demo) in the books, before the programme opens:
    its restricted fund, whose code is the programme's (``programme_fund``), and the
    人社局's grant that fills it, the first tranche received before the first start-up
    grant is paid. Each voucher on its day (demo clock); idempotent."""
    from association.demo import demo_clock
    from projects.demo import CODE, programme_begins

    seed_opening(stdout)
    staff, _president, _secretary, _council = _people()
    if Grant.objects.filter(fund__code=CODE).exists():
        return
    today = timezone.localdate()
    begins = programme_begins(today)
    fund = _kept(
        staff,
        Fund,
        code=CODE,
        defaults={
            "name": "毕业季社工计划",
            "restriction": "restricted",
            "purpose": "应届毕业生社区公共服务岗位、培训与创业资助",
            "grantor": "许昌市人力资源和社会保障局",
            "starts_on": begins - datetime.timedelta(days=30),
            "ends_on": today + datetime.timedelta(days=365),
        },
    )
    grant = _save(
        staff,
        Grant,
        kind="government_grant",
        title="毕业季社工计划专项补助",
        counterparty="许昌市人力资源和社会保障局",
        fund=fund,
        account=Account.objects.get(code="4401"),
        total=Decimal("600000"),
        signed_on=begins - datetime.timedelta(days=45),
        starts_on=begins - datetime.timedelta(days=30),
        ends_on=fund.ends_on,
        project_tag="毕业季社工计划",
    )
    for label, due_on in [
        ("首期", begins - datetime.timedelta(days=20)),
        ("二期", begins + datetime.timedelta(days=365)),
    ]:
        _save(
            staff, GrantTranche, grant=grant, label=label, due_on=due_on, amount=Decimal("300000")
        )
    _save(
        staff,
        Milestone,
        grant=grant,
        title="第一轮招募完成",
        due_on=today - datetime.timedelta(days=570),
    )
    received = 0
    for tranche in grant.tranches.order_by("due_on"):
        if tranche.due_on > today or selectors.period_is_closed(tranche.due_on):
            continue
        with demo_clock(tranche.due_on):
            services.tranche_settle(tranche=tranche, by=staff, on=tranche.due_on)
        received += 1
    _say(stdout, f"财务：毕业季社工计划限定性资金已设立，专项补助到账 {received} 期。")


def seed(stdout=None):
    seed_opening(stdout)
    seed_programme(stdout)
    staff, president, secretary, _council = _people()
    today = timezone.localdate()
    year = today.year if today.month >= 4 else today.year - 1
    general = Fund.objects.get(is_general=True)
    stations = _kept(
        staff,
        Fund,
        code=f"ZC-{year}-ST",
        defaults={
            "name": f"{year}年社工站运营购买服务",
            "restriction": "restricted",
            "purpose": "乡镇（街道）社工站运营督导与人员培训",
            "grantor": "许昌市民政局",
            "starts_on": datetime.date(year, 1, 1),
            "ends_on": datetime.date(year, 12, 31),
        },
    )
    admin_budget = _kept(
        staff,
        Budget,
        fund=general,
        year=year,
        project_tag="",
        defaults={"name": "协会日常运行", "approved_on": datetime.date(year, 1, 10)},
    )
    station_budget = _kept(
        staff,
        Budget,
        fund=stations,
        year=year,
        project_tag="社工站督导",
        defaults={"name": "社工站督导培训", "approved_on": datetime.date(year, 1, 10)},
    )
    cost = {a.code: a for a in Account.objects.filter(code__in=["5101", "5201"])}
    office_line = _kept(
        staff,
        BudgetLine,
        budget=admin_budget,
        label="办公及会议费",
        defaults={"account": cost["5201"], "amount": Decimal("60000")},
    )
    training_line = _kept(
        staff,
        BudgetLine,
        budget=station_budget,
        label="督导培训",
        defaults={"account": cost["5101"], "amount": Decimal("300000")},
    )
    posted_dues = _post_dues(staff)
    if Grant.objects.filter(contract_number=f"XCMZ-GM-{year}-006").exists():
        _say(stdout, f"财务：演示账簿已存在（本次会费入账 {posted_dues} 笔）。")
        return
    _grants(staff, stations, year, today)
    _claims(staff, secretary, president, office_line, training_line, year)
    closed = _close_early_months(staff, year)
    _say(stdout, f"财务：演示账簿已生成，会费入账 {posted_dues} 笔，结账 {closed} 个月。")


def _post_dues(staff) -> int:
    count = 0
    for dues_id in selectors.unposted_paid_dues().values_list("id", flat=True):
        if selectors.period_is_closed(selectors.unposted_paid_dues().get(pk=dues_id).paid_on):
            continue
        if services.dues_post(dues_id=dues_id, by=staff):
            count += 1
    return count


def _grants(staff, stations, year, today):
    accounts = {a.code: a for a in Account.objects.filter(code__in=["4301", "4401", "5101"])}
    contract = _save(
        staff,
        Grant,
        kind="purchase_of_service",
        title=f"{year}年全市乡镇（街道）社工站运营督导购买服务",
        counterparty="许昌市民政局",
        contract_number=f"XCMZ-GM-{year}-006",
        fund=stations,
        account=accounts["4301"],
        total=Decimal("360000"),
        signed_on=datetime.date(year, 1, 8),
        starts_on=datetime.date(year, 1, 1),
        ends_on=datetime.date(year, 12, 31),
        project_tag="社工站督导",
    )
    for label, due_on, amount in [
        ("第一期（40%）", datetime.date(year, 1, 20), Decimal("144000")),
        ("第二期（40%）", datetime.date(year, 7, 20), Decimal("144000")),
        ("尾款（20%，考核后）", datetime.date(year, 12, 31), Decimal("72000")),
    ]:
        _save(staff, GrantTranche, grant=contract, label=label, due_on=due_on, amount=amount)
    for title, due_on in [
        ("半年督导报告", datetime.date(year, 7, 10)),
        ("年度考核", datetime.date(year, 12, 20)),
    ]:
        _save(staff, Milestone, grant=contract, title=title, due_on=due_on)
    for tranche in GrantTranche.objects.filter(grant=contract):
        if tranche.due_on <= today and tranche.due_on.month <= 7:
            services.tranche_settle(tranche=tranche, by=staff, on=tranche.due_on)


def _claims(staff, secretary, president, office_line, training_line, year):
    if not FundRules.objects.exists():
        # No congress adopted the fund rules (the finance demo run on its own): no chain.
        return
    plans = [
        ("会员代表大会会务费", office_line, "许昌市会议中心", Decimal("3200"), 2, True),
        (
            "社工站督导培训讲师劳务费",
            training_line,
            "河南省社会工作协会",
            Decimal("18500"),
            3,
            True,
        ),
        ("办公用品采购", office_line, "许昌文具商行", Decimal("860"), 3, True),
        ("第二期督导培训场地费", training_line, "许昌学院继续教育学院", Decimal("9600"), 5, False),
    ]
    for title, line, payee, amount, month, pay in plans:
        claim = services.claim_create(
            by=staff,
            title=title,
            fund=line.budget.fund,
            budget_line=line,
            payee=payee,
            items=[
                {
                    "description": title,
                    "account": line.account,
                    "amount": amount,
                    "spent_on": datetime.date(year, month, 5),
                }
            ],
        )
        claim = services.claim_submit(claim=claim, by=staff)
        claim = services.claim_approve(claim=claim, by=secretary, comment="同意")
        if claim.status != ClaimStatus.APPROVED:
            claim = services.claim_approve(claim=claim, by=president, comment="同意")
        if pay:
            services.claim_pay(claim=claim, by=staff, paid_on=datetime.date(year, month, 15))


def _close_early_months(staff, year) -> int:
    """Each past year closed at year end (the 结转 voucher, then its months), as
    the books were kept; then the first months of this year."""
    from .models import YearEnd

    closed = 0
    first = services.books_start()
    for past in range(first.year if first else year, year):
        if not YearEnd.objects.filter(year=past).exists():
            services.year_close(year=past, by=staff)
            closed += 12
    for period in Period.objects.filter(status=PeriodStatus.OPEN).order_by("year", "month"):
        if (period.year, period.month) >= (year, 3):
            break
        services.period_close(year=period.year, month=period.month, by=staff)
        closed += 1
    return closed
