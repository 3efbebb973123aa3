"""Pages: list query budgets, the statement downloads, the claim form."""

import datetime

from django.urls import reverse
from django.utils import timezone

from association.finance.models import Voucher
from tests.conftest import assert_constant_queries

from .factories import BudgetLineFactory, claim, fund_rules, post


def test_it_lists_vouchers_at_a_constant_cost(cast, client_for):
    client = client_for(cast.staff)
    day = datetime.date(2026, 1, 5)

    def grow(n):
        for _ in range(n):
            post(cast.staff, day, ("1002", "D", 10), ("4201", "C", 10))

    count = assert_constant_queries(lambda: client.get(reverse("finance:voucher_list")), grow)
    assert Voucher.objects.count() == 50
    assert count <= 15  # session, user, groups, nav items, count, page rows


def test_it_lists_claims_at_a_constant_cost(cast, client_for):
    fund_rules()
    line = BudgetLineFactory()
    client = client_for(cast.staff)

    def grow(n):
        for _ in range(n):
            claim(cast.staff, "10", budget_line=line)

    assert_constant_queries(lambda: client.get(reverse("finance:claim_list")), grow)


def test_it_shows_a_budget_at_a_constant_cost(cast, client_for):
    first = BudgetLineFactory()
    client = client_for(cast.staff)

    def grow(n):
        for _ in range(n):
            line = BudgetLineFactory(budget=first.budget)
            post(cast.staff, "2026-02-01", ("5201", "D", 5), ("1002", "C", 5))
            line.save()

    url = reverse("finance:budget_detail", args=[first.budget_id])
    assert_constant_queries(lambda: client.get(url), grow)


def test_it_downloads_the_statements_as_xlsx_and_pdf(cast, client_for):
    post(cast.staff, "2026-01-05", ("1002", "D", 100), ("4201", "C", 100))
    client = client_for(cast.official)
    query = {"kind": "activities", "start": "2026-01-01", "end": "2026-12-31"}
    page = client.get(reverse("finance:statement"), query)
    assert page.status_code == 200
    assert "会费收入" in page.content.decode() and "相符" in page.content.decode()
    xlsx = client.get(reverse("finance:statement_xlsx"), query)
    assert xlsx.content[:2] == b"PK"
    pdf = client.get(reverse("finance:statement_pdf"), query)
    assert pdf.content.startswith(b"%PDF")


def test_it_shows_members_only_aggregates_in_the_dues_disclosure(cast, client_for):
    post(cast.staff, "2025-03-05", ("1002", "D", 500), ("4201", "C", 500))
    response = client_for(cast.org_admin_a).get(reverse("finance:dues_disclosure"), {"year": 2025})
    assert response.status_code == 200
    assert "500.00" in response.content.decode()


def test_a_tranche_is_booked_on_the_day_the_money_arrived(cast, client_for):
    from tests.finance.sweep import _grant

    grant, tranche = _grant(cast)
    client = client_for(cast.staff)
    url = reverse("finance:tranche_settle", args=[tranche.pk])
    # the form offers today, and no later day, as the date the money arrived
    today = timezone.localdate().isoformat()
    page = client.get(reverse("finance:grant_detail", args=[grant.pk]))
    assert f'name="settled_on" id="settled-on-{tranche.pk}" value="{today}" max="{today}"' in (
        page.content.decode()
    )
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    client.post(url, {"settled_on": tomorrow.isoformat()})
    tranche.refresh_from_db()
    assert tranche.settled_on is None  # a date still to come is refused

    client.post(url, {"settled_on": "2026-02-03"})
    tranche.refresh_from_db()
    assert tranche.settled_on == datetime.date(2026, 2, 3)
    assert tranche.voucher.date == datetime.date(2026, 2, 3)
    page = client.get(reverse("finance:grant_detail", args=[grant.pk]))
    assert "2026-02-03" in page.content.decode()
