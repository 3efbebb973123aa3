"""Attachments: the invoices, receipts and contracts kept with a voucher or a claim.

Added and removed only here (the portal's upload forms and the admin's inlines alike), so
that each change is checked, attributed in the history (pghistory tracks both models) and
bound by the books' rules: a closed month's vouchers keep the evidence they had, and a
posted voucher's evidence is never removed (it is reversed, not edited)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from association.accounts.roles import require
from association.files import validate_upload
from association.services import service

from ..choices import ClaimStatus, PeriodStatus, VoucherStatus
from ..models import ClaimAttachment, ExpenseClaim, Voucher, VoucherAttachment
from ..permissions import can_keep_books, require_books
from ..selectors import period_is_closed
from .ledger import period_lock


def _closed(year: int, month: int) -> ValidationError:
    return ValidationError(
        _("%(year)s年%(month)s月已结账，该期间凭证的附件不能再增删。")
        % {"year": year, "month": month}
    )


def check_voucher_attachments(voucher: Voucher, *, removing: bool = False) -> None:
    """Whether attachments of ``voucher`` may be added (or removed): raises the reason.
    For a form's early answer; the services check again under the period's lock."""
    if removing and voucher.status != VoucherStatus.DRAFT:
        raise ValidationError(_("已过账凭证的附件不能删除。"))
    if period_is_closed(voucher.date):
        raise _closed(voucher.date.year, voucher.date.month)


def _open_period(voucher: Voucher) -> None:
    """Lock the voucher's month (as posting and closing do) and refuse a closed one."""
    period = period_lock(voucher.date)
    if period.status == PeriodStatus.CLOSED:
        raise _closed(period.year, period.month)


def _name(upload, name: str | None) -> str:
    return (name or getattr(upload, "name", "") or "").rsplit("/", 1)[-1][:200]


@service
def voucher_attachment_add(
    *, voucher: Voucher, file, by, name: str | None = None
) -> VoucherAttachment:
    """Attach ``file`` to a voucher whose month is still open (draft or posted)."""
    require_books(by)
    validate_upload(file)
    voucher = Voucher.objects.get(pk=voucher.pk)
    _open_period(voucher)
    return VoucherAttachment.objects.create(
        voucher=voucher, file=file, original_name=_name(file, name), uploaded_by=by
    )


@service
def voucher_attachment_remove(*, attachment: VoucherAttachment, by) -> None:
    """Remove an attachment of a draft in an open month; a posted voucher keeps its own."""
    require_books(by)
    attachment = VoucherAttachment.objects.select_related("voucher").get(pk=attachment.pk)
    voucher = Voucher.objects.select_for_update().get(pk=attachment.voucher_id)
    check_voucher_attachments(voucher, removing=True)
    _open_period(voucher)
    attachment.delete()


def _require_claim_writer(claim: ExpenseClaim, by) -> None:
    require(
        claim.claimant_id == by.pk or can_keep_books(by),
        _("只有报销人本人或协会工作人员可以增删报销附件。"),
    )


# A claim takes evidence until it is paid (the payment voucher then holds the books' copy)
# and gives it up only while a draft, before any approver has read it.
CLAIM_ATTACHABLE = (ClaimStatus.DRAFT, ClaimStatus.SUBMITTED, ClaimStatus.APPROVED)


def check_claim_attachments(claim: ExpenseClaim, *, removing: bool = False) -> None:
    """Whether attachments of ``claim`` may be added (or removed): raises the reason."""
    if removing and claim.status != ClaimStatus.DRAFT:
        raise ValidationError(_("只有草稿报销单的附件可以删除。"))
    if claim.status not in CLAIM_ATTACHABLE:
        raise ValidationError(
            _("报销单%(status)s，不能再添加附件。") % {"status": claim.get_status_display()}
        )


@service
def claim_attachment_add(
    *, claim: ExpenseClaim, file, by, name: str | None = None
) -> ClaimAttachment:
    claim = ExpenseClaim.objects.select_for_update().get(pk=claim.pk)
    _require_claim_writer(claim, by)
    check_claim_attachments(claim)
    validate_upload(file)
    return ClaimAttachment.objects.create(claim=claim, file=file, original_name=_name(file, name))


@service
def claim_attachment_remove(*, attachment: ClaimAttachment, by) -> None:
    attachment = ClaimAttachment.objects.get(pk=attachment.pk)
    claim = ExpenseClaim.objects.select_for_update().get(pk=attachment.claim_id)
    _require_claim_writer(claim, by)
    check_claim_attachments(claim, removing=True)
    attachment.delete()
