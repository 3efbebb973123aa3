"""The benchmark's dataset generator (bench/generate.py) at its tiny scale: it builds a
consistent dataset, and a second run on the kept database adds nothing and fails nowhere."""

from __future__ import annotations

import importlib.util
import io
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"
XUCHANG = (
    Path(__file__).resolve().parent.parent
    / "association"
    / "regions"
    / "data"
    / "xuchang_townships.csv"
)


def _generate_module():
    if "bench_generate" in sys.modules:
        return sys.modules["bench_generate"]
    spec = importlib.util.spec_from_file_location("bench_generate", BENCH / "generate.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def townships(db):
    from association.regions.services import regions_load

    regions_load(XUCHANG.read_text(encoding="utf-8"), source="test")


def test_it_builds_the_tiny_dataset_and_a_second_run_adds_nothing(townships):
    from members.models import Dues, Membership
    from stations.models import ServiceReport, ServiceReportLine

    generate = _generate_module()
    first = generate.generate("tiny", seed=7, out=io.StringIO())
    assert first["stations"] == 5
    assert first["social workers"] == 30
    assert first["monthly reports"] > 0
    assert first["report lines"] > 0
    assert first["dues"] > 0

    out = io.StringIO()
    second = generate.generate("tiny", seed=7, out=out)
    assert second == first
    assert "skipped" in out.getvalue()

    # The denormalised totals agree with the lines the COPY wrote.
    for report in ServiceReport.objects.all():
        lines = ServiceReportLine.objects.filter(report=report)
        assert report.total_activities == sum(line.activities for line in lines)
    # Admitted members have numbers, paid dues have receipts (the constraints held).
    assert not Membership.objects.filter(state="approved", number__isnull=True).exists()
    assert not Dues.objects.filter(paid_on__isnull=False, receipt_number__isnull=True).exists()
