from django import forms
from django.utils.translation import gettext_lazy as _


class EnrolmentCodeForm(forms.Form):
    code = forms.CharField(
        label=_("启用码"),
        max_length=32,
        help_text=_("由另一位协会工作人员在管理后台为您签发，24 小时内有效，只能使用一次。"),
    )


class MFAResetForm(forms.Form):
    reason = forms.CharField(
        label=_("重置原因"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("例如：验证器所在手机丢失，已电话核实本人身份。"),
    )
