"""The named member list for filing (会员名单): the staff edition names everyone with ID
and mobile numbers masked; the officials' edition masks individuals' names and carries
no ID or mobile number at all (tests/test_demo_instance.py's patterns find none)."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook

from association.reports import catalogue
from association.reports.library.member_list import mask_name
from association.reports.services import build_document, render_document
from members.choices import MemberType, Qualification
from members.models import Membership, Organisation, SocialWorker
from tests.test_demo_instance import PATTERNS

from .conftest import TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def named(members_data):
    """Give every member worker a mobile number and an employer."""
    from members.models import Organisation

    employer = Organisation.objects.order_by("pk").first()
    for n, worker in enumerate(SocialWorker.objects.filter(memberships__isnull=False)):
        worker.mobile = f"1381234{n:04d}"
        worker.employer = employer
        worker.save()
    return members_data


def build(slug):
    return build_document(catalogue.get(slug), {"on": TODAY.isoformat()})


def text_of(document) -> str:
    parts = []
    for fmt in ("xlsx", "pdf"):
        content = render_document(document, fmt)
        if fmt == "xlsx":
            workbook = load_workbook(io.BytesIO(content))
            parts += [
                str(cell.value)
                for sheet in workbook.worksheets
                for row in sheet.iter_rows()
                for cell in row
                if cell.value is not None
            ]
        else:
            from pypdf import PdfReader

            parts += [p.extract_text() for p in PdfReader(io.BytesIO(content)).pages]
    return "\n".join(parts)


def test_it_masks_names_and_leaves_numbers_out_for_officials(named, cast):
    report = catalogue.get("member-list-official")
    assert report.may_run(cast.official) and report.may_run(cast.staff)
    assert not catalogue.get("member-list").may_run(cast.official)  # the named edition
    document = build("member-list-official")
    people = document.get("二、个人会员").tables()[0]
    assert people.columns == [
        "会员编号",
        "姓名",
        "性别",
        "职业资格等级",
        "工作单位",
        "入会日期",
        "会籍状态",
    ]
    workers = SocialWorker.objects.filter(memberships__member_type=MemberType.INDIVIDUAL)
    assert sorted(row[1] for row in people.rows) == sorted(mask_name(w.name) for w in workers)
    text = text_of(document)
    for worker in workers:
        assert worker.name not in text
        assert worker.mobile not in text
    # A unit's 统一社会信用代码 is public registration data, but an all-digit one has the
    # shape of an ID number: leave the codes out before looking for people's numbers.
    for code in Organisation.objects.values_list("credit_code", flat=True):
        text = text.replace(code, "")
    for label, pattern in PATTERNS.items():
        assert not pattern.search(text), label  # no ID or mobile number, masked or not


def test_it_lists_units_with_their_credit_codes_and_standing(named):
    document = build("member-list-official")
    units = document.get("一、单位会员").tables()[0]
    admitted = Membership.objects.filter(member_type=MemberType.UNIT, state="approved")
    assert sorted(row[1] for row in units.rows) == sorted(
        m.organisation.name for m in admitted
    )  # the withdrawn unit is not on the list
    for row in units.rows:
        assert re.fullmatch(r"[0-9A-Z]{18}", row[2])
        assert row[5] == "有效"
    assert "共 2 家单位会员。" in [
        b.text for b in document.get("一、单位会员").blocks if b.kind == "note"
    ]


def test_the_staff_edition_names_people_and_masks_their_numbers(named, cast):
    report = catalogue.get("member-list")
    assert report.may_run(cast.staff) and report.personal_data
    document = build("member-list")
    people = document.get("二、个人会员").tables()[0]
    assert people.columns[:6] == [
        "会员编号",
        "姓名",
        "性别",
        "公民身份号码",
        "手机号码",
        "职业资格等级",
    ]
    by_name = {row[1]: row for row in people.rows}
    for worker in SocialWorker.objects.filter(memberships__member_type=MemberType.INDIVIDUAL):
        row = by_name[worker.name]
        assert row[3] == worker.id_number[:4] + "*" * 10 + worker.id_number[-4:]
        assert row[4] == worker.mobile[:3] + "****" + worker.mobile[-4:]
        assert row[5] == dict(Qualification.choices)[worker.qualification]
        assert row[6] == worker.employer.name


def test_names_are_masked_to_the_surname():
    assert mask_name("张三") == "张*"
    assert mask_name("张三丰") == "张*丰"
    assert mask_name("欧阳小明") == "欧**明"
    assert mask_name("") == ""
