from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import Format


class FormatForm(forms.Form):
    format = forms.ChoiceField(
        label=_("文件格式"),
        choices=Format.choices,
        initial=Format.XLSX,
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择文件格式。")},
    )
