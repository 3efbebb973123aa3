"""Foundation figures: loading a province's divisions, notifying many users, draining the outbox."""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ["TEST_DATABASE_NAME"] = "bench_foundation"

from _django import setup, timed

setup("foundation")

from django.conf import settings  # noqa: E402

settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

from association.accounts.models import User  # noqa: E402
from association.notifications.models import Notification, OutboxEmail  # noqa: E402
from association.notifications.services import notify, outbox_drain  # noqa: E402
from association.regions.models import Region  # noqa: E402
from association.regions.services import regions_load  # noqa: E402

PROVINCE = Path(settings.BASE_DIR).parent / "shared" / "data" / "regions" / "henan_townships.csv"
CITY = Path(settings.BASE_DIR) / "association" / "regions" / "data" / "xuchang_townships.csv"


def main():
    source = PROVINCE if PROVINCE.exists() else CITY
    text = source.read_text(encoding="utf-8")
    rows = text.count("\n") - 1
    Region.objects.all().delete()
    with timed(f"load_regions, first load ({source.name})", rows):
        first = regions_load(text, source="bench")
    with timed("load_regions, unchanged reload", rows):
        regions_load(text, source="bench")
    print(f"  regions created: {len(first.created)}")

    Notification.objects.all().delete()
    OutboxEmail.objects.all().delete()
    User.objects.filter(email__startswith="bench-").delete()
    users = User.objects.bulk_create(
        [User(email=f"bench-{i}@example.org", display_name=f"用户{i}") for i in range(1000)]
    )
    with timed("notify() 1,000 users (inbox + outbox)", 1000, "users"):
        notify(users, "message", {"title": "会费提醒", "body": "请缴纳会费。"}, email=True)
    with timed("outbox_drain() 1,000 e-mails (locmem backend)", 1000, "mails"):
        sent = outbox_drain(limit=1000)
    assert sent == 1000, sent
    print("  ratio notify/drain: outbox draining is the slower side by design (one row lock each)")


if __name__ == "__main__":
    main()
