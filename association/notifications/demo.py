"""The demo's inboxes: what the past told people has been read.

The earlier steps replay years of the association through the services, and their
signals leave the notices of that time (a report approved, an application received) in
people's inboxes when each step commits. Those people read them long ago: this step marks
them read through the service, so a demo login opens on today's notices only (the public
site's step, which runs after it, sends this week's).
"""

from __future__ import annotations

from .models import Notification
from .services import notifications_mark_all_read


def seed(stdout=None) -> int:
    from association.accounts.models import User

    if Notification.objects.filter(read_at__isnull=False).exists():
        return 0  # settled by an earlier seed: what is unread now came later (idempotent)
    users = User.objects.filter(
        pk__in=Notification.objects.filter(read_at__isnull=True).values("user_id")
    )
    marked = sum(notifications_mark_all_read(user=user) for user in users)
    if stdout is not None:
        stdout.write(f"  notifications: {marked} past notices marked read")
    return marked
