"""Issue 12 in projects: one table shape for its four workflows, every change attributed in
the history (who, and through which service: portal services and the admin's action), the
lists filtered through FilterSets with the GET names their forms use, and the pages paged
by the shared helper at the app's 25 rows."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from pghistory.models import Context

from association.workflow import check_table
from projects import services
from projects.choices import (
    APPLICATION_TRANSITIONS,
    ASSIGNMENT_TRANSITIONS,
    GRANT_TRANSITIONS,
    REFERRAL_TRANSITIONS,
    ActivityKind,
    ApplicationStatus,
    AssignmentStatus,
    ExpertDomain,
    GrantStatus,
    ReferralService,
    ReferralStatus,
)
from projects.models import Application, Assignment, Referral, StartupGrant

from .factories import (
    ActivityFactory,
    ApplicationFactory,
    ExpertFactory,
    ProjectFactory,
    QuotaFactory,
    ReferralFactory,
    TeamMemberFactory,
)


def contexts(model, **filters) -> list[dict]:
    events = model.pgh_event_model.objects.filter(**filters)
    ids = set(events.values_list("pgh_context_id", flat=True))
    assert ids and None not in ids, f"{model.__name__}: a change without a history context"
    return list(Context.objects.filter(pk__in=ids).values_list("metadata", flat=True))


@pytest.mark.parametrize(
    ("table", "states"),
    [
        (APPLICATION_TRANSITIONS, ApplicationStatus.values),
        (REFERRAL_TRANSITIONS, ReferralStatus.values),
        (ASSIGNMENT_TRANSITIONS, AssignmentStatus.values),
        (GRANT_TRANSITIONS, GrantStatus.values),
    ],
)
def test_its_transition_tables_are_complete(table, states):
    check_table(table, states)


def test_the_history_names_who_moved_an_application_and_through_which_service(cast):
    quota = QuotaFactory()
    application = ApplicationFactory(round=quota.round, wants=[quota.project])
    services.application_screen(application=application, by=cast.staff, passed=True)
    services.interview_score_add(application=application, by=cast.officer, score=Decimal("90"))
    [screened] = contexts(Application, pgh_obj=application, status=ApplicationStatus.SCREENED)
    assert screened == {"user": cast.staff.pk, "action": "projects.application_screen"}
    [interviewed] = contexts(Application, pgh_obj=application, status=ApplicationStatus.INTERVIEWED)
    assert interviewed == {"user": cast.officer.pk, "action": "projects.interview_score_add"}
    # the pipeline's own log says the same
    assert list(application.transitions.values_list("by", "from_status", "to_status")) == [
        (cast.staff.pk, ApplicationStatus.SUBMITTED, ApplicationStatus.SCREENED),
        (cast.officer.pk, ApplicationStatus.SCREENED, ApplicationStatus.INTERVIEWED),
    ]


def test_a_refused_application_move_writes_nothing(cast):
    quota = QuotaFactory()
    application = ApplicationFactory(round=quota.round, wants=[quota.project])
    with pytest.raises(ValidationError) as refused:
        services.application_complete(application=application, by=cast.staff)
    assert refused.value.code == "invalid_transition"
    assert not application.transitions.exists()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


def test_the_history_names_the_officer_and_the_expert_on_a_referral(cast):
    referral = ReferralFactory(designated_officer=cast.officer)
    expert = ExpertFactory()
    assignment = services.assignment_create(
        referral=referral, expert=expert, service=ReferralService.INVESTIGATION, by=cast.officer
    )
    services.assignment_accept(assignment=assignment, by=expert.user)
    [assigned] = contexts(Referral, pgh_obj=referral, status=ReferralStatus.ASSIGNED)
    assert assigned["user"] == cast.officer.pk
    assert assigned["action"] == "projects.assignment_create"
    [accepted] = contexts(Assignment, pgh_obj=assignment, status=AssignmentStatus.ACCEPTED)
    assert accepted == {"user": expert.user.pk, "action": "projects.assignment_accept"}


def test_an_assignment_is_answered_once_through_its_table(cast):
    referral = ReferralFactory(designated_officer=cast.officer)
    expert = ExpertFactory()
    assignment = services.assignment_create(
        referral=referral, expert=expert, service=ReferralService.INVESTIGATION, by=cast.officer
    )
    with pytest.raises(PermissionDenied):
        services.assignment_accept(assignment=assignment, by=cast.staff)
    services.assignment_accept(assignment=assignment, by=expert.user)
    with pytest.raises(ValidationError):
        services.assignment_decline(assignment=assignment, by=expert.user, reason="时间冲突")
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.ACCEPTED


def test_a_grant_moves_through_its_table_and_names_the_reviewer(cast):
    project = ProjectFactory()
    leader = TeamMemberFactory(project=project, role="leader")
    grant = services.grant_apply(
        grant=StartupGrant(
            team_name="夕阳红服务队", amount_requested=Decimal("20000.00"), plan="服务计划"
        ),
        project=project,
        by=leader.user,
    )
    with pytest.raises(ValidationError, match="不能变为"):
        services.grant_decide(
            grant=grant,
            by=cast.staff,
            award=True,
            note="计划可行",
            amount=Decimal("10000.00"),
            milestones=[("启动", datetime.date.today(), Decimal("10000.00"))],
        )
    services.grant_review_start(grant=grant, by=cast.staff)
    [review] = contexts(StartupGrant, pgh_obj=grant, status=GrantStatus.UNDER_REVIEW)
    assert review == {"user": cast.staff.pk, "action": "projects.grant_review_start"}
    [applied] = contexts(StartupGrant, pgh_obj=grant, status=GrantStatus.APPLIED)
    assert applied == {"user": leader.user.pk, "action": "projects.grant_apply"}


def test_the_admin_action_screens_through_the_service_and_names_the_staff_member(cast, client_for):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    TOTP.activate(cast.staff, generate_totp_secret())
    quota = QuotaFactory()
    ready = ApplicationFactory(round=quota.round, wants=[quota.project])
    done = ApplicationFactory(round=quota.round, status=ApplicationStatus.REJECTED)
    response = client_for(cast.staff).post(
        reverse("admin:projects_application_changelist"),
        {"action": "screen_pass", "_selected_action": [ready.pk, done.pk]},
        follow=True,
    )
    texts = [str(m) for m in response.context["messages"]]
    assert any(text.startswith("1 ") for text in texts), texts
    assert any(text.startswith(f"{done}：") for text in texts), texts
    ready.refresh_from_db()
    assert ready.status == ApplicationStatus.SCREENED
    [metadata] = contexts(Application, pgh_obj=ready, status=ApplicationStatus.SCREENED)
    assert metadata["user"] == cast.staff.pk
    assert "projects.application_screen" in {metadata["action"], *metadata.get("services", [])}


def test_the_lists_filter_by_the_names_their_forms_use(cast, client_for):
    client = client_for(cast.staff)
    quota = QuotaFactory()
    screened = ApplicationFactory(round=quota.round, status=ApplicationStatus.SCREENED)
    submitted = ApplicationFactory(round=quota.round)
    url = reverse("projects:round_applications", args=[quota.round.pk])
    page = client.get(url, {"status": ApplicationStatus.SCREENED})
    assert [a.pk for a in page.context["page"]] == [screened.pk]
    assert page.context["status"] == ApplicationStatus.SCREENED
    # an unknown value filters nothing, as before
    page = client.get(url, {"status": "nonsense"})
    assert {a.pk for a in page.context["page"]} == {screened.pk, submitted.pk}
    assert page.context["status"] == ""

    project = ProjectFactory()
    ActivityFactory(project=project, kind=ActivityKind.THEMED)
    visit = ActivityFactory(project=project, kind=ActivityKind.VISIT)
    page = client.get(reverse("projects:activity_list", args=[project.pk]), {"kind": "visit"})
    assert [a.pk for a in page.context["page"]] == [visit.pk]

    legal = ExpertFactory(domain=ExpertDomain.LEGAL)
    ExpertFactory(domain=ExpertDomain.COUNSELLING)
    page = client.get(reverse("projects:expert_list"), {"domain": ExpertDomain.LEGAL})
    assert [e.pk for e in page.context["page"]] == [legal.pk]


def test_the_lists_show_25_rows_a_page(cast, client_for):
    project = ProjectFactory()
    ActivityFactory.create_batch(26, project=project)
    page = client_for(cast.staff).get(reverse("projects:activity_list", args=[project.pk]))
    assert len(page.context["page"]) == 25
    assert page.context["page"].paginator.num_pages == 2
