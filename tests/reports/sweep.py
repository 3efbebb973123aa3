"""Authorization sweep cases of the reports app (see tests/sweep.py)."""

from tests.sweep import Case

from .factories import RunFactory

# Who may run reports that are open to officials (coverage, monthly, register…).
REPORT_USERS = {"officer", "staff", "official"}


def _own_run(persona):
    return lambda cast: {"pk": RunFactory(requested_by=getattr(cast, persona)).pk}


CASES = {
    "reports:catalogue": Case(allowed=REPORT_USERS),
    "reports:run_list": Case(
        allowed=REPORT_USERS
        | {"org_admin_a", "org_admin_b", "station_worker", "expert", "applicant", "outsider"}
    ),
    "reports:run_create": Case(
        make=lambda cast: {"slug": "station-coverage"}, allowed=REPORT_USERS
    ),
    # An official's private run: the official and (its status only) the association's staff.
    "reports:run_detail": Case(make=_own_run("official"), allowed={"official", "officer", "staff"}),
    "reports:run_progress": Case(
        make=_own_run("official"), allowed={"official", "officer", "staff"}
    ),
    # Its file: nobody but the official who asked for it.
    "reports:run_download": Case(make=_own_run("official"), allowed={"official"}),
}
