"""Foundation figures: loading a province's divisions, notifying many users, draining the outbox.

Its own database, ``bench_foundation`` (bench/_django.py), kept between runs: every run
leaves it as it found it. The first load of the regions is measured inside a transaction
that is rolled back (deleting regions afterwards would trip over their PROTECT parents, the
old script's ProtectedError on its second run); the e-mails are counted as they are sent.
"""

from __future__ import annotations

import sys
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _django import setup, timed

setup("foundation")

from django.conf import settings  # noqa: E402
from django.db import transaction  # noqa: E402

settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

from association.accounts.models import User  # noqa: E402
from association.notifications.models import Notification, OutboxEmail  # noqa: E402
from association.notifications.services import notify, outbox_drain  # noqa: E402
from association.regions.models import Region  # noqa: E402
from association.regions.services import regions_load  # noqa: E402

PROVINCE = Path(__file__).resolve().parent / "data" / "henan_townships.csv"
USERS = 1000


class Rollback(Exception):
    pass


def regions():
    text = PROVINCE.read_text(encoding="utf-8")
    rows = text.count("\n") - 1
    if Region.objects.exists():
        print(f"  the database already has {Region.objects.count()} regions: first load skipped")
    try:
        with transaction.atomic():
            with timed(f"load_regions, first load ({PROVINCE.name})", rows):
                first = regions_load(text, source="bench")
            with timed("load_regions, unchanged reload", rows):
                regions_load(text, source="bench")
            print(f"  regions created: {len(first.created)}")
            raise Rollback
    except Rollback:
        pass


def notifications():
    # Left by an interrupted run: the bench's own users and what was sent to them.
    Notification.objects.filter(user__email__startswith="bench-").delete()
    OutboxEmail.objects.filter(to__startswith="bench-").delete()
    User.objects.filter(email__startswith="bench-").delete()
    users = User.objects.bulk_create(
        [User(email=f"bench-{i}@example.org", display_name=f"用户{i}") for i in range(USERS)]
    )
    # The drain that notify() enqueues after commit is measured on its own below (without
    # Redis it would run in-process and send the first 200 mails before the timed drain).
    with (
        mock.patch("association.notifications.services.enqueue_on_commit"),
        timed(f"notify() {USERS:,} users (inbox + outbox)", USERS, "users"),
    ):
        notify(users, "message", {"title": "会费提醒", "body": "请缴纳会费。"}, email=True)
    pending = OutboxEmail.objects.filter(status="pending").count()
    with timed(f"outbox_drain() {pending:,} e-mails (locmem backend)", pending, "mails"):
        sent = outbox_drain(limit=pending)
    print(f"  e-mails pending before the drain: {pending:,}, sent by it: {sent:,}")
    Notification.objects.filter(user__in=users).delete()
    OutboxEmail.objects.filter(to__startswith="bench-").delete()
    User.objects.filter(email__startswith="bench-").delete()


def main():
    regions()
    notifications()
    print("  ratio notify/drain: outbox draining is the slower side by design (one row lock each)")


if __name__ == "__main__":
    main()
