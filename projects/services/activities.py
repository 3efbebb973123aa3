"""Service activities, start-up grants and practice bases."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from association.accounts.models import User
from association.accounts.roles import require, require_staff
from association.services import send_on_commit, service
from association.workflow import transition

from .. import signals
from ..choices import GRANT_TRANSITIONS, GrantStatus, MilestoneStatus
from ..models import (
    ActivityPhoto,
    GrantMilestone,
    PracticeBase,
    PracticeParticipation,
    Project,
    ServiceActivity,
    StartupGrant,
)
from ..permissions import can_record_activity, is_team_member


@service
def activity_record(
    *, activity: ServiceActivity, project: Project, by: User, photos=()
) -> ServiceActivity:
    require(can_record_activity(by, project), _("您无权登记该项目的服务活动。"))
    if activity.date > timezone.localdate():
        raise ValidationError({"date": _("活动日期不能晚于今天。")})
    if not (project.start_date <= activity.date <= project.end_date):
        raise ValidationError({"date": _("活动日期应在项目周期内。")})
    activity.project = project
    activity.recorded_by = by
    activity.full_clean()
    activity.save()
    for upload in photos:
        ActivityPhoto.objects.create(activity=activity, image=upload, caption=upload.name[:200])
    return activity


@service
def grant_apply(*, grant: StartupGrant, project: Project, by: User) -> StartupGrant:
    """A project team (a current member or its leader) applies for a start-up grant."""
    require(is_team_member(by, project), _("只有项目团队成员可以申请创业资助。"))
    grant.project = project
    grant.applied_by = by
    grant.applied_on = timezone.localdate()
    grant.status = GrantStatus.APPLIED
    grant.full_clean()
    grant.save()
    return grant


@service
def grant_review_start(*, grant: StartupGrant, by: User) -> StartupGrant:
    require_staff(by)
    grant = StartupGrant.objects.select_for_update().get(pk=grant.pk)
    transition(grant, GrantStatus.UNDER_REVIEW, GRANT_TRANSITIONS)
    grant.reviewed_by = by
    grant.save()
    return grant


@service
def grant_decide(
    *,
    grant: StartupGrant,
    by: User,
    award: bool,
    note: str,
    amount: Decimal | None = None,
    milestones: list[tuple[str, datetime.date, Decimal]] = (),
) -> StartupGrant:
    """Award (with the amount split into milestones that add up to it) or reject."""
    require_staff(by)
    if not note.strip():
        raise ValidationError({"review_note": _("请填写评审意见。")})
    grant = StartupGrant.objects.select_for_update().get(pk=grant.pk)
    if award:
        if amount is None or amount <= 0:
            raise ValidationError({"amount_awarded": _("请填写资助金额。")})
        if not milestones:
            raise ValidationError(_("请设置至少一个资助里程碑。"))
        if sum(m[2] for m in milestones) != amount:
            raise ValidationError(_("各里程碑拨付金额之和须等于资助金额。"))
        transition(grant, GrantStatus.AWARDED, GRANT_TRANSITIONS)
        grant.amount_awarded = amount
    else:
        transition(grant, GrantStatus.REJECTED, GRANT_TRANSITIONS)
    grant.review_note = note.strip()
    grant.reviewed_by = by
    grant.decided_on = timezone.localdate()
    grant.full_clean()
    grant.save()
    for title, due_on, tranche in milestones if award else ():
        GrantMilestone.objects.create(grant=grant, title=title, due_on=due_on, amount=tranche)
    return grant


@service
def milestone_achieve(
    *, milestone: GrantMilestone, by: User, on: datetime.date, evidence=None
) -> GrantMilestone:
    require_staff(by)
    milestone = GrantMilestone.objects.select_for_update().get(pk=milestone.pk)
    if milestone.status != MilestoneStatus.PENDING:
        raise ValidationError(_("该里程碑已登记完成。"))
    if on > timezone.localdate():
        raise ValidationError({"achieved_on": _("完成日期不能晚于今天。")})
    milestone.status = MilestoneStatus.ACHIEVED
    milestone.achieved_on = on
    if evidence:
        milestone.evidence = evidence
    milestone.save()
    # the tranche is now due: finance pays it (receivers.py) once this commits
    send_on_commit(signals.grant_payment_due, "projects", milestone_id=milestone.pk, by_id=by.pk)
    grant = milestone.grant
    if not grant.milestones.exclude(
        status__in=[MilestoneStatus.ACHIEVED, MilestoneStatus.PAID]
    ).exists():
        grant = StartupGrant.objects.select_for_update().get(pk=grant.pk)
        transition(grant, GrantStatus.COMPLETED, GRANT_TRANSITIONS)
        grant.save(update_fields=["status"])
    return milestone


@service
def milestone_payment_request(*, milestone: GrantMilestone, by: User) -> GrantMilestone:
    """Ask finance again to pay an achieved milestone (after a refusal there, e.g. the
    programme's fund was missing or the month was closed)."""
    require_staff(by)
    if milestone.status != MilestoneStatus.ACHIEVED:
        raise ValidationError(_("只有已完成、尚未拨付的里程碑可以提交拨付。"))
    send_on_commit(signals.grant_payment_due, "projects", milestone_id=milestone.pk, by_id=by.pk)
    return milestone


@service
def milestone_paid(*, milestone: GrantMilestone, by: User, reference: str) -> GrantMilestone:
    """Finance paid an achieved milestone's tranche: the voucher number is its reference
    (called by finance's payment service, in the same transaction as the voucher)."""
    require_staff(by)
    milestone = GrantMilestone.objects.select_for_update().get(pk=milestone.pk)
    if milestone.status == MilestoneStatus.PAID:
        raise ValidationError(_("该里程碑的资助款已拨付。"))
    if milestone.status != MilestoneStatus.ACHIEVED:
        raise ValidationError(_("里程碑完成后才能拨付资助款。"))
    if not reference.strip():
        raise ValidationError({"payment_reference": _("请填写拨付凭证号。")})
    milestone.status = MilestoneStatus.PAID
    milestone.payment_reference = reference.strip()[:50]
    milestone.save(update_fields=["status", "payment_reference"])
    return milestone


@service
def practice_base_save(*, base: PracticeBase, by: User) -> PracticeBase:
    """Staff record a practice base's agreement with a university, or amend it (never to
    a capacity or period that its placements no longer fit: ``participation_add``)."""
    require_staff(by)
    base.full_clean()
    base.save()
    return base


def _fits(base: PracticeBase, placed: list, participation: PracticeParticipation) -> None:
    if not (
        base.agreement_starts_on <= participation.starts_on
        and participation.ends_on <= base.agreement_ends_on
    ):
        raise ValidationError(_("实践时间须在基地合作协议期内。"))
    overlapping = sum(
        1
        for starts_on, ends_on in placed
        if starts_on <= participation.ends_on and ends_on >= participation.starts_on
    )
    if overlapping >= base.capacity:
        raise ValidationError(
            _("该基地同时最多接纳 %(capacity)s 名学生，所选时段已满。")
            % {"capacity": base.capacity}
        )


@service
def participations_add(
    *, base: PracticeBase, participations: list[PracticeParticipation], by: User
) -> list[PracticeParticipation]:
    """Place a university's roster at a base at once (a term's students): each within the
    agreement period and the capacity, counting the roster's own overlaps; all or none."""
    require_staff(by)
    if not participations:
        return []
    base = PracticeBase.objects.select_for_update().get(pk=base.pk)
    first = min(p.starts_on for p in participations)
    last = max(p.ends_on for p in participations)
    placed = list(
        base.participations.filter(starts_on__lte=last, ends_on__gte=first).values_list(
            "starts_on", "ends_on"
        )
    )
    for participation in participations:
        _fits(base, placed, participation)
        participation.base = base
        # the fields and the row's own rules; its constraints (dates in order, hours not
        # negative) hold in the database at the insert, without a query per student
        participation.clean_fields(exclude=["base"])
        participation.clean()
        placed.append((participation.starts_on, participation.ends_on))
    return PracticeParticipation.objects.bulk_create(participations)


@service
def participation_add(
    *, base: PracticeBase, participation: PracticeParticipation, by: User
) -> PracticeParticipation:
    """Place a student at a base: within the agreement period and its capacity (the base
    row is locked, so two placements at once cannot exceed it)."""
    require_staff(by)
    base = PracticeBase.objects.select_for_update().get(pk=base.pk)
    if not (
        base.agreement_starts_on <= participation.starts_on
        and participation.ends_on <= base.agreement_ends_on
    ):
        raise ValidationError(_("实践时间须在基地合作协议期内。"))
    overlapping = base.participations.filter(
        Q(starts_on__lte=participation.ends_on) & Q(ends_on__gte=participation.starts_on)
    ).count()
    if overlapping >= base.capacity:
        raise ValidationError(
            _("该基地同时最多接纳 %(capacity)s 名学生，所选时段已满。")
            % {"capacity": base.capacity}
        )
    participation.base = base
    participation.full_clean()
    participation.save()
    return participation
