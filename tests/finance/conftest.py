import pytest

from association.finance.chart import chart_load


@pytest.fixture(autouse=True)
def _chart(db):
    """The standard chart (a transactional test's flush empties the migration's rows)."""
    chart_load()


@pytest.fixture
def bookkeeper(cast):
    return cast.staff
