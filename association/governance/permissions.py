"""What each role may do with governance models (synced to the role groups after migrate).

Portal pages check the role themselves (staff run meetings, the presiding officer
decides); these model permissions govern the admin site."""

from association.accounts.choices import Role

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
