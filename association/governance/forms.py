from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from members.choices import MemberType

from .choices import AttendeeKind, MotionKind, VersionStatus, VoteMethod
from .models import Attendee, DocumentVersion


class ProxyForm(forms.Form):
    grantor = forms.ModelChoiceField(queryset=Attendee.objects.none(), label=_("委托人（缺席）"))
    holder = forms.ModelChoiceField(queryset=Attendee.objects.none(), label=_("受托人（出席）"))
    letter = forms.FileField(label=_("委托书（PDF 或图片）"))

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        roll = Attendee.objects.filter(meeting=meeting).order_by("affiliation", "name", "id")
        self.fields["grantor"].queryset = roll.filter(checked_in_at__isnull=True)
        self.fields["holder"].queryset = roll.filter(checked_in_at__isnull=False)


class MotionForm(forms.Form):
    title = forms.CharField(label=_("议题"), max_length=200)
    text = forms.CharField(label=_("议案内容"), widget=forms.Textarea(attrs={"rows": 4}))
    kind = forms.ChoiceField(label=_("议案类型"), choices=MotionKind.choices)
    vote_method = forms.ChoiceField(label=_("表决方式"), choices=VoteMethod.choices)
    document_version = forms.ModelChoiceField(
        queryset=DocumentVersion.objects.filter(status=VersionStatus.DRAFT).select_related(
            "document"
        ),
        label=_("提请通过的文件版本"),
        required=False,
    )


class CountsForm(forms.Form):
    yes = forms.IntegerField(label=_("赞成"), min_value=0)
    no = forms.IntegerField(label=_("反对"), min_value=0)
    abstain = forms.IntegerField(label=_("弃权"), min_value=0)


class MinutesForm(forms.Form):
    minutes = forms.CharField(
        label=_("会议纪要"), widget=forms.Textarea(attrs={"rows": 6}), required=False
    )


class DuesStandardForm(forms.Form):
    """The dues standard a passed motion of the general meeting set."""

    member_type = forms.ChoiceField(label=_("会员类型"), choices=MemberType.choices)
    amount = forms.DecimalField(
        label=_("年会费（元）"), max_digits=10, decimal_places=2, min_value=Decimal("0")
    )
    effective_from = forms.DateField(
        label=_("起始日期"), widget=forms.DateInput(attrs={"type": "date"})
    )


class RollReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), max_length=300)


class RollAddForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=50)
    kind = forms.ChoiceField(label=_("身份"), choices=AttendeeKind.choices)
    affiliation = forms.CharField(label=_("所属单位"), max_length=200, required=False)
    reason = forms.CharField(label=_("理由"), max_length=300)


class TermEndForm(forms.Form):
    ended_on = forms.DateField(
        label=_("实际离任日期"), widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.CharField(
        label=_("提前离任的理由"), max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )
