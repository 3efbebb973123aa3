"""Import and export of organisations and social workers (django-import-export).

Imports are all-or-nothing (the admin rolls back on any invalid row) and each bad row is
reported with its line in the file and every reason, in Chinese: check digits, required
fields, dates, duplicates within the file and against the register, and cells that
would run as a formula. CSV files may be UTF-8 or GBK (what Excel and WPS save on
Chinese Windows). Exports pass every text cell through ``safe_cell`` and show ID
numbers masked.

Every imported file is checked by ``association.spreadsheets.check_spreadsheet`` (size,
rows, columns, an xlsx's declared dimension and zip) before tablib or openpyxl reads it:
in the admin's import form (:class:`CheckedImportMixin`, used by the members and the
stations admins) and again in the formats themselves, whatever calls them.
"""

from __future__ import annotations

import tablib
from django.core.exceptions import ValidationError
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets
from import_export.formats import base_formats
from import_export.forms import ImportForm

from association.crypto import blind_index
from association.exports import FORMULA_STARTS, Column, XlsxBook, safe_cell
from association.regions.models import Region
from association.spreadsheets import check_spreadsheet

from .choices import (
    Gender,
    MembershipState,
    MembershipStatus,
    MemberType,
    OrganisationKind,
    Qualification,
)
from .importing import BulkImportMixin, full_clean_in_python
from .models import Membership, Organisation, SocialWorker
from .validators import normalise_credit_code, normalise_id_number, validate_id_number

IMPORT_MAX_ROWS = 10_000  # data lines of an imported file, blank ones included
IMPORT_MAX_COLS = 50
IMPORT_MAX_MB = 10


def check_import(upload, kind: str) -> None:
    """Raise ``ValidationError`` (in Chinese) unless ``upload`` is an importable table."""
    check_spreadsheet(
        upload,
        kind=kind,
        max_rows=IMPORT_MAX_ROWS + 1,
        max_cols=IMPORT_MAX_COLS,
        max_mb=IMPORT_MAX_MB,
    )


class ChineseCSV(base_formats.CSV):
    """CSV read as bytes and decoded as UTF-8 (with or without BOM), else GBK (GB18030);
    written as UTF-8 with a BOM so that Excel opens it correctly."""

    def get_read_mode(self):
        return "rb"

    def is_binary(self):
        return True

    def create_dataset(self, in_stream, **kwargs):
        check_import(in_stream, "csv")
        if isinstance(in_stream, bytes):
            try:
                in_stream = in_stream.decode("utf-8-sig")
            except UnicodeDecodeError:
                in_stream = in_stream.decode("gb18030")
        return tablib.import_set(in_stream, format="csv", **kwargs)

    def export_data(self, dataset, **kwargs):
        return dataset.export("csv", **kwargs).encode("utf-8-sig")


class CheckedXLSX(base_formats.XLSX):
    """xlsx, checked before openpyxl pads its rows to a declared dimension; exported by
    the project's one writer (``association.exports.XlsxBook``: print settings, column
    widths for Chinese, safe cells). The header stays the first row, so an exported file
    can be edited and imported again."""

    def create_dataset(self, in_stream):
        check_import(in_stream, "xlsx")
        return super().create_dataset(in_stream)

    def export_data(self, dataset, **kwargs):
        book = XlsxBook()
        sheet = book.sheet(
            dataset.title or _("导出"), [Column(str(h)) for h in dataset.headers or []]
        )
        for row in dataset:
            sheet.write(row)
        return book.close()


FORMATS = [ChineseCSV, CheckedXLSX]


class CheckedImportForm(ImportForm):
    """The admin's import form: the file is checked for the chosen format when the form is
    validated, before the admin writes it to temporary storage or parses it."""

    def __init__(self, formats, resources, **kwargs):
        super().__init__(formats, resources, **kwargs)
        self.import_formats = formats

    def clean(self):
        cleaned = super().clean()
        upload, index = cleaned.get("import_file"), cleaned.get("format")
        if upload is None or index in (None, ""):
            return cleaned
        try:
            kind = self.import_formats[int(index)]().get_extension()
        except (ValueError, IndexError):
            return cleaned
        try:
            check_import(upload, kind)
        except ValidationError as error:
            self.add_error("import_file", error)
        return cleaned


class CheckedImportMixin:
    """For every ``ImportExportModelAdmin`` (put it first): the checked import form, and a
    refusal by the formats' own check shown as its Chinese message."""

    import_form_class = CheckedImportForm

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, ValidationError):
            form.add_error("import_file", e)
        else:
            super().add_data_read_fail_error_to_form(form, e)


class ChoiceLabelWidget(widgets.Widget):
    """Reads and writes a choice by its (Chinese) label; the stored value is accepted too."""

    pure = True  # the cell alone decides (``members.importing.widget_is_pure``)

    def __init__(self, choices, **kwargs):
        super().__init__(**kwargs)
        self.choices = choices
        self._by_language: dict = {}

    def _lookup(self) -> dict:
        """Label or value → value, in the active language (translated once per file,
        not once per row)."""
        language = get_language()
        if language not in self._by_language:
            lookup = {choice.value: choice.value for choice in self.choices}
            lookup.update({str(choice.label): choice.value for choice in self.choices})
            self._by_language[language] = lookup
        return self._by_language[language]

    def clean(self, value, row=None, **kwargs):
        value = str(value or "").strip()
        if not value:
            return ""
        found = self._lookup().get(value)
        if found is not None:
            return found
        raise ValueError(
            _("“%(value)s”不是有效选项，可选：%(options)s。")
            % {"value": value, "options": "、".join(str(c.label) for c in self.choices)}
        )

    def render(self, value, obj=None, **kwargs):
        return str(self.choices(value).label) if value else ""


class RegionWidget(widgets.Widget):
    """A region by its code or its (unique) name, looked up in one cached query."""

    pure = True

    _cache = None

    def _regions(self):
        if self._cache is None:
            self._cache = {}
            names: dict[str, list] = {}
            for region in Region.objects.exclude(level="province"):
                self._cache[region.code] = region
                names.setdefault(region.name, []).append(region)
            for name, found in names.items():
                self._cache[name] = found[0] if len(found) == 1 else None
        return self._cache

    def clean(self, value, row=None, **kwargs):
        value = str(value or "").strip()
        if not value:
            return None
        regions = self._regions()
        if value not in regions:
            raise ValueError(_("找不到区划“%(value)s”。") % {"value": value})
        if regions[value] is None:
            raise ValueError(_("区划名称“%(value)s”不唯一，请填写区划代码。") % {"value": value})
        return regions[value]

    def render(self, value, obj=None, **kwargs):
        return value.name if value else ""


class EmployerWidget(widgets.Widget):
    """An organisation by its unified social credit code (cached)."""

    pure = True

    _cache = None

    def clean(self, value, row=None, **kwargs):
        code = normalise_credit_code(str(value or ""))
        if not code:
            return None
        if self._cache is None:
            self._cache = {o.credit_code: o for o in Organisation.objects.all()}
        if code not in self._cache:
            raise ValueError(_("统一社会信用代码为 %(code)s 的单位尚未登记。") % {"code": code})
        return self._cache[code]

    def render(self, value, obj=None, **kwargs):
        return value.credit_code if value else ""


class Text(widgets.CharWidget):
    def clean(self, value, row=None, **kwargs):
        return str(value).strip() if value is not None else ""


class CheckedResource(resources.ModelResource):
    """Common checks of every row; subclasses name the key column (unique in the file).
    Rows are imported one by one (django-import-export's own path), so a resource may
    update rows and use ``after_save_instance`` (the stations' imports do)."""

    key_column: str = ""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._seen: dict[str, int] = {}

    def export_field(self, field, instance, **kwargs):
        return safe_cell(super().export_field(field, instance, **kwargs))

    def row_key(self, row) -> str:
        return normalise_credit_code(str(row.get(self.key_column) or ""))

    def import_instance(self, instance, row, **kwargs):
        errors: dict = {}
        try:
            self.import_row_fields(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        line = kwargs.get("row_number", 0) + 1  # the header is line 1
        formula = [
            str(column)
            for column, value in row.items()
            if isinstance(value, str) and value.startswith(FORMULA_STARTS)
        ]
        if formula:
            errors.setdefault("__all__", []).append(
                _("第%(line)d行：单元格不能以 = + - @ 开头（%(columns)s），可能是公式。")
                % {"line": line, "columns": "、".join(formula)}
            )
        key = self.row_key(row)
        if key:
            if key in self._seen:
                errors.setdefault("__all__", []).append(
                    _("第%(line)d行：%(column)s与第%(first)d行重复。")
                    % {"line": line, "column": self.key_column, "first": self._seen[key]}
                )
            else:
                self._seen[key] = line
        self.check_row(instance, row, errors)
        if errors:
            raise ValidationError(errors)

    def import_row_fields(self, instance, row, **kwargs):
        """Every field's widget on the row (django-import-export's ``import_instance``;
        the bulk path has its own, see ``members.importing``)."""
        super().import_instance(instance, row, **kwargs)

    def check_row(self, instance, row, errors) -> None:
        pass


class BulkCheckedResource(BulkImportMixin, CheckedResource):
    """A create-only register import on the bulk path: subclasses also name the
    register's key (see ``members.importing``: the whole file is checked without a query
    per row, then inserted at once)."""

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        try:
            full_clean_in_python(
                instance,
                exclude=errors.keys(),
                validate_unique=validate_unique,
                clashes=self.clashes,
                memo=self._cleaned,
            )
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)


class OrganisationResource(BulkCheckedResource):
    key_column = "统一社会信用代码"

    name = fields.Field("name", "单位名称", widget=Text())
    credit_code = fields.Field("credit_code", "统一社会信用代码", widget=Text())
    kind = fields.Field("kind", "单位类型", widget=ChoiceLabelWidget(OrganisationKind))
    legal_representative = fields.Field("legal_representative", "法定代表人", widget=Text())
    registered_on = fields.Field("registered_on", "成立登记日期", widget=widgets.DateWidget())
    region = fields.Field("region", "所在区划", widget=RegionWidget())
    address = fields.Field("address", "住所", widget=Text())
    contact_name = fields.Field("contact_name", "联系人", widget=Text())
    contact_phone = fields.Field("contact_phone", "联系电话", widget=Text())
    contact_email = fields.Field("contact_email", "联系邮箱", widget=Text())

    class Meta:
        model = Organisation
        fields = (
            "name",
            "credit_code",
            "kind",
            "legal_representative",
            "registered_on",
            "region",
            "address",
            "contact_name",
            "contact_phone",
            "contact_email",
        )
        import_id_fields = ()
        force_init_instance = True
        clean_model_instances = True
        skip_diff = True
        use_transactions = True
        name = gettext_lazy("单位")

    register_field = "credit_code"

    def register_key(self, row):
        return self.row_key(row)

    def check_row(self, instance, row, errors):
        instance.credit_code = normalise_credit_code(instance.credit_code)


class SocialWorkerResource(BulkCheckedResource):
    key_column = "公民身份号码"

    name = fields.Field("name", "姓名", widget=Text())
    gender = fields.Field("gender", "性别", widget=ChoiceLabelWidget(Gender))
    id_number = fields.Field("id_number", "公民身份号码", widget=Text())
    mobile = fields.Field("mobile", "手机号码", widget=Text())
    email = fields.Field("email", "电子邮箱", widget=Text())
    employer = fields.Field("employer", "工作单位统一社会信用代码", widget=EmployerWidget())
    qualification = fields.Field(
        "qualification", "职业资格", widget=ChoiceLabelWidget(Qualification)
    )
    certificate_number = fields.Field("certificate_number", "资格证书编号", widget=Text())
    certificate_date = fields.Field("certificate_date", "取得资格日期", widget=widgets.DateWidget())
    registered_on = fields.Field("registered_on", "登记日期", widget=widgets.DateWidget())

    class Meta:
        model = SocialWorker
        fields = (
            "name",
            "gender",
            "id_number",
            "mobile",
            "email",
            "employer",
            "qualification",
            "certificate_number",
            "certificate_date",
            "registered_on",
        )
        import_id_fields = ()
        force_init_instance = True
        clean_model_instances = True
        skip_diff = True
        use_transactions = True
        name = gettext_lazy("社会工作者")

    register_field = "id_number_index"
    _indexes: dict[str, str] | None = None  # the batch's ID numbers → their blind index

    def row_key(self, row):
        return normalise_id_number(str(row.get(self.key_column) or ""))

    def prepare_batch(self, rows):
        self._indexes = {}
        super().prepare_batch(rows)

    def register_key(self, row):
        number = self.row_key(row)
        if not number:
            return ""
        index = blind_index(number)
        if self._indexes is not None:
            self._indexes[number] = index
        return index

    def import_data_inner(self, *args, **kwargs):
        try:
            return super().import_data_inner(*args, **kwargs)
        finally:
            self._indexes = None

    def dehydrate_id_number(self, worker):
        return worker.id_number_masked

    def check_row(self, instance, row, errors):
        number = normalise_id_number(instance.id_number or "")
        if not number:
            errors.setdefault("id_number", []).append(_("公民身份号码不能为空。"))
            return
        try:
            validate_id_number(number)
        except ValidationError as error:
            errors.setdefault("id_number", []).extend(error.messages)
            return
        # ``set_id_number``, with the blind index the batch's lookup computed.
        index = (self._indexes or {}).get(number) or blind_index(number)
        instance.id_number, instance.id_number_index = number, index
        if self.registered(instance.id_number_index):
            errors.setdefault("id_number", []).append(_("该公民身份号码已登记。"))
        if not instance.qualification:
            instance.qualification = Qualification.NONE

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        # The blind index is checked above with a message about the ID number itself.
        errors = dict(import_validation_errors or {})
        # ``sync_derived``: check_row set the blind index of a good ID number (a bad one's
        # row is refused, its index unchecked).
        instance.sync_registration_expiry()
        try:
            full_clean_in_python(
                instance,
                exclude=[*errors.keys(), "id_number_index"],
                validate_unique=False,
                memo=self._cleaned,
            )
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)


class MembershipResource(resources.ModelResource):
    """Export only: the register of memberships as staff filtered it in the admin, with
    today's standing (computed in SQL), ID numbers masked and every text cell safe from
    formula injection. Reasons, notes and verification codes are left out."""

    number = fields.Field("number", "会员编号", widget=Text())
    member_type = fields.Field("member_type", "会员类型", widget=ChoiceLabelWidget(MemberType))
    member = fields.Field(column_name="会员名称")
    credit_code = fields.Field(column_name="统一社会信用代码")
    id_number = fields.Field(column_name="公民身份号码")
    state = fields.Field("state", "状态", widget=ChoiceLabelWidget(MembershipState))
    standing = fields.Field("standing", "今日状态", widget=ChoiceLabelWidget(MembershipStatus))
    applied_on = fields.Field("applied_on", "申请日期", widget=widgets.DateWidget())
    decided_on = fields.Field("decided_on", "决定日期", widget=widgets.DateWidget())
    council_meeting = fields.Field("council_meeting", "理事会会议", widget=Text())
    member_since = fields.Field("member_since", "入会日期", widget=widgets.DateWidget())
    suspended_on = fields.Field("suspended_on", "暂停日期", widget=widgets.DateWidget())
    withdrawn_on = fields.Field("withdrawn_on", "退会日期", widget=widgets.DateWidget())

    class Meta:
        model = Membership
        fields = (
            "number",
            "member_type",
            "member",
            "credit_code",
            "id_number",
            "state",
            "standing",
            "applied_on",
            "decided_on",
            "council_meeting",
            "member_since",
            "suspended_on",
            "withdrawn_on",
        )
        name = gettext_lazy("会籍")

    def get_queryset(self):
        return Membership.objects.with_parties().with_standing()

    def export_field(self, field, instance, **kwargs):
        return safe_cell(super().export_field(field, instance, **kwargs))

    def dehydrate_member(self, membership):
        return membership.member_name

    def dehydrate_credit_code(self, membership):
        return membership.organisation.credit_code if membership.organisation_id else ""

    def dehydrate_id_number(self, membership):
        return membership.person.id_number_masked if membership.person_id else ""
