"""Every portal URL, POSTed by every persona it does not let in: refused, and nothing changes.

The authorization sweep (tests/test_authz_sweep.py) sends each URL the method its case
names. An attacker sends a POST wherever a GET was checked, and a form's POST wherever
only its page was checked: this sweep POSTs every URL pattern (the case's data, or an
empty body) as anonymous and as every persona outside ``case.allowed``, and asserts:

- the answer is 403, 404 or 405, or a redirect to log in (or to the second factor):
  never a page (200) and never a form's success redirect;
- not one row of the portal's tables changed: every table of the portal's apps (users,
  regions, audit and access logs, notifications, members, stations, projects, governance,
  elections, finance, reports, and pghistory's event tables, which an UPDATE also writes)
  is fingerprinted (row count and an md5 of its rows) before and after each request.
  Sessions, allauth's tables and the cache table are outside these apps and may change.

Its figures go to ``test-artifacts/security/post-sweep.json`` (docs/security.md).
"""

from __future__ import annotations

import json

import pytest
from django.apps import apps
from django.db import connection
from django.urls import reverse

from association.notifications.models import Notification
from tests.factories import NotificationFactory
from tests.test_authz_sweep import CASES

from .figures import FIGURES, record

# Every app whose rows a refused request must leave alone.
WATCHED_APPS = (
    "association",
    "accounts",
    "regions",
    "audit",
    "notifications",
    "members",
    "stations",
    "projects",
    "governance",
    "elections",
    "finance",
    "reports",
)
REFUSED = (403, 404, 405)

# Personas a case leaves out of ``allowed`` only because of the order of the GET sweep's
# walk, not because a rule keeps them out: the sweep's officer deletes the draft voucher
# first, and the staff member then finds it gone; a bookkeeper (staff) may delete a draft
# (finance.services.voucher_delete → require_books).
ALSO_ALLOWED = {"finance:voucher_delete": {"staff"}}


def watched_tables() -> list[str]:
    tables = set()
    for label in WATCHED_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            meta = model._meta
            if meta.managed and not meta.proxy:
                tables.add(meta.db_table)
    return sorted(tables)


TABLES = watched_tables()


def fingerprint_sql(tables) -> str:
    quote = connection.ops.quote_name
    return " UNION ALL ".join(
        f"SELECT '{table}', count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), ''))"  # noqa: S608 (table names come from the models, not from a request)
        f" FROM {quote(table)} t"
        for table in tables
    )


def fingerprint() -> dict[str, tuple[int, str]]:
    """Each watched table's row count and a digest of its rows, in one query."""
    with connection.cursor() as cursor:
        cursor.execute(fingerprint_sql(TABLES))
        return {table: (count, digest) for table, count, digest in cursor.fetchall()}


def changes(before, after) -> list[str]:
    out = []
    for table, (count, digest) in after.items():
        old_count, old_digest = before[table]
        if count != old_count:
            out.append(f"{table}: {old_count} → {count} rows")
        elif digest != old_digest:
            out.append(f"{table}: rows updated")
    return out


def refused(response) -> bool:
    if response.status_code in REFUSED:
        return True
    if response.status_code == 302:
        location = response["Location"]
        return location.startswith(
            (
                reverse("account_login"),
                reverse("mfa_authenticate"),
                reverse("mfa_reauthenticate"),
                reverse("accounts:mfa_enrol"),
            )
        )
    return False


def test_it_watches_every_app_of_the_portal():
    assert "audit_accesslog" in TABLES
    assert "accounts_user" in TABLES
    # pghistory's event tables: an UPDATE that keeps every count still writes one.
    assert any(table.endswith("event") for table in TABLES)
    assert len(TABLES) > 60


def test_it_sees_an_update_that_keeps_every_count(cast):
    notification = NotificationFactory(user=cast.staff)
    before = fingerprint()
    Notification.objects.filter(pk=notification.pk).update(title="改过的标题")
    assert "notifications_notification: rows updated" in changes(before, fingerprint())


@pytest.mark.parametrize("url_name", sorted(CASES))
def test_a_post_from_someone_not_allowed_is_refused_and_changes_nothing(url_name, cast, client_for):
    case = CASES[url_name]
    url = reverse(url_name, kwargs=case.make(cast))
    allowed = case.allowed | ALSO_ALLOWED.get(url_name, set())
    outsiders = [("anonymous", None)] + [
        (persona, user) for persona, user in cast.items() if persona not in allowed
    ]
    if "anonymous" in case.allowed:
        outsiders = outsiders[1:]
    # Log everyone in first: a login writes the user's last_login.
    clients = [(persona, client_for(user)) for persona, user in outsiders]
    wrong = []
    statuses: dict[str, int] = {}
    before = fingerprint()
    for persona, client in clients:
        response = client.post(url, case.data)
        statuses[persona] = response.status_code
        if not refused(response):
            where = f" → {response['Location']}" if response.status_code == 302 else ""
            wrong.append(f"{persona} got {response.status_code}{where}")
        after = fingerprint()
        changed = changes(before, after)
        if changed:
            wrong.append(f"{persona}'s POST changed {', '.join(changed)}")
        before = after
    record(
        "post-sweep.json",
        url_name,
        {"method_of_case": case.method, "posted_by": statuses, "refused": not wrong},
    )
    assert not wrong, f"POST {url_name} ({url}): " + "; ".join(wrong)


def test_zz_the_sweep_figures_add_up():
    """Runs after the sweep (file order): totals over the URLs swept in this run."""
    path = FIGURES / "post-sweep.json"
    if not path.exists():
        pytest.skip("the sweep did not run")
    swept = {k: v for k, v in json.loads(path.read_text()).items() if k in CASES}
    posts = sum(len(v["posted_by"]) for v in swept.values())
    record(
        "post-sweep-totals.json",
        "totals",
        {
            "url_patterns": len(swept),
            "url_patterns_whose_case_is_a_get": sum(
                v["method_of_case"] == "get" for v in swept.values()
            ),
            "posts_by_personas_not_allowed": posts,
            "posts_refused_with_nothing_changed": sum(
                len(v["posted_by"]) for v in swept.values() if v["refused"]
            ),
            "watched_tables": len(TABLES),
            "status_codes": {
                str(code): sum(
                    1 for v in swept.values() for s in v["posted_by"].values() if s == code
                )
                for code in sorted({s for v in swept.values() for s in v["posted_by"].values()})
            },
        },
    )
