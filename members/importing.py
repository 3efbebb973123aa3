"""The bulk path of the members imports: every row checked as before, then one insert.

django-import-export imports row by row: for each row a savepoint, the model's
``full_clean`` (which asks the database whether a foreign key exists and whether each
check constraint holds), the resource's own lookups, an ``INSERT`` and the release of
the savepoint — about 8 queries a row, 65 rows a second for social workers. Its
``use_bulk`` option only batches the inserts: the checks stay per row, and rows would
be saved before the whole file is known to be good.

:class:`BulkImportMixin` keeps the resource's own checks (widgets, check digits,
required fields, formulas, duplicates in the file, ``check_row``) and the model's
``full_clean`` rules, but runs them without a query per row and without work repeated
per row:

- the register is asked once per batch of :data:`BATCH` rows which of the batch's keys
  (a blind index, a credit code) it already holds (:meth:`BulkImportMixin.prepare_batch`);
- foreign keys are checked for presence only: the widgets found them in the database;
- check constraints are evaluated in Python from their own ``Q``, compiled once to a
  function of the instance (:func:`check_holds`), with SQL's three-valued logic, so the
  rule is still written once, on the model;
- single-field uniqueness is answered from the batch's lookup;
- each cell goes through its field's widget as ``Field.save`` would send it, and a
  widget whose ``clean`` depends on the cell alone (:func:`widget_is_pure`: dates,
  choices, regions, employers) cleans each distinct value once a file; a value it
  refuses is refused again on every line that has it, with the same message; the
  model's own cleaning of a choice, a date or a yes-or-no field (:func:`_repeats`) is
  kept per value for the file in the same way.

Only when every row is good are the rows inserted, with COPY
(:func:`association.sql.copy_insert`: the fields prepare their own values, so ID numbers
are encrypted and ``auto_now`` dates set as by ``bulk_create``; the database's
constraints and history triggers run as for an ``INSERT``) in the import's transaction:
a file is imported whole or not at all, and every bad line is reported with the same
messages as before. The result object is django-import-export's own, so the admin's
import pages and tests read it as before.
"""

from __future__ import annotations

import operator
from collections import OrderedDict

from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.db import connections, transaction
from django.db.models import NOT_PROVIDED, BooleanField, CheckConstraint, DateField, Field, Q
from django.utils.encoding import force_str
from import_export import exceptions, widgets
from import_export.fields import Field as ImportField
from import_export.results import RowResult

from association.sql import copy_insert

BATCH = 1_000

_COMPARE = {
    "exact": operator.eq,
    "iexact": lambda a, b: str(a).lower() == str(b).lower(),
    "gt": operator.gt,
    "gte": operator.ge,
    "lt": operator.lt,
    "lte": operator.le,
    "in": lambda a, b: a in b,
}


def _and(values):
    if any(v is False for v in values):
        return False
    return None if any(v is None for v in values) else True


def _or(values):
    if any(v is True for v in values):
        return True
    return None if any(v is None for v in values) else False


def _concrete_field(model, name: str):
    """The concrete field a condition names (by name or by attname), or None."""
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        field = next((f for f in model._meta.concrete_fields if f.attname == name), None)
    return field if field is not None and field.concrete else None


def _compile(node, model):
    """``node`` (a Q or a ``(lookup, value)`` pair) as a function of an instance that
    returns True, False or None (SQL's unknown). Raises ``NotImplementedError`` for what
    it does not know (joins, transforms, expressions): the caller then asks the
    database. Worked out once per constraint, not once a row."""
    if isinstance(node, Q):
        parts = [_compile(child, model) for child in node.children]
        if node.connector == Q.AND:
            combine = _and
        elif node.connector == Q.OR:
            combine = _or
        else:
            raise NotImplementedError(node.connector)
        negated = node.negated

        def evaluate(instance):
            result = combine([part(instance) for part in parts])
            return None if result is None else (not result if negated else result)

        return evaluate
    if not isinstance(node, tuple):
        raise NotImplementedError(node)
    lookup, expected = node
    name, _sep, kind = lookup.partition("__")
    kind = kind or "exact"
    field = _concrete_field(model, name)
    if field is None or hasattr(expected, "resolve_expression"):
        raise NotImplementedError(lookup)
    attname = field.attname
    if kind == "isnull":
        wanted = bool(expected)
        return lambda instance: (getattr(instance, attname) is None) == wanted
    if kind == "exact" and expected is None:
        return lambda instance: getattr(instance, attname) is None
    if kind not in _COMPARE:
        raise NotImplementedError(lookup)
    if expected is None:
        return lambda instance: None
    compare = _COMPARE[kind]

    def leaf(instance):
        actual = getattr(instance, attname)
        return None if actual is None else compare(actual, expected)

    return leaf


_COMPILED: dict[tuple[int, type], object] = {}
_ASK_THE_DATABASE = object()


def check_holds(constraint: CheckConstraint, instance) -> bool:
    """Whether ``instance`` satisfies ``constraint`` as the database would decide it
    (a condition that is unknown because of a NULL passes, as in SQL)."""
    model = type(instance)
    key = (id(constraint), model)
    evaluate = _COMPILED.get(key)
    if evaluate is None:
        try:
            evaluate = _compile(Q(constraint.condition), model)
        except NotImplementedError:
            evaluate = _ASK_THE_DATABASE
        _COMPILED[key] = evaluate
    if evaluate is not _ASK_THE_DATABASE:
        return evaluate(instance) is not False
    try:
        constraint.validate(model, instance)
    except ValidationError:
        return False
    return True


def _referenced_fields(q) -> set[str]:
    names = set()
    for child in q.children:
        if isinstance(child, Q):
            names |= _referenced_fields(child)
        else:
            names.add(child[0].split("__")[0])
    return names


_FIELDS_OF: dict[int, set[str]] = {}


def _constraint_fields(constraint: CheckConstraint) -> set[str]:
    """The fields a check constraint reads (worked out once, not once a row)."""
    names = _FIELDS_OF.get(id(constraint))
    if names is None:
        names = _FIELDS_OF[id(constraint)] = _referenced_fields(Q(constraint.condition))
    return names


_CLEANED: dict[type, list] = {}


def _repeats(field) -> bool:
    """Whether ``field.clean`` may be kept per value for a file: one of Django's own
    fields with Django's own validators (so the result depends on the value alone),
    of a kind whose values repeat down a register's file (a choice, a date, yes or no)."""
    own = type(field).__module__ == "django.db.models.fields" and all(
        type(validator).__module__ == "django.core.validators" for validator in field.validators
    )
    return own and (bool(field.choices) or type(field) in (DateField, BooleanField))


def _cleaned_fields(model) -> list:
    """What ``_clean_fields`` goes through for ``model`` (worked out once, not once a
    row): each field with its name, attname, whether it may be blank, whether it is a
    relation and whether its cleaned values may be kept (:func:`_repeats`)."""
    plan = _CLEANED.get(model)
    if plan is None:
        plan = _CLEANED[model] = [
            (
                field,
                field.name,
                field.attname,
                field.blank,
                field.many_to_one or field.one_to_one,
                _repeats(field),
            )
            for field in model._meta.fields
            if not getattr(field, "generated", False)
        ]
    return plan


def _clean_fields(instance, exclude: set, memo: dict | None = None) -> None:
    """``Model.clean_fields`` without the query a foreign key's ``validate`` makes.
    With ``memo`` (one for a file), a value that :func:`_repeats` fields clean
    without error is cleaned once and kept there; a value refused is refused again on
    every row that has it, with the same message."""
    errors = {}
    for field, name, attname, blank, relation, repeats in _cleaned_fields(type(instance)):
        if name in exclude:
            continue
        raw = getattr(instance, attname)
        if blank and raw in field.empty_values:
            continue
        try:
            if relation:
                # Presence and validators; the widget found the row in the database.
                Field.validate(field, raw, instance)
                field.run_validators(raw)
            elif memo is not None and repeats:
                key = (attname, type(raw), raw)
                try:
                    cleaned = memo[key]
                except KeyError:
                    cleaned = memo[key] = field.clean(raw, instance)
                except TypeError:  # not hashable
                    cleaned = field.clean(raw, instance)
                setattr(instance, attname, cleaned)
            else:
                setattr(instance, attname, field.clean(raw, instance))
        except ValidationError as error:
            errors[name] = error.error_list
    if errors:
        raise ValidationError(errors)


def _taken(instance_model):
    def taken(name, value):
        return instance_model._default_manager.filter(**{name: value}).exists()

    return taken


def full_clean_in_python(
    instance, *, exclude=(), validate_unique=True, clashes=None, memo: dict | None = None
):
    """``Model.full_clean`` with the same messages in the same order, and no queries:
    ``clashes(field_name, value)`` tells whether a unique field's value is taken (from
    the batch's lookup; by default, and for no other field, a query); ``memo``, the
    file's values already cleaned (:func:`_clean_fields`)."""
    errors: dict = {}
    exclude = set(exclude)
    try:
        _clean_fields(instance, exclude, memo)
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    try:
        instance.clean()
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    failed = exclude | {name for name in errors if name != NON_FIELD_ERRORS}
    if validate_unique:
        for field in instance._meta.concrete_fields:
            if not field.unique or field.primary_key or field.name in failed:
                continue
            value = getattr(instance, field.attname)
            if value is not None and (clashes or _taken(type(instance)))(field.name, value):
                message = instance.unique_error_message(type(instance), (field.name,))
                errors.setdefault(field.name, []).append(message)
        failed |= {name for name in errors if name != NON_FIELD_ERRORS}
    for constraint in instance._meta.constraints:
        if not isinstance(constraint, CheckConstraint):
            raise NotImplementedError(f"{constraint!r} has no bulk check")
        if _constraint_fields(constraint) & failed:
            continue
        if not check_holds(constraint, instance):
            error = ValidationError(
                constraint.get_violation_error_message(), code=constraint.violation_error_code
            )
            errors = error.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)


class BulkImportMixin:
    """For a ``ModelResource`` that only creates rows (``force_init_instance``): checks
    the whole file, then inserts it at once (see the module's docstring).

    A resource names its register key: ``register_field`` (the model field) and
    :meth:`register_key` (that field's stored value for a row, or "" when the row has
    none); :meth:`registered` tells whether a row's key is already in the register."""

    register_field: str = ""
    _registered: set | None = None  # the current batch's keys found in the register
    _import_fields: list | None = None  # the resource's import fields, during an import
    _plan: list | None = None  # those fields as :meth:`import_row_fields` reads them
    _cleaned: dict | None = None  # the file's values its model fields cleaned (full_clean)

    def get_import_fields(self):
        """django-import-export works the list out again for every row (ordering the
        declared fields, twice over); it does not change during a file."""
        if self._import_fields is None:
            return super().get_import_fields()
        return self._import_fields

    def _field_plan(self) -> list:
        """The import fields, each with what :meth:`import_row_fields` needs: whether it
        can be set directly (a plain ``Field`` on a model attribute, as
        ``Field.save`` would do it) and, for a widget whose ``clean`` depends on the cell
        alone, a memo of the values already cleaned in this file."""
        plan = []
        for field in self.get_import_fields():
            if isinstance(field.widget, widgets.ManyToManyWidget):
                continue
            direct = (
                type(field) is ImportField
                and field.attribute
                and "__" not in field.attribute
                and not field.readonly
                and field.default is NOT_PROVIDED
            )
            memo = {} if direct and widget_is_pure(field.widget) else None
            plan.append((field, bool(direct), memo))
        return plan

    def import_row_fields(self, instance, row, **kwargs):
        """django-import-export's ``import_instance`` (every field's widget, a
        ``ValueError`` reported as that field's error), without its layers of calls per
        cell, and each distinct value of a pure widget's column cleaned once a file."""
        if self._plan is None:
            return super().import_row_fields(instance, row, **kwargs)
        errors = {}
        for field, direct, memo in self._plan:
            if not direct:
                try:
                    self.import_field(field, instance, row, **kwargs)
                except ValueError as error:
                    errors[field.attribute] = ValidationError(force_str(error), code="invalid")
                continue
            column = field.column_name
            if column not in row:
                continue
            value = row[column]
            try:
                if memo is None:
                    cleaned = field.widget.clean(value, row=row, **kwargs)
                else:
                    key = (type(value), value)
                    try:
                        cleaned = memo[key]
                    except KeyError:
                        cleaned = memo[key] = field.widget.clean(value, row=row, **kwargs)
                    except TypeError:  # not hashable
                        cleaned = field.widget.clean(value, row=row, **kwargs)
            except ValueError as error:
                errors[field.attribute] = ValidationError(force_str(error), code="invalid")
                continue
            if cleaned is not None or field.saves_null_values:
                setattr(instance, field.attribute, cleaned)
        if errors:
            raise ValidationError(errors)

    def register_key(self, row) -> str:
        return ""

    def prepare_batch(self, rows) -> None:
        """One query: which of the batch's keys the register holds already.

        The keys go as one array (``= ANY(%s)``): an ``IN`` list of a thousand
        placeholders was compiled by Django and parsed again by psycopg for every batch,
        10 ms against 3.4 ms for the same answer."""
        keys = sorted({self.register_key(row) for row in rows} - {""})
        model = self._meta.model
        using = self.get_db_connection_name()
        quote = connections[using].ops.quote_name
        column = quote(model._meta.get_field(self.register_field).column)
        with connections[using].cursor() as cursor:
            cursor.execute(
                f"SELECT {column} FROM {quote(model._meta.db_table)}"  # noqa: S608 (names)
                f" WHERE {column} = ANY(%s)",
                [keys],
            )
            self._registered = {key for (key,) in cursor.fetchall()}

    def registered(self, key: str) -> bool:
        if self._registered is None:  # a row checked on its own, outside import_data
            model = self._meta.model
            return model.objects.filter(**{self.register_field: key}).exists()
        return key in self._registered

    def clashes(self, name: str, value) -> bool:
        """Whether the unique field ``name`` already holds ``value`` in the register."""
        if name == self.register_field:
            return self.registered(value)
        return self._meta.model.objects.filter(**{name: value}).exists()

    def import_data_inner(
        self, dataset, dry_run, raise_errors, using_transactions, collect_failed_rows, **kwargs
    ):
        result = self.get_result_class()()
        result.diff_headers = self.get_diff_headers()
        try:
            self.before_import(dataset, **kwargs)
            self._check_import_id_fields(dataset.headers)
        except Exception as error:
            self.handle_import_error(result, error, raise_errors)
        result.total_rows = len(dataset)
        if collect_failed_rows:
            result.add_dataset_headers(dataset.headers)
        headers = dataset.headers
        good = []
        self._import_fields = None
        self._import_fields = self.get_import_fields()
        self._plan = self._field_plan()
        self._cleaned = {}
        try:
            for start in range(0, len(dataset), BATCH):
                rows = [
                    OrderedDict(zip(headers, data, strict=False))
                    for data in dataset[start : start + BATCH]
                ]
                self.prepare_batch(rows)
                for number, row in enumerate(rows, start + 1):
                    kwargs.update(
                        {
                            "dry_run": dry_run,
                            "using_transactions": using_transactions,
                            "row_number": number,
                        }
                    )
                    row_result, instance = self._check_row_in_bulk(row, **kwargs)
                    result.increment_row_result_total(row_result)
                    if row_result.errors:
                        result.append_error_row(number, row, row_result.errors)
                        if collect_failed_rows:
                            result.append_failed_row(row, row_result.errors[0])
                        if raise_errors:
                            raise exceptions.ImportError(
                                row_result.errors[-1].error, number=number, row=row
                            )
                    elif row_result.validation_error:
                        result.append_invalid_row(number, row, row_result.validation_error)
                        if collect_failed_rows:
                            result.append_failed_row(row, row_result.validation_error)
                        if raise_errors:
                            raise exceptions.ImportError(
                                row_result.validation_error, number=number, row=row
                            )
                    else:
                        good.append((row_result, instance))
                    result.append_row_result(row_result)
        finally:
            self._import_fields = self._plan = self._cleaned = None
        if good and not result.has_errors() and not result.has_validation_errors():
            self._insert(good, using_transactions, dry_run, raise_errors, result)
        try:
            self.after_import(dataset, result, **kwargs)
        except Exception as error:
            self.handle_import_error(result, error, raise_errors)
        return result

    def _check_row_in_bulk(self, row, **kwargs):
        row_result = self.get_row_result_class()()
        instance = None
        try:
            self.before_import_row(row, **kwargs)
            instance = self.init_instance(row)
            self.after_init_instance(instance, True, row, **kwargs)
            row_result.import_type = RowResult.IMPORT_TYPE_NEW
            errors: dict = {}
            try:
                self.import_instance(instance, row, **kwargs)
            except ValidationError as error:
                errors = error.update_error_dict(errors)
            self.validate_instance(instance, errors)
            row_result.object_repr = str(instance)
        except ValidationError as error:
            row_result.import_type = RowResult.IMPORT_TYPE_INVALID
            row_result.validation_error = error
        except Exception as error:
            row_result.import_type = RowResult.IMPORT_TYPE_ERROR
            row_result.errors.append(
                self.get_error_result_class()(error, row=row, number=kwargs["row_number"])
            )
        return row_result, instance

    def _insert(self, good, using_transactions, dry_run, raise_errors, result) -> None:
        """All rows in one transaction (a savepoint inside the import's own)."""
        if dry_run and not using_transactions:
            return
        instances = [instance for _row_result, instance in good]
        using = self.get_db_connection_name()
        try:
            with transaction.atomic(using=using):
                copy_insert(self._meta.model, instances, using=using)
        except Exception as error:
            self.handle_import_error(result, error, raise_errors)
            return
        for row_result, instance in good:
            row_result.object_id = instance.pk


def widget_is_pure(widget) -> bool:
    """Whether ``widget.clean`` depends on the cell's value alone (not on the row or on
    anything that changes during a file), so that a file's repeated values are cleaned
    once: a widget says so with ``pure = True``; django-import-export's own date widget
    is."""
    return bool(getattr(widget, "pure", False)) or type(widget) is widgets.DateWidget
