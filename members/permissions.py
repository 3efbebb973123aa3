"""What each role may do with members' models (synced to the role groups after migrate).

Portal pages scope rows by organisation and person (``visible_to``); these model
permissions govern the admin site: staff keep the register, officers read it.
"""

from association.accounts.choices import Role

_MODELS = [
    "organisation",
    "organisationadmin",
    "organisationchangerequest",
    "socialworker",
    "continuingeducation",
    "membership",
    "membershipdocument",
    "representative",
    "dues",
    "duesstandard",
]

ROLE_PERMISSIONS = {
    Role.STAFF: [
        *(f"members.{action}_{model}" for model in _MODELS for action in ("view", "add", "change")),
        "members.delete_membershipdocument",
        "members.delete_continuingeducation",
        "members.export_organisation",
        "members.export_socialworker",
        "members.reveal_id_number",
        "members.view_staffinvitation",
        "members.view_reminder",
    ],
    Role.OFFICER: [
        *(f"members.view_{model}" for model in _MODELS),
        "members.export_organisation",
        "members.export_socialworker",
    ],
}
