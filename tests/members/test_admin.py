"""Staff tools: import/export rules, and admin actions that call the services."""

import datetime

import pytest
import tablib
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from members.choices import MembershipState
from members.models import Membership, Organisation, SocialWorker
from members.resources import FORMATS, ChineseCSV, OrganisationResource, SocialWorkerResource
from tests.factories import UserFactory

from .factories import DuesFactory, MembershipFactory, SocialWorkerFactory, credit_code, id_number

HEADERS = [
    "姓名",
    "性别",
    "公民身份号码",
    "手机号码",
    "电子邮箱",
    "工作单位统一社会信用代码",
    "职业资格",
    "资格证书编号",
    "取得资格日期",
    "登记日期",
]


def admin_client(client, user):
    TOTP.activate(user, generate_totp_secret())
    client.force_login(user)
    return client


def worker_row(name, number, **overrides):
    row = {
        "姓名": name,
        "性别": "女",
        "公民身份号码": number,
        "手机号码": "13800000000",
        "电子邮箱": "",
        "工作单位统一社会信用代码": "",
        "职业资格": "助理社会工作师",
        "资格证书编号": "ZS001",
        "取得资格日期": "2021-06-20",
        "登记日期": "2021-09-01",
    }
    row.update(overrides)
    return [row[h] for h in HEADERS]


def bad_file_rows():
    taken = SocialWorkerFactory(id_number=id_number(900)).id_number
    return [
        worker_row("张三", id_number(1)),  # line 2: fine
        worker_row("李四", id_number(2)[:-1] + ("0" if id_number(2)[-1] != "0" else "1")),  # 3
        worker_row("王五", id_number(3)),  # line 4: fine
        worker_row("赵六", id_number(3)),  # line 5: duplicate of line 4
        worker_row("=cmd()", id_number(4)),  # line 6: formula
        worker_row("孙七", taken),  # line 7: already registered
        worker_row("周八", id_number(5), 取得资格日期="2021-13-45"),  # line 8: bad date
        worker_row("", id_number(6)),  # line 9: no name
    ]


def test_it_imports_nothing_from_a_bad_file_and_names_every_bad_line(db):
    dataset = tablib.Dataset(*bad_file_rows(), headers=HEADERS)
    result = SocialWorkerResource().import_data(
        dataset, dry_run=False, raise_errors=False, rollback_on_validation_errors=True
    )
    assert result.has_validation_errors()
    bad_lines = sorted(row.number + 1 for row in result.invalid_rows)
    assert bad_lines == [3, 5, 6, 7, 8, 9]
    messages = {row.number + 1: " ".join(row.error.messages) for row in result.invalid_rows}
    assert "校验位" in messages[3]
    assert "与第4行重复" in messages[5]
    assert "公式" in messages[6]
    assert "已登记" in messages[7]
    assert SocialWorker.objects.count() == 1  # only the one made before


def test_it_reads_gbk_and_utf8_csv():
    text = "姓名,性别\n张三,女\n"
    for encoding in ("gbk", "utf-8-sig", "utf-8"):
        dataset = ChineseCSV().create_dataset(text.encode(encoding))
        assert dataset.dict[0]["姓名"] == "张三"


def test_it_rejects_a_gbk_bad_file_uploaded_in_the_admin(cast, client):
    client = admin_client(client, cast.staff)
    dataset = tablib.Dataset(*bad_file_rows(), headers=HEADERS)
    data = dataset.export("csv").encode("gbk")
    csv_index = next(i for i, f in enumerate(FORMATS) if f is ChineseCSV)
    response = client.post(
        reverse("admin:members_socialworker_import"),
        {"import_file": SimpleUploadedFile("社工.csv", data), "format": csv_index},
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "校验位" in text and "公式" in text
    assert SocialWorker.objects.count() == 1  # the registered one only: nothing imported


def test_it_imports_a_good_organisation_file(cast, db):
    from .factories import township

    region = township(name="五一路街道")
    rows = [
        [
            "许昌市甲机构",
            credit_code(1),
            "社会工作服务机构",
            "甲",
            "2020-01-01",
            region.code,
            "地址1",
            "联系人",
            "0374-1",
            "",
        ],
        [
            "许昌市乙机构",
            credit_code(2),
            "企业",
            "乙",
            "",
            "五一路街道",
            "地址2",
            "联系人",
            "0374-2",
            "",
        ],
    ]
    headers = [
        "单位名称",
        "统一社会信用代码",
        "单位类型",
        "法定代表人",
        "成立登记日期",
        "所在区划",
        "住所",
        "联系人",
        "联系电话",
        "联系邮箱",
    ]
    result = OrganisationResource().import_data(
        tablib.Dataset(*rows, headers=headers), dry_run=False, rollback_on_validation_errors=True
    )
    assert not result.has_validation_errors() and not result.has_errors()
    assert Organisation.objects.count() == 2


def test_it_escapes_formulas_and_masks_ids_on_export(db):
    SocialWorkerFactory(name="=HYPERLINK(1)", id_number="11010519491231002X")
    dataset = SocialWorkerResource().export()
    row = dataset.dict[0]
    assert row["姓名"] == "'=HYPERLINK(1)"
    assert row["公民身份号码"] == "1101**********002X"


def test_it_requires_add_to_import_and_export_to_export(client, db):
    viewer = UserFactory(is_staff=True)
    viewer.user_permissions.add(
        Permission.objects.get(codename="view_organisation"),
        Permission.objects.get(codename="add_socialworker"),
        Permission.objects.get(codename="view_socialworker"),
    )
    client = admin_client(client, viewer)
    assert client.get(reverse("admin:members_organisation_changelist")).status_code == 200
    assert client.get(reverse("admin:members_organisation_import")).status_code == 403
    assert client.get(reverse("admin:members_organisation_export")).status_code == 403
    assert client.get(reverse("admin:members_socialworker_import")).status_code == 200
    assert client.get(reverse("admin:members_socialworker_export")).status_code == 403
    viewer.user_permissions.add(Permission.objects.get(codename="export_organisation"))
    assert client.get(reverse("admin:members_organisation_export")).status_code == 200


def test_it_gives_staff_the_export_permission(cast):
    assert cast.staff.has_perm("members.export_organisation")
    assert cast.staff.has_perm("members.add_socialworker")
    assert not cast.org_admin_a.has_perm("members.view_organisation")


def test_it_approves_through_the_admin_action(cast, client, standards):
    membership = MembershipFactory(
        state=MembershipState.APPLIED, number=None, member_since=None, verification_code=None
    )
    client = admin_client(client, cast.staff)
    url = reverse("admin:members_membership_changelist")
    form = client.post(url, {"action": "approve", "_selected_action": [membership.pk]})
    assert "理事会" in form.content.decode()
    response = client.post(
        url,
        {
            "action": "approve",
            "_selected_action": [membership.pk],
            "apply": "1",
            "decided_on": "2025-03-01",
            "basis": "第二届理事会第五次会议决议",
        },
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.state == MembershipState.APPROVED
    assert membership.number == "XCSW-D-0001"
    assert membership.member_since == datetime.date(2025, 3, 1)


def test_it_records_a_payment_through_the_admin_action(cast, client):
    dues = DuesFactory(year=2025)
    client = admin_client(client, cast.staff)
    client.post(
        reverse("admin:members_dues_changelist"),
        {
            "action": "record_payment",
            "_selected_action": [dues.pk],
            "apply": "1",
            "paid_on": "2025-02-01",
            "method": "银行转账",
        },
    )
    dues.refresh_from_db()
    assert dues.receipt_number == "HF-2025-0001"


@pytest.mark.parametrize(
    "url",
    [
        "admin:members_membership_changelist",
        "admin:members_dues_changelist",
        "admin:members_socialworker_changelist",
    ],
)
def test_it_keeps_admin_lists_in_constant_queries(cast, client, url):
    from tests.conftest import assert_constant_queries

    client = admin_client(client, cast.staff)

    def grow(n):
        for _ in range(n):
            DuesFactory(membership=MembershipFactory(person=SocialWorkerFactory()))

    assert_constant_queries(lambda: client.get(reverse(url)), grow)


def test_it_finds_a_worker_by_exact_id_number_in_the_admin(cast, client):
    worker = SocialWorkerFactory(id_number="11010519491231002X")
    SocialWorkerFactory()
    client = admin_client(client, cast.staff)
    response = client.get(
        reverse("admin:members_socialworker_changelist"), {"q": "11010519491231002x"}
    )
    assert list(response.context["cl"].result_list) == [worker]
    assert Membership.objects.count() == 0


BRACES_AND_SCRIPT = "许昌市{}{0}<script>alert(1)</script>中心"


def test_it_renders_names_with_braces_and_markup_escaped_in_the_admin(cast, client, org_a):
    """A name holding ``{}`` once crashed the change-request page (``format_html`` of
    already-formatted rows, with no arguments); every value is shown escaped."""
    from members import services

    change_request = services.change_request_submit(
        organisation=org_a,
        by=cast.org_admin_a,
        changes={"name": BRACES_AND_SCRIPT, "legal_representative": "{}<b>王</b>"},
    )
    Organisation.objects.filter(pk=org_a.pk).update(name="旧{}<script>alert(2)</script>")
    worker = SocialWorkerFactory(name="{}<script>alert(3)</script>")
    client = admin_client(client, cast.staff)
    pages = [
        reverse(
            "admin:members_organisationchangerequest_change",
            args=[change_request.pk],
        ),
        reverse("admin:members_organisationchangerequest_changelist"),
        reverse("admin:members_organisation_change", args=[org_a.pk]),
        reverse("admin:members_organisation_changelist"),
        reverse("admin:members_socialworker_change", args=[worker.pk]),
        reverse("admin:members_socialworker_changelist"),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        text = response.content.decode()
        assert "<script>alert" not in text, url
    text = client.get(pages[0]).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text  # the new name
    assert "旧{}&lt;script&gt;alert(2)" in text  # the current name
    assert "→ {}&lt;b&gt;王&lt;/b&gt;" in text
