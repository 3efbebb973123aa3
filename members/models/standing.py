"""The standing kept as it changes: each admitted membership's standing as spans of days
(:func:`members.rules.standing_timeline`, the rule asked on the days where its answer can
change), and the number of memberships entering and leaving each status on each day.

The members overview counts the standing on a day by summing those changes up to it
(3,700 rows at province scale, under a millisecond), not by computing the standing of
25,000 memberships through two joins to their dues (23 ms). A standing changes with the
date as well as with the writes, and the spans hold every day's answer, so nothing here
goes stale at midnight.

Nothing writes these tables but :func:`members.services.standing.standing_refresh`. The
database marks a membership to refresh (``StandingPending``) in the statement that
changes it or its dues (triggers on both tables), so no write path can forget it, bulk
ones included; the spans' triggers keep ``StandingChange`` equal to the sum of the spans.
"""

import pgtrigger
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from ..choices import MembershipStatus, MemberType

# A span entered counts one membership into its status from its first day and out of it
# from the day after its last; a span removed, the reverse. Days whose changes come to
# nothing are dropped, so the table holds only the days where a count moves.
_CHANGES = """
INSERT INTO members_standingchange (day, member_type, status, change)
SELECT day, member_type, status, SUM(change) FROM (
    SELECT starts AS day, member_type, status, {starts} AS change FROM {spans}
    UNION ALL
    SELECT ends, member_type, status, {ends} FROM {spans} WHERE ends IS NOT NULL
) AS moved
GROUP BY day, member_type, status
ON CONFLICT (day, member_type, status)
DO UPDATE SET change = members_standingchange.change + EXCLUDED.change;
DELETE FROM members_standingchange
WHERE change = 0 AND day IN (SELECT starts FROM {spans} UNION SELECT ends FROM {spans});
RETURN NULL;
"""

# ON CONFLICT DO UPDATE, not DO NOTHING: the row lock it takes makes a refresh that is
# taking the mark wait for this transaction, and so read the dues as it commits them.
_MARK = (
    "INSERT INTO members_standingpending (membership_id) VALUES ({ref}.{column})"
    " ON CONFLICT (membership_id) DO UPDATE SET membership_id = EXCLUDED.membership_id;"
)


def pending_triggers(table: str, column: str, fields: list[str]) -> list[pgtrigger.Trigger]:
    """The triggers that mark a membership to refresh when a row of ``table`` (whose
    ``column`` holds its id) is inserted, deleted, or updated in one of ``fields``."""
    insert = _MARK.format(ref="NEW", column=column)
    delete = _MARK.format(ref="OLD", column=column)
    triggers = [
        pgtrigger.Trigger(
            name=f"{table}_standing_insert",
            when=pgtrigger.After,
            operation=pgtrigger.Insert,
            func=insert + "RETURN NULL;",
        ),
        pgtrigger.Trigger(
            name=f"{table}_standing_update",
            when=pgtrigger.After,
            operation=pgtrigger.Update,
            condition=pgtrigger.AnyChange(*fields),
            func=delete + insert + "RETURN NULL;",
        ),
    ]
    if column != "id":  # a membership's own removal takes its spans with it (CASCADE)
        triggers.append(
            pgtrigger.Trigger(
                name=f"{table}_standing_delete",
                when=pgtrigger.After,
                operation=pgtrigger.Delete,
                func=delete + "RETURN NULL;",
            )
        )
    return triggers


class StandingSpan(models.Model):
    """Days ``starts`` to ``ends`` (exclusive; none: from then on) on which a membership's
    standing is ``status``."""

    membership = models.ForeignKey(
        "members.Membership",
        verbose_name=_("会员"),
        on_delete=models.CASCADE,
        related_name="standing_spans",
    )
    member_type = models.CharField(_("会员类型"), max_length=10, choices=MemberType.choices)
    starts = models.DateField(_("起始日期"))
    ends = models.DateField(_("截止日期（不含）"), null=True, blank=True)
    status = models.CharField(_("会员状态"), max_length=20, choices=MembershipStatus.choices)

    class Meta:
        verbose_name = _("会员状态区间")
        verbose_name_plural = _("会员状态区间")
        constraints = [
            models.UniqueConstraint(
                fields=["membership", "starts"], name="members_standingspan_one_per_day"
            ),
            models.CheckConstraint(
                condition=Q(ends__isnull=True) | Q(ends__gt=F("starts")),
                name="members_standingspan_ends_after_start",
            ),
        ]
        triggers = [
            pgtrigger.Trigger(
                name="members_standingspan_entered",
                level=pgtrigger.Statement,
                when=pgtrigger.After,
                operation=pgtrigger.Insert,
                referencing=pgtrigger.Referencing(new="entered"),
                func=_CHANGES.format(starts="1", ends="(-1)", spans="entered"),
            ),
            pgtrigger.Trigger(
                name="members_standingspan_left",
                level=pgtrigger.Statement,
                when=pgtrigger.After,
                operation=pgtrigger.Delete,
                referencing=pgtrigger.Referencing(old="removed"),
                func=_CHANGES.format(starts="(-1)", ends="1", spans="removed"),
            ),
            # A span is replaced, never edited: the changes are counted as spans come and go.
            pgtrigger.Protect(name="members_standingspan_not_updated", operation=pgtrigger.Update),
        ]

    def __str__(self):
        return f"{self.starts}–{self.ends or ''} {self.get_status_display()}"


class StandingChange(models.Model):
    """How many memberships of ``member_type`` enter ``status`` on ``day`` (less those that
    leave it): their sum up to a day is the number in that status on it."""

    day = models.DateField(_("日期"))
    member_type = models.CharField(_("会员类型"), max_length=10, choices=MemberType.choices)
    status = models.CharField(_("会员状态"), max_length=20, choices=MembershipStatus.choices)
    change = models.IntegerField(_("增减"))

    class Meta:
        verbose_name = _("会员状态增减")
        verbose_name_plural = _("会员状态增减")
        constraints = [
            # The counting query reads this index alone (with ``change`` in it).
            models.UniqueConstraint(
                fields=["day", "member_type", "status"],
                include=["change"],
                name="members_standingchange_one_per_day",
            ),
        ]

    def __str__(self):
        return f"{self.day} {self.get_status_display()} {self.change:+d}"


class StandingPending(models.Model):
    """A membership whose spans are to be computed again: marked by the database in the
    statement that changed it or its dues, taken by the next refresh."""

    membership_id = models.BigIntegerField(_("会员"), primary_key=True)

    class Meta:
        verbose_name = _("待重算的会员状态")
        verbose_name_plural = _("待重算的会员状态")

    def __str__(self):
        return str(self.membership_id)


class StandingRules(models.Model):
    """The rules the spans were computed with (one row): when the settings change, every
    membership is computed again."""

    grace_days = models.PositiveIntegerField(_("宽限天数"))
    due_month = models.PositiveSmallIntegerField(_("应缴月份"))
    due_day = models.PositiveSmallIntegerField(_("应缴日"))
    new_member_days = models.PositiveSmallIntegerField(_("新会员缴费天数"))

    class Meta:
        verbose_name = _("会员状态规则")
        verbose_name_plural = _("会员状态规则")
        constraints = [models.CheckConstraint(condition=Q(id=1), name="members_standingrules_one")]

    def __str__(self):
        return f"{self.due_month}/{self.due_day} +{self.grace_days}"
