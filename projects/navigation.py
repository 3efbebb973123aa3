"""The projects app's entries in the portal menu: only what exists and the user may use."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from association.accounts.choices import Role
from association.accounts.roles import has_role, is_association_staff
from association.navigation import NavItem, user_facts


def portal_facts(user) -> dict:
    """What the menu needs to know about the user."""
    from django.db.models import Exists, OuterRef

    from .models import Application, Expert, Project, TeamMember

    mine = {"user": OuterRef("pk")}
    return {
        "applied": Exists(Application.objects.filter(applicant=OuterRef("pk"))),
        "in_team": Exists(TeamMember.objects.filter(**mine)),
        "mentors": Exists(TeamMember.objects.filter(role="mentor", left_on__isnull=True, **mine)),
        "operates": Exists(Project.objects.filter(operator__admins__user=OuterRef("pk"))),
        "in_pool": Exists(Expert.objects.filter(**mine)),
    }


def portal_nav(user, facts=None) -> list:
    from .permissions import can_see_aggregates

    if facts is None:
        facts = user_facts(user, portal_facts(user))
    staff = is_association_staff(user)
    items = []
    if facts.get("applied"):
        items.append(
            NavItem(
                _("我的报名"), reverse("projects:my_applications"), 60, _("报名进度、录取与服务。")
            )
        )
    if staff or facts.get("in_team") or facts.get("operates"):
        items.append(
            NavItem(
                _("公益项目"),
                reverse("projects:project_list"),
                61,
                _("项目团队、工作清单与服务活动。"),
            )
        )
    if facts.get("mentors"):
        items.append(
            NavItem(_("督导考核"), reverse("projects:mentor_home"), 62, _("考核服务中的毕业生。"))
        )
    if facts.get("in_pool"):
        items.append(
            NavItem(
                _("我的指派"), reverse("projects:assignment_list"), 63, _("法院委托的服务事项。")
            )
        )
    if staff or has_role(user, Role.EXPERT):
        items.append(
            NavItem(
                _("司法转介"), reverse("projects:referral_list"), 64, _("未成年人司法社工服务。")
            )
        )
    if can_see_aggregates(user):
        items.append(
            NavItem(
                _("公益计划"), reverse("projects:programme_list"), 65, _("计划、批次与服务统计。")
            )
        )
    if not user.is_staff and not items and not has_role(user, Role.OFFICIAL):
        items.append(
            NavItem(_("毕业生报名"), reverse("projects:round_list"), 66, _("毕业生社工计划报名。"))
        )
    return items
