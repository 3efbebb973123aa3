"""Eligibility rules are data: graduation year, major, university, degree."""

import pytest
from django.core.exceptions import ValidationError

from projects import services
from projects.choices import Criterion
from projects.models import EligibilityRule
from projects.rules import eligibility_failures

from .factories import ApplicationFactory, QuotaFactory


def rule(criterion, allowed):
    return EligibilityRule(criterion=criterion, allowed=allowed)


APPLICANT = {
    "graduation_year": 2024,
    "major": "社会工作（专业硕士）",
    "university": "重庆大学",
    "degree": "master",
}


@pytest.mark.parametrize(
    "rules, eligible",
    [
        ([], True),
        ([rule(Criterion.GRADUATION_YEAR, "2023-2024")], True),
        ([rule(Criterion.GRADUATION_YEAR, "2025\n2026")], False),
        ([rule(Criterion.GRADUATION_YEAR, "2024")], True),
        ([rule(Criterion.MAJOR, "社会工作\n心理学")], True),
        ([rule(Criterion.MAJOR, "法学")], False),
        ([rule(Criterion.UNIVERSITY, "西南政法大学\n重庆大学")], True),
        ([rule(Criterion.UNIVERSITY, "重庆")], False),  # universities match exactly
        ([rule(Criterion.DEGREE, "本科\n硕士研究生")], True),
        # two rules of one criterion are alternatives, different criteria all apply
        ([rule(Criterion.MAJOR, "法学"), rule(Criterion.MAJOR, "社会工作")], True),
        ([rule(Criterion.MAJOR, "社会工作"), rule(Criterion.UNIVERSITY, "重庆师范大学")], False),
    ],
)
def test_it_applies_the_rules(rules, eligible):
    assert (eligibility_failures(rules, APPLICANT) == []) is eligible


def test_it_says_which_criterion_failed_in_chinese():
    failures = eligibility_failures([rule(Criterion.GRADUATION_YEAR, "2025")], APPLICANT)
    assert failures == ["不符合报名条件“毕业年份”：须为 2025。"]


def test_it_refuses_an_ineligible_application_and_uses_round_rules_too(cast):
    quota = QuotaFactory()
    programme = quota.round.programme
    EligibilityRule.objects.create(
        programme=programme, criterion=Criterion.MAJOR, allowed="社会工作"
    )
    EligibilityRule.objects.create(
        programme=programme, round=quota.round, criterion=Criterion.UNIVERSITY, allowed="重庆大学"
    )
    draft = ApplicationFactory.build(round=quota.round, university="许昌学院", major="社会工作")
    with pytest.raises(ValidationError, match="毕业院校"):
        services.application_submit(
            round_=quota.round, application=draft, preferences=[quota.project], user=cast.outsider
        )
    ok = ApplicationFactory.build(round=quota.round, university="重庆大学", major="社会工作")
    application = services.application_submit(
        round_=quota.round, application=ok, preferences=[quota.project], user=cast.outsider
    )
    assert application.pk and application.ranked.get().project == quota.project
    assert cast.outsider.groups.filter(name="申请人").exists()
