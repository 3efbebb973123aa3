"""The bulk path of the members imports: every row checked as before, then one insert.

django-import-export imports row by row: for each row a savepoint, the model's
``full_clean`` (which asks the database whether a foreign key exists and whether each
check constraint holds), the resource's own lookups, an ``INSERT`` and the release of
the savepoint — about 8 queries a row, 65 rows a second for social workers. Its
``use_bulk`` option only batches the inserts: the checks stay per row, and rows would
be saved before the whole file is known to be good.

:class:`BulkImportMixin` keeps the resource's own checks (widgets, check digits,
required fields, formulas, duplicates in the file, ``check_row``) and the model's
``full_clean`` rules, but runs them without a query per row:

- the register is asked once per batch of :data:`BATCH` rows which of the batch's keys
  (a blind index, a credit code) it already holds (:meth:`BulkImportMixin.prepare_batch`);
- foreign keys are checked for presence only: the widgets found them in the database;
- check constraints are evaluated in Python from their own ``Q`` (:func:`check_holds`),
  with SQL's three-valued logic, so the rule is still written once, on the model;
- single-field uniqueness is answered from the batch's lookup.

Only when every row is good are the rows inserted, with ``bulk_create`` in the import's
transaction: a file is imported whole or not at all, and every bad line is reported
with the same messages as before. The result object is django-import-export's own, so
the admin's import pages and tests read it as before.
"""

from __future__ import annotations

import operator
from collections import OrderedDict

from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.db import transaction
from django.db.models import CheckConstraint, Field, Q
from import_export import exceptions
from import_export.results import RowResult

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


def _evaluate(node, values: dict):
    """``node`` (a Q or a ``(lookup, value)`` pair) on ``values``: True, False or None
    (SQL's unknown). Raises ``NotImplementedError`` for what it does not know (joins,
    transforms, expressions): the caller then asks the database."""
    if isinstance(node, Q):
        results = [_evaluate(child, values) for child in node.children]
        if node.connector == Q.AND:
            result = _and(results)
        elif node.connector == Q.OR:
            result = _or(results)
        else:
            raise NotImplementedError(node.connector)
        return None if result is None else (not result if node.negated else result)
    if not isinstance(node, tuple):
        raise NotImplementedError(node)
    lookup, expected = node
    name, _sep, kind = lookup.partition("__")
    kind = kind or "exact"
    if name not in values or hasattr(expected, "resolve_expression"):
        raise NotImplementedError(lookup)
    actual = values[name]
    if kind == "isnull":
        return (actual is None) == bool(expected)
    if kind == "exact" and expected is None:
        return actual is None
    if kind not in _COMPARE:
        raise NotImplementedError(lookup)
    if actual is None or expected is None:
        return None
    return _COMPARE[kind](actual, expected)


def check_holds(constraint: CheckConstraint, instance) -> bool:
    """Whether ``instance`` satisfies ``constraint`` as the database would decide it
    (a condition that is unknown because of a NULL passes, as in SQL)."""
    values = {}
    for name in _constraint_fields(constraint):  # only what the condition reads
        try:
            field = instance._meta.get_field(name)
        except FieldDoesNotExist:
            field = next((f for f in instance._meta.concrete_fields if f.attname == name), None)
        if field is not None and field.concrete:
            values[name] = getattr(instance, field.attname)
    try:
        return _evaluate(Q(constraint.condition), values) is not False
    except NotImplementedError:
        try:
            constraint.validate(type(instance), instance)
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


def _clean_fields(instance, exclude: set) -> None:
    """``Model.clean_fields`` without the query a foreign key's ``validate`` makes."""
    errors = {}
    for field in instance._meta.fields:
        if field.name in exclude or getattr(field, "generated", False):
            continue
        raw = getattr(instance, field.attname)
        if field.blank and raw in field.empty_values:
            continue
        try:
            if field.many_to_one or field.one_to_one:
                # Presence and validators; the widget found the row in the database.
                Field.validate(field, raw, instance)
                field.run_validators(raw)
            else:
                setattr(instance, field.attname, field.clean(raw, instance))
        except ValidationError as error:
            errors[field.name] = error.error_list
    if errors:
        raise ValidationError(errors)


def _taken(instance_model):
    def taken(name, value):
        return instance_model._default_manager.filter(**{name: value}).exists()

    return taken


def full_clean_in_python(instance, *, exclude=(), validate_unique=True, clashes=None):
    """``Model.full_clean`` with the same messages in the same order, and no queries:
    ``clashes(field_name, value)`` tells whether a unique field's value is taken (from
    the batch's lookup; by default, and for no other field, a query)."""
    errors: dict = {}
    exclude = set(exclude)
    try:
        _clean_fields(instance, exclude)
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

    def get_import_fields(self):
        """django-import-export works the list out again for every row (ordering the
        declared fields, twice over); it does not change during a file."""
        if self._import_fields is None:
            return super().get_import_fields()
        return self._import_fields

    def register_key(self, row) -> str:
        return ""

    def prepare_batch(self, rows) -> None:
        """One query: which of the batch's keys the register holds already."""
        keys = {self.register_key(row) for row in rows} - {""}
        model = self._meta.model
        self._registered = set(
            model.objects.filter(**{f"{self.register_field}__in": keys}).values_list(
                self.register_field, flat=True
            )
        )

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
            self._import_fields = None
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
        try:
            with transaction.atomic(using=self.get_db_connection_name()):
                self._meta.model.objects.bulk_create(instances, batch_size=BATCH)
        except Exception as error:
            self.handle_import_error(result, error, raise_errors)
            return
        for row_result, instance in good:
            row_result.object_id = instance.pk
