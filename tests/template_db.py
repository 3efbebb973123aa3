"""One migrated template database for every xdist worker of a run.

Each worker has its own test database (``test_<name>_gw0``, ``_gw1``, …). Built from the
migrations, each costs the whole migration run, and two of them side by side on two cores
cost twice that. Instead, the first worker that needs a database migrates one template
(``test_<name>_template``) under a file lock, once per run (the run's id is written on the
template as its comment), and every worker's database is PostgreSQL's copy of it
(``CREATE DATABASE … TEMPLATE``, Django's ``TEST["TEMPLATE"]``). Django still runs
``migrate`` on the copy, which finds nothing to apply and only sends ``post_migrate``.

A worker whose database is kept (``--reuse-db`` and it exists) needs no template. One
process without xdist builds its database from the migrations as before.
"""

from __future__ import annotations

import fcntl
import tempfile
from contextlib import contextmanager
from pathlib import Path

import psycopg
from django.conf import settings
from django.db import connections
from psycopg import sql


def _maintenance(db: dict) -> psycopg.Connection:
    return psycopg.connect(
        dbname="postgres",
        host=db.get("HOST") or None,
        port=db.get("PORT") or None,
        user=db.get("USER") or None,
        password=db.get("PASSWORD") or None,
        autocommit=True,
    )


@contextmanager
def _locked(name: str):
    path = Path(tempfile.gettempdir()) / f"{name}.lock"
    with path.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _build(template: str) -> None:
    """Migrate ``template`` from nothing, in this process and with the tests' settings."""
    connection = connections["default"]
    db = settings.DATABASES["default"]
    name, test = db["NAME"], dict(db["TEST"])
    db["TEST"] = {**test, "NAME": template}
    db["TEST"].pop("TEMPLATE", None)
    connection.settings_dict["TEST"] = db["TEST"]
    try:
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    finally:
        connection.close()
        db["NAME"], db["TEST"] = name, test
        connection.settings_dict["NAME"], connection.settings_dict["TEST"] = name, test


def use_template(config, *, keepdb: bool) -> None:
    """Point this xdist worker's test database at the run's template, building it first
    if no other worker has this run."""
    workerinput = getattr(config, "workerinput", None)
    db = settings.DATABASES["default"]
    if workerinput is None or db["ENGINE"] != "django.db.backends.postgresql":
        return
    own = db["TEST"]["NAME"]  # already with the worker's suffix
    template = own.removesuffix(f"_{workerinput['workerid']}") + "_template"
    run = workerinput["testrunuid"]
    with _maintenance(db) as maintenance:
        if (
            keepdb
            and maintenance.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [own]
            ).fetchone()
        ):
            return
        with _locked(template):
            comment = maintenance.execute(
                "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
                [template],
            ).fetchone()
            if comment is None or comment[0] != run:
                _build(template)
                maintenance.execute(
                    sql.SQL("COMMENT ON DATABASE {} IS {}").format(
                        sql.Identifier(template), sql.Literal(run)
                    )
                )
    db["TEST"]["TEMPLATE"] = template
