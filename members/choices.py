from django.db import models
from django.utils.translation import gettext_lazy as _


class MemberType(models.TextChoices):
    UNIT = "unit", _("单位会员")
    INDIVIDUAL = "individual", _("个人会员")


class OrganisationKind(models.TextChoices):
    SOCIAL_WORK_AGENCY = "social_work_agency", _("社会工作服务机构")
    OTHER_SOCIAL_ORG = "other_social_org", _("其他社会组织")
    PUBLIC_INSTITUTION = "public_institution", _("事业单位")
    ENTERPRISE = "enterprise", _("企业")
    COMMUNITY = "community", _("城乡社区组织")
    OTHER = "other", _("其他")


class Gender(models.TextChoices):
    MALE = "male", _("男")
    FEMALE = "female", _("女")


class Qualification(models.TextChoices):
    NONE = "none", _("无")
    ASSISTANT = "assistant", _("助理社会工作师")
    SOCIAL_WORKER = "social_worker", _("社会工作师")
    SENIOR = "senior", _("高级社会工作师")


class MembershipState(models.TextChoices):
    """The decisions taken on a membership (stored). Whether an admitted member is current,
    in grace or lapsed is computed from the dues: see ``members.rules``."""

    APPLIED = "applied", _("已申请")
    UNDER_REVIEW = "under_review", _("审核中")
    APPROVED = "approved", _("已批准入会")
    REJECTED = "rejected", _("未批准")
    SUSPENDED = "suspended", _("暂停资格")
    WITHDRAWN = "withdrawn", _("已退会")


class MembershipStatus(models.TextChoices):
    """What a membership is today: a decision state, or for an admitted member its standing."""

    APPLIED = "applied", _("已申请")
    UNDER_REVIEW = "under_review", _("审核中")
    REJECTED = "rejected", _("未批准")
    CURRENT = "current", _("有效")
    GRACE = "grace", _("宽限期")
    LAPSED = "lapsed", _("已失效")
    SUSPENDED = "suspended", _("暂停资格")
    WITHDRAWN = "withdrawn", _("已退会")


class DocumentKind(models.TextChoices):
    APPLICATION_FORM = "application_form", _("入会申请书")
    REGISTRATION_CERTIFICATE = "registration_certificate", _("登记证书（营业执照）副本")
    ID_CARD = "id_card", _("身份证复印件")
    QUALIFICATION_CERTIFICATE = "qualification_certificate", _("职业资格证书")
    OTHER = "other", _("其他材料")


class EducationKind(models.TextChoices):
    TRAINING = "training", _("培训")
    CONFERENCE = "conference", _("学术会议与研讨")
    SUPERVISION = "supervision", _("专业督导")
    ONLINE = "online", _("网络学习")
    RESEARCH = "research", _("课题研究与发表")
    OTHER = "other", _("其他")


class ChangeRequestStatus(models.TextChoices):
    PENDING = "pending", _("待审核")
    APPROVED = "approved", _("已通过")
    REJECTED = "rejected", _("未通过")


# The allowed moves of each workflow (see association/workflow.py): state -> its targets.

MEMBERSHIP_TRANSITIONS: dict[str, set[str]] = {
    MembershipState.APPLIED: {
        MembershipState.UNDER_REVIEW,
        MembershipState.APPROVED,
        MembershipState.REJECTED,
        MembershipState.WITHDRAWN,
    },
    MembershipState.UNDER_REVIEW: {
        MembershipState.APPROVED,
        MembershipState.REJECTED,
        MembershipState.WITHDRAWN,
    },
    MembershipState.APPROVED: {MembershipState.SUSPENDED, MembershipState.WITHDRAWN},
    MembershipState.SUSPENDED: {MembershipState.APPROVED, MembershipState.WITHDRAWN},
    MembershipState.REJECTED: set(),
    MembershipState.WITHDRAWN: set(),
}

CHANGE_REQUEST_TRANSITIONS: dict[str, set[str]] = {
    ChangeRequestStatus.PENDING: {ChangeRequestStatus.APPROVED, ChangeRequestStatus.REJECTED},
    ChangeRequestStatus.APPROVED: set(),
    ChangeRequestStatus.REJECTED: set(),
}


class ReminderKind(models.TextChoices):
    DUES_DUE = "dues_due", _("会费缴纳提醒")
    CE_SHORTFALL = "ce_shortfall", _("继续教育学时不足提醒")
    LAPSING = "lapsing", _("会员资格即将失效提醒")
