from django.db import models
from django.utils.translation import gettext_lazy as _


class StationStatus(models.TextChoices):
    """The life of a station. The current status is the latest dated change (see models)."""

    PLANNED = "planned", _("规划中")
    BUILDING = "building", _("建设中")
    OPERATING = "operating", _("运营中")
    SUSPENDED = "suspended", _("暂停运营")
    CLOSED = "closed", _("已撤销")


# The statuses a new station may start in (its first dated status).
INITIAL_STATION_STATUSES = {StationStatus.PLANNED, StationStatus.BUILDING, StationStatus.OPERATING}
# The one table of allowed status changes (association.workflow): from -> {to}.
STATION_TRANSITIONS: dict[str, set[str]] = {
    StationStatus.PLANNED: {StationStatus.BUILDING, StationStatus.OPERATING, StationStatus.CLOSED},
    StationStatus.BUILDING: {StationStatus.OPERATING, StationStatus.CLOSED},
    StationStatus.OPERATING: {StationStatus.SUSPENDED, StationStatus.CLOSED},
    StationStatus.SUSPENDED: {StationStatus.OPERATING, StationStatus.CLOSED},
    StationStatus.CLOSED: set(),
}


class StaffRole(models.TextChoices):
    HEAD = "head", _("站长")
    RESIDENT = "resident", _("驻站社工")


class ChecklistItem(models.TextChoices):
    """The build checklist “五有”."""

    SITE = "site", _("有场地")
    STAFF = "staff", _("有人员")
    FUNCTIONS = "functions", _("有功能")
    RULES = "rules", _("有制度")
    ACTIVITIES = "activities", _("有活动")


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已报送")
    RETURNED = "returned", _("已退回")
    APPROVED = "approved", _("已审核通过")


class ReportAction(models.TextChoices):
    SUBMIT = "submit", _("报送")
    RETURN = "return", _("退回")
    APPROVE = "approve", _("审核通过")


# The one table of the report workflow (association.workflow): from -> {to}.
REPORT_TRANSITIONS: dict[str, set[str]] = {
    ReportStatus.DRAFT: {ReportStatus.SUBMITTED},
    ReportStatus.RETURNED: {ReportStatus.SUBMITTED},
    ReportStatus.SUBMITTED: {ReportStatus.RETURNED, ReportStatus.APPROVED},
    ReportStatus.APPROVED: set(),
}
# What each action of a reviewer or a station moves a report to (the event log records the
# action; the table above says from which states it may be taken).
REPORT_ACTION_TARGETS: dict[str, str] = {
    ReportAction.SUBMIT: ReportStatus.SUBMITTED,
    ReportAction.RETURN: ReportStatus.RETURNED,
    ReportAction.APPROVE: ReportStatus.APPROVED,
}
# A station may edit its report only in these states.
EDITABLE_REPORT_STATUSES = {ReportStatus.DRAFT, ReportStatus.RETURNED}
# Statuses that mean "the report has reached the association" (counted as received).
RECEIVED_REPORT_STATUSES = {ReportStatus.SUBMITTED, ReportStatus.RETURNED, ReportStatus.APPROVED}


class Grade(models.TextChoices):
    EXCELLENT = "excellent", _("优秀")
    GOOD = "good", _("良好")
    PASS = "pass", _("合格")
    FAIL = "fail", _("不合格")


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", _("评分中")
    PUBLISHED = "published", _("已公布")


class ReminderKind(models.TextChoices):
    BEFORE_DEADLINE = "before_deadline", _("报送截止前提醒")
    OVERDUE = "overdue", _("逾期未报提醒")


# The default catalogues of service areas and kinds of work (code, name), seeded by
# migration 0002 and again after every ``migrate``/``flush`` (services.catalogue_ensure), so
# a fresh or flushed database always has them. Staff add, rename or retire entries in the
# admin, and those changes are never overwritten: only missing codes are created.
DEFAULT_SERVICE_AREAS = [
    ("assistance", "社会救助"),
    ("elderly", "养老服务"),
    ("children", "儿童关爱"),
    ("disability", "残疾人服务"),
    ("governance", "社区治理"),
    ("affairs", "社会事务"),
]
DEFAULT_WORK_KINDS = [
    ("casework", "个案"),
    ("group", "小组"),
    ("community", "社区活动"),
    ("home_visit", "入户走访"),
    ("outreach", "政策宣传"),
]
