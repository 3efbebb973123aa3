"""The members app's entries in the portal menu: only what exists and the user may use."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from association.navigation import NavItem, user_facts


def portal_facts(user) -> dict:
    """Whether the user administers an organisation, and has a worker record."""
    from django.db.models import Exists, OuterRef

    from .models import OrganisationAdmin, SocialWorker

    return {
        "administers": Exists(OrganisationAdmin.objects.filter(user=OuterRef("pk"))),
        "worker": Exists(SocialWorker.objects.filter(user=OuterRef("pk"))),
    }


def portal_nav(user, facts=None) -> list:
    """The organisations' names are read only for a user who administers one."""
    from .models import OrganisationAdmin
    from .permissions import can_view_overview

    if facts is None:
        facts = user_facts(user, portal_facts(user))
    admins = []
    if facts.get("administers"):
        admins = list(OrganisationAdmin.objects.filter(user=user).select_related("organisation"))
    is_worker = facts.get("worker")
    items = []
    if admins or is_worker:
        items.append(
            NavItem(
                _("我的会籍"),
                reverse("members:membership_list"),
                10,
                _("入会申请进度、会籍状态、会费与会员证。"),
            )
        )
    for admin in admins:
        items.append(
            NavItem(
                admin.organisation.name,
                reverse("members:organisation_detail", args=[admin.organisation_id]),
                20,
                _("单位信息、人员名册、会员代表。"),
            )
        )
    if is_worker:
        items.append(
            NavItem(
                _("我的社工档案"),
                reverse("members:worker_profile"),
                30,
                _("个人信息、职业资格与继续教育学时。"),
            )
        )
    if can_view_overview(user):
        items.append(
            NavItem(
                _("会员概况"),
                reverse("members:overview"),
                40,
                _("会员数量、资格等级、区县分布和历年持证人数。"),
            )
        )
    if not items:
        items.append(
            NavItem(_("申请入会"), reverse("members:apply"), 50, _("单位或个人申请加入协会。"))
        )
    return items
