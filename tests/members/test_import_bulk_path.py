"""The bulk path's insert and its per-file shortcuts (``members.importing``): rows go in
with COPY as ``bulk_create`` would put them (keys, encrypted ID numbers, blind index,
dates, history), the database's own refusal still leaves nothing of the file, and a
value cleaned once per file (by a widget, or by the model's field) is still refused on
every line that has it."""

from __future__ import annotations

import datetime
from collections import Counter

import pytest
import tablib
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db.models import Field
from import_export import widgets

from association import sql
from association.crypto import blind_index
from association.sql import copy_insert
from members.importing import full_clean_in_python
from members.models import Organisation, SocialWorker
from members.resources import SocialWorkerResource

from .factories import OrganisationFactory, SocialWorkerFactory, credit_code, id_number, township
from .test_admin import HEADERS, worker_row


def import_rows(*rows, resource=None):
    return (resource or SocialWorkerResource()).import_data(
        tablib.Dataset(*rows, headers=HEADERS),
        dry_run=False,
        raise_errors=False,
        rollback_on_validation_errors=True,
    )


def test_a_good_file_goes_in_as_bulk_create_would_put_it(db, monkeypatch):
    monkeypatch.setattr(sql, "COPY_BATCH", 2)  # two COPY statements for three rows
    employer = OrganisationFactory()
    before = SocialWorkerFactory()
    result = import_rows(
        worker_row("张三", id_number(1), 工作单位统一社会信用代码=employer.credit_code),
        worker_row("李四", id_number(2).lower()[:-1] + id_number(2)[-1].lower()),
        worker_row("王五", id_number(3), 职业资格="", 资格证书编号="", 取得资格日期=""),
    )
    assert not result.has_errors() and not result.has_validation_errors()
    assert result.totals["new"] == 3
    stored = {w.pk: w for w in SocialWorker.objects.exclude(pk=before.pk)}
    assert sorted(stored) == sorted(row.object_id for row in result.rows)
    by_name = {w.name: w for w in stored.values()}
    first = by_name["张三"]
    assert first.id_number == id_number(1)  # encrypted at rest, read back
    assert first.id_number_index == blind_index(id_number(1))
    assert first.employer == employer
    assert first.registration_expires_on == datetime.date(2024, 8, 31)
    assert first.created_at and first.updated_at
    assert by_name["李四"].id_number == id_number(2)  # normalised
    assert by_name["王五"].qualification == "none"
    # The history trigger ran for every row, and the next row saved gets a fresh key.
    events = apps.get_model("members", "SocialWorkerEvent").objects
    assert events.filter(pgh_obj_id__in=stored).count() == 3
    assert SocialWorkerFactory().pk > max(stored)


def test_the_database_refusing_a_row_leaves_nothing_of_the_file(db, monkeypatch):
    taken = SocialWorkerFactory(id_number=id_number(9)).id_number
    # The register lookup misses the clash (as a row registered meanwhile would):
    # the unique index refuses it and the whole insert goes.
    monkeypatch.setattr(SocialWorkerResource, "registered", lambda self, key: False)
    result = import_rows(worker_row("张三", id_number(1)), worker_row("孙七", taken))
    assert result.has_errors()
    assert SocialWorker.objects.count() == 1


def test_a_value_cleaned_once_a_file_is_still_refused_on_every_line(db, monkeypatch):
    calls = []
    clean = widgets.DateWidget.clean

    def counted(self, value, row=None, **kwargs):
        calls.append(value)
        return clean(self, value, row=row, **kwargs)

    monkeypatch.setattr(widgets.DateWidget, "clean", counted)
    rows = [worker_row(f"社工{n}", id_number(n)) for n in range(1, 6)]
    rows[1] = worker_row("周八", id_number(2), 取得资格日期="2021-13-45")
    rows[3] = worker_row("吴九", id_number(4), 取得资格日期="2021-13-45")
    result = import_rows(*rows)
    messages = {row.number + 1: " ".join(row.error.messages) for row in result.invalid_rows}
    assert sorted(messages) == [3, 5]
    assert messages[3] == messages[5]
    # Two good dates once each; the bad one every time it appears.
    assert sorted(calls) == ["2021-06-20", "2021-09-01", "2021-13-45", "2021-13-45"]
    assert SocialWorker.objects.count() == 0


def test_the_models_cleaning_of_a_repeated_value_is_done_once_a_file(db, monkeypatch):
    calls = []
    clean = Field.clean

    def counted(self, value, model_instance):
        calls.append(self.attname)
        return clean(self, value, model_instance)

    monkeypatch.setattr(Field, "clean", counted)
    result = import_rows(*[worker_row(f"社工{n}", id_number(n)) for n in range(1, 6)])
    assert not result.has_errors() and not result.has_validation_errors()
    cleaned = Counter(calls)
    # One value each down the file: a choice, a date, the expiry derived from a date.
    for name in ("gender", "qualification", "certificate_date", "registration_expires_on"):
        assert cleaned[name] == 1, name
    # Values of their own on every row: cleaned on every row.
    for name in ("name", "mobile", "certificate_number"):
        assert cleaned[name] == 5, name
    assert SocialWorker.objects.count() == 5


def test_a_refused_choice_is_refused_again_on_every_row_and_never_kept(db):
    memo: dict = {}
    messages = []
    for _ in range(2):
        worker = SocialWorker(name="张三", gender="unknown", qualification="assistant")
        with pytest.raises(ValidationError) as refused:
            full_clean_in_python(
                worker, exclude=["id_number", "id_number_index"], validate_unique=False, memo=memo
            )
        messages.append(refused.value.message_dict["gender"])
    assert messages[0] == messages[1] and messages[0]
    assert ("gender", str, "unknown") not in memo
    assert ("qualification", str, "assistant") in memo


def test_a_row_checked_outside_an_import_uses_the_widgets_as_before(db):
    resource = SocialWorkerResource()
    worker = SocialWorker()
    row = dict(zip(HEADERS, worker_row("张三", id_number(1)), strict=True))
    resource.import_instance(worker, row, row_number=1)
    assert worker.certificate_date == datetime.date(2021, 6, 20)
    assert worker.name == "张三"


def test_copy_insert_writes_arrays_decimals_and_dates(db):
    region = township()
    organisation = Organisation(
        name="甲机构",
        credit_code=credit_code(1),
        kind="social_work_agency",
        legal_representative="甲",
        registered_capital="12.50",
        region=region,
        address="地址",
        contact_name="联系人",
        contact_phone="0374-1",
        directory_fields=["address", "contact_phone"],
    )
    copy_insert(Organisation, [organisation])
    stored = Organisation.objects.get()
    assert stored.pk == organisation.pk
    assert stored.directory_fields == ["address", "contact_phone"]
    assert str(stored.registered_capital) == "12.50"
    assert stored.created_at is not None
