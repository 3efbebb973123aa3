"""The kept standing (``members.models.standing``) brought up to date.

The database marks a membership whose standing may have changed in the statement that
changed it or its dues; :func:`standing_refresh` takes the marks and computes those
memberships' spans again with the rule itself (:func:`members.rules.standing_timeline`).
It runs before the standing is counted (:func:`members.selectors.standing_counts_kept`),
so a count never misses a committed change, and from ``manage.py setup_instance``.
"""

from __future__ import annotations

from collections import defaultdict

from django.db import connection, transaction

from ..models import Dues, Membership, StandingSpan
from ..rules import Rules, grace_ends_within_year, standing_timeline

BATCH = 2000


# The rules this process found the spans computed with, by database: settings change only
# with a restart, so a process asks once (and again if its rules are not those).
_rules_seen: dict[str, Rules] = {}


def _rules_kept(rules: Rules) -> None:
    """Mark every admitted membership when the spans were computed with other rules (or
    never): one statement, which also records the rules."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO members_standingrules (id, grace_days, due_month, due_day,"
            " new_member_days) VALUES (1, %s, %s, %s, %s)"
            " ON CONFLICT (id) DO UPDATE SET grace_days = EXCLUDED.grace_days,"
            " due_month = EXCLUDED.due_month, due_day = EXCLUDED.due_day,"
            " new_member_days = EXCLUDED.new_member_days"
            " WHERE (members_standingrules.grace_days, members_standingrules.due_month,"
            " members_standingrules.due_day, members_standingrules.new_member_days)"
            " IS DISTINCT FROM (EXCLUDED.grace_days, EXCLUDED.due_month, EXCLUDED.due_day,"
            " EXCLUDED.new_member_days)"
            " RETURNING id",
            [rules.grace_days, rules.due_month, rules.due_day, rules.new_member_days],
        )
        if cursor.fetchone() is None:
            return
        cursor.execute(
            "INSERT INTO members_standingpending (membership_id)"
            " SELECT id FROM members_membership WHERE member_since IS NOT NULL"
            " ON CONFLICT (membership_id) DO NOTHING"
        )


def _take_marks() -> list[int]:
    """The marked memberships, unmarked, in one statement. A mark that a transaction still
    holds (a payment not yet committed) is waited for."""
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM members_standingpending WHERE membership_id IN ("
            " SELECT membership_id FROM members_standingpending"
            " ORDER BY membership_id FOR UPDATE)"
            " RETURNING membership_id"
        )
        return sorted(membership_id for (membership_id,) in cursor.fetchall())


def _refresh(ids: list[int], rules: Rules) -> None:
    """The spans of the memberships ``ids`` replaced by their timelines: four queries (the
    dues, the memberships, the spans removed, the spans entered) whatever the number.
    The dues are read after the marks were taken, in a statement of their own, so a payment
    whose mark the taking waited for is read as committed."""
    dues = defaultdict(list)
    for record in Dues.objects.filter(membership_id__in=ids).only(
        "membership_id", "year", "due_on", "paid_on"
    ):
        dues[record.membership_id].append(record)
    spans = [
        StandingSpan(
            membership_id=membership.pk,
            member_type=membership.member_type,
            starts=span.starts,
            ends=span.ends,
            status=span.status,
        )
        for membership in Membership.objects.filter(pk__in=ids).only(
            "id", "state", "member_since", "member_type"
        )
        for span in standing_timeline(membership, dues[membership.pk], rules)
    ]
    # Memberships no longer there, or no longer admitted, keep no spans.
    StandingSpan.objects.filter(membership_id__in=ids).delete()
    StandingSpan.objects.bulk_create(spans, batch_size=BATCH * 4)


def standing_refresh(rules: Rules | None = None) -> int:
    """Compute again the spans of every marked membership; returns how many. One
    transaction: the counts move from one consistent state to the next (inside another,
    as part of it: no savepoint, whose two statements a page would pay for nothing)."""
    rules = rules or Rules.from_settings()
    if not grace_ends_within_year(rules):
        return 0  # no timeline under such rules: the standing is counted as before
    database = connection.settings_dict["NAME"]
    seen = _rules_seen.get(database) == rules
    with transaction.atomic(savepoint=False):
        if not seen:
            _rules_kept(rules)
        ids = _take_marks()
        for i in range(0, len(ids), BATCH):
            _refresh(ids[i : i + BATCH], rules)
    _rules_seen[database] = rules  # once the work with them is done (committed)
    return len(ids)
