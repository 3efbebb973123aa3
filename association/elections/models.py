"""Elections, their candidates, the frozen voter roll, secret ballots and paper tallies.

The secrecy of the online ballot is in the schema: a :class:`Ballot` has no link to a
voter, no user, no timestamp and a random primary key; :class:`VoterRegister` records only
*that* a voter voted. The unique constraint on the register is what keeps one ballot per
voter.

While the vote is open a cast ballot is a :class:`SealedBallot`: encrypted to a key that is
not in the database, under a random id. Its row is written in the same transaction as the
voter's register row (so one ballot per voter holds), hence shares its ``xmin``; that is
why it is sealed, and why it does not outlive the close: closing opens every sealed
ballot, writes them as :class:`Ballot` rows in a random order in one transaction and
deletes the sealed rows. After the close the ballot table's physical order (what
``pg_dump`` writes), its transaction ids and its ids follow nothing of the casting order.
"""

import uuid

import pghistory
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from association.accounts.roles import is_association_staff
from association.governance.choices import ElectionBase, ElectionMode
from association.governance.rules import Threshold
from members.choices import Qualification

from .choices import BatchStatus, ElectionStatus, MarkChoice, OfficialRole, VoteChannel

WRITE_IN_MAX = 20  # a name; sealed ballots are padded to one length, so it is bounded


class ElectionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Staff see every election; a member sees those of meetings whose roll lists them;
        tellers and scrutineers the ones they serve."""
        if not user.is_authenticated:
            return self.none()
        if is_association_staff(user):
            return self
        return self.filter(Q(meeting__attendees__user=user) | Q(officials__user=user)).distinct()


@pghistory.track()
class Election(models.Model):
    """One round of an election at a meeting: nominating → voting → closed → counted
    (complaint period) → certified. The rules are copied from the meeting's rules when the
    election is created."""

    meeting = models.ForeignKey(
        "governance.Meeting",
        verbose_name=_("会议"),
        on_delete=models.PROTECT,
        related_name="elections",
    )
    title = models.CharField(_("选举名称"), max_length=200)
    round = models.PositiveSmallIntegerField(_("轮次"), default=1)
    previous_round = models.OneToOneField(
        "self",
        verbose_name=_("上一轮"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="next_round",
    )
    status = models.CharField(
        _("状态"), max_length=12, choices=ElectionStatus.choices, default=ElectionStatus.NOMINATING
    )
    online = models.BooleanField(_("网上投票"), default=True)
    paper = models.BooleanField(_("纸质选票"), default=False)
    base = models.CharField(_("当选票数的基数"), max_length=8, choices=ElectionBase.choices)
    threshold_numerator = models.PositiveSmallIntegerField(_("当选比例分子"))
    threshold_denominator = models.PositiveSmallIntegerField(_("当选比例分母"))
    threshold_strict = models.BooleanField(_("须“超过”"))
    mode = models.CharField(_("选举方式"), max_length=12, choices=ElectionMode.choices)
    complaint_days = models.PositiveSmallIntegerField(_("异议期（天）"))
    term_years = models.PositiveSmallIntegerField(_("任期（年）"))
    candidate_good_standing = models.BooleanField(_("候选人须会籍有效"))
    candidate_min_qualification = models.CharField(
        _("候选人最低职业资格"), max_length=20, choices=Qualification.choices, blank=True
    )
    write_ins = models.BooleanField(
        _("可以另选他人"), default=False, help_text=_("按选举办法，选票上可以填写候选人以外的人。")
    )
    voting_opened_at = models.DateTimeField(_("开始投票时间"), null=True, blank=True)
    voting_closed_at = models.DateTimeField(_("结束投票时间"), null=True, blank=True)
    counted_on = models.DateField(_("计票日期"), null=True, blank=True)
    complaint_until = models.DateField(_("异议期截止"), null=True, blank=True)
    results_text = models.TextField(_("计票说明"), blank=True)
    certified_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    certified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("确认人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # Rendered once when the results are certified, then served as stored.
    results_file = models.FileField(
        _("选举结果公告（PDF）"),
        upload_to="elections/results/%Y/",
        blank=True,
        max_length=200,
        editable=False,
    )

    objects = ElectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("选举")
        verbose_name_plural = _("选举")
        ordering = ["-meeting__starts_at", "meeting_id", "round", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(online=True) | Q(paper=True),
                name="elections_election_has_a_channel",
                violation_error_message=_("至少选择一种投票方式。"),
            )
        ]

    def __str__(self):
        return self.title

    @property
    def threshold(self) -> Threshold:
        return Threshold(
            self.threshold_numerator, self.threshold_denominator, self.threshold_strict
        )


class ElectionOfficial(models.Model):
    """A teller (计票人) or scrutineer (监票人) of an election."""

    election = models.ForeignKey(
        Election, verbose_name=_("选举"), on_delete=models.CASCADE, related_name="officials"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(_("职责"), max_length=12, choices=OfficialRole.choices)

    class Meta:
        verbose_name = _("计票监票人员")
        verbose_name_plural = _("计票监票人员")
        ordering = ["election_id", "role", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["election", "user"],
                name="elections_official_one_role",
                violation_error_message=_("同一人不能在一次选举中既计票又监票。"),
            )
        ]

    def __str__(self):
        return self.role


class Position(models.Model):
    """An office to fill in this election, with its number of seats."""

    election = models.ForeignKey(
        Election, verbose_name=_("选举"), on_delete=models.CASCADE, related_name="positions"
    )
    office = models.ForeignKey(
        "governance.Office", verbose_name=_("职务"), on_delete=models.PROTECT, related_name="+"
    )
    seats = models.PositiveSmallIntegerField(_("应选名额"))
    outcome_text = models.CharField(_("结果说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("选举职位")
        verbose_name_plural = _("选举职位")
        ordering = ["election_id", "office__order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["election", "office"],
                name="elections_position_unique_office",
                violation_error_message=_("本次选举已有该职位。"),
            ),
            models.CheckConstraint(
                condition=Q(seats__gte=1),
                name="elections_position_seats",
                violation_error_message=_("应选名额至少为1。"),
            ),
        ]

    def __str__(self):
        return f"#{self.pk}"

    @property
    def equal(self) -> bool:
        """等额：as many candidates on the ballot as seats; each gets 赞成，反对 or 弃权
        (reads the prefetched candidates)."""
        return sum(1 for c in self.candidates.all() if c.on_ballot) == self.seats


@pghistory.track()
class Candidate(models.Model):
    """A nominated candidate: accepted the nomination, checked for eligibility."""

    position = models.ForeignKey(
        Position, verbose_name=_("职位"), on_delete=models.CASCADE, related_name="candidates"
    )
    name = models.CharField(_("姓名"), max_length=50)
    affiliation = models.CharField(_("工作单位及职务"), max_length=200, blank=True)
    worker = models.ForeignKey(
        "members.SocialWorker",
        verbose_name=_("社会工作者档案"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    nominated_by = models.CharField(_("提名方式"), max_length=200)
    accepted_at = models.DateTimeField(_("接受提名时间"), null=True, blank=True)
    eligible = models.BooleanField(_("符合候选人条件"), default=False)
    eligibility_note = models.CharField(_("资格审查意见"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("选票排序"), default=100)
    votes = models.PositiveIntegerField(_("得票数"), null=True, blank=True)
    against = models.PositiveIntegerField(_("反对票"), null=True, blank=True)
    abstentions = models.PositiveIntegerField(_("弃权票"), null=True, blank=True)
    elected = models.BooleanField(_("当选"), default=False)
    tied = models.BooleanField(_("票数相同进入下一轮"), default=False)
    result_note = models.CharField(_("计票说明"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("候选人")
        verbose_name_plural = _("候选人")
        ordering = ["position_id", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["position", "worker"],
                condition=Q(worker__isnull=False),
                name="elections_candidate_once_per_position",
                violation_error_message=_("此人已是该职位的候选人。"),
            )
        ]

    def __str__(self):
        return self.name

    @property
    def on_ballot(self) -> bool:
        return self.eligible and self.accepted_at is not None


class Voter(models.Model):
    """The frozen voter roll: those present when the vote opened."""

    election = models.ForeignKey(
        Election, verbose_name=_("选举"), on_delete=models.CASCADE, related_name="voters"
    )
    attendee = models.ForeignKey(
        "governance.Attendee",
        verbose_name=_("到会人员"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户账户"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    name = models.CharField(_("姓名"), max_length=50)

    class Meta:
        verbose_name = _("选举人")
        verbose_name_plural = _("选举人名册")
        ordering = ["election_id", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["election", "attendee"],
                name="elections_voter_unique",
                violation_error_message=_("该人员已在选举人名册中。"),
            )
        ]

    def __str__(self):
        return self.name


class VoterRegister(models.Model):
    """That a voter voted (online, or took a paper ballot) — never what, never when. Its
    id is random, so neither it nor anything keyed by it follows the order of voting."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    election = models.ForeignKey(
        Election, verbose_name=_("选举"), on_delete=models.CASCADE, related_name="register"
    )
    voter = models.ForeignKey(
        Voter, verbose_name=_("选举人"), on_delete=models.PROTECT, related_name="+"
    )
    channel = models.CharField(_("投票方式"), max_length=10, choices=VoteChannel.choices)

    class Meta:
        verbose_name = _("投票登记")
        verbose_name_plural = _("投票登记")
        ordering = ["election_id", "voter_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["election", "voter"],
                name="elections_register_one_vote_per_voter",
                violation_error_message=_("该选举人已经投过票。"),
            )
        ]

    def __str__(self):
        return self.channel


class SealedBallot(models.Model):
    """An online ballot cast while the vote is open, sealed (see :mod:`.sealing`): the
    tracking code and the marks are encrypted to a key derived from the server's secret,
    which is not in the database, and padded to one length. Deleted at the close, when the
    ballots are written, shuffled, as :class:`Ballot` rows."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    election = models.ForeignKey(
        Election, verbose_name=_("选举"), on_delete=models.PROTECT, related_name="+"
    )
    sealed = models.BinaryField(_("密封的选票"))

    class Meta:
        verbose_name = _("密封选票")
        verbose_name_plural = _("密封选票")

    def __str__(self):
        return str(self.pk)


class Ballot(models.Model):
    """An online ballot, written at the close in a random order. No voter, no user, no
    time; a random id. Its tracking code is shown once to the voter and published after
    the close."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    election = models.ForeignKey(
        Election, verbose_name=_("选举"), on_delete=models.PROTECT, related_name="ballots"
    )
    tracking_code = models.CharField(_("选票查验码"), max_length=32, unique=True)

    class Meta:
        verbose_name = _("选票")
        verbose_name_plural = _("选票")
        ordering = ["tracking_code"]

    def __str__(self):
        return self.tracking_code


class BallotMark(models.Model):
    """A vote for a candidate on a ballot (an unmarked candidate got no vote from it)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    ballot = models.ForeignKey(
        Ballot, verbose_name=_("选票"), on_delete=models.CASCADE, related_name="marks"
    )
    candidate = models.ForeignKey(
        Candidate, verbose_name=_("候选人"), on_delete=models.PROTECT, related_name="marks"
    )
    choice = models.CharField(
        _("表决意见"), max_length=8, choices=MarkChoice.choices, default=MarkChoice.YES
    )

    class Meta:
        verbose_name = _("选票标记")
        verbose_name_plural = _("选票标记")
        ordering = ["candidate_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["ballot", "candidate"],
                name="elections_mark_once",
                violation_error_message=_("同一张选票对同一候选人只能标记一次。"),
            )
        ]

    def __str__(self):
        return str(self.candidate_id)


class BallotWriteIn(models.Model):
    """另选他人：a name written on an online ballot for a position, instead of a
    candidate. Like the marks, it says nothing of who wrote it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    ballot = models.ForeignKey(
        Ballot, verbose_name=_("选票"), on_delete=models.CASCADE, related_name="write_ins"
    )
    position = models.ForeignKey(
        Position, verbose_name=_("职位"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("另选人姓名"), max_length=WRITE_IN_MAX)

    class Meta:
        verbose_name = _("另选他人")
        verbose_name_plural = _("另选他人")
        ordering = ["position_id", "name"]

    def __str__(self):
        return self.name


class WriteInResult(models.Model):
    """The votes a written-in name received for a position, online and on paper; set by
    the count. A written-in person was neither nominated nor checked, so is not elected
    by them: the votes are announced, and unfilled seats go to a further round."""

    position = models.ForeignKey(
        Position, verbose_name=_("职位"), on_delete=models.CASCADE, related_name="write_in_results"
    )
    name = models.CharField(_("另选人姓名"), max_length=WRITE_IN_MAX)
    votes = models.PositiveIntegerField(_("得票数"))

    class Meta:
        verbose_name = _("另选他人得票")
        verbose_name_plural = _("另选他人得票")
        ordering = ["position_id", "-votes", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["position", "name"],
                name="elections_writein_result_unique",
                violation_error_message=_("同一职位的同一另选人只统计一次。"),
            )
        ]

    def __str__(self):
        return self.name


@pghistory.track()
class PaperBatch(models.Model):
    """A batch of paper ballots, tallied twice by two tellers and confirmed by a scrutineer."""

    election = models.ForeignKey(
        Election, verbose_name=_("选举"), on_delete=models.PROTECT, related_name="batches"
    )
    number = models.PositiveSmallIntegerField(_("批次号"))
    status = models.CharField(
        _("状态"), max_length=10, choices=BatchStatus.choices, default=BatchStatus.ENTERING
    )
    differences = models.TextField(_("不一致之处"), blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("监票人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("纸质选票批次")
        verbose_name_plural = _("纸质选票批次")
        ordering = ["election_id", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["election", "number"],
                name="elections_batch_unique_number",
                violation_error_message=_("该批次号已存在。"),
            )
        ]

    def __str__(self):
        return str(self.number)


@pghistory.track()
class TallyEntry(models.Model):
    """One teller's independent count of a batch (copy 1 or 2)."""

    batch = models.ForeignKey(
        PaperBatch, verbose_name=_("批次"), on_delete=models.CASCADE, related_name="entries"
    )
    copy = models.PositiveSmallIntegerField(
        _("录入次序"), choices=[(1, _("第一次录入")), (2, _("第二次录入"))]
    )
    teller = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("计票人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    ballots = models.PositiveIntegerField(_("本批选票数"))
    invalid = models.PositiveIntegerField(_("其中废票"))
    entered_at = models.DateTimeField(_("录入时间"), auto_now=True)

    class Meta:
        verbose_name = _("计票录入")
        verbose_name_plural = _("计票录入")
        ordering = ["batch_id", "copy"]
        constraints = [
            models.UniqueConstraint(
                fields=["batch", "copy"],
                name="elections_entry_unique_copy",
                violation_error_message=_("该批次的这次录入已存在。"),
            ),
            models.UniqueConstraint(
                fields=["batch", "teller"],
                name="elections_entry_two_tellers",
                violation_error_message=_("两次录入须由两名不同的计票人完成。"),
            ),
            models.CheckConstraint(
                condition=Q(invalid__lte=models.F("ballots")),
                name="elections_entry_invalid_within",
                violation_error_message=_("废票数不能超过选票数。"),
            ),
        ]

    def __str__(self):
        return str(self.copy)


class TallyLine(models.Model):
    """Votes for one candidate in one tally entry."""

    entry = models.ForeignKey(
        TallyEntry, verbose_name=_("计票录入"), on_delete=models.CASCADE, related_name="lines"
    )
    candidate = models.ForeignKey(
        Candidate, verbose_name=_("候选人"), on_delete=models.PROTECT, related_name="+"
    )
    votes = models.PositiveIntegerField(_("得票数"))
    against = models.PositiveIntegerField(_("反对票"), default=0)
    abstain = models.PositiveIntegerField(_("弃权票"), default=0)

    class Meta:
        verbose_name = _("计票明细")
        verbose_name_plural = _("计票明细")
        ordering = ["entry_id", "candidate_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "candidate"],
                name="elections_line_unique",
                violation_error_message=_("同一候选人只能录入一次。"),
            )
        ]

    def __str__(self):
        return str(self.votes)


class TallyWriteIn(models.Model):
    """Votes for a written-in name (另选他人) in one tally entry."""

    entry = models.ForeignKey(
        TallyEntry, verbose_name=_("计票录入"), on_delete=models.CASCADE, related_name="write_ins"
    )
    position = models.ForeignKey(
        Position, verbose_name=_("职位"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("另选人姓名"), max_length=WRITE_IN_MAX)
    votes = models.PositiveIntegerField(_("得票数"))

    class Meta:
        verbose_name = _("另选他人计票")
        verbose_name_plural = _("另选他人计票")
        ordering = ["entry_id", "position_id", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "position", "name"],
                name="elections_tally_writein_unique",
                violation_error_message=_("同一另选人只能录入一次。"),
            )
        ]

    def __str__(self):
        return self.name
