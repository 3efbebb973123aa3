"""The programme's particulars (programme, rounds, eligibility rules, practice bases,
experts) are saved through their services, from the admin as from the demo: staff only,
attributed in the history to the service; the admin writes nothing past them."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from association.admin_actions import ReadOnlyMixin
from projects import services
from projects.choices import Criterion, ExpertDomain
from projects.models import (
    EligibilityRule,
    Expert,
    PracticeBase,
    PracticeParticipation,
    Programme,
    RecruitmentRound,
)

from .factories import PracticeBaseFactory, ProgrammeFactory, RoundFactory, county, today

pytestmark = pytest.mark.django_db


def _actions(model) -> set:
    events = model.pgh_event_model.objects.all()
    return {
        service
        for services_ in events.values_list("pgh_context__metadata__services", flat=True)
        for service in services_ or []
    } | set(events.values_list("pgh_context__metadata__action", flat=True))


def test_the_services_save_the_programme_its_round_and_rule_for_staff_only(cast):
    programme = Programme(name="毕业季社工计划", code="bys-t", start_date=today())
    with pytest.raises(PermissionDenied):
        services.programme_save(programme=programme, by=cast.station_worker)
    programme = services.programme_save(programme=programme, by=cast.staff)
    round_ = services.round_save(
        round_=RecruitmentRound(
            programme=programme,
            number=1,
            name="第1批",
            opens_on=today(),
            closes_on=today() + datetime.timedelta(days=20),
        ),
        by=cast.staff,
    )
    services.eligibility_rule_save(
        rule=EligibilityRule(programme=programme, criterion=Criterion.MAJOR, allowed="社会工作"),
        by=cast.staff,
    )
    assert "projects.programme_save" in _actions(Programme)
    assert round_.pk and EligibilityRule.objects.filter(programme=programme).exists()

    other = ProgrammeFactory()
    foreign = EligibilityRule(
        programme=other, round=round_, criterion=Criterion.MAJOR, allowed="法学"
    )
    with pytest.raises(ValidationError):
        services.eligibility_rule_save(rule=foreign, by=cast.staff)
    backwards = RecruitmentRound(
        programme=programme,
        number=2,
        name="第2批",
        opens_on=today(),
        closes_on=today() - datetime.timedelta(days=1),
    )
    with pytest.raises(ValidationError):
        services.round_save(round_=backwards, by=cast.staff)


def test_a_roster_is_placed_at_a_base_all_or_none_within_its_capacity(cast):
    base = services.practice_base_save(
        base=PracticeBase(
            name="实践基地",
            university="许昌学院",
            host_community="测试社区",
            capacity=2,
            agreement_starts_on=today() - datetime.timedelta(days=30),
            agreement_ends_on=today() + datetime.timedelta(days=300),
        ),
        by=cast.staff,
    )

    def student(name, starts=0, days=5):
        begins = today() + datetime.timedelta(days=starts)
        return PracticeParticipation(
            student_name=name,
            university="许昌学院",
            starts_on=begins,
            ends_on=begins + datetime.timedelta(days=days),
            hours=Decimal("8"),
        )

    with pytest.raises(PermissionDenied):
        services.participations_add(base=base, participations=[student("甲")], by=cast.outsider)
    placed = services.participations_add(
        base=base, participations=[student("甲"), student("乙"), student("丙", 10)], by=cast.staff
    )
    assert len(placed) == 3
    with pytest.raises(ValidationError, match="同时最多接纳 2 名"):
        services.participations_add(
            base=base, participations=[student("丁", 20), student("戊", 1)], by=cast.staff
        )
    assert PracticeParticipation.objects.count() == 3  # 丁 (fitting) not placed either
    assert "projects.practice_base_save" in _actions(PracticeBase)


def test_an_expert_is_enrolled_through_the_service(cast):
    expert = Expert(name="赵磊", domain=ExpertDomain.LEGAL, county=county(), max_load=2)
    with pytest.raises(PermissionDenied):
        services.expert_save(expert=expert, by=cast.station_worker)
    services.expert_save(expert=expert, by=cast.staff)
    assert "projects.expert_save" in _actions(Expert)


def test_the_admin_saves_through_the_services_and_deletes_nothing(cast, client_for, monkeypatch):
    client = client_for(cast.staff)
    called = []
    original = services.round_save
    monkeypatch.setattr(
        services, "round_save", lambda **kw: called.append("round_save") or original(**kw)
    )
    round_ = RoundFactory()
    programme = round_.programme
    response = client.post(
        reverse("admin:projects_recruitmentround_change", args=[round_.pk]),
        {
            "programme": programme.pk,
            "number": round_.number,
            "name": "第一批（调整）",
            "opens_on": round_.opens_on.isoformat(),
            "closes_on": round_.closes_on.isoformat(),
            "notes": "",
            "quotas-TOTAL_FORMS": "0",
            "quotas-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert RecruitmentRound.objects.get(pk=round_.pk).name == "第一批（调整）"
    assert called == ["round_save"]

    base = PracticeBaseFactory()
    response = client.post(
        reverse("admin:projects_practicebase_change", args=[base.pk]),
        {
            "name": base.name,
            "university": "许昌学院",
            "host_community": base.host_community,
            "capacity": 5,
            "agreement_starts_on": base.agreement_starts_on.isoformat(),
            "agreement_ends_on": base.agreement_ends_on.isoformat(),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert PracticeBase.objects.get(pk=base.pk).capacity == 5
    assert "projects.practice_base_save" in _actions(PracticeBase)
    for name in ("programme", "recruitmentround", "practicebase", "expert"):
        assert client.get(reverse(f"admin:projects_{name}_delete", args=[1])).status_code in (
            302,
            403,
        )


def test_the_read_only_block_is_one_mixin_in_both_apps():
    from django.contrib import admin

    from members.models import DuesStandard
    from projects.models import Agreement

    for model in (DuesStandard, Agreement):
        assert isinstance(admin.site._registry[model], ReadOnlyMixin)


def test_the_programme_page_saves_its_rounds_and_rules_through_the_services(
    cast, client_for, monkeypatch
):
    programme = ProgrammeFactory()
    called = []
    for name in ("programme_save", "round_save", "eligibility_rule_save"):
        original = getattr(services, name)
        monkeypatch.setattr(
            services,
            name,
            lambda original=original, name=name, **kw: called.append(name) or original(**kw),
        )
    opens = today()
    response = client_for(cast.staff).post(
        reverse("admin:projects_programme_change", args=[programme.pk]),
        {
            "name": programme.name,
            "code": programme.code,
            "description": "",
            "rules": "",
            "budget": "600000.00",
            "start_date": programme.start_date.isoformat(),
            "status": programme.status,
            "rounds-TOTAL_FORMS": "1",
            "rounds-INITIAL_FORMS": "0",
            "rounds-0-number": "1",
            "rounds-0-name": "第1批",
            "rounds-0-opens_on": opens.isoformat(),
            "rounds-0-closes_on": (opens + datetime.timedelta(days=20)).isoformat(),
            "eligibility_rules-TOTAL_FORMS": "1",
            "eligibility_rules-INITIAL_FORMS": "0",
            "eligibility_rules-0-criterion": Criterion.MAJOR,
            "eligibility_rules-0-allowed": "社会工作",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert called == ["programme_save", "round_save", "eligibility_rule_save"]
    assert programme.rounds.get().name == "第1批"
    assert EligibilityRule.objects.get(programme=programme).allowed == "社会工作"
