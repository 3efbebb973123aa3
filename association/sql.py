"""Queries written in SQL: their rows as dicts of their columns; rows written in bulk."""

from __future__ import annotations

import datetime
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection, connections, models, transaction
from django.db.backends.postgresql.base import CursorDebugWrapper, ServerBindingCursor
from django.db.backends.utils import CursorWrapper


class PreparingCursor(ServerBindingCursor):
    """A cursor that binds its parameters on the server and prepares its statement: the
    first execution of a text on a connection parses it and keeps it in the session,
    later ones bind new values to it, and after five PostgreSQL plans it once for all
    values (its generic plan) when that plan costs no more than the custom ones. Django's
    own cursors bind on the client (``Cursor``, a ``ClientCursor``) and never prepare."""

    def execute(self, query, params=None, *, prepare=None, binary=None):
        return super().execute(
            query, params, prepare=True if prepare is None else prepare, binary=binary
        )


class _PreparedDebugWrapper(CursorDebugWrapper):
    """Logs a prepared statement as Django logs one it binds on the server: the SQL with its
    values (Django reads a client-bound statement's text back from psycopg)."""

    def execute(self, sql, params=None):
        with self.debug_sql(self.db.ops.compose_sql(sql, params), params):
            return CursorWrapper.execute(self, sql, params)


def _preparing_cursor():
    """A :class:`PreparingCursor` on Django's connection, wrapped as Django wraps its own
    (so that the query is counted and logged, and errors are Django's)."""
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    connection.validate_thread_sharing()
    with connection.wrap_database_errors:
        cursor = PreparingCursor(connection.connection)
    if connection.queries_logged:
        return _PreparedDebugWrapper(cursor, connection)
    return connection.make_cursor(cursor)


def dict_rows(sql: str, params, *, prepare: bool = False) -> list[dict]:
    """The rows of ``sql`` (with ``params``), each as a dict of its columns.

    With ``prepare``, the statement is prepared on the connection (:class:`PreparingCursor`):
    for a query run on every page whose planning costs as much as its execution. It needs
    the text to be a fixed one for the values that change (``%s`` for each), and the
    connection's ``prepare_threshold`` not None (settings.py; ``DATABASE_PREPARE=0``
    turns preparing off, for a pooler that cannot keep a session's statements): then it
    runs as any other query.
    """
    with _preparing_cursor() if prepare else connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [column.name for column in cursor.description]
        return [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]


COPY_BATCH = 1_000  # rows a COPY statement

_per_statement = threading.local()  # the aliases inside checked_per_statement, this thread


@contextmanager
def checked_per_statement(using: str = "default") -> Iterator[None]:
    """Inside the block, foreign keys are checked at the end of each statement instead of
    at commit; for a bulk write of many rows in one transaction.

    Django declares every foreign key ``DEFERRABLE INITIALLY DEFERRED``, so each row
    written queues a check until commit, and PostgreSQL goes through that queue whenever
    a subtransaction ends. The triggers of pgtrigger and pghistory open a subtransaction
    or two for every row they see (an ``EXCEPTION`` block that reads a setting), so n rows
    written in one transaction cost O(n²): at 40,000 regions a trigger's call took
    100 µs instead of 5, 13 of a national first load's 19 s. Checked per statement, the
    queue stays empty; a row that breaks a foreign key still fails its statement, and so
    the whole transaction.

    The block is a savepoint: an error inside rolls the setting back with it. Leaving it
    makes the constraints deferred again, which is what every deferrable constraint of
    the schema is initially (all are foreign keys: tests/test_sql.py holds that). Nested,
    the outermost block decides; outside a transaction it does nothing (each statement is
    its own transaction)."""
    connection = connections[using]
    if not connection.in_atomic_block or using in getattr(_per_statement, "aliases", ()):
        yield
        return
    with transaction.atomic(using=using):
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        _per_statement.aliases = {*getattr(_per_statement, "aliases", ()), using}
        try:
            yield
        finally:
            _per_statement.aliases = _per_statement.aliases - {using}
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _copyable(model, connection) -> bool:
    opts = model._meta
    return (
        connection.vendor == "postgresql"
        and not opts.parents
        and list(opts.db_returning_fields) == [opts.pk]
        and not any(field.has_db_default() for field in opts.concrete_fields)
    )


# Django's own fields whose ``get_db_prep_save`` gives a value of this exact type back as
# it is on PostgreSQL (``to_python`` passes it through, the adapt_* operations too), as it
# does None: :func:`_copy_plan` sends such a value to COPY without the field's five calls.
# An exact class, so a subclass that prepares its values (an encrypted field) is not one.
_AS_IS = {
    models.CharField: str,
    models.TextField: str,
    models.EmailField: str,
    models.SlugField: str,
    models.URLField: str,
    models.IntegerField: int,
    models.BigIntegerField: int,
    models.SmallIntegerField: int,
    models.PositiveIntegerField: int,
    models.PositiveBigIntegerField: int,
    models.PositiveSmallIntegerField: int,
    models.BooleanField: bool,
    models.DateField: datetime.date,
}
_INTEGER_KEYS = {"AutoField", "BigAutoField", "SmallAutoField", "IntegerField", "BigIntegerField"}


# The plan's mark of an ``auto_now`` or ``auto_now_add`` field: one time for the rows of a
# :func:`copy_insert`, as PostgreSQL's ``now()`` is one for a transaction.
_STAMP = object()


def _as_is(field) -> type | object | None:
    """The type whose values ``field`` sends to the database as they are, ``_STAMP`` for a
    time the insert sets, or None."""
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return _STAMP
    if type(field) in (models.ForeignKey, models.OneToOneField):
        # the key of the row it points to prepares the value: an integer passes as it is
        return int if field.target_field.get_internal_type() in _INTEGER_KEYS else None
    return _AS_IS.get(type(field))


def _copy_plan(fields) -> list[tuple]:
    """For each field: (its attribute, :func:`_as_is`, the field)."""
    return [(field.attname, _as_is(field), field) for field in fields]


def _stamps(plan, first, connection) -> dict:
    """The times the insert sets, by attribute: each taken by its field's ``pre_save`` on
    the ``first`` row and prepared, once for all the rows (``bulk_create`` takes the clock
    and prepares it for each row: for the workers' two times, 8 % of an import's time)."""
    stamps = {}
    for attname, plain, field in plan:
        if plain is _STAMP:
            value = field.pre_save(first, True)
            stamps[attname] = (value, field.get_db_prep_save(value, connection))
    return stamps


def _copy_row(plan, instance, connection, stamps) -> list:
    """The values COPY writes for ``instance``: what ``bulk_create`` would send, but for
    the times the insert sets, which are ``stamps`` (set on the instance too, as
    ``pre_save`` does)."""
    row = []
    for attname, plain, field in plan:
        if plain is _STAMP:
            value, prepared = stamps[attname]
            setattr(instance, attname, value)
            row.append(prepared)
            continue
        if plain is not None:
            value = getattr(instance, attname)
            if value is None or type(value) is plain:
                row.append(value)
                continue
        row.append(field.get_db_prep_save(field.pre_save(instance, True), connection))
    return row


def copy_insert(model, instances: list, *, using: str = "default") -> None:
    """Insert ``instances`` (new, checked) as ``bulk_create`` would, with PostgreSQL's
    ``COPY``: their primary keys taken from the table's sequence in one query, each
    field's value prepared by the field itself (``pre_save`` sets the ``auto_now``
    dates, ``get_db_prep_save`` encrypts; a value Django would pass as it is, as it is:
    :data:`_AS_IS`), the database's constraints and triggers as
    for an ``INSERT`` (its foreign keys checked per statement: :func:`checked_per_statement`).
    Elsewhere, or for a model with database defaults or parents, ``bulk_create``."""
    if not instances:
        return
    connection = connections[using]
    if not _copyable(model, connection):
        model._default_manager.db_manager(using).bulk_create(instances, batch_size=COPY_BATCH)
        return
    opts = model._meta
    pk = opts.pk
    fields = [f for f in opts.concrete_fields if not f.generated and f is not pk]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in [pk, *fields])
    plan = _copy_plan(fields)
    stamps = _stamps(plan, instances[0], connection)
    with (
        checked_per_statement(using),
        connection.cursor() as cursor,
        connection.wrap_database_errors,
    ):
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [quote(opts.db_table), pk.column, len(instances)],
        )
        keys = [key for (key,) in cursor.fetchall()]
        sql = f"COPY {quote(opts.db_table)} ({columns}) FROM STDIN"
        for start in range(0, len(instances), COPY_BATCH):
            with cursor.cursor.copy(sql) as copy:
                for key, instance in zip(
                    keys[start : start + COPY_BATCH],
                    instances[start : start + COPY_BATCH],
                    strict=True,
                ):
                    copy.write_row([key, *_copy_row(plan, instance, connection, stamps)])
    for key, instance in zip(keys, instances, strict=True):
        instance.pk = key
        instance._state.adding = False
        instance._state.db = using
