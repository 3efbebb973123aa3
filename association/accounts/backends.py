"""The permission checks' backend: Django's ``ModelBackend``, a user's permissions read in
one query.

Every admin page and most portal pages ask ``user.has_perm`` at least once, and the first
question loads all of the user's permissions. Django's ``ModelBackend`` loads them in two
ORM queries (the user's own, then their groups'), each compiled anew on every request:
1.5 ms, and 2.7 ms inside a page (10 % of the admin's memberships list at province scale,
docs/performance.md, the eighteenth round). :func:`permissions` reads the same set in one
statement written once: 0.3 ms.

Everything else is Django's: authentication, ``get_user``, ``has_perm`` and the per-request
cache on the user (``_perm_cache``, which allauth's backend, a ``ModelBackend`` too, reads).
tests/accounts/test_backends.py holds the set equal to Django's for each kind of user.
"""

from __future__ import annotations

import functools

from django.contrib.auth import backends
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection


@functools.cache
def _sql(user_model) -> str:
    """The statement for ``user_model``: the names of its tables and columns from the
    models, as Django's queries take them."""
    own = user_model._meta.get_field("user_permissions")
    groups = user_model._meta.get_field("groups")
    granted = Group._meta.get_field("permissions")
    qn = connection.ops.quote_name
    # Names of tables and columns from the models, never a user's value.
    return (
        "SELECT ct.app_label, p.codename"  # noqa: S608
        f" FROM {qn(Permission._meta.db_table)} p"
        f" JOIN {qn(ContentType._meta.db_table)} ct ON ct.id = p.content_type_id"
        " WHERE %s"
        f" OR p.id IN (SELECT up.{qn(own.m2m_reverse_name())}"
        f" FROM {qn(own.m2m_db_table())} up WHERE up.{qn(own.m2m_column_name())} = %s)"
        f" OR p.id IN (SELECT gp.{qn(granted.m2m_reverse_name())}"
        f" FROM {qn(granted.m2m_db_table())} gp"
        f" JOIN {qn(groups.m2m_db_table())} ug"
        f" ON ug.{qn(groups.m2m_reverse_name())} = gp.{qn(granted.m2m_column_name())}"
        f" WHERE ug.{qn(groups.m2m_column_name())} = %s)"
    )


def permissions(user) -> set[str]:
    """``"app_label.codename"`` of each permission ``user`` holds, their own and their
    groups' (every permission for a superuser), as ``ModelBackend.get_all_permissions``."""
    with connection.cursor() as cursor:
        cursor.execute(_sql(type(user)), [user.is_superuser, user.pk, user.pk])
        return {f"{app_label}.{codename}" for app_label, codename in cursor.fetchall()}


class ModelBackend(backends.ModelBackend):
    """Django's, with :func:`permissions` for the set ``has_perm`` looks in."""

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            user_obj._perm_cache = permissions(user_obj)
        return user_obj._perm_cache
