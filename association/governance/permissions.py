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
