"""Who may do what with reports: the predicates of the pages, and the model permissions
of the admin's history of runs. Which reports a role may run is each report's
``roles`` (catalogue.py)."""

from association.accounts.choices import Role
from association.accounts.roles import has_role, is_association_staff


def can_use_reports(user) -> bool:
    """Whether any report of the catalogue is open to ``user``."""
    from .catalogue import reports_for

    return bool(reports_for(user))


def can_download(user, run) -> bool:
    """The rule of :func:`association.reports.selectors.run_get_for_download`, for one run
    already loaded: built and kept, of a report still open to the user, and theirs or
    shared with their role."""
    from .catalogue import get

    if not run.downloadable:
        return False
    report = get(run.report)
    if report is None or not report.may_run(user):
        return False
    if run.requested_by_id is not None:
        return run.requested_by_id == user.pk
    return bool(run.audience_role) and (
        is_association_staff(user) or has_role(user, run.audience_role)
    )


ROLE_PERMISSIONS = {
    Role.STAFF: ["reports.view_reportrun", "reports.change_reportrun"],
    Role.OFFICER: ["reports.view_reportrun"],
}
