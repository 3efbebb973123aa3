"""Memberships, the documents of an application, and a unit member's representatives."""

import pghistory
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from association import changes
from association.accounts.roles import is_association_staff

from ..choices import DocumentKind, MembershipState, MemberType
from .standing import pending_triggers

# A person or organisation holds at most one membership that is not closed.
OPEN_STATES = [
    MembershipState.APPLIED,
    MembershipState.UNDER_REVIEW,
    MembershipState.APPROVED,
    MembershipState.SUSPENDED,
]


class MembershipQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Staff see all; an organisation admin the organisation's; a person their own."""
        if not user.is_authenticated:
            return self.none()
        if is_association_staff(user):
            return self
        # By the ids of the user's memberships (two index lookups), not an OR across the
        # joins made DISTINCT, which read and sorted every membership: the list of an
        # organisation's admin 24 + 35 ms → 6 + 7 ms at province scale.
        return self.filter(pk__in=self.model.objects.ids_held_by(user))

    def ids_held_by(self, user):
        """The ids of the user's own membership and their organisations' (a handful), as
        one query or subquery: the union of two index lookups. The same condition as an
        OR across the two joins makes the planner read every membership (and every dues
        row, in a query of dues)."""
        own = self.filter(person__user=user).values_list("pk", flat=True)
        units = self.filter(organisation__admins__user=user).values_list("pk", flat=True)
        return own.union(units)

    def with_parties(self):
        return self.select_related("organisation", "person")

    def with_standing(self, today=None, rules=None):
        """Annotated with ``standing``: :func:`members.rules.membership_status` on ``today``
        (default: today), computed by the database (see ``members.standing``)."""
        from django.utils import timezone

        from ..standing import with_standing

        return with_standing(self, today or timezone.localdate(), rules)

    def with_paid_through(self, today=None):
        """Annotated with ``paid_through_year``, the latest year paid by ``today``."""
        from django.utils import timezone

        from ..standing import with_paid_through

        return with_paid_through(self, today or timezone.localdate())


@pghistory.track()
class Membership(models.Model):
    """The membership of one organisation (单位会员) or one person (个人会员).

    ``state`` records the decisions; whether an admitted member is current, in grace or
    lapsed is computed by :func:`members.rules.membership_status` from the dues.
    """

    member_type = models.CharField(_("会员类型"), max_length=10, choices=MemberType.choices)
    organisation = models.ForeignKey(
        "members.Organisation",
        verbose_name=_("单位"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
    )
    person = models.ForeignKey(
        "members.SocialWorker",
        verbose_name=_("个人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
    )
    number = models.CharField(_("会员编号"), max_length=20, unique=True, null=True, blank=True)
    state = models.CharField(
        _("状态"), max_length=15, choices=MembershipState.choices, default=MembershipState.APPLIED
    )
    applied_on = models.DateField(_("申请日期"))
    application_note = models.TextField(_("申请说明"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申请人账户"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The council's decision (理事会审议).
    decided_on = models.DateField(_("决定日期"), null=True, blank=True)
    decision_basis = models.TextField(
        _("决定依据"), blank=True, help_text=_("如：第二届理事会第五次会议决议。")
    )
    council_meeting = models.CharField(
        _("理事会会议"), max_length=200, blank=True, help_text=_("审议该申请的理事会会议。")
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    rejection_reason = models.TextField(_("不予批准的理由"), blank=True)
    member_since = models.DateField(_("入会日期"), null=True, blank=True)
    suspended_on = models.DateField(_("暂停日期"), null=True, blank=True)
    suspension_reason = models.TextField(_("暂停理由"), blank=True)
    withdrawn_on = models.DateField(_("退会日期"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("退会理由"), blank=True)
    verification_code = models.CharField(
        _("验证码"), max_length=32, unique=True, null=True, blank=True
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("会籍")
        verbose_name_plural = _("会籍")
        ordering = ["-applied_on", "-id"]
        # Figures read from this table are kept until it changes (association.changes), and
        # a change to what the standing reads marks the membership's to refresh.
        triggers = [
            changes.trigger("members_membership"),
            *pending_triggers("members_membership", "id", ["state", "member_since", "member_type"]),
        ]
        # Lists in this order read a page of rows, not every membership with its dues
        # (the admin's list at province scale: 241 ms → 1.5 ms).
        indexes = [
            models.Index(fields=["-applied_on", "-id"], name="members_membership_applied"),
            # The applications waiting for the association (staff's to-do and the admin
            # index): counted from a few index entries, not 25,000 memberships (4 ms at
            # province scale, on every staff home).
            models.Index(
                fields=["applied_on"],
                condition=Q(state__in=["applied", "under_review"]),
                name="members_membership_pending",
            ),
        ]
        permissions = [("export_membership", _("可以导出会籍"))]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(member_type="unit", organisation__isnull=False, person__isnull=True)
                    | Q(member_type="individual", person__isnull=False, organisation__isnull=True)
                ),
                name="members_membership_exactly_one_party",
                violation_error_message=_("会籍必须且只能属于一个单位或一个个人。"),
            ),
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(state__in=OPEN_STATES),
                name="members_membership_one_open_per_org",
                violation_error_message=_("该单位已有一份会籍或入会申请。"),
            ),
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(state__in=OPEN_STATES),
                name="members_membership_one_open_per_person",
                violation_error_message=_("此人已有一份会籍或入会申请。"),
            ),
            models.CheckConstraint(
                condition=~Q(state__in=["approved", "suspended"])
                | (Q(number__isnull=False) & Q(member_since__isnull=False)),
                name="members_membership_admitted_has_number",
                violation_error_message=_("已入会的会籍必须有会员编号和入会日期。"),
            ),
        ]

    def __str__(self):
        return self.number or f"#{self.pk}"

    @property
    def member_name(self) -> str:
        """The member's name (reads the related row: select it with ``with_parties()``)."""
        party = self.organisation if self.member_type == MemberType.UNIT else self.person
        return party.name if party else ""


class MembershipDocument(models.Model):
    """A document uploaded with an application (served only through a checking view)."""

    membership = models.ForeignKey(
        Membership, verbose_name=_("会籍"), on_delete=models.CASCADE, related_name="documents"
    )
    kind = models.CharField(_("材料类型"), max_length=30, choices=DocumentKind.choices)
    file = models.FileField(_("文件"), upload_to="members/documents/%Y/")
    original_name = models.CharField(_("原文件名"), max_length=200)
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("申请材料")
        verbose_name_plural = _("申请材料")
        ordering = ["membership_id", "id"]

    def __str__(self):
        return self.original_name


class RepresentativeQuerySet(models.QuerySet):
    def active(self):
        return self.filter(ended_on__isnull=True)


@pghistory.track()
class Representative(models.Model):
    """A person a unit member designates as its representative to the general meeting
    (会员代表大会); the elections read the active ones."""

    membership = models.ForeignKey(
        Membership,
        verbose_name=_("单位会籍"),
        on_delete=models.CASCADE,
        related_name="representatives",
    )
    name = models.CharField(_("姓名"), max_length=50)
    position = models.CharField(_("职务"), max_length=50, blank=True)
    mobile = models.CharField(_("手机号码"), max_length=11)
    worker = models.ForeignKey(
        "members.SocialWorker",
        verbose_name=_("对应社会工作者"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="representations",
    )
    designated_on = models.DateField(_("委派日期"))
    designated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("委派人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    ended_on = models.DateField(_("终止日期"), null=True, blank=True)

    objects = RepresentativeQuerySet.as_manager()

    class Meta:
        verbose_name = _("会员代表")
        verbose_name_plural = _("会员代表")
        ordering = ["membership_id", "ended_on", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["membership", "mobile"],
                condition=Q(ended_on__isnull=True),
                name="members_representative_unique_active",
                violation_error_message=_("该手机号码的代表已在任。"),
            )
        ]

    def __str__(self):
        return self.name


class ElectedRepresentativeQuerySet(models.QuerySet):
    def active(self):
        """Not ended (the term may have run out: see :meth:`in_force`)."""
        return self.filter(ended_on__isnull=True)

    def in_force(self, day):
        """Representatives whose term covers ``day`` and who had not left by then."""
        return self.filter(
            Q(starts_on__lte=day),
            Q(ends_on__isnull=True) | Q(ends_on__gte=day),
            Q(ended_on__isnull=True) | Q(ended_on__gt=day),
        )


@pghistory.track()
class ElectedRepresentative(models.Model):
    """An individual member elected by the individual members (of a constituency) as their
    representative to the general meeting (会员代表大会): the result of one election,
    recorded by staff through ``members.services.representatives_elect``."""

    membership = models.ForeignKey(
        Membership,
        verbose_name=_("个人会籍"),
        on_delete=models.PROTECT,
        related_name="elected_representatives",
    )
    constituency = models.CharField(
        _("选区"),
        max_length=50,
        blank=True,
        help_text=_("如：魏都区、东城片区；全体个人会员选举时留空。"),
    )
    elected_on = models.DateField(_("选举日期"))
    votes_received = models.PositiveIntegerField(_("得票数"))
    votes_cast = models.PositiveIntegerField(_("投票总数"), help_text=_("该选区收回的有效选票数。"))
    starts_on = models.DateField(_("任期开始"))
    ends_on = models.DateField(
        _("任期届满"), null=True, blank=True, help_text=_("留空：至下次选举产生新的代表为止。")
    )
    ended_on = models.DateField(_("终止日期"), null=True, blank=True)
    end_reason = models.CharField(_("终止原因"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = ElectedRepresentativeQuerySet.as_manager()

    class Meta:
        verbose_name = _("个人会员代表")
        verbose_name_plural = _("个人会员代表")
        ordering = ["-elected_on", "constituency", "-votes_received", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["membership"],
                condition=Q(ended_on__isnull=True),
                name="members_elected_rep_one_active",
                violation_error_message=_("该会员已是在任的个人会员代表。"),
            ),
            models.CheckConstraint(
                condition=Q(votes_received__lte=models.F("votes_cast")),
                name="members_elected_rep_votes_within_cast",
                violation_error_message=_("得票数不能超过投票总数。"),
            ),
            models.CheckConstraint(
                condition=Q(starts_on__gte=models.F("elected_on")),
                name="members_elected_rep_starts_after_election",
                violation_error_message=_("任期不能早于选举日期开始。"),
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="members_elected_rep_term_order",
                violation_error_message=_("任期届满日期不能早于任期开始日期。"),
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("elected_on")),
                name="members_elected_rep_ended_after_election",
                violation_error_message=_("终止日期不能早于选举日期。"),
            ),
        ]

    def __str__(self):
        if self.constituency:
            return f"{self.membership}（{self.constituency}）"
        return str(self.membership)
