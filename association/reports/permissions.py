"""Model permissions of the reports app (the admin's history of runs)."""

from association.accounts.choices import Role

ROLE_PERMISSIONS = {
    Role.STAFF: ["reports.view_reportrun", "reports.change_reportrun"],
    Role.OFFICER: ["reports.view_reportrun"],
}
