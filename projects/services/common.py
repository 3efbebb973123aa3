from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.dispatch import Signal
from django.utils.translation import gettext as _

from association.accounts.roles import is_association_staff


def require_staff(user) -> None:
    if not is_association_staff(user):
        raise PermissionDenied(_("只有协会工作人员可以办理此事项。"))


def send_on_commit(signal: Signal, **kwargs) -> None:
    transaction.on_commit(lambda: signal.send(sender="projects", **kwargs))
