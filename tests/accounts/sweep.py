"""Sweep cases of the accounts app: enrolling a second factor is for staff, officers and
experts only (the persona logins of the suite already count as having one)."""

from tests.sweep import Case

PRIVILEGED = {"officer", "staff", "expert"}

CASES = {
    "accounts:mfa_enrol": Case(allowed=PRIVILEGED),
    "accounts:mfa_enrol_link": Case(
        make=lambda cast: {"secret": "not-a-real-secret"}, allowed=PRIVILEGED
    ),
}
