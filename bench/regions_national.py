"""The national township table through ``manage.py load_regions``: first load and unchanged reload.

    .venv/bin/python bench/regions_national.py [--file national.csv]

The Ministry's national table (about 41,000 townships and streets) is not shipped with the
project; without ``--file`` this script writes a synthetic one of the same shape and size:
Henan's 2,471 rows (``data/henan_townships.csv``) repeated under 16 other provinces' code
prefixes (11, 12, 13, …), 39,536 townships in 2,624 counties of 272 cities — the codes
are the only thing changed, so every row passes the loader's checks as a real one would.

Each load is the management command in a subprocess (Django's start-up included, as an
operator would run it), in the scratch database ``bench_regions`` (``BENCH_DB_PREFIX``
applies); the regions are deleted afterwards (townships, counties, cities, provinces), so
every run starts from an empty table. Figures, never pass/fail.
"""

from __future__ import annotations

import argparse
import csv
import io
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from _django import ROOT, bench_env, load, setup  # noqa: E402

HENAN = HERE / "data" / "henan_townships.csv"
# Province codes of the national table, Henan's own (41) left out.
PREFIXES = ["11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36"]
PREFIXES += ["37", "42"]
COLUMNS = ["code", "name", "county_code", "county_name", "city_code", "city_name", "kind"]


def synthetic_national() -> str:
    """Henan's table under 16 provinces' code prefixes (see the module's docstring)."""
    rows = list(csv.DictReader(io.StringIO(HENAN.read_text(encoding="utf-8"))))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for prefix in PREFIXES:
        for row in rows:
            writer.writerow(
                [prefix + row[c][2:] if c.endswith("code") and row[c] else row[c] for c in COLUMNS]
            )
    return out.getvalue()


def run(args: list[str]) -> tuple[float, float, str]:
    """``manage.py *args`` in a subprocess: wall seconds, CPU seconds (user + system, from
    wait4: on a shared machine the wall time mostly measures the others) and its output."""
    import os

    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, str(ROOT / "manage.py"), *args],
            env=bench_env("regions"),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        _pid, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        out.seek(0)
        said = out.read().decode(errors="replace").strip()
    if os.waitstatus_to_exitcode(status):
        raise RuntimeError(said)
    return wall, usage.ru_utime + usage.ru_stime, said.splitlines()[0] if said else ""


def load_regions(path: Path) -> tuple[float, float, str]:
    return run(["load_regions", str(path), "--source", "bench"])


def empty(Region, Level) -> None:
    for level in (Level.TOWNSHIP, Level.COUNTY, Level.CITY, Level.PROVINCE):
        Region.objects.filter(level=level).delete()


def main(argv=None) -> list[tuple[str, str, str]]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--file", type=Path, help="the Ministry's national table (CSV)")
    args = parser.parse_args(argv)
    setup("regions")
    from association.regions.choices import Level
    from association.regions.models import Region

    empty(Region, Level)
    with tempfile.TemporaryDirectory() as tmp:
        path = args.file
        label = path.name if path else "synthetic national table"
        if path is None:
            path = Path(tmp) / "national.csv"
            path.write_text(synthetic_national(), encoding="utf-8")
        lines = path.read_text(encoding="utf-8-sig").count("\n") - 1
        results = []
        _wall, startup_cpu, _said = run(["check", "--deploy", "--fail-level", "CRITICAL"])
        print(f"Django start-up (manage.py check): {startup_cpu:.1f} s CPU")
        for what in ("first load", "unchanged reload"):
            before = load()
            seconds, cpu, said = load_regions(path)
            figure = (
                f"{seconds:.1f} s wall, {cpu:.1f} s CPU ({cpu - startup_cpu:.1f} s above "
                f"start-up); command said: {said}"
            )
            print(f"load_regions, {what}, {label}, {lines:,} rows: {figure}  [load {before}]")
            results.append((f"load_regions {what}, {label} ({lines:,} rows)", figure, before))
        print(f"  regions in the table: {Region.objects.count():,}")
    empty(Region, Level)
    return results


if __name__ == "__main__":
    main()
