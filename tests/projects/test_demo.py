"""The demo data: the figures of the news page, the demo logins attached, idempotent, and
made through the services (the pipeline's log, the agreements, the training)."""

import time

from django.apps import apps
from django.db import connection
from django.db.models import Sum

from association.accounts import demo as accounts_demo
from association.finance import demo as finance_demo
from association.finance.models import VoucherLine
from projects import demo
from projects.choices import ApplicationStatus, ExpertDomain, GrantStatus, MilestoneStatus
from projects.models import (
    Agreement,
    Application,
    ApplicationTransition,
    Attendance,
    Expert,
    GrantMilestone,
    PracticeBase,
    PracticeParticipation,
    RecruitmentRound,
    Referral,
    ServiceActivity,
    StartupGrant,
)

from .factories import county


def test_it_seeds_the_programme_and_the_expert_pool_idempotently(db):
    accounts_demo.seed()
    county()
    county(name="禹州市", code="411081")
    finance_demo.seed_programme()  # the programme's fund, before the programme opens
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(1)
        return execute(sql, params, many, context)

    started = time.monotonic()
    with connection.execute_wrapper(count):
        demo.seed()
    # ~2,900 service calls at their moments (25,759 queries when written, savepoints
    # included): a budget on the queries, which the machine's load does not move
    assert len(queries) < 30_000
    assert time.monotonic() - started < 120
    demo.seed()  # twice: nothing doubles

    assert RecruitmentRound.objects.count() == 4
    assert 215 <= Application.objects.count() <= 225
    themed = ServiceActivity.objects.filter(target_group="独居老人", kind="themed")
    assert themed.count() == 16
    assert 2900 <= themed.aggregate(total=Sum("person_times"))["total"] <= 3200
    assert PracticeBase.objects.count() == 22
    assert 3100 <= PracticeParticipation.objects.count() <= 3300
    # the pipeline, step by step: every application's moves are in its log
    completed = Application.objects.filter(status=ApplicationStatus.COMPLETED)
    assert 90 <= completed.count() <= 100
    assert not completed.filter(certificate_number__isnull=True).exists()
    assert Application.objects.filter(status=ApplicationStatus.SERVING).count() == 55
    assert Application.objects.filter(status=ApplicationStatus.WITHDRAWN).count() == 13
    assert Agreement.objects.count() == 165
    for application in completed[:5]:
        moves = list(application.transitions.order_by("pk").values_list("to_status", flat=True))
        assert moves == [
            "submitted",
            "screened",
            "interviewed",
            "offered",
            "accepted",
            "serving",
            "completed",
        ]
    assert 700 <= Attendance.objects.count() <= 760
    assert StartupGrant.objects.filter(status=GrantStatus.REJECTED).count() == 1
    assert StartupGrant.objects.filter(amount_awarded__isnull=False).count() == 3
    assert_milestones_paid_from_the_programme_fund()
    assert ApplicationTransition.objects.filter(from_status="").count() == 221
    counts = {d: Expert.objects.filter(domain=d).count() for d in ExpertDomain.values}
    assert counts == {
        "counselling": 19,
        "family_education": 20,
        "social_care": 12,
        "legal": 6,
    }
    assert Expert.objects.get(user__email="expert@demo.xcsw.org.cn")
    assert Application.objects.filter(applicant__email="applicant@demo.xcsw.org.cn").exists()
    assert Referral.objects.filter(sealed=True).count() == 1
    assert all("虚构" in r.minor_school for r in Referral.objects.all())
    # Issue 12: every change the demo made says so in the history.
    for model in apps.get_app_config("projects").get_models():
        if hasattr(model, "pgh_event_model"):
            events = model.pgh_event_model.objects.all()
            assert not events.filter(pgh_context__isnull=True).exists(), model
            actions = set(events.values_list("pgh_context__metadata__action", flat=True))
            assert actions <= {"seed_demo"}, (model, actions)


def assert_milestones_paid_from_the_programme_fund():
    """Every achieved milestone of an awarded grant is paid through finance on the day it
    was achieved: a posted voucher against the programme's restricted fund."""
    due = GrantMilestone.objects.filter(achieved_on__isnull=False)
    assert due.count() >= 4
    assert not due.exclude(status=MilestoneStatus.PAID).exists()
    for milestone in due:
        lines = VoucherLine.objects.filter(
            voucher__number=milestone.payment_reference, voucher__status="posted"
        )
        assert {line.fund.code for line in lines} == {demo.CODE}
        assert {line.voucher.date for line in lines} == {milestone.achieved_on}
        assert sum(line.debit for line in lines) == milestone.amount
