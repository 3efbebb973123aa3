"""Forms of the projects portal. Validation messages are Chinese."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from association.regions.models import Region
from members.forms import AccountForm, DateInput, DocumentField, Styled

from .choices import ReferralService
from .models import (
    Agreement,
    Application,
    Consent,
    FollowUp,
    InvestigationReport,
    PracticeParticipation,
    Project,
    Referral,
    ServiceActivity,
    StartupGrant,
    TrainingSession,
)
from .permissions import REFERRAL_PERSONAL_FIELDS

__all__ = ["AccountForm"]


class ApplicationForm(Styled, forms.ModelForm):
    """A graduate's application: who they are, their résumé, up to three projects."""

    resume = DocumentField(label=_("个人简历（PDF 或图片）"))
    first_choice = forms.ModelChoiceField(label=_("第一志愿"), queryset=Project.objects.none())
    second_choice = forms.ModelChoiceField(
        label=_("第二志愿"), queryset=Project.objects.none(), required=False
    )
    third_choice = forms.ModelChoiceField(
        label=_("第三志愿"), queryset=Project.objects.none(), required=False
    )

    class Meta:
        model = Application
        fields = [
            "name",
            "gender",
            "mobile",
            "university",
            "major",
            "degree",
            "graduation_year",
            "statement",
            "resume",
        ]
        widgets = {"statement": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, round_=None, **kwargs):
        super().__init__(*args, **kwargs)
        projects = Project.objects.filter(quotas__round=round_, quotas__seats__gt=0).order_by(
            "name"
        )
        for name in ("first_choice", "second_choice", "third_choice"):
            self.fields[name].queryset = projects

    def clean_mobile(self):
        from association.accounts.models import mobile_validator

        mobile = self.cleaned_data["mobile"].strip()
        mobile_validator(mobile)
        return mobile

    def preferences(self) -> list[Project]:
        chosen = [
            self.cleaned_data.get(name)
            for name in ("first_choice", "second_choice", "third_choice")
        ]
        return [project for project in chosen if project is not None]


class ReasonForm(Styled, forms.Form):
    reason = forms.CharField(
        label=_("原因"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000
    )


class ScoreForm(Styled, forms.Form):
    score = forms.DecimalField(label=_("面试成绩"), min_value=0, max_value=100, decimal_places=2)
    comment = forms.CharField(label=_("评语"), required=False, max_length=1000)


class OfferForm(Styled, forms.Form):
    project = forms.ModelChoiceField(label=_("录取项目"), queryset=Project.objects.none())

    def __init__(self, *args, application=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = Project.objects.filter(
            pk__in=application.ranked.values("project")
        )


class AssessmentForm(Styled, forms.Form):
    period = forms.CharField(label=_("考核期"), max_length=30, help_text=_("如“2026年第二季度”。"))
    score = forms.DecimalField(label=_("得分"), min_value=0, max_value=100, decimal_places=2)
    strengths = forms.CharField(
        label=_("主要表现"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    improvements = forms.CharField(
        label=_("改进建议"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class ActivityForm(Styled, forms.ModelForm):
    photos = forms.FileField(
        label=_("活动照片"),
        required=False,
        widget=forms.ClearableFileInput(),
        help_text=_("JPG 或 PNG,每张不超过10MB。"),
    )

    class Meta:
        model = ServiceActivity
        fields = [
            "date",
            "kind",
            "title",
            "target_group",
            "beneficiaries",
            "person_times",
            "narrative",
        ]
        widgets = {"date": DateInput(), "narrative": forms.Textarea(attrs={"rows": 4})}

    def clean_photos(self):
        from association.files import validate_upload

        upload = self.cleaned_data.get("photos")
        if upload:
            validate_upload(upload, types=("jpg", "jpeg", "png"))
        return upload


class SealedReasonForm(Styled, forms.Form):
    reason = forms.CharField(
        label=_("查阅事由"),
        max_length=500,
        help_text=_("封存记录的每次查阅都会记入访问日志，请写明事由。"),
    )


class ReferralForm(Styled, forms.ModelForm):
    """Staff register a commission letter with the minor's data (encrypted at rest)."""

    services = forms.MultipleChoiceField(
        label=_("委托事项"),
        choices=ReferralService.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    commission_letter = DocumentField(label=_("委托函"))
    minor_birth_date = forms.DateField(label=_("未成年人出生日期"), widget=DateInput())
    county = forms.ModelChoiceField(
        label=_("所在县（市、区）"), queryset=Region.objects.filter(level="county").order_by("code")
    )

    class Meta:
        model = Referral
        fields = [
            "referring_body",
            "body_name",
            "case_number",
            "received_on",
            "deadline",
            "services",
            "commission_letter",
            "county",
            "sealed",
            "designated_officer",
            *REFERRAL_PERSONAL_FIELDS,
        ]
        widgets = {
            "received_on": DateInput(),
            "deadline": DateInput(),
            **{
                name: forms.TextInput(attrs={"autocomplete": "off"})
                for name in (
                    "minor_name",
                    "minor_id_number",
                    "minor_school",
                    "minor_address",
                    "guardian_name",
                    "guardian_id_number",
                    "guardian_phone",
                )
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from association.accounts.models import User

        self.fields["designated_officer"].queryset = User.objects.filter(
            groups__name__in=["协会工作人员", "协会负责人"], is_active=True
        ).distinct()
        self.fields["services"].widget.attrs.pop("class", None)

    def clean_minor_birth_date(self):
        return self.cleaned_data["minor_birth_date"].isoformat()

    def clean_minor_id_number(self):
        from members.validators import validate_id_number

        value = (self.cleaned_data.get("minor_id_number") or "").strip().upper()
        if value:
            validate_id_number(value)
        return value


class ConsentForm(Styled, forms.ModelForm):
    services = forms.MultipleChoiceField(
        label=_("同意的服务"), choices=ReferralService.choices, widget=forms.CheckboxSelectMultiple
    )
    document = DocumentField(label=_("同意书"), required=False)

    class Meta:
        model = Consent
        fields = ["party", "services", "given", "recorded_on", "method", "document"]
        widgets = {"recorded_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["services"].widget.attrs.pop("class", None)


class AssignForm(Styled, forms.Form):
    service = forms.ChoiceField(label=_("承办事项"), choices=ReferralService.choices)
    expert = forms.IntegerField(widget=forms.HiddenInput)


class SessionForm(Styled, forms.Form):
    date = forms.DateField(label=_("日期"), widget=DateInput())
    minutes = forms.IntegerField(label=_("时长（分钟）"), min_value=1, max_value=600)
    summary = forms.CharField(label=_("过程记录"), widget=forms.Textarea(attrs={"rows": 4}))
    next_steps = forms.CharField(
        label=_("后续安排"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class ReportForm(Styled, forms.ModelForm):
    class Meta:
        model = InvestigationReport
        fields = list(InvestigationReport.SECTIONS)
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in InvestigationReport.SECTIONS}


class CloseForm(Styled, forms.Form):
    closure_note = forms.CharField(
        label=_("结案说明"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


# --- The graduates' programme after selection (staff pages) ----------------------------


class ServiceValidated:
    """A model form whose row the service validates (it sets the parent first): the
    instance gets the form's values, without the model's ``full_clean`` here."""

    def _post_clean(self):
        from django.forms.models import construct_instance

        self.instance = construct_instance(
            self, self.instance, self._meta.fields, self._meta.exclude
        )


class AgreementForm(ServiceValidated, Styled, forms.ModelForm):
    """The signed service agreement: its scan, dates and the monthly stipend."""

    signed_file = DocumentField(label=_("已签协议扫描件（PDF 或图片）"))

    class Meta:
        model = Agreement
        fields = ["signed_on", "starts_on", "ends_on", "monthly_stipend", "signed_file"]
        widgets = {"signed_on": DateInput(), "starts_on": DateInput(), "ends_on": DateInput()}

    def clean(self):
        data = super().clean()
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and ends_on <= starts_on:
            self.add_error("ends_on", _("服务结束日期须晚于开始日期。"))
        if data.get("monthly_stipend") is not None and data["monthly_stipend"] < 0:
            self.add_error("monthly_stipend", _("补贴不能为负数。"))
        return data


class TrainingSessionForm(ServiceValidated, Styled, forms.ModelForm):
    class Meta:
        model = TrainingSession
        fields = ["title", "date", "hours", "trainer", "location"]
        widgets = {"date": DateInput()}


class AttendanceForm(forms.Form):
    """The attendees of one session, ticked from the programme's selected graduates."""

    attendees = forms.ModelMultipleChoiceField(
        label=_("出席的毕业生"),
        queryset=Application.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("请勾选出席培训的毕业生。")},
    )

    def __init__(self, *args, graduates=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = graduates


class CompleteForm(Styled, forms.Form):
    on = forms.DateField(label=_("服务期满日期"), widget=DateInput())


class FollowUpForm(Styled, forms.ModelForm):
    class Meta:
        model = FollowUp
        fields = ["contacted_on", "outcome", "employer", "note"]
        widgets = {"contacted_on": DateInput(), "note": forms.Textarea(attrs={"rows": 3})}


class GrantForm(ServiceValidated, Styled, forms.ModelForm):
    class Meta:
        model = StartupGrant
        fields = ["team_name", "plan", "amount_requested"]
        widgets = {"plan": forms.Textarea(attrs={"rows": 5})}

    def clean_amount_requested(self):
        amount = self.cleaned_data["amount_requested"]
        if amount is not None and amount <= 0:
            raise forms.ValidationError(_("申请金额应大于0。"))
        return amount


class GrantDecisionForm(Styled, forms.Form):
    """Award (the amount and its milestones, one a line: title, due date, tranche) or
    reject, with the review note."""

    award = forms.TypedChoiceField(
        label=_("评审结论"),
        choices=[("1", _("予以资助")), ("0", _("不予资助"))],
        coerce=lambda v: v == "1",
    )
    note = forms.CharField(label=_("评审意见"), widget=forms.Textarea(attrs={"rows": 3}))
    amount = forms.DecimalField(
        label=_("资助金额（元）"), required=False, min_value=0, decimal_places=2
    )
    milestones = forms.CharField(
        label=_("资助里程碑"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("每行一个：里程碑，计划完成日期，拨付金额。如“完成注册，2026-09-30，20000”。"),
    )

    def clean_milestones(self):
        import datetime
        from decimal import Decimal, InvalidOperation

        rows = []
        for number, line in enumerate(self.cleaned_data["milestones"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.replace("，", ",").split(",")]
            try:
                title, due, amount = parts
                rows.append((title[:200], datetime.date.fromisoformat(due), Decimal(amount)))
            except (ValueError, InvalidOperation):
                raise forms.ValidationError(
                    _("第 %(n)s 行应为“里程碑，计划完成日期，拨付金额”。") % {"n": number}
                ) from None
            if not title or rows[-1][2] <= 0:
                raise forms.ValidationError(
                    _("第 %(n)s 行的里程碑名称不能为空，金额应大于0。") % {"n": number}
                )
        return rows


class MilestoneForm(Styled, forms.Form):
    on = forms.DateField(label=_("完成日期"), widget=DateInput())
    evidence = DocumentField(label=_("佐证材料（PDF 或图片）"), required=False)


class ParticipationForm(ServiceValidated, Styled, forms.ModelForm):
    class Meta:
        model = PracticeParticipation
        fields = [
            "student_name",
            "university",
            "major",
            "starts_on",
            "ends_on",
            "hours",
            "activity",
        ]
        widgets = {"starts_on": DateInput(), "ends_on": DateInput()}

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("结束日期不能早于开始日期。"))
        return data
