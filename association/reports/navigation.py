"""The reports app's entry in the portal menu, for users who may run a report."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from association.navigation import NavItem


def portal_nav(user, facts=None) -> list:
    from .catalogue import reports_for

    if not reports_for(user):
        return []
    return [
        NavItem(
            _("统计报表"),
            reverse("reports:catalogue"),
            60,
            _("向民政部门报送的年度工作报告、社工站月报汇总、会员名册统计和财务报表。"),
        )
    ]
