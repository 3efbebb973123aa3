"""Forms of the portal and of the admin actions. Validation messages are Chinese."""

from __future__ import annotations

from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from association.accounts.models import mobile_validator
from association.files import validate_upload
from association.regions.models import Region

from .choices import DocumentKind, Qualification
from .models import ContinuingEducation, Organisation, Representative, SocialWorker
from .models.organisations import REGISTERED_FIELDS
from .services.organisations import CONTACT_FIELDS
from .validators import normalise_id_number, validate_id_number


class Styled:
    """Bootstrap classes on every widget (templates render fields one by one)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.Select):
                css = "form-select"
            elif isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            else:
                css = "form-control"
            widget.attrs["class"] = css


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _region_field(required=True):
    return forms.ModelChoiceField(
        label=_("所在区划"),
        queryset=Region.objects.exclude(level="province").order_by("code"),
        required=required,
    )


class DocumentField(forms.FileField):
    """A file checked for its type (PDF or image, by content) and size."""

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload:
            validate_upload(upload)
        return upload


class AccountForm(Styled, forms.Form):
    """The account an applicant creates (signed-in applicants skip it)."""

    email = forms.EmailField(label=_("登录邮箱"))
    display_name = forms.CharField(label=_("您的姓名"), max_length=100)
    password1 = forms.CharField(label=_("密码"), widget=forms.PasswordInput, strip=False)
    password2 = forms.CharField(label=_("确认密码"), widget=forms.PasswordInput, strip=False)

    def clean_email(self):
        from association.accounts.models import User

        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise ValidationError(_("该电子邮箱已注册，请先登录后再申请。"))
        return email

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("两次输入的密码不一致。"))
        elif data.get("password1"):
            try:
                password_validation.validate_password(data["password1"])
            except ValidationError as error:
                self.add_error("password1", error)
        return data

    def account(self) -> dict:
        return {
            "email": self.cleaned_data["email"],
            "password": self.cleaned_data["password1"],
            "display_name": self.cleaned_data["display_name"],
        }


def _website_field():
    return forms.URLField(label=_("网站"), required=False, assume_scheme="https")


class OrganisationApplicationForm(Styled, forms.ModelForm):
    region = _region_field()
    website = _website_field()
    registration_certificate = DocumentField(label=_("登记证书（营业执照）副本"))
    application_form = DocumentField(label=_("入会申请书（盖章）"))
    note = forms.CharField(
        label=_("申请说明"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    class Meta:
        model = Organisation
        fields = [
            "name",
            "credit_code",
            "kind",
            "legal_representative",
            "registration_authority",
            "registered_on",
            "registered_capital",
            "business_scope",
            "region",
            "address",
            "contact_name",
            "contact_phone",
            "contact_email",
            "website",
        ]
        widgets = {
            "registered_on": DateInput(),
            "business_scope": forms.Textarea(attrs={"rows": 3}),
        }

    def clean_credit_code(self):
        return self.cleaned_data["credit_code"].strip().upper()

    def documents(self):
        return [
            (DocumentKind.REGISTRATION_CERTIFICATE, self.cleaned_data["registration_certificate"]),
            (DocumentKind.APPLICATION_FORM, self.cleaned_data["application_form"]),
        ]


class IndividualApplicationForm(Styled, forms.ModelForm):
    id_number = forms.CharField(
        label=_("公民身份号码"), max_length=18, validators=[validate_id_number]
    )
    region = _region_field(required=False)
    mobile = forms.CharField(label=_("手机号码"), max_length=11, validators=[mobile_validator])
    id_card = DocumentField(label=_("身份证复印件"))
    qualification_certificate = DocumentField(label=_("职业资格证书"), required=False)
    note = forms.CharField(
        label=_("申请说明"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    class Meta:
        model = SocialWorker
        fields = [
            "name",
            "gender",
            "mobile",
            "email",
            "employer",
            "region",
            "qualification",
            "certificate_number",
            "certificate_date",
            "registered_on",
        ]
        widgets = {"certificate_date": DateInput(), "registered_on": DateInput()}

    def __init__(self, *args, invitation=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employer"].queryset = Organisation.objects.order_by("name")
        if invitation is not None:
            del self.fields["employer"]

    def clean_id_number(self):
        return normalise_id_number(self.cleaned_data["id_number"])

    def clean(self):
        data = super().clean()
        qualified = data.get("qualification") not in (None, "", Qualification.NONE)
        if qualified:
            for field in ("certificate_number", "certificate_date"):
                if not data.get(field):
                    self.add_error(field, _("持有职业资格的，请填写此项。"))
            if not data.get("qualification_certificate"):
                self.add_error("qualification_certificate", _("请上传职业资格证书。"))
        return data

    def _post_clean(self):
        if "id_number" in self.cleaned_data:
            self.instance.set_id_number(self.cleaned_data["id_number"])
        super()._post_clean()

    def validate_unique(self):
        # The service links an already-registered person by ID number.
        pass

    def documents(self):
        docs = [(DocumentKind.ID_CARD, self.cleaned_data["id_card"])]
        if self.cleaned_data.get("qualification_certificate"):
            docs.append(
                (
                    DocumentKind.QUALIFICATION_CERTIFICATE,
                    self.cleaned_data["qualification_certificate"],
                )
            )
        return docs


class OrganisationContactsForm(Styled, forms.ModelForm):
    region = _region_field()
    website = _website_field()

    class Meta:
        model = Organisation
        fields = list(CONTACT_FIELDS)


class ChangeRequestForm(Styled, forms.ModelForm):
    reason = forms.CharField(label=_("变更事由"), widget=forms.Textarea(attrs={"rows": 3}))

    class Meta:
        model = Organisation
        fields = list(REGISTERED_FIELDS)
        widgets = {
            "registered_on": DateInput(),
            "business_scope": forms.Textarea(attrs={"rows": 3}),
        }

    def validate_unique(self):
        pass

    def changes(self) -> dict:
        return {field: self.cleaned_data[field] for field in REGISTERED_FIELDS}


class InvitationForm(Styled, forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=50)
    email = forms.EmailField(label=_("电子邮箱"))


class RepresentativeForm(Styled, forms.ModelForm):
    mobile = forms.CharField(label=_("手机号码"), max_length=11, validators=[mobile_validator])

    class Meta:
        model = Representative
        fields = ["name", "position", "mobile", "worker"]

    def __init__(self, *args, organisation=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = SocialWorker.objects.filter(employer=organisation)
        self.fields["worker"].required = False


class WorkerProfileForm(Styled, forms.ModelForm):
    region = _region_field(required=False)
    mobile = forms.CharField(label=_("手机号码"), max_length=11, validators=[mobile_validator])

    class Meta:
        model = SocialWorker
        fields = ["mobile", "email", "region"]


class EducationForm(Styled, forms.ModelForm):
    evidence = DocumentField(label=_("证明材料"), required=False)

    class Meta:
        model = ContinuingEducation
        fields = ["date", "hours", "kind", "title", "provider", "evidence"]
        widgets = {"date": DateInput()}

    def clean_date(self):
        date = self.cleaned_data["date"]
        if date > timezone.localdate():
            raise ValidationError(_("日期不能晚于今天。"))
        return date


class RevealForm(Styled, forms.Form):
    reason = forms.CharField(label=_("查看事由"), max_length=200)


# --- Admin action forms --------------------------------------------------------------


class ApproveForm(Styled, forms.Form):
    decided_on = forms.DateField(
        label=_("理事会决定日期"), widget=DateInput(), initial=timezone.localdate
    )
    basis = forms.CharField(
        label=_("决定依据"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("如：第二届理事会第五次会议决议。"),
    )
    council_meeting = forms.CharField(label=_("理事会会议"), max_length=200, required=False)


class ReasonForm(Styled, forms.Form):
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 3}))


class PaymentForm(Styled, forms.Form):
    paid_on = forms.DateField(label=_("缴费日期"), widget=DateInput(), initial=timezone.localdate)
    method = forms.CharField(
        label=_("缴费方式"), max_length=30, required=False, help_text=_("如：银行转账、现金。")
    )


class DirectoryConsentForm(forms.Form):
    """What the organisation agrees to publish in the member directory (会员名录)."""

    items = forms.MultipleChoiceField(
        label=_("在会员名录中公开的信息"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("单位名称总是显示；一项都不选，则本单位不列入会员名录。"),
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        from .services.organisations import DIRECTORY_CHOICES

        self.fields["items"].choices = list(DIRECTORY_CHOICES)
        self.initial.setdefault("items", list(organisation.directory_fields))


class ElectionResultsForm(forms.Form):
    """Staff record the results of an electoral meeting of the individual members
    (admin); ``results`` becomes a list of ``services.ElectionResult``."""

    elected_on = forms.DateField(label=_("选举日期"), widget=DateInput())
    constituency = forms.CharField(
        label=_("选区"),
        max_length=50,
        required=False,
        help_text=_("如：魏都区、东城片区；全体个人会员选举时留空。"),
    )
    votes_cast = forms.IntegerField(
        label=_("投票总数"), min_value=1, help_text=_("该选区收回的有效选票数。")
    )
    starts_on = forms.DateField(
        label=_("任期开始"), required=False, widget=DateInput(), help_text=_("留空：自选举日期起。")
    )
    ends_on = forms.DateField(
        label=_("任期届满"),
        required=False,
        widget=DateInput(),
        help_text=_("留空：至下次选举产生新的代表为止。"),
    )
    results = forms.CharField(
        label=_("当选名单"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("每行一人：会员编号和得票数，以空格分隔，如：XCSW-G-0001 56"),
    )

    def clean_results(self):
        from .services import ElectionResult

        lines = []
        for n, line in enumerate(self.cleaned_data["results"].splitlines(), start=1):
            parts = line.replace("，", " ").replace(",", " ").split()
            if not parts:
                continue
            if len(parts) != 2 or not parts[1].isdigit():
                raise ValidationError(
                    _("第%(line)s行格式不正确，应为“会员编号 得票数”。") % {"line": n}
                )
            lines.append((parts[0], int(parts[1])))
        if not lines:
            raise ValidationError(_("请至少填写一名当选的会员代表。"))
        from .models import Membership

        found = Membership.objects.in_bulk(
            [number for number, _votes in lines], field_name="number"
        )
        unknown = [number for number, _votes in lines if number not in found]
        if unknown:
            raise ValidationError(
                _("找不到以下会员编号：%(numbers)s。") % {"numbers": "、".join(unknown)}
            )
        return [ElectionResult(membership=found[number], votes=votes) for number, votes in lines]


class EndRepresentativeForm(forms.Form):
    ended_on = forms.DateField(label=_("终止日期"), widget=DateInput(), initial=timezone.localdate)
    reason = forms.CharField(
        label=_("终止原因"), max_length=200, help_text=_("如：本人辞去代表职务；会籍终止。")
    )
