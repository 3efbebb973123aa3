"""Who may do what in the members app.

``ROLE_PERMISSIONS`` are the model permissions of each role (synced to the role groups after
migrate): they govern the admin site, where staff keep the register and officers read it.
Portal pages scope rows by organisation and person (``visible_to`` and the selectors'
``*_get_for_user``); the predicates below answer the questions the services and views ask
before they act, with ``association.accounts.roles.require``.
"""

from association.accounts.choices import Role
from association.accounts.roles import is_area_official, is_association_staff

_MODELS = [
    "organisation",
    "organisationadmin",
    "organisationchangerequest",
    "socialworker",
    "continuingeducation",
    "membership",
    "membershipdocument",
    "representative",
    "electedrepresentative",
    "dues",
    "duesstandard",
]

ROLE_PERMISSIONS = {
    Role.STAFF: [
        *(f"members.{action}_{model}" for model in _MODELS for action in ("view", "add", "change")),
        "members.delete_membershipdocument",
        "members.delete_continuingeducation",
        "members.export_membership",
        "members.export_organisation",
        "members.export_socialworker",
        "members.reveal_id_number",
        "members.view_staffinvitation",
        "members.view_reminder",
    ],
    Role.OFFICER: [
        *(f"members.view_{model}" for model in _MODELS),
        "members.export_membership",
        "members.export_organisation",
        "members.export_socialworker",
    ],
}


def is_organisation_admin(user, organisation) -> bool:
    """An admin (机构管理员) of the organisation: keeps its contacts, roster, representatives."""
    if not user.is_authenticated or organisation is None:
        return False
    return organisation.admins.filter(user=user).exists()


def is_own_worker(user, worker) -> bool:
    """The social worker's own account."""
    return user.is_authenticated and worker.user_id == user.pk


def can_record_education(user, worker) -> bool:
    """A social worker records their own continuing education; staff record anyone's."""
    return is_own_worker(user, worker) or is_association_staff(user)


def is_invitee(user, invitation) -> bool:
    """The person a roster invitation was sent to (by e-mail address)."""
    return user.is_authenticated and user.email.lower() == invitation.email


def can_reveal_id_number(user) -> bool:
    """Staff may see a full ID number (each reveal is logged)."""
    return is_association_staff(user)


def can_view_overview(user) -> bool:
    """The members overview (aggregates only): staff, officers and the civil-affairs
    officials of the association's whole area. Its figures are the whole area's (the
    members by county among them), so an official limited to a county
    (association/regions/scope.py) does not get it, as the member-register report is not
    in their catalogue."""
    return is_association_staff(user) or is_area_official(user)
