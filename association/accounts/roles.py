"""Roles are Django groups; each app declares what its roles may do.

An app that needs a role to hold model permissions defines ``ROLE_PERMISSIONS`` in its
``permissions.py``: ``{Role.STAFF: ["members.view_organisation", ...]}``. After every
migration the groups get exactly the permissions that the apps declare, so a new
app's permissions reach the staff without a hand-written data migration.
"""

from __future__ import annotations

import logging
from importlib import import_module

from django.apps import apps as global_apps
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from .choices import Role

logger = logging.getLogger(__name__)


def has_role(user, *roles: Role) -> bool:
    """Whether the user is in any of the roles (groups are cached on the user)."""
    if not user.is_authenticated:
        return False
    if not hasattr(user, "_role_names"):
        user._role_names = set(user.groups.values_list("name", flat=True))
    return any(role in user._role_names for role in roles)


def is_association_staff(user) -> bool:
    """Staff and officers of the association: they see every member's rows."""
    return user.is_authenticated and (user.is_superuser or has_role(user, Role.STAFF, Role.OFFICER))


def require(allowed: bool, message: str | None = None) -> None:
    """The one shape of a permission check in a service or view: a predicate of the app's
    ``permissions.py`` (``can_*``/``is_*``), and ``PermissionDenied`` with a Chinese
    message when it says no::

        require(can_edit_reports(user, station), _("只有本站工作人员可以填报月报。"))
    """
    if not allowed:
        raise PermissionDenied(message or _("您没有办理此事项的权限。"))


def require_staff(user) -> None:
    """Association staff and officers only (the most common check)."""
    require(is_association_staff(user), _("只有协会工作人员可以办理此事项。"))


def declared_role_permissions() -> dict[str, set[str]]:
    declared: dict[str, set[str]] = {role.value: set() for role in Role}
    for config in global_apps.get_app_configs():
        try:
            module = import_module(f"{config.name}.permissions")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.permissions":
                raise
            continue
        for role, perms in getattr(module, "ROLE_PERMISSIONS", {}).items():
            declared[Role(role).value].update(perms)
    return declared


def sync_role_permissions(sender=None, using="default", **kwargs) -> None:
    """Create the role groups and give them the permissions the apps declare."""
    for role, perms in declared_role_permissions().items():
        group, _ = Group.objects.using(using).get_or_create(name=role)
        wanted = []
        for perm in sorted(perms):
            app_label, codename = perm.split(".", 1)
            found = (
                Permission.objects.using(using)
                .filter(content_type__app_label=app_label, codename=codename)
                .first()
            )
            if found is None:
                logger.debug("permission %s does not exist yet", perm)
                continue
            wanted.append(found)
        group.permissions.set(wanted)
