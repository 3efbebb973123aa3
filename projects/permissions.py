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

from .choices import READING_ASSIGNMENT, ReferralService

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
