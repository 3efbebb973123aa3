"""A backup restores: every table's rows and every private file come back, and the restored
books pass verify_ledger."""

import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection

from association.backup import BackupError, backup_create, backup_restore, conninfo, row_counts
from association.finance.chart import chart_load
from tests.finance.factories import post

pytestmark = pytest.mark.django_db(transaction=True)  # pg_dump reads what is committed

ROOT = Path(__file__).resolve().parent.parent


def database_url(name: str) -> str:
    params = connection.get_connection_params()
    host = params.get("host") or ""
    user = params.get("user") or ""
    password = f":{quote(params['password'])}" if params.get("password") else ""
    port = f":{params['port']}" if params.get("port") and not host.startswith("/") else ""
    if host.startswith("/"):
        return f"postgresql://{user}{password}@/{name}?host={quote(host)}"
    return f"postgresql://{user}{password}@{host}{port}/{name}"


@pytest.fixture
def restored_name():
    name = f"{connection.settings_dict['NAME']}_restored"
    yield name
    with psycopg.connect(conninfo("postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_it_restores_a_backup_into_a_new_database(cast, tmp_path, settings, restored_name):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private")},
        },
    }
    chart_load()
    post(cast.staff, "2026-01-05", ("1002", "D", 100), ("4201", "C", 100))
    post(cast.staff, "2026-01-06", ("5201", "D", 40), ("1002", "C", 40))
    default_storage.save("letters/证明.pdf", ContentFile(b"%PDF-1.4 test"))

    folder = backup_create(tmp_path / "backups")
    report = backup_restore(folder, database=restored_name, media_root=tmp_path / "restored")

    assert report.rows == sum(row_counts(conninfo()).values())
    assert report.tables > 100
    assert (tmp_path / "restored" / "letters" / "证明.pdf").read_bytes() == b"%PDF-1.4 test"
    # The restored books are sound: verify_ledger, run against the restored database.
    result = subprocess.run(
        [sys.executable, "manage.py", "verify_ledger"],
        cwd=ROOT,
        env={**__import__("os").environ, "DATABASE_URL": database_url(restored_name)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "账簿检查通过" in result.stdout + result.stderr


def test_it_refuses_a_tampered_backup_and_an_existing_database(cast, tmp_path, restored_name):
    folder = backup_create(tmp_path / "backups")
    with pytest.raises(BackupError, match="exists"):
        backup_restore(
            folder, database=connection.settings_dict["NAME"], media_root=tmp_path / "r1"
        )
    with (folder / "database.dump").open("ab") as dump:
        dump.write(b"tampered")
    with pytest.raises(BackupError, match="checksum"):
        backup_restore(folder, database=restored_name, media_root=tmp_path / "r2")


def test_it_brings_the_reference_data_back_after_a_flush():
    """A flush (a transactional test, a reused test database) sends post_migrate: the
    offices, default rules and chart of accounts come back, as after migrate."""
    from django.core.management import call_command

    from association.finance.models import Account
    from association.governance.models import Office, RuleSet

    call_command("flush", interactive=False, verbosity=0)
    assert Office.objects.exists()
    assert RuleSet.objects.exists()
    assert Account.objects.filter(code="1002").exists()
