"""Attachments of vouchers and claims are added and removed only by their services: checked
(who, the month's lock, the claim's state), and kept in the history, removals included."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pghistory.models import Context

from association.finance.models import ClaimAttachment, VoucherAttachment
from association.finance.services import (
    claim_attachment_add,
    claim_attachment_remove,
    claim_submit,
    claim_withdraw,
    period_close,
    voucher_attachment_add,
    voucher_attachment_remove,
    voucher_create,
)

from .factories import claim, fund_rules, post


@pytest.fixture(autouse=True)
def _private_storage(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }


def pdf(name="发票.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4 invoice", content_type="application/pdf")


def draft(by, date="2026-01-05"):
    return voucher_create(
        by=by,
        date=datetime.date.fromisoformat(date),
        summary="办公用品",
        lines=[{"account": "1002", "debit": 10}, {"account": "4201", "credit": 10}],
    )


def actions(model, **filters) -> list[tuple]:
    """(service, user) of each change to ``model``'s rows: the outermost action outside
    a request, each service run inside one."""
    ids = model.pgh_event_model.objects.filter(**filters).values_list("pgh_context_id", flat=True)
    found = set()
    for metadata in Context.objects.filter(pk__in=ids).values_list("metadata", flat=True):
        for name in metadata.get("services") or [metadata.get("action")]:
            found.add((name, metadata.get("user")))
    return sorted(found, key=str)


def test_a_bookkeeper_attaches_to_a_voucher_and_the_history_says_who(bookkeeper):
    voucher = post(bookkeeper, "2026-01-05", ("1002", "D", 10), ("4201", "C", 10))
    attachment = voucher_attachment_add(voucher=voucher, file=pdf(), by=bookkeeper)
    assert attachment.uploaded_by == bookkeeper and attachment.original_name == "发票.pdf"
    assert actions(VoucherAttachment, pgh_obj_id=attachment.pk) == [
        ("finance.voucher_attachment_add", bookkeeper.pk)
    ]


def test_only_bookkeepers_attach_and_only_documents(cast, bookkeeper):
    voucher = draft(bookkeeper)
    for outsider in (cast.official, cast.applicant):
        with pytest.raises(PermissionDenied):
            voucher_attachment_add(voucher=voucher, file=pdf(), by=outsider)
    with pytest.raises(ValidationError):
        voucher_attachment_add(
            voucher=voucher, file=SimpleUploadedFile("a.exe", b"MZ"), by=bookkeeper
        )
    assert not VoucherAttachment.objects.exists()


def test_a_posted_voucher_keeps_its_attachments_and_a_draft_gives_them_up(bookkeeper):
    posted = post(bookkeeper, "2026-01-05", ("1002", "D", 10), ("4201", "C", 10))
    kept = voucher_attachment_add(voucher=posted, file=pdf(), by=bookkeeper)
    with pytest.raises(ValidationError, match="已过账"):
        voucher_attachment_remove(attachment=kept, by=bookkeeper)
    loose = voucher_attachment_add(voucher=draft(bookkeeper), file=pdf(), by=bookkeeper)
    voucher_attachment_remove(attachment=loose, by=bookkeeper)
    assert list(VoucherAttachment.objects.all()) == [kept]
    assert ("finance.voucher_attachment_remove", bookkeeper.pk) in actions(
        VoucherAttachment, pgh_obj_id=loose.pk
    )


def test_a_closed_month_takes_no_attachment(bookkeeper):
    voucher = post(bookkeeper, "2025-01-05", ("1002", "D", 10), ("4201", "C", 10))
    period_close(year=2025, month=1, by=bookkeeper)
    with pytest.raises(ValidationError, match="已结账"):
        voucher_attachment_add(voucher=voucher, file=pdf(), by=bookkeeper)


def test_the_upload_page_goes_through_the_service(bookkeeper, client_for):
    voucher = post(bookkeeper, "2025-01-05", ("1002", "D", 10), ("4201", "C", 10))
    client = client_for(bookkeeper)
    url = reverse("finance:attachment_upload", args=[voucher.pk])
    client.post(url, {"file": pdf()})
    assert actions(VoucherAttachment) == [("finance.voucher_attachment_add", bookkeeper.pk)]
    period_close(year=2025, month=1, by=bookkeeper)
    response = client.post(url, {"file": pdf()}, follow=True)
    assert "已结账" in response.content.decode()
    assert VoucherAttachment.objects.count() == 1


def test_a_claimant_attaches_until_payment_and_removes_only_from_a_draft(cast, bookkeeper):
    fund_rules()
    mine = claim(bookkeeper, "100")
    first = claim_attachment_add(claim=mine, file=pdf(), by=bookkeeper)
    with pytest.raises(PermissionDenied):
        claim_attachment_add(claim=mine, file=pdf(), by=cast.applicant)
    submitted = claim_submit(claim=mine, by=bookkeeper)
    claim_attachment_add(claim=submitted, file=pdf("收据.pdf"), by=bookkeeper)
    with pytest.raises(ValidationError, match="草稿"):
        claim_attachment_remove(attachment=first, by=bookkeeper)
    claim_withdraw(claim=submitted, by=bookkeeper)
    with pytest.raises(ValidationError, match="已撤回"):
        claim_attachment_add(claim=submitted, file=pdf(), by=bookkeeper)
    assert ClaimAttachment.objects.filter(claim=mine).count() == 2
    assert actions(ClaimAttachment, pgh_obj_id=first.pk) == [
        ("finance.claim_attachment_add", bookkeeper.pk)
    ]


def test_a_draft_claims_attachment_is_removed_with_a_trace(bookkeeper):
    fund_rules()
    attachment = claim_attachment_add(claim=claim(bookkeeper, "100"), file=pdf(), by=bookkeeper)
    claim_attachment_remove(attachment=attachment, by=bookkeeper)
    assert not ClaimAttachment.objects.exists()
    assert ("finance.claim_attachment_remove", bookkeeper.pk) in actions(
        ClaimAttachment, pgh_obj_id=attachment.pk
    )
