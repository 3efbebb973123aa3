"""Bulk writes (``association.sql``): foreign keys checked per statement, and the values COPY
sends the same as ``bulk_create`` would."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, models, transaction
from django.utils.safestring import SafeString
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from association.regions.choices import Level
from association.regions.models import Region
from association.sql import _STAMP, _copy_plan, _copy_row, _stamps, checked_per_statement
from members.models import SocialWorker

from .members.factories import OrganisationFactory, SocialWorkerFactory, id_number, township

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


# --- COPY's values (association.sql._copy_row) --------------------------------------------

PLAIN_FIELDS = [
    (models.CharField(max_length=20, null=True), st.text(max_size=20)),
    (models.TextField(), st.text()),
    (models.EmailField(), st.emails()),
    (models.IntegerField(null=True), st.integers(-(2**31), 2**31 - 1)),
    (models.BigIntegerField(), st.integers(-(2**63), 2**63 - 1)),
    (models.PositiveSmallIntegerField(), st.integers(0, 32767)),
    (models.BooleanField(), st.booleans()),
    (models.DateField(null=True), st.dates()),
]
# Values of other types, which the fields convert (and _copy_row leaves to them).
OTHERS = st.one_of(
    st.integers(0, 9).map(str),
    st.booleans(),
    st.datetimes(timezones=st.just(datetime.UTC)),
    st.dates().map(lambda day: SafeString(day.isoformat())),
)


def _full_path(field, instance):
    return field.get_db_prep_save(field.pre_save(instance, True), connection)


@pytest.mark.parametrize("n", range(len(PLAIN_FIELDS)))
@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_copy_sends_what_the_field_would_prepare(n, data):
    """A value a field passes as it is goes to COPY as it is; any other value goes through
    the field, as with ``bulk_create``."""
    field, plain = PLAIN_FIELDS[n]
    field.set_attributes_from_name("value")
    instance = SimpleNamespace(value=data.draw(st.one_of(plain, st.none(), OTHERS)))
    try:
        expected = _full_path(field, instance)
    except (TypeError, ValueError, ValidationError):
        return  # a value the field refuses, which a checked row never holds
    assert _copy_row(_copy_plan([field]), instance, connection, {}) == [expected]


def test_copy_prepares_a_workers_values_as_bulk_create_would():
    worker = SocialWorkerFactory.build(
        id_number=id_number(7), employer=OrganisationFactory(), region=township()
    )
    worker.sync_derived()
    fields = [f for f in SocialWorker._meta.concrete_fields if f is not SocialWorker._meta.pk]
    plan = _copy_plan(fields)
    other = SocialWorkerFactory.build(id_number=id_number(8))
    times = _stamps(plan, other, connection)
    row = _copy_row(plan, worker, connection, times)
    # the encrypted ID number is the field's own work; the row's times the insert's, one
    # for every row, set on each instance as pre_save sets them
    assert {attname for attname, plain, _field in plan if plain is None} >= {"id_number"}
    stamps = {attname for attname, plain, _field in plan if plain is _STAMP}
    assert stamps == {"created_at", "updated_at"}
    by_name = dict(zip([f.attname for f in fields], row, strict=True))
    assert by_name["id_number"] != id_number(7)  # encrypted
    assert by_name["employer_id"] == worker.employer_id
    assert by_name["created_at"] is not None
    assert worker.created_at == other.created_at == times["created_at"][0]
    assert by_name["created_at"] == times["created_at"][1]
    assert [v for f, v in by_name.items() if f not in stamps and f != "id_number"] == [
        _full_path(f, worker) for f in fields if f.attname not in stamps | {"id_number"}
    ]
