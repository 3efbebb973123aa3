"""The demo year seeds once, balances and closes its first months."""

from association.accounts import demo as accounts_demo
from association.finance import demo
from association.finance.models import ExpenseClaim, Period, Voucher
from association.finance.verification import ledger_verify


def test_it_seeds_a_balanced_demo_year_once(db):
    accounts_demo.seed()
    demo.seed()
    count = Voucher.objects.count()
    demo.seed()
    # On its own (no founding congress adopted the fund rules) the demo has the opening,
    # dues and grant vouchers but no expense claims: claims follow adopted rules only.
    assert Voucher.objects.count() == count > 3
    assert not ExpenseClaim.objects.exists()
    assert Period.objects.filter(status="closed").count() >= 2
    assert ledger_verify().ok
