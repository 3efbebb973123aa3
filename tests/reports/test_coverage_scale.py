"""The coverage report at province scale: Henan's 159 counties of 18 cities
(bench/data/henan_townships.csv) print one row a city, in a few pages; the figures are
the selectors' (replaced here by rows of that size: the dataset itself is the bench's)."""

from __future__ import annotations

import csv
import datetime
import io
import os
from pathlib import Path

import pytest
from pypdf import PdfReader

from association.reports import catalogue
from association.reports.services import build_document, render_document

pytestmark = pytest.mark.django_db

HENAN = Path(__file__).resolve().parents[2] / "bench" / "data" / "henan_townships.csv"
MAX_PAGES = 4  # figures, the city table, its chart, the build plan by city


def province():
    """Henan's cities and counties as regions; its townships (unsaved) by county code."""
    from association.regions.models import Region

    cities, counties, townships = {}, {}, {}
    with HENAN.open(encoding="utf-8") as file:
        for row in csv.DictReader(file):
            city_code = row["city_code"] or row["county_code"]
            cities.setdefault(city_code, row["city_name"] or row["county_name"])
            counties.setdefault(row["county_code"], (row["county_name"], city_code))
            townships.setdefault(row["county_code"], []).append(row["name"])
    known = set(Region.objects.values_list("code", flat=True))
    Region.objects.bulk_create(
        Region(code=code, name=name, level="city", source="test")
        for code, name in cities.items()
        if code not in known
    )
    by_code = Region.objects.in_bulk(list(cities), field_name="code")
    Region.objects.bulk_create(
        Region(code=code, name=name, level="county", parent=by_code[city], source="test")
        for code, (name, city) in counties.items()
        if code not in known and code != city
    )
    regions = Region.objects.in_bulk(list(counties), field_name="code")
    return [regions[code] for code in sorted(counties)], townships


@pytest.fixture
def henan(monkeypatch):
    from association.regions.models import Region
    from stations import selectors
    from stations.selectors import CountyProgress, CoverageRow

    counties, townships = province()

    def row(region, n, i):
        return CoverageRow(region, n, n, n - i % 3, 3 * n, 2 * n, i % 4)

    rows = [row(c, len(townships[c.code]), i) for i, c in enumerate(counties)]
    total = CoverageRow(region=None)
    for county_row in rows:
        total.add(county_row)
    detail = {}
    for i, county in enumerate(counties):
        names = townships[county.code]
        town_rows = [row(Region(name=n, level="township"), 1, i + k) for k, n in enumerate(names)]
        detail[county.pk] = (town_rows, rows[i])
    monkeypatch.setattr(selectors, "coverage_by_county", lambda on=None, region=None: (rows, total))
    monkeypatch.setattr(
        selectors, "coverage_by_township_of_counties", lambda on=None, region=None: detail
    )
    due = datetime.date(2026, 12, 31)
    plan = [
        CountyProgress(c, 2026, due, r.townships, r.operating)
        for c, r in zip(counties, rows, strict=True)
    ]
    monkeypatch.setattr(selectors, "build_plan_progress", lambda year, **kwargs: plan)
    return counties, total


def test_a_province_wide_coverage_pdf_prints_one_row_a_city_in_a_few_pages(henan):
    _counties, total = henan
    document = build_document(
        catalogue.get("station-coverage"), {"on": "2026-12-01", "townships": "on"}
    )
    section = document.sections[0]
    table = section.tables()[0]
    assert table.caption == "按市" and len(table.rows) == 18
    assert sum(row[1] for row in table.rows) == total.townships == 2471
    assert [row[0] for row in table.rows][:2] == ["郑州市", "开封市"]
    assert [s.heading for s in document.sections] == [
        "一、覆盖与人员配备",
        "二、2026 年建设计划完成情况",
    ]
    content = render_document(document, "pdf")
    if folder := os.environ.get("PRINT_DUMP"):
        Path(folder).mkdir(parents=True, exist_ok=True)
        (Path(folder) / "station-coverage-province.pdf").write_bytes(content)
    pages = PdfReader(io.BytesIO(content)).pages
    assert len(pages) <= MAX_PAGES
    text = "\n".join(page.extract_text() for page in pages)
    assert "郑州市" in text and "中原区" not in text  # counties are in a city's own run


def test_a_city_run_keeps_one_row_a_county_and_its_townships(stations_data):
    document = build_document(
        catalogue.get("station-coverage"), {"on": "2025-10-31", "townships": "on"}
    )
    table = document.sections[0].tables()[0]
    assert table.caption == "按区县"
    assert {row[0] for row in table.rows} == {"魏都区", "禹州市"}
    assert document.sections[-1].heading == "三、分乡镇（街道）明细"
    content = render_document(document, "pdf")
    if folder := os.environ.get("PRINT_DUMP"):
        (Path(folder) / "station-coverage-city.pdf").write_bytes(content)
    assert len(PdfReader(io.BytesIO(content)).pages) <= MAX_PAGES
