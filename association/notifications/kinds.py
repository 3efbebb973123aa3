"""The kinds of notification: how each one's title, body and link are written.

A kind's templates live in ``templates/notifications/<kind>/``: ``title.txt`` and
``body.txt`` (plain text, rendered with the context given to ``notify``). Apps add
kinds by adding templates and a receiver; the registry below lists them so that a
typo in a kind fails loudly instead of sending an empty message.
"""

from django.utils.translation import gettext_lazy as _

KINDS = {
    "message": _("协会消息"),
    # members
    "members_application_received": _("入会申请已收到"),
    "members_application_new": _("新的入会申请"),
    "members_application_decided": _("入会申请结果"),
    "members_dues_due": _("会费缴纳提醒"),
    "members_dues_paid": _("会费收据"),
    "members_membership_lapsing": _("会员资格即将失效"),
    "members_education_shortfall": _("继续教育学时不足"),
    "members_staff_invited": _("单位人员邀请"),
    # stations
    "stations_report_submitted": _("社工站月报待审核"),
    "stations_report_returned": _("社工站月报被退回"),
    "stations_report_approved": _("社工站月报已审核通过"),
    "stations_reports_due_soon": _("社工站月报即将截止"),
    "stations_reports_overdue": _("社工站月报逾期未报"),
    # reports
    "reports_ready": _("报表已生成"),
    "reports_failed": _("报表生成失败"),
    "reports_held": _("报表核对未通过"),
    # governance
    "governance_meeting_notice": _("会议通知"),
    # projects
    "projects_application_received": _("公益项目报名已收到"),
    "projects_application_moved": _("公益项目报名进展"),
    "projects_assignment_offered": _("新的司法社工服务指派"),
}
