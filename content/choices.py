"""Kinds, states and visibility of content items; the workflow's transition table."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    NEWS = "news", _("新闻动态")
    NOTICE = "notice", _("通知公告")
    POLICY = "policy", _("政策法规")
    DISCLOSURE = "disclosure", _("信息公开")


class Status(models.TextChoices):
    DRAFT = "draft", _("草稿")
    REVIEW = "review", _("待审核")
    PUBLISHED = "published", _("已发布")
    UNPUBLISHED = "unpublished", _("已撤回")


class Visibility(models.TextChoices):
    PUBLIC = "public", _("公开")
    MEMBERS = "members", _("仅会员")
    STAFF = "staff", _("仅协会工作人员")


# association.workflow: each state and the states it may move to.
ARTICLE_TRANSITIONS = {
    Status.DRAFT: {Status.REVIEW},
    Status.REVIEW: {Status.DRAFT, Status.PUBLISHED},
    Status.PUBLISHED: {Status.UNPUBLISHED},
    Status.UNPUBLISHED: {Status.DRAFT, Status.PUBLISHED},
}


class Segment(models.TextChoices):
    """Who a notice is sent to."""

    ALL_STATIONS = "all_stations", _("全部社工站")
    COUNTY_STATIONS = "county_stations", _("某县（市、区）的社工站")
    ORGANISATIONS = "organisations", _("全部单位会员")
    INDIVIDUALS = "individuals", _("全部个人会员")
    COUNCIL = "council", _("理事会成员")
    GRADUATES = "graduates", _("某批次的毕业生社工")
    SAVED_LIST = "saved_list", _("已保存的收件人名单")


class SendStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    SENDING = "sending", _("发送中")
    DONE = "done", _("已完成")


class ReceiptState(models.TextChoices):
    """A delivery's state as the receipt table shows it (derived, not stored)."""

    PENDING = "pending", _("未读")
    READ = "read", _("已阅")
    REPLIED = "replied", _("已回复")
