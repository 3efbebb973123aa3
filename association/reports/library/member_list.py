"""会员名单：the named list of unit and individual members filed with the registration
authority (民政部门), with the fields it asks for.

Unit members: member number, name, 统一社会信用代码，kind, member since, standing.
Individual members: member number, name, gender, certificate level, employer, member
since, standing. Rows come from ``members.selectors.member_list_rows`` (one query), read a
chunk at a time: only the rows of the document are held, not every membership's objects.

Two editions, one builder:

- ``member-list`` (staff and officers; ``personal_data``): names in full, ID numbers and
  mobile numbers masked as everywhere in the portal (``association.crypto.mask``);
- ``member-list-official`` (also officials, who see no personal data, DESIGN.md): the
  units in full (registered organisations are public), each individual's name masked to
  the surname (张*明), and no ID or mobile number at all.
"""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from association.crypto import mask

from ..catalogue import OFFICIAL_ROLES, STAFF_ROLES, Report, register
from ..documents import Document


class MemberListForm(forms.Form):
    on = forms.DateField(
        label=gettext_lazy("名单日期"),
        required=False,
        help_text=gettext_lazy("留空为今天。会籍状态按该日的会费缴纳情况计算。"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": gettext_lazy("日期格式应为 2025-12-31。")},
    )


def mask_name(name: str) -> str:
    """张三 → 张*, 张三丰 → 张*丰，欧阳小明 → 欧**明：the surname (and the last character
    of a longer name) kept."""
    name = (name or "").strip()
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def mask_mobile(mobile: str) -> str:
    """13812345678 → 138****5678."""
    return mask(mobile, keep_start=3, keep_end=4) if mobile else ""


class MemberListReport(Report):
    """The staff edition (names in full, ID and mobile numbers masked)."""

    slug = "member-list"
    title = gettext_lazy("会员名单")
    description = gettext_lazy(
        "单位会员和个人会员逐一列出：会员编号、名称或姓名、统一社会信用代码、性别、职业资格等级、"
        "工作单位、入会日期、会籍状态；身份证号和手机号打码显示。含个人信息，仅协会工作人员可生成。"
    )
    roles = STAFF_ROLES
    personal_data = True
    requires = ("members",)
    form_class = MemberListForm
    order = 45
    masked = False  # the officials' edition masks names and leaves numbers out

    def build(self, params, progress):
        from members.choices import (
            Gender,
            MembershipStatus,
            MemberType,
            OrganisationKind,
            Qualification,
        )
        from members.selectors import REPORT_CHUNK, member_list_rows

        today = params.get("on") or timezone.localdate()
        document = Document(
            title=str(self.title), subtitle=_("名单日期：%(date)s") % {"date": today.isoformat()}
        )
        progress(10)
        standings = dict(MembershipStatus.choices)
        kinds = dict(OrganisationKind.choices)
        genders = dict(Gender.choices)
        levels = dict(Qualification.choices)
        units, people = [], []
        for membership in member_list_rows(today=today).iterator(chunk_size=REPORT_CHUNK):
            standing = str(standings.get(membership.standing, membership.standing))
            if membership.member_type == MemberType.UNIT and membership.organisation:
                org = membership.organisation
                units.append(
                    [
                        membership.number or "",
                        org.name,
                        org.credit_code or "",
                        str(kinds.get(org.kind, org.kind)),
                        membership.member_since,
                        standing,
                    ]
                )
            elif membership.person:
                person = membership.person
                employer = person.employer.name if person.employer else ""
                row = [
                    membership.number or "",
                    mask_name(person.name) if self.masked else person.name,
                    str(genders.get(person.gender, person.gender)),
                    str(levels.get(person.qualification, person.qualification)),
                    employer,
                    membership.member_since,
                    standing,
                ]
                if not self.masked:
                    row[3:3] = [mask(person.id_number or ""), mask_mobile(person.mobile)]
                people.append(row)
        progress(80)
        section = document.section(_("一、单位会员"))
        section.table(
            _("单位会员名单"),
            [
                _("会员编号"),
                _("单位名称"),
                _("统一社会信用代码"),
                _("单位类型"),
                _("入会日期"),
                _("会籍状态"),
            ],
            units,
        )
        section.note(_("共 %(count)s 家单位会员。") % {"count": len(units)})
        section = document.section(_("二、个人会员"))
        columns = [_("会员编号"), _("姓名"), _("性别"), _("职业资格等级")]
        if not self.masked:
            columns[3:3] = [_("公民身份号码"), _("手机号码")]
        section.table(
            _("个人会员名单"),
            [*columns, _("工作单位"), _("入会日期"), _("会籍状态")],
            people,
        )
        section.note(_("共 %(count)s 名个人会员。") % {"count": len(people)})
        if self.masked:
            section.note(
                _(
                    "个人会员姓名按个人信息保护要求打码，不含公民身份号码和联系方式；完整名单由协会留存备查。"
                )
            )
        else:
            section.note(_("公民身份号码和手机号码打码显示。"))
        progress(95)
        return document


register(MemberListReport)


@register
class OfficialMemberListReport(MemberListReport):
    slug = "member-list-official"
    title = gettext_lazy("会员名单（报送版）")
    description = gettext_lazy(
        "报送民政部门的会员名单：单位会员逐一列出名称和统一社会信用代码；个人会员姓名打码，"
        "不含身份证号和联系方式。"
    )
    roles = OFFICIAL_ROLES
    personal_data = False
    masked = True
    order = 46
