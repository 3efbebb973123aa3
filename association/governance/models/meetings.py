"""Meetings, their frozen roll of attendees, proxies, and motions with their votes."""

import pghistory
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from association.accounts.roles import is_association_staff

from ..choices import (
    AttendeeKind,
    CheckInMethod,
    MeetingKind,
    MeetingStatus,
    MotionKind,
    MotionStatus,
    VoteChoice,
    VoteMethod,
)
from ..rules import Threshold


class MeetingQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Staff and officers see every meeting; a member sees the meetings whose roll
        lists them."""
        if not user.is_authenticated:
            return self.none()
        if is_association_staff(user):
            return self
        return self.filter(attendees__user=user).distinct()


@pghistory.track()
class Meeting(models.Model):
    """A general meeting, council meeting or seminar: planned → noticed → open → closed.
    The roll of those entitled to attend is frozen when it opens."""

    kind = models.CharField(_("会议类型"), max_length=20, choices=MeetingKind.choices)
    title = models.CharField(_("会议名称"), max_length=200)
    starts_at = models.DateTimeField(_("开会时间"))
    place = models.CharField(_("地点"), max_length=200)
    agenda = models.TextField(_("议程"))
    rule_set = models.ForeignKey(
        "governance.RuleSet",
        verbose_name=_("适用规则"),
        on_delete=models.PROTECT,
        related_name="meetings",
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    presiding = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("会议主持人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    notice_sent_at = models.DateTimeField(_("通知发出时间"), null=True, blank=True)
    notice_late = models.BooleanField(_("通知晚于规定期限"), default=False)
    opened_at = models.DateTimeField(_("开会时间（实际）"), null=True, blank=True)
    closed_at = models.DateTimeField(_("闭会时间"), null=True, blank=True)
    minutes = models.TextField(_("会议纪要"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("会议")
        verbose_name_plural = _("会议")
        ordering = ["-starts_at", "-id"]

    def __str__(self):
        return self.title

    @property
    def decides(self) -> bool:
        """Seminars hear talks; the other meetings take decisions and need a quorum."""
        return self.kind != MeetingKind.SEMINAR


@pghistory.track()
class MeetingTalk(models.Model):
    """A talk at a seminar (研讨会): speaker and topic."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("会议"), on_delete=models.CASCADE, related_name="talks"
    )
    speaker = models.CharField(_("主讲人"), max_length=50)
    affiliation = models.CharField(_("单位及职务"), max_length=200, blank=True)
    topic = models.CharField(_("题目"), max_length=200)
    order = models.PositiveSmallIntegerField(_("顺序"), default=1)

    class Meta:
        verbose_name = _("专题讲座")
        verbose_name_plural = _("专题讲座")
        ordering = ["meeting_id", "order", "id"]

    def __str__(self):
        return self.topic


@pghistory.track()
class Attendee(models.Model):
    """One row of a meeting's roll, copied from the members register when the meeting
    opens (a snapshot: later changes to the register do not change it)."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("会议"), on_delete=models.CASCADE, related_name="attendees"
    )
    kind = models.CharField(_("身份"), max_length=20, choices=AttendeeKind.choices)
    name = models.CharField(_("姓名"), max_length=50)
    affiliation = models.CharField(_("所属单位"), max_length=200, blank=True)
    membership = models.ForeignKey(
        "members.Membership",
        verbose_name=_("会籍"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    representative = models.ForeignKey(
        "members.Representative",
        verbose_name=_("会员代表"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    worker = models.ForeignKey(
        "members.SocialWorker",
        verbose_name=_("社会工作者"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户账户"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meeting_attendances",
    )
    checked_in_at = models.DateTimeField(_("签到时间"), null=True, blank=True)
    check_in_method = models.CharField(
        _("签到方式"), max_length=10, choices=CheckInMethod.choices, blank=True
    )
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("签到登记人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("应到人员")
        verbose_name_plural = _("应到人员")
        ordering = ["meeting_id", "affiliation", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "user"],
                condition=Q(user__isnull=False),
                name="governance_attendee_unique_user",
                violation_error_message=_("同一账户在一次会议中只能出现一次。"),
            ),
            models.UniqueConstraint(
                fields=["meeting", "representative"],
                condition=Q(representative__isnull=False),
                name="governance_attendee_unique_representative",
                violation_error_message=_("该代表已在本次会议名单中。"),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def present(self) -> bool:
        return self.checked_in_at is not None


@pghistory.track()
class Proxy(models.Model):
    """A proxy letter (委托书): an absent attendee asks a present one to act for them."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("会议"), on_delete=models.CASCADE, related_name="proxies"
    )
    grantor = models.OneToOneField(
        Attendee, verbose_name=_("委托人"), on_delete=models.CASCADE, related_name="proxy_given"
    )
    holder = models.ForeignKey(
        Attendee, verbose_name=_("受托人"), on_delete=models.CASCADE, related_name="proxies_held"
    )
    letter = models.FileField(_("委托书"), upload_to="governance/proxies/%Y/")
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    registered_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("委托书")
        verbose_name_plural = _("委托书")
        ordering = ["meeting_id", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(grantor=models.F("holder")),
                name="governance_proxy_not_self",
                violation_error_message=_("不能委托本人。"),
            )
        ]

    def __str__(self):
        return f"#{self.pk}"


@pghistory.track()
class Motion(models.Model):
    """A motion put to the vote: its threshold is copied from the rules when it is
    created; the outcome is computed, with the arithmetic, when the votes are in."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("会议"), on_delete=models.PROTECT, related_name="motions"
    )
    number = models.PositiveSmallIntegerField(_("序号"))
    title = models.CharField(_("议题"), max_length=200)
    text = models.TextField(_("议案内容"))
    kind = models.CharField(
        _("议案类型"), max_length=12, choices=MotionKind.choices, default=MotionKind.ORDINARY
    )
    document_version = models.ForeignKey(
        "governance.DocumentVersion",
        verbose_name=_("提请通过的文件版本"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="motions",
    )
    vote_method = models.CharField(
        _("表决方式"), max_length=10, choices=VoteMethod.choices, default=VoteMethod.NAMED
    )
    threshold_numerator = models.PositiveSmallIntegerField(_("通过比例分子"))
    threshold_denominator = models.PositiveSmallIntegerField(_("通过比例分母"))
    threshold_strict = models.BooleanField(_("须“超过”"))
    status = models.CharField(
        _("状态"), max_length=10, choices=MotionStatus.choices, default=MotionStatus.DRAFT
    )
    entitled = models.PositiveIntegerField(_("应到人数"), null=True, blank=True)
    present = models.PositiveIntegerField(_("表决时到会人数"), null=True, blank=True)
    yes = models.PositiveIntegerField(_("赞成"), null=True, blank=True)
    no = models.PositiveIntegerField(_("反对"), null=True, blank=True)
    abstain = models.PositiveIntegerField(_("弃权"), null=True, blank=True)
    passed = models.BooleanField(_("通过"), null=True, blank=True)
    arithmetic = models.TextField(_("计算过程"), blank=True)
    decided_at = models.DateTimeField(_("表决时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("议案")
        verbose_name_plural = _("议案")
        ordering = ["meeting_id", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "number"],
                name="governance_motion_unique_number",
                violation_error_message=_("本次会议已有此序号的议案。"),
            ),
            models.CheckConstraint(
                condition=Q(yes__isnull=True)
                | Q(present__isnull=False)
                & Q(
                    present__gte=models.F("yes") + models.F("no") + models.F("abstain"),
                ),
                name="governance_motion_votes_within_present",
                violation_error_message=_("赞成、反对、弃权票数之和不能超过到会人数。"),
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def threshold(self) -> Threshold:
        return Threshold(
            self.threshold_numerator, self.threshold_denominator, self.threshold_strict
        )


class MotionVote(models.Model):
    """One attendee's vote on a motion put to a named vote (记名表决)."""

    motion = models.ForeignKey(
        Motion, verbose_name=_("议案"), on_delete=models.CASCADE, related_name="named_votes"
    )
    attendee = models.ForeignKey(
        Attendee, verbose_name=_("表决人"), on_delete=models.PROTECT, related_name="votes"
    )
    choice = models.CharField(_("表决意见"), max_length=10, choices=VoteChoice.choices)

    class Meta:
        verbose_name = _("记名表决票")
        verbose_name_plural = _("记名表决票")
        ordering = ["motion_id", "attendee_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["motion", "attendee"],
                name="governance_motionvote_one_per_attendee",
                violation_error_message=_("每人对同一议案只能表决一次。"),
            )
        ]

    def __str__(self):
        return self.choice
