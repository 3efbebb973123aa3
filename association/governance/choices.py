from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentKind(models.TextChoices):
    CHARTER = "charter", _("章程")
    ELECTION_RULES = "election_rules", _("选举办法")
    FUND_RULES = "fund_rules", _("资金管理使用办法")
    DUES_STANDARD = "dues_standard", _("会费标准")
    OTHER = "other", _("其他制度")


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("草案")
    PROPOSED = "proposed", _("提请表决")
    ADOPTED = "adopted", _("已通过（现行）")
    SUPERSEDED = "superseded", _("已被取代")


class ElectionMode(models.TextChoices):
    COMPETITIVE = "competitive", _("差额选举")
    EQUAL = "equal", _("等额选举")
    EITHER = "either", _("差额或等额")


class ElectionBase(models.TextChoices):
    ROLL = "roll", _("投票开始时在场的选举人数")
    CAST = "cast", _("收回的选票数")


class MeetingKind(models.TextChoices):
    GENERAL = "general", _("会员代表大会")
    COUNCIL = "council", _("理事会")
    STANDING_COUNCIL = "standing_council", _("常务理事会")
    SEMINAR = "seminar", _("研讨会")


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("筹备中")
    NOTICED = "noticed", _("已发通知")
    OPEN = "open", _("进行中")
    CLOSED = "closed", _("已闭会")


class AttendeeKind(models.TextChoices):
    UNIT_REPRESENTATIVE = "unit_representative", _("单位会员代表")
    INDIVIDUAL = "individual", _("个人会员")
    COUNCIL = "council", _("理事")


class CheckInMethod(models.TextChoices):
    STAFF = "staff", _("工作人员签到")
    QR = "qr", _("扫码签到")


class MotionKind(models.TextChoices):
    ORDINARY = "ordinary", _("一般事项")
    AMENDMENT = "amendment", _("章程修改")
    DUES = "dues", _("会费标准")


class VoteMethod(models.TextChoices):
    SECRET = "secret", _("无记名投票")
    NAMED = "named", _("记名表决")


class MotionStatus(models.TextChoices):
    DRAFT = "draft", _("待表决")
    VOTING = "voting", _("表决中")
    DECIDED = "decided", _("已表决")


class VoteChoice(models.TextChoices):
    YES = "yes", _("赞成")
    NO = "no", _("反对")
    ABSTAIN = "abstain", _("弃权")


class OfficeCode(models.TextChoices):
    PRESIDENT = "president", _("会长")
    VICE_PRESIDENT = "vice_president", _("副会长")
    SECRETARY_GENERAL = "secretary_general", _("秘书长")
    STANDING_COUNCIL = "standing_council", _("常务理事")
    COUNCIL = "council", _("理事")
    SUPERVISOR = "supervisor", _("监事")


# The state machines (association.workflow): each state and the states it may move to.
VERSION_TRANSITIONS = {
    VersionStatus.DRAFT: {VersionStatus.PROPOSED},
    # Back to a draft when the motion fails; adopted when it passes.
    VersionStatus.PROPOSED: {VersionStatus.DRAFT, VersionStatus.ADOPTED},
    VersionStatus.ADOPTED: {VersionStatus.SUPERSEDED},
    VersionStatus.SUPERSEDED: set(),
}
MEETING_TRANSITIONS = {
    MeetingStatus.PLANNED: {MeetingStatus.NOTICED},
    MeetingStatus.NOTICED: {MeetingStatus.OPEN},
    MeetingStatus.OPEN: {MeetingStatus.CLOSED},
    MeetingStatus.CLOSED: set(),
}
MOTION_TRANSITIONS = {
    MotionStatus.DRAFT: {MotionStatus.VOTING},
    MotionStatus.VOTING: {MotionStatus.DECIDED},
    MotionStatus.DECIDED: set(),
}
