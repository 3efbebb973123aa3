"""The charter's rules as data: quorum, thresholds, proxies, notice, terms, elections."""

import pghistory
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.choices import Qualification

from ..choices import ElectionBase, ElectionMode
from ..rules import Threshold


class RuleSetQuerySet(models.QuerySet):
    def in_force(self, day=None):
        day = day or timezone.localdate()
        return self.filter(effective_from__isnull=False, effective_from__lte=day).order_by(
            "-effective_from", "-id"
        )


@pghistory.track()
class RuleSet(models.Model):
    """The rules of meetings and elections, as adopted with a version of the charter or
    the election rules. The one in force on a day is the latest whose ``effective_from``
    is on or before it; meetings, motions and elections copy what they use when created,
    so a later change never rewrites a past decision."""

    name = models.CharField(_("名称"), max_length=200)
    source_version = models.ForeignKey(
        "governance.DocumentVersion",
        verbose_name=_("依据的制度文件版本"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rule_sets",
    )
    effective_from = models.DateField(
        _("生效日期"), null=True, blank=True, help_text=_("依据文件通过之日；空表示尚未生效。")
    )
    quorum_numerator = models.PositiveSmallIntegerField(_("法定人数分子"), default=2)
    quorum_denominator = models.PositiveSmallIntegerField(_("法定人数分母"), default=3)
    quorum_strict = models.BooleanField(
        _("法定人数须“超过”"), default=False, help_text=_("不勾选表示“不少于”。")
    )
    pass_numerator = models.PositiveSmallIntegerField(_("一般决议通过分子"), default=1)
    pass_denominator = models.PositiveSmallIntegerField(_("一般决议通过分母"), default=2)
    pass_strict = models.BooleanField(_("一般决议须“超过”"), default=True)
    amendment_numerator = models.PositiveSmallIntegerField(_("章程修改通过分子"), default=2)
    amendment_denominator = models.PositiveSmallIntegerField(_("章程修改通过分母"), default=3)
    amendment_strict = models.BooleanField(_("章程修改须“超过”"), default=False)
    proxies_count = models.BooleanField(_("委托出席计入到会人数"), default=True)
    proxy_cap = models.PositiveSmallIntegerField(_("每人最多接受委托数"), default=1)
    notice_days = models.PositiveSmallIntegerField(_("会议通知提前天数"), default=10)
    term_years = models.PositiveSmallIntegerField(_("任期（年）"), default=5)
    candidate_good_standing = models.BooleanField(_("候选人须会籍有效"), default=True)
    candidate_min_qualification = models.CharField(
        _("候选人最低职业资格"),
        max_length=20,
        choices=Qualification.choices,
        blank=True,
        help_text=_("空表示不作要求。"),
    )
    election_mode = models.CharField(
        _("选举方式"), max_length=12, choices=ElectionMode.choices, default=ElectionMode.EITHER
    )
    election_base = models.CharField(
        _("当选票数的基数"), max_length=8, choices=ElectionBase.choices, default=ElectionBase.ROLL
    )
    election_numerator = models.PositiveSmallIntegerField(_("当选票数分子"), default=1)
    election_denominator = models.PositiveSmallIntegerField(_("当选票数分母"), default=2)
    election_strict = models.BooleanField(_("当选须“超过”"), default=True)
    write_ins = models.BooleanField(
        _("选票可以另选他人"),
        default=False,
        help_text=_("选举办法允许选举人在选票上另写候选人以外的人时勾选。"),
    )
    complaint_days = models.PositiveSmallIntegerField(
        _("异议期（天）"), default=0, help_text=_("计票结束后、确认结果前接受异议的天数，可为0。")
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = RuleSetQuerySet.as_manager()

    class Meta:
        verbose_name = _("议事与选举规则")
        verbose_name_plural = _("议事与选举规则")
        ordering = ["-effective_from", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    quorum_numerator__gt=0, quorum_numerator__lte=models.F("quorum_denominator")
                )
                & Q(pass_numerator__gt=0, pass_numerator__lte=models.F("pass_denominator"))
                & Q(
                    amendment_numerator__gt=0,
                    amendment_numerator__lte=models.F("amendment_denominator"),
                )
                & Q(
                    election_numerator__gt=0,
                    election_numerator__lte=models.F("election_denominator"),
                ),
                name="governance_ruleset_fractions",
                violation_error_message=_("比例须为大于0且不超过1的分数。"),
            ),
            models.CheckConstraint(
                condition=Q(term_years__gte=1, term_years__lte=10),
                name="governance_ruleset_term",
                violation_error_message=_("任期应在1至10年之间。"),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def quorum_threshold(self) -> Threshold:
        return Threshold(self.quorum_numerator, self.quorum_denominator, self.quorum_strict)

    @property
    def pass_threshold(self) -> Threshold:
        return Threshold(self.pass_numerator, self.pass_denominator, self.pass_strict)

    @property
    def amendment_threshold(self) -> Threshold:
        return Threshold(
            self.amendment_numerator, self.amendment_denominator, self.amendment_strict
        )

    @property
    def election_threshold(self) -> Threshold:
        return Threshold(self.election_numerator, self.election_denominator, self.election_strict)
