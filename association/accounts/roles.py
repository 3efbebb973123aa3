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


def role_names(user) -> frozenset[str]:
    """The names of the user's groups, read once and cached on the user."""
    if not hasattr(user, "_role_names"):
        user._role_names = frozenset(user.groups.values_list("name", flat=True))
    return user._role_names


def has_role(user, *roles: Role) -> bool:
    """Whether the user is in any of the roles (groups are cached on the user)."""
    if not user.is_authenticated:
        return False
    names = role_names(user)
    return any(role in names for role in roles)


def is_association_staff(user) -> bool:
    """Staff and officers of the association: they see every member's rows."""
    return user.is_authenticated and (user.is_superuser or has_role(user, Role.STAFF, Role.OFFICER))


def is_area_official(user) -> bool:
    """A civil-affairs official who sees the association's whole area: no region on the
    account, or the association's own (association/regions/scope.py). An official limited
    to a county gets that county's figures, never the whole area's."""
    from association.regions.scope import region_of

    return has_role(user, Role.OFFICIAL) and region_of(user) is None


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
    """Create the role groups and give them the permissions the apps declare.

    Connected to ``post_migrate``, which Django sends once per installed app (after every
    migrate, and after every test database flush): the groups are synced once, after the
    last app's permissions exist, with one query for all permissions. (It ran for each
    app, a query per permission, and cost every transactional test 8 s of teardown.)"""
    if sender is not None and sender is not _last_app_with_models():
        return
    declared = declared_role_permissions()
    labels = {perm.split(".", 1)[0] for perms in declared.values() for perm in perms}
    existing = {
        f"{app_label}.{codename}": pk
        for pk, app_label, codename in Permission.objects.using(using)
        .filter(content_type__app_label__in=labels)
        .values_list("pk", "content_type__app_label", "codename")
    }
    for role, perms in declared.items():
        group, _ = Group.objects.using(using).get_or_create(name=role)
        missing = sorted(perm for perm in perms if perm not in existing)
        for perm in missing:
            logger.debug("permission %s does not exist yet", perm)
        group.permissions.set([existing[perm] for perm in sorted(perms) if perm in existing])


def _last_app_with_models():
    return [config for config in global_apps.get_app_configs() if config.models_module][-1]
