"""Set up Django on a scratch database for a benchmark script."""

from __future__ import annotations

import os
import sys
import time
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "association.settings")


def setup(name: str):
    import django

    django.setup()
    from django.db import connection

    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=True)
    connection.settings_dict["NAME"] = f"bench_{name}"
    return connection


def _scratch_name(name):
    os.environ["TEST_DATABASE_NAME"] = f"bench_{name}"


@contextmanager
def timed(label: str, count: int, unit: str = "rows"):
    start = time.perf_counter()
    yield
    elapsed = time.perf_counter() - start
    print(f"{label:<48} {count:>7} {unit} in {elapsed:7.3f} s = {count / elapsed:>10,.0f} {unit}/s")
