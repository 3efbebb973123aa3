"""The content app's menu entries: the public site for everyone signed in, the notices
received, and the receipts for staff."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from association.accounts.roles import is_association_staff
from association.navigation import NavItem


def portal_nav(user, facts=None):
    items = [
        NavItem(
            _("协会网站"), reverse("content:home"), 5, _("新闻动态、通知公告、政策法规与信息公开。")
        ),
        NavItem(_("收到的通知"), reverse("content:inbox"), 880, _("协会下发的通知与回执。")),
    ]
    if is_association_staff(user):
        items.append(
            NavItem(
                _("通知回执"), reverse("content:notice_list"), 890, _("下发通知的阅读与回复情况。")
            )
        )
    return items
