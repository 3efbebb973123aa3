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


class RegionForm(forms.Form):
    """An official's jurisdiction: a city or county of the association's area, or none."""

    region = forms.ModelChoiceField(
        label=_("所辖区划"),
        queryset=None,
        required=False,
        empty_label=_("（协会所在的整个区域）"),
        help_text=_("民政部门用户只能看到该区划的社工站覆盖、报表和导出；县级用户只看到本县。"),
    )

    def __init__(self, *args, **kwargs):
        from association.regions.choices import Level
        from association.regions.models import Region

        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = (
            Region.objects.association_area()
            .filter(level__in=[Level.CITY, Level.COUNTY])
            .order_by("code")
        )
