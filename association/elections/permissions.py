"""Who may do what in an election: the predicates the services check (with
``association.accounts.roles.require``), and each role's model permissions for the admin
(synced after migrate).

Ballots and their marks are in no role's permissions and not in the admin at all: the
published tracking codes and the counted results are the only views of them."""

from association.accounts.choices import Role
from association.accounts.roles import has_role, is_association_staff

from .models import ElectionOfficial


def can_certify(election, user) -> bool:
    """The meeting's presiding officer (or, if none is named, an officer of the
    association) certifies the results."""
    meeting = election.meeting
    if meeting.presiding_id:
        return meeting.presiding_id == user.pk
    return user.is_authenticated and (user.is_superuser or has_role(user, Role.OFFICER))


def is_official(election, user, role: str | None = None) -> bool:
    """A teller or scrutineer of this election (of ``role``, when given)."""
    officials = ElectionOfficial.objects.filter(election=election, user=user)
    if role is not None:
        officials = officials.filter(role=role)
    return officials.exists()


def can_manage_batches(election, user) -> bool:
    """Staff, tellers and scrutineers register the paper ballot batches."""
    return is_association_staff(user) or is_official(election, user)


_MODELS = [
    "election",
    "electionofficial",
    "position",
    "candidate",
    "voter",
    "voterregister",
    "paperbatch",
    "tallyentry",
    "tallyline",
]

ROLE_PERMISSIONS = {
    Role.STAFF: [
        *(f"elections.view_{model}" for model in _MODELS),
        *(
            f"elections.{action}_{model}"
            for model in ["election", "electionofficial", "position", "candidate"]
            for action in ("add", "change")
        ),
    ],
    Role.OFFICER: [f"elections.view_{model}" for model in _MODELS],
}
