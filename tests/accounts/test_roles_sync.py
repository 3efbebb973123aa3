"""The role groups are synced once per migrate or flush, in a fixed number of queries."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext

from association.accounts.choices import Role
from association.accounts.roles import declared_role_permissions, sync_role_permissions

pytestmark = pytest.mark.django_db


def test_it_syncs_after_the_last_app_only_and_in_a_fixed_number_of_queries():
    configs = [config for config in apps.get_app_configs() if config.models_module]
    staff = Group.objects.get(name=Role.STAFF)
    staff.permissions.clear()

    with CaptureQueriesContext(connection) as queries:
        sync_role_permissions(sender=configs[0])
    assert len(queries) == 0
    assert not staff.permissions.exists()

    with CaptureQueriesContext(connection) as queries:
        sync_role_permissions(sender=configs[-1])
    # One read of the permissions, then a get_or_create and a set() per role.
    assert len(queries) <= 1 + 8 * len(declared_role_permissions())
    held = {f"{p.content_type.app_label}.{p.codename}" for p in staff.permissions.all()}
    assert held == set(declared_role_permissions()[Role.STAFF])
