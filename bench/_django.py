"""The benchmark's environment: its own database per scale, fixed keys, Django set up.

Every script of bench/ works in the database ``bench_<scale>`` on the PostgreSQL server
that ``DATABASE_URL`` names (default ``postgresql://postgres@127.0.0.1:5432``), created
the first time and kept between runs. The keys are fixed bench values, so that the rows
encrypted by the generator can be read by the gunicorn the page benchmark starts, and the
sessions it creates are valid there: never use them for anything but this database.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import os
import platform
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_SERVER = "postgresql://postgres@127.0.0.1:5432/postgres"
BENCH_SECRET_KEY = "bench-only-" + hashlib.sha256(b"bench secret key").hexdigest()
BENCH_FIELD_KEY = base64.b64encode(hashlib.sha256(b"bench-field-key").digest()).decode()


def database_url(name: str) -> str:
    parts = urlsplit(os.environ.get("BENCH_SERVER_URL") or os.environ.get("DATABASE_URL") or "")
    if not parts.scheme:
        parts = urlsplit(DEFAULT_SERVER)
    # BENCH_DB_PREFIX keeps two people's runs on one server apart (bench_perf_province, ...).
    prefix = os.environ.get("BENCH_DB_PREFIX") or "bench"
    return urlunsplit(parts._replace(path=f"/{prefix}_{name}"))


def bench_env(name: str) -> dict:
    """The environment of a bench process (and of the subprocesses it starts)."""
    env = dict(os.environ)
    env.setdefault("BENCH_SERVER_URL", os.environ.get("DATABASE_URL", DEFAULT_SERVER))
    env.update(
        DATABASE_URL=database_url(name),
        DJANGO_SETTINGS_MODULE="association.settings",
        SECRET_KEY=BENCH_SECRET_KEY,
        FIELD_ENCRYPTION_KEY=BENCH_FIELD_KEY,
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        LOG_LEVEL="WARNING",
    )
    env.pop("REDIS_URL", None)  # tasks in-process: no worker is part of a benchmark
    return env


def _ensure_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def setup(name: str):
    """Point this process at ``bench_<name>`` (created and migrated if new); set up Django."""
    os.environ.update(bench_env(name))
    os.environ.pop("REDIS_URL", None)
    _ensure_database(os.environ["DATABASE_URL"])
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", interactive=False, verbosity=0)
    return connection


@contextmanager
def timed(label: str, count: int, unit: str = "rows"):
    start = time.perf_counter()
    yield
    elapsed = time.perf_counter() - start
    print(f"{label:<48} {count:>7} {unit} in {elapsed:7.3f} s = {count / elapsed:>10,.0f} {unit}/s")


def machine() -> str:
    """One line: cores, memory, CPU model, date and load average, for beside each figure."""
    cpu = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = "?"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                ram = f"{int(line.split()[1]) / 1024 / 1024:.1f} GB"
                break
    except OSError:
        pass
    return f"{os.cpu_count()} cores, {ram} RAM, {cpu}"


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


def now() -> str:
    return datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
