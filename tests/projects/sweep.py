"""Authorization sweep cases of the projects app (see tests/sweep.py).

The fixtures: organisation A (administered by org_admin_a) operates a project whose team
has the applicant persona; the station_worker persona mentors it; the expert persona is in
the expert pool; court referrals are sealed, with the officer persona as designated
officer and the expert persona assigned, so staff (and everyone else) must get 404."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.utils import timezone

from projects.choices import ApplicationStatus, AssignmentStatus, ReferralService
from projects.models import ActivityPhoto, Assignment, InvestigationReport, ProjectStep
from tests.members.factories import OrganisationAdminFactory, OrganisationFactory
from tests.sweep import ALL_PERSONAS, EVERYONE, Case, CountyCase

from .factories import (
    ActivityFactory,
    ApplicationFactory,
    ExpertFactory,
    PracticeBaseFactory,
    ProgrammeFactory,
    QuotaFactory,
    ReferralFactory,
    TeamMemberFactory,
)

STAFF = {"staff", "officer"}
AGGREGATES = STAFF | {"official"}
PROJECT_PEOPLE = STAFF | {"org_admin_a", "applicant"}
# the station worker mentors the project: mentors see its graduates
APPLICATION_PEOPLE = STAFF | {"org_admin_a", "applicant", "station_worker"}


def project_of_org_a(cast):
    """A project operated by organisation A, with the applicant in its team and the
    station worker as its mentor."""
    organisation = OrganisationFactory()
    OrganisationAdminFactory(organisation=organisation, user=cast.org_admin_a)
    quota = QuotaFactory(project__operator=organisation)
    project = quota.project
    TeamMemberFactory(project=project, user=cast.applicant, role="member")
    TeamMemberFactory(project=project, user=cast.station_worker, role="mentor")
    from projects.choices import STEP_ORDER, StandardStep

    for step in StandardStep.values:
        ProjectStep.objects.create(project=project, step=step, position=STEP_ORDER[step])
    return quota


def application(cast, status=ApplicationStatus.OFFERED, **extra):
    quota = project_of_org_a(cast)
    app = ApplicationFactory(
        round=quota.round,
        applicant=cast.applicant,
        wants=[quota.project],
        status=status,
        project=quota.project,
        **extra,
    )
    return app


def submitted(cast):
    quota = project_of_org_a(cast)
    app = ApplicationFactory(round=quota.round, applicant=cast.applicant, wants=[quota.project])
    app.project = quota.project  # org A sees the graduates of its projects
    app.save()
    return app


def completed(cast):
    app = application(
        cast,
        status=ApplicationStatus.COMPLETED,
        certificate_number="BYS-2026-0001",
        completed_on=timezone.localdate(),
    )
    return {"pk": app.pk}


def sealed_referral(cast, *, accepted=True):
    expert = ExpertFactory(user=cast.expert)
    referral = ReferralFactory(designated_officer=cast.officer, sealed=True)
    Assignment.objects.create(
        referral=referral,
        expert=expert,
        service=ReferralService.INVESTIGATION,
        status=AssignmentStatus.ACCEPTED if accepted else AssignmentStatus.OFFERED,
        assigned_by=cast.officer,
    )
    return referral


def with_report(cast):
    referral = sealed_referral(cast)
    InvestigationReport.objects.create(referral=referral, author=cast.expert, family="家庭情况")
    return {"pk": referral.pk}


def expert_assignment(cast, status=AssignmentStatus.OFFERED):
    referral = sealed_referral(cast, accepted=status == AssignmentStatus.ACCEPTED)
    return {"pk": referral.assignments.get().pk}


def photo(cast):
    quota = project_of_org_a(cast)
    activity = ActivityFactory(project=quota.project, recorded_by=cast.staff)
    item = ActivityPhoto.objects.create(
        activity=activity, image=ContentFile(b"\x89PNG\r\n\x1a\n....", name="a.png")
    )
    return {"pk": item.pk}


def serving_for_mentor(cast):
    app = application(cast, status=ApplicationStatus.SERVING)
    return {"pk": app.pk}


def training_session(cast):
    from .factories import TrainingFactory

    return {"pk": TrainingFactory(programme=project_of_org_a(cast).round.programme).pk}


def grant(cast, status="applied"):
    from decimal import Decimal

    from projects.models import StartupGrant

    project = project_of_org_a(cast).project
    return StartupGrant.objects.create(
        project=project,
        team_name="暖阳团队",
        plan="上门服务",
        amount_requested=Decimal("1000"),
        applied_by=cast.applicant,
        applied_on=timezone.localdate(),
        status=status,
    )


def milestone(cast, status="pending"):
    from decimal import Decimal

    from projects.models import GrantMilestone

    return {
        "pk": GrantMilestone.objects.create(
            grant=grant(cast, status="awarded"),
            title="完成注册",
            due_on=timezone.localdate(),
            amount=Decimal("1000"),
            status=status,
            achieved_on=timezone.localdate() if status == "achieved" else None,
        ).pk
    }


def open_round(cast):
    return {"pk": QuotaFactory().round.pk}


CASES = {
    "projects:round_list": Case(allowed=EVERYONE, make=lambda cast: (open_round(cast), {})[1]),
    "projects:apply": Case(allowed=EVERYONE, make=open_round),
    "projects:round_applications": Case(allowed=STAFF, make=open_round),
    "projects:my_applications": Case(allowed=ALL_PERSONAS),
    "projects:application_detail": Case(
        allowed=APPLICATION_PEOPLE, make=lambda cast: {"pk": application(cast).pk}
    ),
    "projects:offer_accept": Case(
        allowed={"applicant"}, method="post", make=lambda cast: {"pk": application(cast).pk}
    ),
    "projects:offer_decline": Case(
        allowed={"applicant"}, method="post", make=lambda cast: {"pk": application(cast).pk}
    ),
    "projects:application_withdraw": Case(
        allowed={"applicant", *STAFF},
        method="post",
        data={"reason": "另有安排"},
        make=lambda cast: {"pk": application(cast).pk},
    ),
    "projects:application_resume": Case(
        allowed=APPLICATION_PEOPLE, make=lambda cast: {"pk": application(cast).pk}
    ),
    "projects:application_certificate": Case(allowed=APPLICATION_PEOPLE, make=completed),
    "projects:application_screen": Case(
        allowed=STAFF,
        method="post",
        data={"passed": "1"},
        make=lambda cast: {"pk": submitted(cast).pk},
    ),
    "projects:application_score": Case(
        allowed=STAFF,
        method="post",
        data={"score": "85"},
        make=lambda cast: {"pk": submitted(cast).pk},
    ),
    "projects:application_offer": Case(
        allowed=STAFF, method="post", make=lambda cast: {"pk": submitted(cast).pk}
    ),
    "projects:application_reject": Case(
        allowed=STAFF,
        method="post",
        data={"reason": "不符合条件"},
        make=lambda cast: {"pk": submitted(cast).pk},
    ),
    "projects:project_list": Case(allowed=ALL_PERSONAS),
    "projects:project_detail": Case(
        allowed=PROJECT_PEOPLE | {"station_worker"},
        make=lambda cast: {"pk": project_of_org_a(cast).project_id},
    ),
    "projects:step_update": Case(
        allowed=STAFF | {"org_admin_a"},
        method="post",
        data={"status": "in_progress"},
        make=lambda cast: {"pk": project_of_org_a(cast).project.steps.first().pk},
    ),
    "projects:activity_list": Case(
        allowed=PROJECT_PEOPLE | {"station_worker"},
        make=lambda cast: {"pk": project_of_org_a(cast).project_id},
    ),
    "projects:activity_create": Case(
        allowed=PROJECT_PEOPLE | {"station_worker"},
        make=lambda cast: {"pk": project_of_org_a(cast).project_id},
    ),
    "projects:activity_photo": Case(allowed=PROJECT_PEOPLE | {"station_worker"}, make=photo),
    "projects:mentor_home": Case(
        allowed={"station_worker"}, make=lambda cast: (project_of_org_a(cast), {})[1]
    ),
    "projects:assessment_create": Case(allowed={"station_worker"}, make=serving_for_mentor),
    "projects:programme_list": Case(allowed=AGGREGATES),
    "projects:programme_detail": Case(
        allowed=AGGREGATES, make=lambda cast: {"pk": ProgrammeFactory().pk}
    ),
    "projects:base_list": Case(
        allowed=AGGREGATES, make=lambda cast: (PracticeBaseFactory(), {})[1]
    ),
    "projects:base_detail": Case(
        allowed=AGGREGATES, make=lambda cast: {"pk": PracticeBaseFactory().pk}
    ),
    "projects:agreement_sign": Case(
        allowed=STAFF,
        make=lambda cast: {"pk": application(cast, status=ApplicationStatus.ACCEPTED).pk},
    ),
    "projects:application_complete": Case(
        allowed=STAFF,
        method="post",
        data={"on": "2026-01-05"},
        make=serving_for_mentor,
    ),
    "projects:follow_up_create": Case(allowed=STAFF, make=completed),
    "projects:training_list": Case(
        allowed=STAFF, make=lambda cast: {"pk": project_of_org_a(cast).round.programme_id}
    ),
    "projects:attendance_take": Case(allowed=STAFF, make=training_session),
    "projects:grant_list": Case(
        allowed=PROJECT_PEOPLE | {"station_worker"},
        make=lambda cast: {"pk": project_of_org_a(cast).project_id},
    ),
    "projects:grant_review": Case(
        allowed=STAFF, method="post", make=lambda cast: {"pk": grant(cast).pk}
    ),
    "projects:grant_decide": Case(allowed=STAFF, make=lambda cast: {"pk": grant(cast).pk}),
    "projects:milestone_achieve": Case(
        allowed=STAFF, method="post", data={"on": "2026-01-05"}, make=milestone
    ),
    "projects:milestone_pay": Case(
        allowed=STAFF, method="post", make=lambda cast: milestone(cast, "achieved")
    ),
    "projects:expert_list": Case(allowed=STAFF),
    "projects:assignment_list": Case(
        allowed={"expert"}, make=lambda cast: (expert_assignment(cast), {})[1]
    ),
    "projects:assignment_respond": Case(
        allowed={"expert"}, method="post", data={"accept": "1"}, make=expert_assignment
    ),
    "projects:session_create": Case(
        allowed={"expert"},
        method="post",
        data={"date": "2026-01-05", "minutes": "60", "summary": "走访"},
        make=lambda cast: expert_assignment(cast, AssignmentStatus.ACCEPTED),
    ),
    "projects:referral_list": Case(allowed=STAFF | {"expert"}),
    "projects:referral_create": Case(allowed=STAFF),
    "projects:referral_detail": Case(
        allowed={"officer", "expert"}, make=lambda cast: {"pk": sealed_referral(cast).pk}
    ),
    "projects:referral_letter": Case(
        allowed={"officer", "expert"}, make=lambda cast: {"pk": sealed_referral(cast).pk}
    ),
    "projects:referral_assign": Case(
        allowed={"officer"}, make=lambda cast: {"pk": sealed_referral(cast).pk}
    ),
    "projects:referral_seal": Case(
        allowed={"officer"},
        method="post",
        data={"sealed": "1"},
        make=lambda cast: {"pk": sealed_referral(cast).pk},
    ),
    "projects:consent_create": Case(
        allowed={"officer", "expert"},
        method="post",
        make=lambda cast: {"pk": sealed_referral(cast).pk},
    ),
    "projects:referral_close": Case(
        allowed={"officer"},
        method="post",
        data={"closure_note": "结案"},
        make=lambda cast: {"pk": sealed_referral(cast).pk},
    ),
    "projects:report_edit": Case(
        allowed={"expert"}, make=lambda cast: {"pk": sealed_referral(cast).pk}
    ),
    "projects:report_pdf": Case(allowed={"officer", "expert"}, make=with_report),
    "projects:report_deliver": Case(
        allowed={"officer"}, method="post", make=lambda cast: {"pk": sealed_referral(cast).pk}
    ),
}


# The programmes and practice bases are the association's whole area's: an official limited
# to a county gets none of them (as the project-outcomes report is not in their catalogue).
COUNTY_CASES = {
    "projects:programme_list": CountyCase(make=lambda cast, official: (None, ({}, {}))),
    "projects:programme_detail": CountyCase(
        make=lambda cast, official: (None, ({"pk": ProgrammeFactory().pk}, {}))
    ),
    "projects:base_list": CountyCase(make=lambda cast, official: (None, ({}, {}))),
    "projects:base_detail": CountyCase(
        make=lambda cast, official: (None, ({"pk": PracticeBaseFactory().pk}, {}))
    ),
}
