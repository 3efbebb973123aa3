"""The demo data: the figures of the news page, the demo logins attached, idempotent."""

import time

from django.apps import apps
from django.db.models import Sum

from association.accounts import demo as accounts_demo
from projects import demo
from projects.choices import ExpertDomain
from projects.models import (
    Application,
    Expert,
    PracticeBase,
    RecruitmentRound,
    Referral,
    ServiceActivity,
)

from .factories import county


def test_it_seeds_the_programme_and_the_expert_pool_idempotently(db):
    accounts_demo.seed()
    county()
    county(name="禹州市", code="411081")
    started = time.monotonic()
    demo.seed()
    assert time.monotonic() - started < 20
    demo.seed()  # twice: nothing doubles

    assert RecruitmentRound.objects.count() == 4
    assert 215 <= Application.objects.count() <= 225
    themed = ServiceActivity.objects.filter(target_group="独居老人", kind="themed")
    assert themed.count() == 16
    assert 2900 <= themed.aggregate(total=Sum("person_times"))["total"] <= 3200
    assert PracticeBase.objects.count() == 22
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
