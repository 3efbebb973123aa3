"""Court referrals: sealing, encryption at rest, matching, consent, the report, stories."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from association.audit.models import AccessLog
from projects import selectors, services
from projects.choices import AssignmentStatus, ExpertDomain, ReferralService, ReferralStatus
from projects.models import Consent, Referral, Story

from .factories import ExpertFactory, ReferralFactory, county


@pytest.fixture
def referral(cast):
    return ReferralFactory(designated_officer=cast.officer, created_by=cast.staff)


def test_it_stores_the_minors_data_encrypted(referral):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT minor_name, minor_id_number, minor_school, minor_address, guardian_name, "
            "minor_birth_date FROM projects_referral WHERE id = %s",
            [referral.pk],
        )
        row = cursor.fetchone()
    for raw, plain in zip(
        row,
        [
            "王小明",
            "411002201005010011",
            "许昌市虚构第九中学",
            "许昌市魏都区虚构路88号",
            "王大山",
            "2010-05-01",
        ],
        strict=True,
    ):
        assert raw.startswith("v1:")
        assert plain not in raw
    assert Referral.objects.get(pk=referral.pk).minor_name == "王小明"


def test_it_masks_the_minors_data(referral):
    assert referral.minor_name_masked == "王**"
    assert referral.minor_id_number_masked == "4110**********0011"
    assert "虚构第九中学" not in referral.minor_school_masked


def test_it_shows_a_sealed_referral_only_to_its_accepted_experts_and_designated_officer(
    cast, referral
):
    expert = ExpertFactory(user=cast.expert)
    assignment = services.assignment_create(
        referral=referral, expert=expert, service=ReferralService.INVESTIGATION, by=cast.officer
    )
    services.referral_seal(referral=referral, by=cast.officer)

    def visible():
        return {
            name
            for name, user in cast.items()
            if Referral.objects.visible_to(user).filter(pk=referral.pk)
        }

    assert visible() == {"officer"}  # an expert merely offered the case does not see it
    services.assignment_accept(assignment=assignment, by=cast.expert)
    assert visible() == {"officer", "expert"}


def test_it_shows_an_unsealed_referral_to_its_designated_officer_only(cast, referral):
    """Need to know, sealed or not: other staff see counts, not the case."""
    visible = {
        name
        for name, user in cast.items()
        if Referral.objects.visible_to(user).filter(pk=referral.pk)
    }
    assert visible == {"officer"}


def test_it_hides_a_sealed_referral_from_an_expert_who_declined(cast, referral):
    expert = ExpertFactory(user=cast.expert)
    assignment = services.assignment_create(
        referral=referral, expert=expert, service=ReferralService.INVESTIGATION, by=cast.officer
    )
    services.referral_seal(referral=referral, by=cast.officer)
    services.assignment_decline(assignment=assignment, by=cast.expert, reason="时间冲突")
    assert not Referral.objects.visible_to(cast.expert).filter(pk=referral.pk).exists()


def test_it_needs_a_reason_to_read_a_sealed_referral_and_logs_every_read(cast, referral):
    services.record_read(referral=referral, user=cast.officer)
    with pytest.raises(PermissionDenied):
        services.record_read(referral=referral, user=cast.staff)
    referral = services.referral_seal(referral=referral, by=cast.officer)
    with pytest.raises(ValidationError):
        services.record_read(referral=referral, user=cast.officer, reason="")
    services.record_read(referral=referral, user=cast.officer, reason="撰写审查意见")
    reads = AccessLog.objects.filter(object_type="projects.referral", object_id=str(referral.pk))
    assert list(
        reads.filter(action="view_referral").order_by("at").values_list("user__email", "reason")
    ) == [
        ("officer@example.org", "指定负责人"),
        ("officer@example.org", "指定负责人：撰写审查意见"),
    ]


def test_it_lets_only_the_designated_officer_manage_a_sealed_referral(cast, referral):
    services.referral_seal(referral=referral, by=cast.officer)
    expert = ExpertFactory()
    with pytest.raises(PermissionDenied):
        services.assignment_create(
            referral=referral, expert=expert, service=ReferralService.INVESTIGATION, by=cast.staff
        )


def test_it_suggests_experts_by_domain_then_county_then_load(cast, referral):
    here = referral.county
    elsewhere = county(name="禹州市", code="411081")
    busy_here = ExpertFactory(name="甲", county=here, max_load=5)
    ExpertFactory(name="乙", county=elsewhere)
    ExpertFactory(name="丙", county=here)
    full = ExpertFactory(name="丁", county=here, max_load=1)
    ExpertFactory(name="戊", county=here, domain=ExpertDomain.LEGAL)
    ExpertFactory(name="己", county=here, available=False)
    for expert in (busy_here, busy_here, full):
        services.assignment_create(
            referral=ReferralFactory(designated_officer=cast.officer),
            expert=expert,
            service=ReferralService.INVESTIGATION,
            by=cast.officer,
        )
    suggested = list(
        selectors.experts_suggest(referral=referral, service=ReferralService.INVESTIGATION)
    )
    assert [e.name for e in suggested] == ["丙", "甲", "乙"]
    assert [e.load for e in suggested] == [0, 2, 0]


def test_it_refuses_an_expert_of_the_wrong_domain_or_at_capacity(cast, referral):
    lawyer = ExpertFactory(domain=ExpertDomain.LEGAL)
    with pytest.raises(ValidationError, match="专业领域"):
        services.assignment_create(
            referral=referral, expert=lawyer, service=ReferralService.INVESTIGATION, by=cast.officer
        )
    full = ExpertFactory(max_load=1)
    services.assignment_create(
        referral=ReferralFactory(designated_officer=cast.officer),
        expert=full,
        service=ReferralService.INVESTIGATION,
        by=cast.officer,
    )
    with pytest.raises(ValidationError, match="上限"):
        services.assignment_create(
            referral=referral, expert=full, service=ReferralService.INVESTIGATION, by=cast.officer
        )


def test_it_needs_the_guardians_consent_before_counselling(cast, referral):
    counsellor = ExpertFactory(user=cast.expert, domain=ExpertDomain.COUNSELLING)
    assignment = services.assignment_create(
        referral=referral, expert=counsellor, service=ReferralService.COUNSELLING, by=cast.officer
    )
    services.assignment_accept(assignment=assignment, by=cast.expert)
    today = timezone.localdate()
    with pytest.raises(ValidationError, match="同意"):
        services.session_log(
            assignment=assignment, by=cast.expert, date=today, minutes=50, summary="初次评估"
        )
    services.consent_record(
        consent=Consent(
            party="guardian",
            services=[ReferralService.COUNSELLING],
            recorded_on=today,
            method="书面签字",
        ),
        referral=referral,
        by=cast.officer,
    )
    session = services.session_log(
        assignment=assignment, by=cast.expert, date=today, minutes=50, summary="初次评估"
    )
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.IN_PROGRESS
    with connection.cursor() as cursor:
        cursor.execute("SELECT summary FROM projects_referralsession WHERE id = %s", [session.pk])
        assert "初次评估" not in cursor.fetchone()[0]


def test_it_writes_delivers_the_report_and_closes(cast, referral):
    investigator = ExpertFactory(user=cast.expert)
    assignment = services.assignment_create(
        referral=referral,
        expert=investigator,
        service=ReferralService.INVESTIGATION,
        by=cast.officer,
    )
    services.assignment_accept(assignment=assignment, by=cast.expert)
    with pytest.raises(ValidationError, match="送达后"):
        services.referral_close(referral=referral, by=cast.officer, note="完成")
    with pytest.raises(ValidationError, match="定稿前"):
        services.report_save(
            referral=referral, by=cast.expert, sections={"family": "父母务工"}, finalise=True
        )
    sections = {
        name: f"{name} 内容"
        for name in (
            "family",
            "upbringing",
            "schooling",
            "peers",
            "behaviour",
            "support",
            "opinion",
        )
    }
    services.report_save(referral=referral, by=cast.expert, sections=sections, finalise=True)
    services.report_deliver(referral=referral, by=cast.officer, on=timezone.localdate())
    services.referral_close(referral=referral, by=cast.officer, note="调查报告已送达，结案。")
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.CLOSED
    assert referral.assignments.get().status == AssignmentStatus.COMPLETED


def test_it_renders_the_report_as_a_pdf(cast, referral):
    from projects.documents import investigation_report_pdf

    investigator = ExpertFactory(user=cast.expert)
    assignment = services.assignment_create(
        referral=referral,
        expert=investigator,
        service=ReferralService.INVESTIGATION,
        by=cast.officer,
    )
    services.assignment_accept(assignment=assignment, by=cast.expert)
    report = services.report_save(
        referral=referral, by=cast.expert, sections={"family": "父母在外务工，由祖父母照料。"}
    )
    pdf = investigation_report_pdf(report)
    assert pdf.startswith(b"%PDF")


@pytest.mark.parametrize(
    "body, blocked",
    [
        ("一名初中生在社工帮助下重返校园。", False),
        ("王小明在社工帮助下重返校园。", True),
        ("小明在社工帮助下重返校园。", True),
        ("他就读于许昌市虚构第九中学。", True),
        ("家住许昌市魏都区 虚构路88号。", True),
        ("其父王大山积极配合。", True),
    ],
)
def test_it_blocks_stories_that_name_the_minor_school_or_address(cast, referral, body, blocked):
    story = Story.objects.create(
        referral=referral, title="守护成长", body=body, author=cast.officer
    )
    if blocked:
        with pytest.raises(ValidationError):
            services.story_publish(story=story, by=cast.officer)
    else:
        services.story_publish(story=story, by=cast.officer)
        story.refresh_from_db()
        assert story.published_at is not None


def test_it_registers_a_referral_with_a_reference_and_a_staff_officer(cast):
    draft = ReferralFactory.build(designated_officer=cast.officer, reference=None)
    referral = services.referral_register(referral=draft, by=cast.staff)
    assert referral.reference == f"ZJ{draft.received_on.year}-0001"
    bad = ReferralFactory.build(designated_officer=cast.expert, reference=None)
    with pytest.raises(ValidationError):
        services.referral_register(referral=bad, by=cast.staff)
    with pytest.raises(PermissionDenied):
        services.referral_register(
            referral=ReferralFactory.build(designated_officer=cast.officer, reference=None),
            by=cast.expert,
        )
