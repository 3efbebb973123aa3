"""Dues standards, yearly dues, gapless numbering and sent reminders."""

import pghistory
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from association import changes

from ..choices import MemberType, ReminderKind
from .standing import pending_triggers


@pghistory.track()
class DuesStandard(models.Model):
    """The fixed yearly amount per member type, set by a motion the general meeting passed
    by secret ballot with two thirds present (民发〔2014〕166号).

    members sits below governance, so the motion is kept by id (``motion_ref``, as
    ``Term.election_ref``), written only by ``governance.services.dues_standard_adopt``,
    which checks the motion first; ``resolution`` names the meeting and the motion for the
    disclosure. Standards typed in before motions were recorded in the portal keep their
    paper resolution and are marked ``predates_motions`` by the migration that added the
    reference; no form sets that mark, so every new standard needs its motion (a database
    constraint)."""

    member_type = models.CharField(_("会员类型"), max_length=10, choices=MemberType.choices)
    amount = models.DecimalField(_("年会费（元）"), max_digits=10, decimal_places=2)
    effective_from = models.DateField(_("起始日期"))
    resolution = models.CharField(
        _("决议"), max_length=300, help_text=_("设定该标准的会员（代表）大会决议名称和文号。")
    )
    motion_ref = models.PositiveIntegerField(
        _("通过该标准的议案编号"), null=True, blank=True, editable=False, db_index=True
    )
    adopted_on = models.DateField(_("通过日期"), null=True, blank=True, editable=False)
    predates_motions = models.BooleanField(
        _("议案登记前录入"),
        default=False,
        editable=False,
        help_text=_("本系统登记会议议案之前按纸质决议录入的标准。"),
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("会费标准")
        verbose_name_plural = _("会费标准")
        ordering = ["member_type", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["member_type", "effective_from"],
                name="members_duesstandard_unique",
                violation_error_message=_("同一会员类型在同一日期只能有一个会费标准。"),
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="members_duesstandard_amount_positive",
                violation_error_message=_("会费金额不能为负数。"),
            ),
            models.CheckConstraint(
                condition=Q(motion_ref__isnull=False, adopted_on__isnull=False)
                | Q(predates_motions=True),
                name="members_duesstandard_adopted_by_motion",
                violation_error_message=_("会费标准须由会员（代表）大会通过的议案设定。"),
            ),
        ]

    def __str__(self):
        return f"{self.get_member_type_display()} {self.amount}"


class DuesQuerySet(models.QuerySet):
    def visible_to(self, user):
        from .memberships import Membership

        return self.filter(membership__in=Membership.objects.visible_to(user))


@pghistory.track()
class Dues(models.Model):
    """One year's dues of one membership (会费), with its receipt once paid.

    Finance reads these rows to post them to the ledger; members never imports finance.
    """

    membership = models.ForeignKey(
        "members.Membership", verbose_name=_("会籍"), on_delete=models.PROTECT, related_name="dues"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    amount = models.DecimalField(_("金额（元）"), max_digits=10, decimal_places=2)
    due_on = models.DateField(_("应缴日期"))
    paid_on = models.DateField(_("缴费日期"), null=True, blank=True)
    receipt_number = models.CharField(
        _("收据编号"),
        max_length=20,
        unique=True,
        null=True,
        blank=True,
        help_text=_("社会团体会费收据编号，按年连续编号。"),
    )
    payment_method = models.CharField(_("缴费方式"), max_length=30, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = DuesQuerySet.as_manager()

    class Meta:
        verbose_name = _("会费")
        verbose_name_plural = _("会费")
        ordering = ["-year", "membership_id"]
        # Figures read from this table are kept until it changes (association.changes), and
        # a change to what the standing reads marks the membership's to refresh.
        triggers = [
            changes.trigger("members_dues"),
            *pending_triggers(
                "members_dues", "membership_id", ["membership", "year", "due_on", "paid_on"]
            ),
        ]
        # The admin's list in its order reads 100 rows, not all 108,000 at province scale
        # (267 ms → under 2 ms), and the year filter's MIN and MAX read its two ends.
        indexes = [models.Index(fields=["-year", "membership"], name="members_dues_by_year")]
        constraints = [
            models.UniqueConstraint(
                fields=["membership", "year"],
                name="members_dues_one_per_year",
                violation_error_message=_("该会籍本年度的会费记录已存在。"),
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="members_dues_amount_positive",
                violation_error_message=_("会费金额不能为负数。"),
            ),
            models.CheckConstraint(
                condition=Q(paid_on__isnull=True, receipt_number__isnull=True)
                | Q(paid_on__isnull=False, receipt_number__isnull=False),
                name="members_dues_paid_has_receipt",
                violation_error_message=_("已缴费的记录必须有收据编号。"),
            ),
        ]

    def __str__(self):
        return f"{self.year}"

    @property
    def is_paid(self) -> bool:
        return self.paid_on is not None


class NumberSequence(models.Model):
    """The last number issued in a gapless series (member numbers, receipts); a row is
    locked while the next number is taken, so numbers never repeat or skip."""

    key = models.CharField(_("序列"), max_length=50, unique=True)
    last = models.PositiveIntegerField(_("最后编号"), default=0)

    class Meta:
        verbose_name = _("编号序列")
        verbose_name_plural = _("编号序列")
        ordering = ["key"]

    def __str__(self):
        return f"{self.key}: {self.last}"


class Reminder(models.Model):
    """A reminder that was sent, so that a scheduled check sends each one once."""

    kind = models.CharField(_("类别"), max_length=20, choices=ReminderKind.choices)
    subject = models.CharField(_("对象"), max_length=50, help_text=_("如 membership:12"))
    period = models.CharField(_("期间"), max_length=30, help_text=_("如 2026"))
    sent_at = models.DateTimeField(_("发送时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("已发提醒")
        verbose_name_plural = _("已发提醒")
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "subject", "period"],
                name="members_reminder_once",
                violation_error_message=_("该提醒已发送。"),
            )
        ]

    def __str__(self):
        return f"{self.kind} {self.subject} {self.period}"
