"""Background work of finance: posting paid dues to the ledger."""

from __future__ import annotations

import logging

from celery import shared_task
from django.core.exceptions import ValidationError

logger = logging.getLogger(__name__)


def posting_user():
    """The user the automatic postings are made by: the first active superuser or staff
    member of the association (recorded as 过账人)."""
    from association.accounts.choices import Role
    from association.accounts.models import User

    return (
        User.objects.filter(is_active=True, is_superuser=True).order_by("id").first()
        or User.objects.filter(is_active=True, groups__name=Role.STAFF).order_by("id").first()
    )


@shared_task(name="finance.dues_post")
def dues_post_task(dues_id: int) -> None:
    from .services import dues_post

    user = posting_user()
    if user is None:
        logger.warning("no staff user to post dues %s; post_dues will pick it up", dues_id)
        return
    try:
        dues_post(dues_id=dues_id, by=user)
    except ValidationError:  # e.g. the month is closed: left for the bookkeeper
        logger.warning("dues %s could not be posted", dues_id, exc_info=True)


@shared_task(name="finance.dues_post_all")
def dues_post_all_task() -> int:
    from .selectors import unposted_paid_dues
    from .services import dues_post

    user = posting_user()
    if user is None:
        return 0
    count = 0
    for dues_id in unposted_paid_dues().values_list("id", flat=True):
        try:
            if dues_post(dues_id=dues_id, by=user):
                count += 1
        except ValidationError:
            logger.warning("dues %s could not be posted", dues_id, exc_info=True)
    return count
