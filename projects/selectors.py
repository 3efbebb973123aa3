"""Reads, always scoped by the user who asks; ``*_get_for_user`` raise 404 for what the
user may not see, so "not yours" and "not there" look the same. The roll-ups at the end
are the figures a later reports app reuses (counts and sums only, never people)."""

from __future__ import annotations

from django.db.models import Avg, Case, Count, F, IntegerField, Prefetch, Q, Sum, When
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from .choices import (
    ACTIVE_ASSIGNMENT,
    SEAT_HOLDING,
    SERVICE_DOMAIN,
    ApplicationStatus,
    ConsentParty,
    ReferralService,
    TeamRole,
)
from .models import (
    Application,
    Assignment,
    Consent,
    EligibilityRule,
    Expert,
    GrantMilestone,
    PracticeBase,
    Preference,
    Programme,
    Project,
    RecruitmentRound,
    Referral,
    RoundQuota,
    ServiceActivity,
    StartupGrant,
    TeamMember,
    TrainingSession,
)
from .permissions import REFERRAL_PERSONAL_FIELDS

# --- Programmes and rounds (public) -----------------------------------------------------


def rounds_open(today=None):
    today = today or timezone.localdate()
    return RecruitmentRound.objects.filter(
        opens_on__lte=today, closes_on__gte=today
    ).select_related("programme")


def round_get_open(*, pk, today=None) -> RecruitmentRound:
    return get_object_or_404(rounds_open(today), pk=pk)


def round_projects(round_: RecruitmentRound):
    """The projects recruiting in a round, with their seats and seats taken."""
    return (
        RoundQuota.objects.filter(round=round_, seats__gt=0)
        .select_related("project", "project__host_station", "project__operator")
        .annotate(
            taken=Count(
                "project__applications",
                filter=Q(
                    project__applications__round=round_,
                    project__applications__status__in=SEAT_HOLDING,
                ),
            )
        )
        .order_by("project__name")
    )


def eligibility_rules(round_: RecruitmentRound):
    """The rules an applicant to ``round_`` must meet: the programme's and the round's own."""
    return EligibilityRule.objects.filter(programme_id=round_.programme_id).filter(
        round__isnull=True
    ) | EligibilityRule.objects.filter(round=round_)


def seats_taken(*, round_id: int, project_id: int) -> int:
    """Seats of a project's quota in a round held by an offer or beyond."""
    return Application.objects.filter(
        round_id=round_id, project_id=project_id, status__in=SEAT_HOLDING
    ).count()


# --- Projects ---------------------------------------------------------------------------


def project_list(*, user):
    return (
        Project.objects.visible_to(user)
        .select_related("programme", "operator", "host_station")
        .annotate(
            team_size=Count("team", filter=Q(team__left_on__isnull=True), distinct=True),
        )
        .order_by("programme_id", "name", "id")
    )


def project_get_for_user(*, user, pk) -> Project:
    return get_object_or_404(
        Project.objects.visible_to(user).select_related("programme", "operator", "host_station"),
        pk=pk,
    )


def team_of(project: Project):
    return project.team.filter(left_on__isnull=True).select_related("user").order_by("role", "name")


# --- Applications -------------------------------------------------------------------------


def application_list(*, user, round_=None):
    queryset = (
        Application.objects.visible_to(user)
        .select_related("round", "round__programme", "project")
        .prefetch_related(Prefetch("ranked", queryset=Preference.objects.select_related("project")))
        .annotate(score_avg=Avg("scores__score"))
        .order_by("-submitted_at", "-id")
    )
    if round_ is not None:
        queryset = queryset.filter(round=round_)
    return queryset


def my_applications(*, user):
    return (
        Application.objects.filter(applicant=user)
        .select_related("round", "round__programme", "project")
        .order_by("-submitted_at")
    )


def application_get_for_user(*, user, pk) -> Application:
    return get_object_or_404(
        Application.objects.visible_to(user).select_related(
            "round", "round__programme", "project", "applicant"
        ),
        pk=pk,
    )


def mentor_applications(*, user):
    """Serving graduates of the projects this user mentors (for assessments)."""
    projects = TeamMember.objects.filter(
        user=user, role=TeamRole.MENTOR, left_on__isnull=True
    ).values("project")
    return (
        Application.objects.filter(project__in=projects, status=ApplicationStatus.SERVING)
        .select_related("project", "round")
        .annotate(assessment_count=Count("assessments"))
        .order_by("project__name", "name")
    )


# --- Experts and referrals ------------------------------------------------------------


def expert_list():
    return Expert.objects.select_related("county").annotate(
        load=Count("assignments", filter=Q(assignments__status__in=ACTIVE_ASSIGNMENT))
    )


def experts_suggest(*, referral: Referral, service: str, limit: int = 10):
    """Experts of the service's domain who can take it: the referral's county first, then
    the least loaded. ``load`` counts their offered and accepted assignments."""
    return (
        Expert.objects.filter(
            domain=SERVICE_DOMAIN[ReferralService(service)],
            active=True,
            available=True,
            user__isnull=False,
        )
        .select_related("county")
        .annotate(
            load=Count("assignments", filter=Q(assignments__status__in=ACTIVE_ASSIGNMENT)),
            same_county=Case(
                When(county_id=referral.county_id, then=1), default=0, output_field=IntegerField()
            ),
        )
        .filter(load__lt=F("max_load"))
        .exclude(
            pk__in=Assignment.objects.filter(
                referral=referral, service=service, status__in=ACTIVE_ASSIGNMENT
            ).values("expert")
        )
        .order_by("-same_county", "load", "name", "pk")[:limit]
    )


def consent_given(referral: Referral, service: str) -> bool:
    """The latest guardian record for this service says yes (a later refusal revokes)."""
    latest = (
        Consent.objects.filter(
            referral=referral, party=ConsentParty.GUARDIAN, services__contains=[service]
        )
        .order_by("-recorded_on", "-id")
        .first()
    )
    return latest is not None and latest.given


def referral_list(*, user):
    """The referrals whose personal data the user may read (``projects.permissions``);
    the list itself shows none of it."""
    return (
        Referral.objects.visible_to(user)
        .select_related("county", "designated_officer")
        .defer(*REFERRAL_PERSONAL_FIELDS)
        .annotate(assignment_count=Count("assignments"))
        .order_by("-received_on", "-id")
    )


def referral_get_for_user(*, user, pk) -> Referral:
    """The one way to a referral's personal data, for the page, the PDF, the letter and
    the admin alike: 404 unless ``can_read_referral_personal_data(user, referral)``."""
    return get_object_or_404(
        Referral.objects.visible_to(user).select_related("county", "designated_officer"),
        pk=pk,
    )


def my_assignments(*, user):
    return (
        Assignment.objects.filter(expert__user=user)
        .select_related("referral", "referral__county", "expert")
        .defer(*(f"referral__{name}" for name in REFERRAL_PERSONAL_FIELDS))
        .order_by("-assigned_at")
    )


def assignment_get_for_expert(*, user, pk) -> Assignment:
    return get_object_or_404(
        Assignment.objects.filter(expert__user=user).select_related("referral", "expert"), pk=pk
    )


# --- Practice bases -------------------------------------------------------------------


def practice_base_list():
    return PracticeBase.objects.select_related("host_station", "region").annotate(
        participation_count=Count("participations")
    )


# --- Roll-ups (counts and sums only) --------------------------------------------------


def activity_rollup(activities=None):
    """Totals of service activities: count, beneficiaries and person-times."""
    activities = ServiceActivity.objects.all() if activities is None else activities
    return activities.aggregate(
        activities=Count("id"),
        beneficiaries=Coalesce(Sum("beneficiaries"), 0),
        person_times=Coalesce(Sum("person_times"), 0),
    )


def activity_rollup_by_project(*, programme: Programme | None = None, projects=None):
    """One row per project: activities, beneficiaries, person-times (by kind too)."""
    queryset = Project.objects.all() if projects is None else projects
    if programme is not None:
        queryset = queryset.filter(programme=programme)
    return queryset.annotate(
        activity_count=Count("activities"),
        beneficiaries=Coalesce(Sum("activities__beneficiaries"), 0),
        person_times=Coalesce(Sum("activities__person_times"), 0),
    ).order_by("programme_id", "name")


def activity_rollup_by_kind(*, programme: Programme | None = None, target_group: str = ""):
    queryset = ServiceActivity.objects.all()
    if programme is not None:
        queryset = queryset.filter(project__programme=programme)
    if target_group:
        queryset = queryset.filter(target_group=target_group)
    return (
        queryset.values("kind")
        .annotate(
            activity_count=Count("id"),
            beneficiaries=Sum("beneficiaries"),
            person_times=Sum("person_times"),
        )
        .order_by("kind")
    )


def programme_rollup(programme: Programme) -> dict:
    """The programme's headline figures."""
    applications = Application.objects.filter(round__programme=programme)
    graduates = applications.filter(status__in=SEAT_HOLDING).values("applicant").distinct()
    return {
        "rounds": programme.rounds.count(),
        "projects": programme.projects.count(),
        "applications": applications.count(),
        "graduates": graduates.count(),
        "serving": applications.filter(status=ApplicationStatus.SERVING).count(),
        "completed": applications.filter(status=ApplicationStatus.COMPLETED).count(),
        "budget": programme.budget,
        **activity_rollup(ServiceActivity.objects.filter(project__programme=programme)),
    }


def referral_counts() -> dict:
    """The only way referrals reach a report: counts by status and service."""
    by_status = dict(Referral.objects.values_list("status").annotate(n=Count("id")).order_by())
    return {"total": sum(by_status.values()), "by_status": by_status}


# --- After selection: training, grants, the programme's spending ---------------------


# Applications that may attend the programme's training (attendance_record's rule).
TRAINEES = (ApplicationStatus.ACCEPTED, ApplicationStatus.SERVING, ApplicationStatus.COMPLETED)


def programme_trainees(programme: Programme):
    """The programme's selected graduates, who take its training."""
    return (
        Application.objects.filter(round__programme=programme, status__in=TRAINEES)
        .select_related("project")
        .order_by("project__name", "name", "pk")
    )


def training_sessions(programme: Programme):
    return (
        TrainingSession.objects.filter(programme=programme)
        .annotate(attendee_count=Count("attendance"))
        .order_by("-date", "-pk")
    )


def training_session_get(*, pk) -> TrainingSession:
    return get_object_or_404(TrainingSession.objects.select_related("programme"), pk=pk)


def project_grants(project: Project):
    return (
        StartupGrant.objects.filter(project=project)
        .select_related("applied_by", "reviewed_by")
        .prefetch_related("milestones")
        .order_by("-applied_on", "-pk")
    )


def grant_get_for_user(*, user, pk) -> StartupGrant:
    """A grant of a project the user may see (404 otherwise)."""
    return get_object_or_404(
        StartupGrant.objects.filter(project__in=Project.objects.visible_to(user)).select_related(
            "project", "project__programme"
        ),
        pk=pk,
    )


def milestone_for_payment(*, pk) -> GrantMilestone:
    """A milestone with what its payment voucher names (read by finance's payment)."""
    return GrantMilestone.objects.select_related("grant__project__programme").get(pk=pk)


def practice_base_get(*, pk) -> PracticeBase:
    return get_object_or_404(practice_base_list(), pk=pk)


def programme_spending(programme: Programme) -> dict | None:
    """The programme's restricted fund in finance and what has been spent from it, as
    finance answers ``signals.programme_spending`` (projects does not import finance):
    ``{"fund": name, "spent": Decimal, "budget": Decimal, "left": Decimal}``, or None
    when finance keeps no fund for the programme."""
    from .signals import programme_spending as ask

    for _receiver, answer in ask.send(
        sender="projects", programme_id=programme.pk, code=programme.code
    ):
        if answer:
            return {
                **answer,
                "budget": programme.budget,
                "left": programme.budget - answer["spent"],
            }
    return None


def activity_rollup_by_programme(year: int):
    """The programmes with service activities in ``year``: activities, beneficiaries and
    person-times of that year, one grouped query (the annual report's public-benefit
    activities)."""
    in_year = Q(projects__activities__date__year=year)
    return (
        Programme.objects.annotate(
            activity_count=Count("projects__activities", filter=in_year),
            beneficiaries=Coalesce(Sum("projects__activities__beneficiaries", filter=in_year), 0),
            person_times=Coalesce(Sum("projects__activities__person_times", filter=in_year), 0),
        )
        .filter(activity_count__gt=0)
        .order_by("start_date", "name")
    )
