"""Bulk writes' foreign keys checked per statement (``association.sql.checked_per_statement``)."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction

from association.regions.choices import Level
from association.regions.models import Region
from association.sql import checked_per_statement

pytestmark = pytest.mark.django_db


class _Undo(Exception):
    pass


def _breaks_a_foreign_key() -> None:
    Region.objects.create(code="419999", name="无上级", level=Level.COUNTY, parent_id=987_654_321)


def checked_at_commit() -> bool:
    """Whether a row whose foreign key points nowhere gets through its statement (its
    check deferred to commit), tried in a savepoint that is rolled back either way."""
    try:
        with transaction.atomic():
            _breaks_a_foreign_key()
            raise _Undo
    except IntegrityError:
        return False
    except _Undo:
        return True


def test_every_deferrable_constraint_is_initially_deferred():
    """Leaving the block sets every constraint deferred again: right only while no
    deferrable constraint of the schema is initially immediate."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conrelid::regclass::text, conname FROM pg_constraint"
            " WHERE connamespace = 'public'::regnamespace AND condeferrable AND NOT condeferred"
            " UNION ALL SELECT tgrelid::regclass::text, tgname FROM pg_trigger"
            " WHERE tgdeferrable AND NOT tginitdeferred AND NOT tgisinternal"
        )
        assert cursor.fetchall() == []
        cursor.execute(
            "SELECT count(*) FROM pg_constraint"
            " WHERE connamespace = 'public'::regnamespace AND condeferrable"
        )
        assert cursor.fetchone()[0] > 0  # the query above looks at the right schema


def test_inside_the_block_a_broken_foreign_key_fails_its_statement():
    assert checked_at_commit()
    with checked_per_statement():
        assert not checked_at_commit()
        with pytest.raises(IntegrityError), transaction.atomic():
            _breaks_a_foreign_key()
    assert checked_at_commit()


def test_an_error_inside_the_block_leaves_the_checks_deferred():
    with pytest.raises(IntegrityError), checked_per_statement():
        _breaks_a_foreign_key()
    assert checked_at_commit()
    assert not Region.objects.filter(code="419999").exists()


def test_nested_blocks_keep_the_checks_per_statement_until_the_outermost_ends():
    with checked_per_statement():
        with checked_per_statement():
            assert not checked_at_commit()
        assert not checked_at_commit()
    assert checked_at_commit()


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_it_does_nothing():
    with checked_per_statement():
        assert not connection.in_atomic_block
