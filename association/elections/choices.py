from django.db import models
from django.utils.translation import gettext_lazy as _


class ElectionStatus(models.TextChoices):
    NOMINATING = "nominating", _("提名中")
    VOTING = "voting", _("投票中")
    CLOSED = "closed", _("投票结束，计票中")
    COUNTED = "counted", _("已计票（异议期）")
    CERTIFIED = "certified", _("结果已确认")


class OfficialRole(models.TextChoices):
    TELLER = "teller", _("计票人")
    SCRUTINEER = "scrutineer", _("监票人")


class VoteChannel(models.TextChoices):
    ONLINE = "online", _("网上投票")
    PAPER = "paper", _("纸质选票")


class BatchStatus(models.TextChoices):
    ENTERING = "entering", _("录入中")
    MISMATCH = "mismatch", _("两次录入不一致")
    AGREED = "agreed", _("两次录入一致")
    CONFIRMED = "confirmed", _("监票人已确认")


# The state machine (association.workflow): each state and the states it may move to.
ELECTION_TRANSITIONS = {
    ElectionStatus.NOMINATING: {ElectionStatus.VOTING},
    ElectionStatus.VOTING: {ElectionStatus.CLOSED},
    ElectionStatus.CLOSED: {ElectionStatus.COUNTED},
    ElectionStatus.COUNTED: {ElectionStatus.CERTIFIED},
    ElectionStatus.CERTIFIED: set(),
}


class MarkChoice(models.TextChoices):
    """A mark for a candidate: on a 差额 ballot only 赞成 (a tick); on a 等额 ballot each
    candidate gets one of the three."""

    YES = "yes", _("赞成")
    NO = "no", _("反对")
    ABSTAIN = "abstain", _("弃权")
