"""What each role may do with the projects app's models in the admin (synced to the role
groups after migrate), and who may read a court referral's personal data.

Referrals are left out of the role permissions' scoping on purpose: the admin shows a
referral only to its designated officer and never exports it; portal pages scope
everything else, through ``can_read_referral_personal_data`` below."""

from django.conf import settings
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _

from association.accounts.choices import Role
from association.accounts.roles import has_role, is_area_official, is_association_staff

from .choices import READING_ASSIGNMENT, AssignmentStatus, ReferralService, TeamRole

_RUN = [
    "programme",
    "recruitmentround",
    "eligibilityrule",
    "project",
    "projectstep",
    "roundquota",
    "teammember",
    "application",
    "interviewscore",
    "agreement",
    "trainingsession",
    "attendance",
    "assessment",
    "followup",
    "serviceactivity",
    "activityphoto",
    "startupgrant",
    "grantmilestone",
    "practicebase",
    "practiceparticipation",
    "expert",
    "story",
]

ROLE_PERMISSIONS = {
    Role.STAFF: [
        *(f"projects.{action}_{model}" for model in _RUN for action in ("view", "add", "change")),
        "projects.export_application",
        "projects.view_referral",
        "projects.add_referral",
        "projects.change_referral",
    ],
    Role.OFFICER: [
        *(f"projects.view_{model}" for model in _RUN),
        "projects.view_referral",
        "projects.change_referral",
    ],
}


# --- Court referrals: who reads a minor's personal data ----------------------------------
#
# One rule, after Primero's record scopes. A referral's personal data (the minor's and
# the guardian's name, sex, birth date, ID number, school, address and phone; the case
# page, the investigation-report PDF, the commission letter and the admin's change and
# history pages) is read by the people the case is assigned to — Primero's "self" scope —
# and by no one else, sealed or not:
#
# - its designated officer, while they are association staff or an officer;
# - the experts who have *accepted* one of its assignments (and, after closure, completed
#   it), while they are in the pool. An expert merely offered an assignment sees only what
#   they need to decide: the reference, the service, the deadline and the county.
#
# Everyone else — other staff, other officers, superusers, officials — has the "all"
# scope of counts only (``selectors.referral_counts``). A sealed referral adds a reason,
# asked before each read; every read is written to the access log with its ground.


# The personal fields of a referral: lists and the expert's offers defer them, so they are
# not even decrypted where they are not shown.
REFERRAL_PERSONAL_FIELDS = (
    "minor_name",
    "minor_gender",
    "minor_birth_date",
    "minor_id_number",
    "minor_school",
    "minor_address",
    "guardian_name",
    "guardian_relation",
    "guardian_id_number",
    "guardian_phone",
)


def _reading_assignments(user):
    from .models import Assignment

    return Assignment.objects.filter(
        expert__user=user, expert__active=True, status__in=READING_ASSIGNMENT
    )


def _as_designated_officer(user) -> bool:
    from association.accounts.roles import is_association_staff

    return is_association_staff(user)


def referral_readers_q(user) -> Q:
    """The referrals whose personal data ``user`` may read, as a filter (see above)."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    scope = Q(pk__in=_reading_assignments(user).values("referral"))
    if _as_designated_officer(user):
        scope |= Q(designated_officer=user)
    return scope


def referral_access_ground(user, referral) -> str | None:
    """Why ``user`` may read ``referral``'s personal data (the ground written to the access
    log, in Chinese whatever the reader's language), or None: they may not."""
    if not user.is_authenticated:
        return None
    with translation.override(settings.LANGUAGE_CODE):
        if referral.designated_officer_id == user.pk and _as_designated_officer(user):
            return str(_("指定负责人"))
        services = sorted(
            set(
                _reading_assignments(user)
                .filter(referral=referral)
                .values_list("service", flat=True)
            )
        )
        if services:
            labels = "、".join(str(ReferralService(service).label) for service in services)
            return str(_("承办专家（%(services)s）") % {"services": labels})
    return None


def can_read_referral_personal_data(user, referral) -> bool:
    return referral_access_ground(user, referral) is not None


# --- Everything else: one predicate per question, checked with ``require(...)`` ----------


def can_see_aggregates(user) -> bool:
    """Programme roll-ups and practice bases: staff and the civil-affairs officials of the
    association's whole area. The programmes are the whole area's, so an official limited
    to a county (association/regions/scope.py) does not get them, as the project-outcomes
    report is not in their catalogue."""
    return is_association_staff(user) or is_area_official(user)


def can_manage_project(user, project) -> bool:
    """Staff, and the admins of the operating organisation, run a project's checklist."""
    if is_association_staff(user):
        return True
    return project.operator_id is not None and project.operator.admins.filter(user=user).exists()


def is_team_member(user, project) -> bool:
    """A current member of the project's team (not after leaving)."""
    from .models import TeamMember

    return TeamMember.objects.filter(project=project, user=user, left_on__isnull=True).exists()


def can_record_activity(user, project) -> bool:
    """Staff, the operating organisation's admins and the team (not after leaving)."""
    if is_association_staff(user):
        return True
    if project.operator_id and project.operator.admins.filter(user=user).exists():
        return True
    return is_team_member(user, project)


def is_mentor(user, project_id) -> bool:
    """The project's current mentor (督导), who assesses its serving graduates."""
    from .models import TeamMember

    return TeamMember.objects.filter(
        project_id=project_id, user=user, role=TeamRole.MENTOR, left_on__isnull=True
    ).exists()


def is_applicant(user, application) -> bool:
    return application.applicant_id == user.pk


def can_manage_referral(user, referral) -> bool:
    """The manager of a referral is its designated officer, sealed or not: other staff
    may not read its personal data (above), so they do not manage it."""
    return referral.designated_officer_id == user.pk and can_read_referral_personal_data(
        user, referral
    )


def is_assigned_expert(user, assignment) -> bool:
    """The expert an assignment was offered to (who answers it and logs its sessions)."""
    return assignment.expert.user_id == user.pk


def is_accepted_expert(user, referral, service: str | None = None) -> bool:
    """An expert who accepted one of the referral's assignments (of ``service``, if given)."""
    from .models import Assignment

    assignments = Assignment.objects.filter(
        referral=referral, expert__user=user, status=AssignmentStatus.ACCEPTED
    )
    if service:
        assignments = assignments.filter(service=service)
    return assignments.exists()


def writes_investigation_report(user, referral) -> bool:
    """The expert who accepted the referral's social investigation."""
    return is_accepted_expert(user, referral, ReferralService.INVESTIGATION)


def can_record_consent(user, referral) -> bool:
    """The referral's manager, or an expert who accepted one of its assignments."""
    return can_manage_referral(user, referral) or is_accepted_expert(user, referral)


def can_see_referral_list(user) -> bool:
    """Staff (counts, and the referrals they manage) and the experts of the pool."""
    return is_association_staff(user) or has_role(user, Role.EXPERT)
