"""The stations app's entries in the portal menu: only what the user may open."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from association.accounts.roles import is_association_staff
from association.navigation import NavItem, user_facts


def portal_facts(user) -> dict:
    """Whether the user runs stations (an operator's admin) and, unless staff, sees any."""
    from django.db.models import Exists, OuterRef

    from .models import Station

    facts = {"operates": Exists(Station.objects.operated_by_user(OuterRef("pk")))}
    if not is_association_staff(user):
        facts["sees"] = Station.objects.any_visible_to(user)
    return facts


def portal_nav(user, facts=None) -> list:
    from .permissions import can_see_dashboard

    if facts is None:
        facts = user_facts(user, portal_facts(user))
    items = []
    if is_association_staff(user) or facts.get("sees"):
        items.append(
            NavItem(
                _("社工站"),
                reverse("stations:station_list"),
                25,
                _("站点信息、驻站人员、服务月报与考核结果。"),
            )
        )
    if facts.get("operates"):
        items.append(
            NavItem(
                _("批量报送月报"),
                reverse("stations:bulk_upload"),
                26,
                _("下载模板，一次上传多个站点、多个月份的月报。"),
            )
        )
    if can_see_dashboard(user):
        items.append(
            NavItem(
                _("社工站覆盖"),
                reverse("stations:dashboard"),
                45,
                _("全市社工站覆盖率、人员配备、月报报送率与服务人次。"),
            )
        )
        items.append(
            NavItem(
                _("月报报送完整性"),
                reverse("stations:completeness"),
                46,
                _("各区县、各站点逐月的月报报送、逾期、退回和未报情况。"),
            )
        )
    return items
