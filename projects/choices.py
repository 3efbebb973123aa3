"""Choices of the projects app (values are stable English slugs, labels are Chinese)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ServiceDomain(models.TextChoices):
    ELDERLY = "elderly", _("养老服务")
    CHILDREN = "children", _("儿童关爱")
    MEDICAL = "medical", _("医务社工")
    CORRECTION = "correction", _("矫治帮教")
    WORKERS_YOUTH_WOMEN_DISABLED = "groups", _("工青妇残")
    COMMUNITY = "community", _("社区治理")
    ASSISTANCE = "assistance", _("社会救助")
    OTHER = "other", _("其他")


class ProgrammeStatus(models.TextChoices):
    DRAFT = "draft", _("筹备中")
    ACTIVE = "active", _("实施中")
    CLOSED = "closed", _("已结束")


class ProjectStatus(models.TextChoices):
    PLANNED = "planned", _("筹备中")
    RUNNING = "running", _("实施中")
    FINISHED = "finished", _("已结项")


class StandardStep(models.TextChoices):
    """The programme's seven standard steps, in order (清单化管理)."""

    SURVEY = "survey", _("情况摸底")
    PUBLICITY = "publicity", _("宣传发动")
    RECRUITMENT = "recruitment", _("招募选拔")
    AGREEMENT = "agreement", _("协议签署")
    TRAINING = "training", _("系统培训")
    ASSESSMENT = "assessment", _("定期考核")
    SUPERVISION = "supervision", _("全程监督")


STEP_ORDER = {step.value: index for index, step in enumerate(StandardStep, start=1)}


class StepStatus(models.TextChoices):
    PENDING = "pending", _("未开始")
    IN_PROGRESS = "in_progress", _("进行中")
    DONE = "done", _("已完成")


class TeamRole(models.TextChoices):
    LEADER = "leader", _("团队负责人")
    MEMBER = "member", _("团队成员")
    MENTOR = "mentor", _("督导")


class Criterion(models.TextChoices):
    """What an eligibility rule looks at in an application."""

    GRADUATION_YEAR = "graduation_year", _("毕业年份")
    MAJOR = "major", _("专业")
    UNIVERSITY = "university", _("毕业院校")
    DEGREE = "degree", _("学历")


class Degree(models.TextChoices):
    JUNIOR_COLLEGE = "junior_college", _("专科")
    BACHELOR = "bachelor", _("本科")
    MASTER = "master", _("硕士研究生")
    DOCTOR = "doctor", _("博士研究生")


class Gender(models.TextChoices):
    MALE = "male", _("男")
    FEMALE = "female", _("女")


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("已提交")
    SCREENED = "screened", _("资格审查通过")
    INTERVIEWED = "interviewed", _("已面试")
    OFFERED = "offered", _("已录取待确认")
    ACCEPTED = "accepted", _("已接受录取")
    SERVING = "serving", _("服务中")
    COMPLETED = "completed", _("服务期满")
    REJECTED = "rejected", _("未通过")
    DECLINED = "declined", _("放弃录取")
    WITHDRAWN = "withdrawn", _("已撤回")


# The allowed moves of ``Application.status`` (association.workflow; each move is also
# written to ``ApplicationTransition``).
APPLICATION_TRANSITIONS: dict[str, set[str]] = {
    ApplicationStatus.SUBMITTED: {
        ApplicationStatus.SCREENED,
        ApplicationStatus.REJECTED,
        ApplicationStatus.WITHDRAWN,
    },
    ApplicationStatus.SCREENED: {
        ApplicationStatus.INTERVIEWED,
        ApplicationStatus.REJECTED,
        ApplicationStatus.WITHDRAWN,
    },
    ApplicationStatus.INTERVIEWED: {
        ApplicationStatus.OFFERED,
        ApplicationStatus.REJECTED,
        ApplicationStatus.WITHDRAWN,
    },
    ApplicationStatus.OFFERED: {
        ApplicationStatus.ACCEPTED,
        ApplicationStatus.DECLINED,
        ApplicationStatus.WITHDRAWN,
    },
    ApplicationStatus.ACCEPTED: {ApplicationStatus.SERVING, ApplicationStatus.WITHDRAWN},
    ApplicationStatus.SERVING: {ApplicationStatus.COMPLETED, ApplicationStatus.WITHDRAWN},
    ApplicationStatus.COMPLETED: set(),
    ApplicationStatus.REJECTED: set(),
    ApplicationStatus.DECLINED: set(),
    ApplicationStatus.WITHDRAWN: set(),
}


# Applications that hold a seat of their project's quota in their round.
SEAT_HOLDING = (
    ApplicationStatus.OFFERED,
    ApplicationStatus.ACCEPTED,
    ApplicationStatus.SERVING,
    ApplicationStatus.COMPLETED,
)


class FollowUpOutcome(models.TextChoices):
    SOCIAL_WORK_JOB = "social_work_job", _("在社会工作机构就业")
    COMMUNITY_JOB = "community_job", _("在城乡社区就业")
    OTHER_JOB = "other_job", _("其他单位就业")
    STUDY = "study", _("升学深造")
    ENTREPRENEUR = "entrepreneur", _("自主创业")
    SEEKING = "seeking", _("待业")
    OTHER = "other", _("其他")


class ActivityKind(models.TextChoices):
    THEMED = "themed", _("主题活动")
    CASE = "case", _("个案")
    GROUP = "group", _("小组")
    VISIT = "visit", _("走访")


class GrantStatus(models.TextChoices):
    APPLIED = "applied", _("已申请")
    UNDER_REVIEW = "under_review", _("评审中")
    AWARDED = "awarded", _("已资助")
    REJECTED = "rejected", _("未获资助")
    COMPLETED = "completed", _("已完成")


GRANT_TRANSITIONS: dict[str, set[str]] = {
    GrantStatus.APPLIED: {GrantStatus.UNDER_REVIEW, GrantStatus.REJECTED},
    GrantStatus.UNDER_REVIEW: {GrantStatus.AWARDED, GrantStatus.REJECTED},
    GrantStatus.AWARDED: {GrantStatus.COMPLETED},
    GrantStatus.REJECTED: set(),
    GrantStatus.COMPLETED: set(),
}


class MilestoneStatus(models.TextChoices):
    PENDING = "pending", _("未完成")
    ACHIEVED = "achieved", _("已完成")
    PAID = "paid", _("已拨付")


class ExpertDomain(models.TextChoices):
    COUNSELLING = "counselling", _("心理咨询")
    FAMILY_EDUCATION = "family_education", _("家庭教育指导")
    SOCIAL_CARE = "social_care", _("社会关爱")
    LEGAL = "legal", _("法律")


class ReferringBody(models.TextChoices):
    COURT = "court", _("人民法院")
    PROCURATORATE = "procuratorate", _("人民检察院")


class ReferralService(models.TextChoices):
    INVESTIGATION = "investigation", _("社会调查")
    COUNSELLING = "counselling", _("心理疏导")
    LEGAL_EDUCATION = "legal_education", _("法治教育")
    FAMILY_EDUCATION = "family_education", _("家庭教育指导")


# Which expert domain provides which service the court asks for.
SERVICE_DOMAIN = {
    ReferralService.INVESTIGATION: ExpertDomain.SOCIAL_CARE,
    ReferralService.COUNSELLING: ExpertDomain.COUNSELLING,
    ReferralService.LEGAL_EDUCATION: ExpertDomain.LEGAL,
    ReferralService.FAMILY_EDUCATION: ExpertDomain.FAMILY_EDUCATION,
}


class ReferralStatus(models.TextChoices):
    RECEIVED = "received", _("已接收")
    ASSIGNED = "assigned", _("已指派")
    IN_PROGRESS = "in_progress", _("服务中")
    REPORTED = "reported", _("报告已送达")
    CLOSED = "closed", _("已结案")


REFERRAL_TRANSITIONS: dict[str, set[str]] = {
    ReferralStatus.RECEIVED: {ReferralStatus.ASSIGNED, ReferralStatus.CLOSED},
    ReferralStatus.ASSIGNED: {ReferralStatus.IN_PROGRESS, ReferralStatus.CLOSED},
    ReferralStatus.IN_PROGRESS: {ReferralStatus.REPORTED, ReferralStatus.CLOSED},
    ReferralStatus.REPORTED: {ReferralStatus.CLOSED},
    ReferralStatus.CLOSED: set(),
}


class AssignmentStatus(models.TextChoices):
    OFFERED = "offered", _("待专家确认")
    ACCEPTED = "accepted", _("已接受")
    DECLINED = "declined", _("已谢绝")
    COMPLETED = "completed", _("已完成")


# An expert answers an offered assignment once; closing the referral completes the
# accepted ones and withdraws (declines) those still offered.
ASSIGNMENT_TRANSITIONS: dict[str, set[str]] = {
    AssignmentStatus.OFFERED: {AssignmentStatus.ACCEPTED, AssignmentStatus.DECLINED},
    AssignmentStatus.ACCEPTED: {AssignmentStatus.COMPLETED},
    AssignmentStatus.DECLINED: set(),
    AssignmentStatus.COMPLETED: set(),
}

# Assignments that count toward the expert's load.
ACTIVE_ASSIGNMENT = (AssignmentStatus.OFFERED, AssignmentStatus.ACCEPTED)
# Assignments whose expert may read the referral's personal data (projects.permissions):
# accepted, and after closure completed; never one merely offered, or declined.
READING_ASSIGNMENT = (AssignmentStatus.ACCEPTED, AssignmentStatus.COMPLETED)


class ConsentParty(models.TextChoices):
    MINOR = "minor", _("未成年人")
    GUARDIAN = "guardian", _("监护人")


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    FINAL = "final", _("定稿")
    DELIVERED = "delivered", _("已送达")


class StoryStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")
