"""Dues: billing a year at the standard in force, recording payments with receipts."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from association.accounts.roles import require_staff
from association.services import send_on_commit, service

from .. import signals
from ..choices import MembershipState
from ..models import Dues, DuesStandard, Membership
from ..rules import Rules
from ..selectors import dues_standard_for, membership_get_for_user
from .numbering import next_number


@service
def dues_bill(*, membership: Membership, year: int) -> Dues:
    """The dues record of ``year`` (created at the standard in force on its due date if
    missing). Idempotent."""
    existing = Dues.objects.filter(membership=membership, year=year).first()
    if existing is not None:
        return existing
    rules = Rules.from_settings()
    due_on = rules.due_date(year, membership.member_since)
    standard = dues_standard_for(membership.member_type, min(due_on, datetime.date(year, 12, 31)))
    dues, _created = Dues.objects.get_or_create(
        membership=membership, year=year, defaults={"amount": standard.amount, "due_on": due_on}
    )
    return dues


@service
def dues_standard_record(
    *,
    by,
    member_type: str,
    amount: Decimal,
    effective_from: datetime.date,
    motion_ref: int,
    adopted_on: datetime.date,
    resolution: str,
) -> DuesStandard:
    """Record a dues standard the general meeting adopted. Called only by
    ``governance.services.dues_standard_adopt``, which checks the motion (members cannot
    read governance); the database refuses a standard without its motion."""
    require_staff(by)
    if Decimal(amount) < 0:
        raise ValidationError({"amount": _("会费金额不能为负数。")})
    if effective_from < adopted_on:
        message = _("会费标准的起始日期不能早于大会通过之日（%(day)s）。") % {"day": adopted_on}
        raise ValidationError({"effective_from": message})
    standard = DuesStandard(
        member_type=member_type,
        amount=amount,
        effective_from=effective_from,
        motion_ref=motion_ref,
        adopted_on=adopted_on,
        resolution=resolution,
    )
    standard.full_clean()
    standard.save()
    return standard


def first_year_due(membership: Membership, rules: Rules | None = None) -> datetime.date:
    """The day whose standard a member's first year is billed at (``dues_bill``)."""
    rules = rules or Rules.from_settings()
    year = membership.member_since.year
    return min(rules.due_date(year, membership.member_since), datetime.date(year, 12, 31))


def standard_set_for(member_type: str) -> bool:
    """Whether the general meeting has set any dues standard for ``member_type`` yet."""
    return DuesStandard.objects.filter(member_type=member_type).exists()


@service
def dues_bill_awaiting_standard(*, standard: DuesStandard, by) -> list[Dues]:
    """Bill the first year of the members admitted before the general meeting had set any
    dues standard for their type (``membership_approve`` bills nothing then): every
    admitted membership of ``standard``'s type that was never billed, when its first year
    falls under the standard. Called by ``governance.services.dues_standard_adopt`` right
    after the standard is recorded (the founders admitted on the morning of the founding
    congress are billed by the congress's dues motion). Idempotent."""
    require_staff(by)
    rules = Rules.from_settings()
    waiting = Membership.objects.filter(
        member_type=standard.member_type,
        state__in=[MembershipState.APPROVED, MembershipState.SUSPENDED],
        member_since__isnull=False,
        dues__isnull=True,
    ).order_by("pk")
    return [
        dues_bill(membership=membership, year=membership.member_since.year)
        for membership in waiting
        if first_year_due(membership, rules) >= standard.effective_from
    ]


@service
def dues_record_payment(
    *,
    dues: Dues,
    by,
    paid_on: datetime.date | None = None,
    amount: Decimal | None = None,
    method: str = "",
) -> Dues:
    """Staff record a payment: the receipt number (HF-<year>-0001, gapless per year of
    payment) is issued under a lock. Recording the same payment twice is refused."""
    require_staff(by)
    dues = Dues.objects.select_for_update().get(pk=dues.pk)
    if dues.paid_on is not None:
        raise ValidationError(
            _("%(year)s年度会费已于%(date)s缴纳（收据 %(receipt)s）。")
            % {"year": dues.year, "date": dues.paid_on, "receipt": dues.receipt_number}
        )
    paid_on = paid_on or timezone.localdate()
    if paid_on > timezone.localdate():
        raise ValidationError({"paid_on": _("缴费日期不能晚于今天。")})
    if amount is not None and amount != dues.amount:
        raise ValidationError(
            {"amount": _("缴费金额应为会费标准 %(amount)s 元。") % {"amount": dues.amount}}
        )
    dues.paid_on = paid_on
    dues.receipt_number = f"HF-{paid_on.year}-{next_number(f'receipt:{paid_on.year}'):04d}"
    dues.payment_method = method
    dues.recorded_by = by
    dues.save()
    send_on_commit(signals.dues_paid, "members", membership_id=dues.membership_id, dues_id=dues.pk)
    return dues


@service
def membership_renew(
    *, membership: Membership, by, year: int | None = None, paid_on=None, method: str = ""
) -> Dues:
    """Renew for ``year`` (this year by default). A member (or its organisation admin)
    asks for the bill; staff renew by recording the payment too. The member number and
    "member since" stay as they were."""
    membership = membership_get_for_user(user=by, pk=membership.pk, for_update=True)
    if membership.state != MembershipState.APPROVED:
        raise ValidationError(_("只有已入会且未被暂停资格的会员可以续费。"))
    year = year or timezone.localdate().year
    dues = dues_bill(membership=membership, year=year)
    if paid_on is not None:
        dues = dues_record_payment(dues=dues, by=by, paid_on=paid_on, method=method)
    return dues
