"""Who may do what in governance: the predicates the services and views check (with
``association.accounts.roles.require``), and each role's model permissions for the admin
site (synced to the role groups after migrate)."""

from association.accounts.choices import Role
from association.accounts.roles import is_association_staff


def can_preside(meeting, user) -> bool:
    """The presiding officer of the meeting, or association staff: open and close it, put
    motions to the vote and record the votes."""
    return is_association_staff(user) or bool(
        meeting.presiding_id and meeting.presiding_id == user.pk
    )


_MODELS = [
    "ruleset",
    "document",
    "documentversion",
    "meeting",
    "meetingtalk",
    "attendee",
    "proxy",
    "motion",
    "motionvote",
    "office",
    "term",
]

ROLE_PERMISSIONS = {
    Role.STAFF: [
        *(f"governance.view_{model}" for model in _MODELS),
        *(
            f"governance.{action}_{model}"
            for model in ["document", "documentversion", "meeting", "meetingtalk", "ruleset"]
            for action in ("add", "change")
        ),
    ],
    Role.OFFICER: [f"governance.view_{model}" for model in _MODELS],
}


# --- The registration record and the annual inspection's data (models/organisation.py) ---


def can_keep_organisation_records(user) -> bool:
    """The registration record, staff roster, branches, registered-item changes,
    inspection results, grades, rewards and penalties: kept by staff and officers."""
    return is_association_staff(user)


_ORGANISATION_MODELS = [
    "registration",
    "staffmember",
    "branch",
    "registrationchange",
    "inspectionresult",
    "evaluationgrade",
    "rewardorpenalty",
    "annualfiling",
]
ROLE_PERMISSIONS[Role.STAFF] = [
    *ROLE_PERMISSIONS[Role.STAFF],
    *(
        f"governance.{action}_{model}"
        for model in _ORGANISATION_MODELS
        for action in ("view", "add", "change", "delete")
    ),
]
ROLE_PERMISSIONS[Role.OFFICER] = [
    *ROLE_PERMISSIONS[Role.OFFICER],
    *(f"governance.view_{model}" for model in _ORGANISATION_MODELS),
]
