from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from association.accounts.roles import is_association_staff


def require_books(user) -> None:
    """The books are kept by the association's staff and officers."""
    if not is_association_staff(user):
        raise PermissionDenied(_("只有协会工作人员和负责人可以记账。"))
