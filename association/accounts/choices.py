from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """The roles of the portal. The value is the name of the Django group."""

    STAFF = "协会工作人员", _("协会工作人员")
    OFFICER = "协会负责人", _("协会负责人")
    ORG_ADMIN = "机构管理员", _("机构管理员")
    STATION_WORKER = "社工站工作人员", _("社工站工作人员")
    OFFICIAL = "民政部门", _("民政部门")
    EXPERT = "专家", _("专家")
    APPLICANT = "申请人", _("申请人")
