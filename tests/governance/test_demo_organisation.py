"""The demo's registration and annual-inspection records and donations, entered on their
days through the services, fill the annual work report of the demo's last full year."""

import datetime
from decimal import Decimal

import pytest

from association.reports import catalogue
from association.reports.services import build_document

pytestmark = pytest.mark.django_db


def test_the_demo_fills_the_annual_reports_sections(monkeypatch):
    from django.utils import timezone

    from association.accounts import demo as accounts
    from association.finance import demo as finance
    from association.governance import demo as governance
    from association.governance.models import AnnualFiling, Registration

    # The demo as seeded on 2 December 2026: nothing recorded after that day.
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: datetime.date(2026, 12, 2))
    accounts.seed()
    finance.seed_opening()
    governance.seed_organisation()
    finance.seed_donations()
    monkeypatch.undo()
    assert Registration.objects.get().domicile == governance.NEW_DOMICILE
    assert AnnualFiling.objects.count() == 3

    document = build_document(catalogue.get("annual-report"), {"year": "2025"})
    lines = []
    for section in document.sections:
        lines.append(f"## {section.heading}")
        for block in section.blocks:
            if block.kind == "table":
                lines += [" | ".join(str(c) for c in row) for row in block.rows]
            else:
                lines.append(str(getattr(block, "text", block)))
    text = "\n".join(lines)
    assert "51411000MJY58273XA" in text
    assert "2024 年度：合格" in text
    assert "3A 级" in text
    assert "全省乡镇（街道）社工站建设先进集体" in text
    assert governance.NEW_DOMICILE in text
    assert governance.AUDITOR in text
    assert "河南许继电气有限公司工会委员会" in text
    donations = {f.label: f.value for f in document.get("四、业务活动（三）接受捐赠").figures()}
    assert donations["接受捐赠合计"] == Decimal("111000.00")
