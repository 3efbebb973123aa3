"""The stations app's entries in the portal menu: only what the user may open."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from association.navigation import NavItem


def portal_nav(user) -> list:
    from .selectors import can_see_dashboard, station_list

    items = []
    if station_list(user=user).exists():
        items.append(
            NavItem(
                _("社工站"),
                reverse("stations:station_list"),
                25,
                _("站点信息、驻站人员、服务月报与考核结果。"),
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
    return items
