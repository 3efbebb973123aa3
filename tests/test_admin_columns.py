"""The change lists that read only the columns they show (association/admin_columns.py):
the same page as reading whole rows, no query a row for a field left out, and the actions
and the export still handed whole rows."""

from __future__ import annotations

import re

import pytest
from django.contrib import admin
from django.db.models import Model
from django.test import RequestFactory

from association.admin_columns import ListedColumnsMixin
from tests.factories import UserFactory

from .test_query_budgets import dataset  # noqa: F401  (the benchmark's tiny dataset)

LISTED = sorted(
    (
        model_admin
        for model_admin in admin.site._registry.values()
        if isinstance(model_admin, ListedColumnsMixin) and model_admin.list_only
    ),
    key=lambda model_admin: model_admin.model._meta.label,
)
CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')


def test_the_large_lists_read_only_their_columns():
    assert {model_admin.model._meta.label for model_admin in LISTED} == {
        "members.Dues",
        "members.Membership",
        "members.SocialWorker",
        "stations.ServiceReport",
        "stations.Station",
    }


@pytest.fixture
def root(dataset, client_for):  # noqa: F811
    return client_for(UserFactory(email="root@example.org", is_staff=True, is_superuser=True))


@pytest.mark.parametrize("model_admin", LISTED, ids=lambda m: m.model._meta.label)
def test_a_listed_page_is_the_whole_rows_page_and_loads_no_field_a_row(
    model_admin, root, monkeypatch
):
    opts = model_admin.model._meta
    url = f"/admin/{opts.app_label}/{opts.model_name}/"
    whole = root.get(url)
    assert whole.status_code == 200
    assert whole.context["cl"].result_count > 0, "the dataset has rows of each list"

    def refused(instance, *args, **kwargs):
        raise AssertionError(f"a field of {instance!r} left out of list_only: {kwargs}")

    monkeypatch.setattr(Model, "refresh_from_db", refused)  # how a deferred field loads
    listed = root.get(url)
    assert listed.status_code == 200
    assert listed.context["cl"].result_list[0].get_deferred_fields()  # read in part

    monkeypatch.setattr(type(model_admin), "list_only", ())
    again = root.get(url)
    assert CSRF.sub(b"", listed.content) == CSRF.sub(b"", again.content)


@pytest.mark.parametrize("model_admin", LISTED, ids=lambda m: m.model._meta.label)
def test_the_actions_and_the_export_are_handed_whole_rows(model_admin, root):
    request = RequestFactory().get("/")
    request.user = UserFactory(email="lister@example.org", is_staff=True, is_superuser=True)
    changelist = model_admin.get_changelist_instance(request)
    # What changelist_view gives an action, and what the export reads.
    rows = list(changelist.get_queryset(request))
    assert rows and not any(row.get_deferred_fields() for row in rows)
    if hasattr(model_admin, "get_export_queryset"):
        exported = list(model_admin.get_export_queryset(request))
        assert exported and not any(row.get_deferred_fields() for row in exported)


@pytest.mark.parametrize("model_admin", LISTED, ids=lambda m: m.model._meta.label)
def test_the_listed_change_list_is_made_once_not_on_every_page(model_admin, rf):
    request = rf.get("/")
    assert model_admin.get_changelist(request) is model_admin.get_changelist(request)
