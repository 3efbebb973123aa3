"""Representatives elected by the individual members to the general meeting (会员代表大会).

Unit members designate their representatives (``organisations.representative_designate``);
individual members elect theirs at an electoral meeting of a constituency (选区), and staff
record the results here. An election replaces the constituency's representatives: those
still active are ended on the day the new term starts.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from association.accounts.roles import require_staff
from association.services import service

from ..choices import MemberType
from ..models import ElectedRepresentative, Membership
from ..rules import GOOD_STANDING


@dataclass(frozen=True)
class ElectionResult:
    """One elected member of an election's results, with the votes received."""

    membership: Membership
    votes: int


def _name(membership: Membership) -> str:
    return membership.person.name if membership.person else str(membership)


@service
def representatives_elect(
    *,
    results: Iterable[ElectionResult],
    elected_on: datetime.date,
    votes_cast: int,
    by,
    constituency: str = "",
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
) -> list[ElectedRepresentative]:
    """Record the results of one electoral meeting of the individual members, all or
    nothing: every one elected must be an individual member in good standing on the day of
    the election. Staff only."""
    require_staff(by)
    results = list(results)
    constituency = constituency.strip()
    starts_on = starts_on or elected_on
    errors: list[str] = []
    if not results:
        errors.append(_("请至少填写一名当选的会员代表。"))
    if elected_on > timezone.localdate():
        errors.append(_("选举日期不能晚于今天。"))
    if starts_on < elected_on:
        errors.append(_("任期不能早于选举日期开始。"))
    if ends_on is not None and ends_on < starts_on:
        errors.append(_("任期届满日期不能早于任期开始日期。"))
    if votes_cast <= 0:
        errors.append(_("投票总数必须大于零。"))

    ids = [result.membership.pk for result in results]
    memberships = Membership.objects.select_related("person").in_bulk(ids)
    good = set(
        Membership.objects.filter(pk__in=ids)
        .with_standing(elected_on)
        .filter(standing__in=GOOD_STANDING)
        .values_list("pk", flat=True)
    )
    elsewhere = dict(
        ElectedRepresentative.objects.active()
        .filter(membership_id__in=ids)
        .exclude(constituency=constituency)
        .values_list("membership_id", "constituency")
    )
    day = date_format(elected_on, "DATE_FORMAT")
    seen: set[int] = set()
    for result in results:
        membership = memberships[result.membership.pk]
        name = _name(membership)
        if membership.pk in seen:
            errors.append(_("%(name)s在当选名单中重复出现。") % {"name": name})
            continue
        seen.add(membership.pk)
        if membership.member_type != MemberType.INDIVIDUAL:
            errors.append(_("%(name)s不是个人会员，不能当选个人会员代表。") % {"name": name})
            continue
        if membership.pk not in good:
            errors.append(
                _("%(name)s在%(day)s不是正常状态的会员，不能当选会员代表。")
                % {"name": name, "day": day}
            )
        if membership.pk in elsewhere:
            errors.append(
                _("%(name)s已是“%(constituency)s”选区在任的个人会员代表。")
                % {"name": name, "constituency": elsewhere[membership.pk] or _("全体个人会员")}
            )
        if result.votes < 0 or result.votes > votes_cast:
            errors.append(
                _("%(name)s的得票数（%(votes)s）须在零与投票总数（%(cast)s）之间。")
                % {"name": name, "votes": result.votes, "cast": votes_cast}
            )
    predecessors = list(
        ElectedRepresentative.objects.select_for_update()
        .active()
        .filter(constituency=constituency)
        .order_by("id")
    )
    if any(old.elected_on >= elected_on for old in predecessors):
        errors.append(_("该选区已登记了同日或更晚的选举结果。"))
    if errors:
        raise ValidationError(errors)

    for old in predecessors:
        old.ended_on = starts_on
        old.end_reason = _("由%(day)s的选举换届。") % {"day": day}
        old.save(update_fields=["ended_on", "end_reason"])
    elected = []
    for result in results:
        representative = ElectedRepresentative(
            membership=memberships[result.membership.pk],
            constituency=constituency,
            elected_on=elected_on,
            votes_received=result.votes,
            votes_cast=votes_cast,
            starts_on=starts_on,
            ends_on=ends_on,
            recorded_by=by,
        )
        representative.full_clean()
        representative.save()
        elected.append(representative)
    return elected


@service
def elected_representative_end(
    *,
    representative: ElectedRepresentative,
    by,
    reason: str,
    ended_on: datetime.date | None = None,
) -> ElectedRepresentative:
    """An elected representative leaves before the next election (resignation, the end of
    the membership...): from ``ended_on`` (today) on, they are no longer on the roll."""
    require_staff(by)
    representative = ElectedRepresentative.objects.select_for_update().get(pk=representative.pk)
    ended_on = ended_on or timezone.localdate()
    if representative.ended_on is not None:
        raise ValidationError(_("该个人会员代表已终止。"))
    if not reason.strip():
        raise ValidationError({"reason": _("请填写终止原因。")})
    if ended_on < representative.elected_on:
        raise ValidationError({"ended_on": _("终止日期不能早于选举日期。")})
    representative.ended_on = ended_on
    representative.end_reason = reason.strip()
    representative.save(update_fields=["ended_on", "end_reason"])
    return representative
