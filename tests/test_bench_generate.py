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


@pytest.mark.parametrize("seeded", [False, True])
def test_the_demo_is_seeded_once(db, monkeypatch, seeded):
    """A second run of a scale with the demo (`make bench`, after the dataset is built) only
    migrates: seeding the demo again would post every generated paid dues to the books."""
    import django.core.management

    from tests.factories import UserFactory

    generate = _generate_module()
    if seeded:
        UserFactory(email=generate.DEMO_STAFF)
    calls = []
    monkeypatch.setattr(
        django.core.management,
        "call_command",
        lambda name, **options: calls.append((name, options.get("demo", False))),
    )
    generate.generate("city", out=io.StringIO())
    assert generate._demo_seeded() is seeded
    assert calls == [("setup_instance", not seeded)]
