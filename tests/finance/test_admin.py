"""The finance admin never writes past a service: setup records through record_save and
record_delete, attachments through theirs, and the records that change only by their
services (periods, vouchers, claims, fund rules) not at all from a change form."""

import datetime

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from association.finance.models import (
    Account,
    Fund,
    Grant,
    GrantTranche,
    StatementLayout,
    StatementLine,
    Voucher,
    VoucherAttachment,
)
from association.finance.services import record_delete, record_save, voucher_attachment_add

from .factories import post
from .test_attachments import _private_storage, actions, draft, pdf  # noqa: F401


@pytest.fixture
def admin_client(cast, client_for):
    cast.staff.is_superuser = True
    cast.staff.save()
    TOTP.activate(cast.staff, generate_totp_secret())
    return client_for(cast.staff)


def form_data(response) -> dict:
    """What the change form would post back unchanged: its fields and every inline's."""
    data = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        forms.append(formset.management_form)
        forms.extend(formset.forms)
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is None:
                continue
            if isinstance(value, list | tuple):
                data[form.add_prefix(name)] = [str(v) for v in value]
            elif isinstance(value, bool):
                if value:
                    data[form.add_prefix(name)] = "on"
            else:
                data[form.add_prefix(name)] = str(value)
    return data


def test_an_attachment_added_in_the_admin_goes_through_the_service(cast, admin_client):
    voucher = post(cast.staff, "2026-01-05", ("1002", "D", 10), ("4201", "C", 10))
    url = reverse("admin:finance_voucher_change", args=[voucher.pk])
    data = form_data(admin_client.get(url))
    data.update({"attachments-TOTAL_FORMS": "1", "attachments-0-file": pdf()})
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    attachment = VoucherAttachment.objects.get()
    assert attachment.uploaded_by == cast.staff and attachment.original_name == "发票.pdf"
    assert actions(VoucherAttachment) == [("finance.voucher_attachment_add", cast.staff.pk)]
    voucher.refresh_from_db()
    assert voucher.summary == "测试凭证"  # the voucher itself was not saved


def test_the_admin_cannot_remove_a_posted_vouchers_attachment(cast, admin_client):
    voucher = post(cast.staff, "2026-01-05", ("1002", "D", 10), ("4201", "C", 10))
    voucher_attachment_add(voucher=voucher, file=pdf(), by=cast.staff)
    url = reverse("admin:finance_voucher_change", args=[voucher.pk])
    data = form_data(admin_client.get(url))
    data["attachments-0-DELETE"] = "on"
    response = admin_client.post(url, data)
    assert response.status_code == 200 and "已过账凭证的附件不能删除" in response.content.decode()
    assert VoucherAttachment.objects.count() == 1
    # A draft's attachment is removed, by the service.
    loose = voucher_attachment_add(voucher=draft(cast.staff), file=pdf(), by=cast.staff)
    url = reverse("admin:finance_voucher_change", args=[loose.voucher_id])
    data = form_data(admin_client.get(url))
    data["attachments-0-DELETE"] = "on"
    assert admin_client.post(url, data).status_code == 302
    assert not VoucherAttachment.objects.filter(pk=loose.pk).exists()
    assert ("finance.voucher_attachment_remove", cast.staff.pk) in actions(
        VoucherAttachment, pgh_obj_id=loose.pk
    )


def test_a_setup_record_is_saved_through_the_service(cast, admin_client):
    response = admin_client.post(
        reverse("admin:finance_fund_add"),
        {"code": "F900", "name": "助学专项资金", "restriction": "restricted", "purpose": "助学"},
    )
    assert response.status_code == 302, response.context and response.context["errors"]
    fund = Fund.objects.get(code="F900")
    assert actions(Fund, pgh_obj_id=fund.pk) == [("finance.record_save", cast.staff.pk)]


def test_a_layouts_lines_and_their_accounts_are_saved_through_the_service(cast, admin_client):
    layout = StatementLayout.objects.filter(lines__accounts__isnull=False).first()
    url = reverse("admin:finance_statementlayout_change", args=[layout.pk])
    data = form_data(admin_client.get(url))
    line = StatementLine.objects.filter(layout=layout, accounts__isnull=False).first()
    index = next(
        key.split("-")[1]
        for key, value in data.items()
        if key.endswith("-id") and value == str(line.pk)
    )
    cash = Account.objects.get(code="1002")
    data[f"lines-{index}-label"] = "货币资金（改）"
    data[f"lines-{index}-accounts"] = [str(cash.pk)]
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    line.refresh_from_db()
    assert line.label == "货币资金（改）" and list(line.accounts.all()) == [cash]
    assert ("finance.record_save", cast.staff.pk) in actions(StatementLine, pgh_obj_id=line.pk)


def test_record_services_check_the_permission_and_the_rules(cast):
    fund = Fund(code="F901", name="测试资金", restriction="restricted", purpose="测试")
    with pytest.raises(PermissionDenied):
        record_save(record=fund, by=cast.official)
    with pytest.raises(PermissionDenied):  # officers read funds; staff keep them
        record_save(record=fund, by=cast.officer)
    record_save(record=fund, by=cast.staff)
    with pytest.raises(PermissionDenied):  # nobody deletes a fund but a superuser
        record_delete(record=fund, by=cast.staff)
    with pytest.raises(PermissionDenied):  # a voucher is no setup record
        record_save(record=Voucher.objects.first() or Voucher(), by=cast.staff)
    grant = Grant.objects.create(
        title="社工站运营补助",
        kind="purchase_of_service",
        counterparty="许昌市民政局",
        fund=fund,
        account=Account.objects.get(code="4201"),
        total=1000,
        signed_on=datetime.date(2026, 1, 1),
        starts_on=datetime.date(2026, 1, 1),
        ends_on=datetime.date(2026, 12, 31),
    )
    voucher = post(cast.staff, "2026-01-05", ("1002", "D", 10), ("4201", "C", 10))
    tranche = GrantTranche.objects.create(
        grant=grant,
        label="第一期",
        due_on=datetime.date(2026, 1, 5),
        amount=10,
        settled_on=datetime.date(2026, 1, 5),
        voucher=voucher,
    )
    tranche.amount = 20
    with pytest.raises(ValidationError, match="已结算"):
        record_save(record=tranche, by=cast.staff)


def test_a_periods_change_form_writes_nothing(cast, admin_client):
    from association.finance.models import Period

    post(cast.staff, "2026-01-05", ("1002", "D", 10), ("4201", "C", 10))
    period = Period.objects.get(year=2026, month=1)
    url = reverse("admin:finance_period_change", args=[period.pk])
    before = Period.pgh_event_model.objects.count()
    admin_client.post(url, form_data(admin_client.get(url)))
    assert Period.pgh_event_model.objects.count() == before


def test_the_admin_takes_documents_only(cast, admin_client):
    voucher = draft(cast.staff)
    url = reverse("admin:finance_voucher_change", args=[voucher.pk])
    data = form_data(admin_client.get(url))
    data.update(
        {"attachments-TOTAL_FORMS": "1", "attachments-0-file": SimpleUploadedFile("a.exe", b"MZ")}
    )
    response = admin_client.post(url, data)
    assert response.status_code == 200 and "不支持的文件类型" in response.content.decode()
    assert not VoucherAttachment.objects.exists()
