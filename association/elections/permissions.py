"""What each role may do with election models in the admin (synced after migrate).

Ballots and their marks are in no role's permissions and not in the admin at all: the
published tracking codes and the counted results are the only views of them."""

from association.accounts.choices import Role

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
