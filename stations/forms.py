"""Forms of the stations portal."""

from __future__ import annotations

import datetime
import re

from django import forms
from django.utils.translation import gettext_lazy as _


def parse_month(value: str | None) -> datetime.date | None:
    """``"2024-03"`` -> 2024-03-01; anything else -> None."""
    match = re.fullmatch(r"(\d{4})-(\d{1,2})", (value or "").strip())
    if not match:
        return None
    year, month = int(match.group(1)), int(match.group(2))
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        return None
    return datetime.date(year, month, 1)


def format_month(month: datetime.date) -> str:
    """2024-03-01 -> ``"2024-03"`` (what ``parse_month`` and ``<input type="month">`` read)."""
    return f"{month.year:04d}-{month.month:02d}"


class MonthField(forms.CharField):
    """A month typed as 2024-03 (an ``<input type="month">``)."""

    widget = forms.TextInput(attrs={"type": "month", "class": "form-control"})

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        month = parse_month(value)
        if month is None:
            raise forms.ValidationError(_("请按“2024-03”的格式填写月份。"))
        return month

    def prepare_value(self, value):
        return format_month(value) if hasattr(value, "year") else value


class ReportStartForm(forms.Form):
    month = MonthField(label=_("月份"))


class ReportForm(forms.Form):
    """The month's figures: for every service area × kind of work, the number of times
    and the person-times served; then volunteers and a narrative."""

    volunteers = forms.IntegerField(
        label=_("志愿者人次"),
        min_value=0,
        initial=0,
        widget=forms.NumberInput(attrs={"class": "form-control", "min": 0}),
    )
    narrative = forms.CharField(
        label=_("工作概述"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 5}),
        help_text=_("本月重点工作、典型服务和困难问题,报送时不少于10个字。"),
    )

    def __init__(self, *args, areas, kinds, cells, **kwargs):
        super().__init__(*args, **kwargs)
        self.areas, self.kinds = areas, kinds
        for area in areas:
            for kind in kinds:
                line = cells.get((area.pk, kind.pk))
                for suffix, attr, label in (
                    ("n", "activities", _("次数")),
                    ("p", "person_times", _("人次")),
                ):
                    self.fields[f"c_{area.pk}_{kind.pk}_{suffix}"] = forms.IntegerField(
                        label=f"{area.name}·{kind.name}·{label}",
                        min_value=0,
                        required=False,
                        initial=getattr(line, attr, 0) if line else 0,
                        widget=forms.NumberInput(
                            attrs={"class": "form-control form-control-sm", "min": 0}
                        ),
                    )

    def grid(self):
        """Rows for the template: (area, [(kind, activities field, person-times field)])."""
        return [
            (
                area,
                [
                    (kind, self[f"c_{area.pk}_{kind.pk}_n"], self[f"c_{area.pk}_{kind.pk}_p"])
                    for kind in self.kinds
                ],
            )
            for area in self.areas
        ]

    def lines(self) -> dict:
        data = self.cleaned_data
        return {
            (area, kind): (
                data.get(f"c_{area.pk}_{kind.pk}_n") or 0,
                data.get(f"c_{area.pk}_{kind.pk}_p") or 0,
            )
            for area in self.areas
            for kind in self.kinds
        }


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("审核结论"),
        choices=[("approve", _("审核通过")), ("return", _("退回修改"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("审核意见"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}),
        help_text=_("退回时必须填写,说明需要修改的内容。"),
    )


class UnlockForm(forms.Form):
    reason = forms.CharField(
        label=_("解锁原因"),
        max_length=1000,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 2}),
    )


class PhotoForm(forms.Form):
    image = forms.FileField(label=_("照片(jpg/png,5MB以内)"))
    caption = forms.CharField(
        label=_("说明"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )


class BulkUploadForm(forms.Form):
    file = forms.FileField(label=_("填好的月报模板(xlsx)"))


class DashboardForm(forms.Form):
    month = MonthField(label=_("月份"), required=False)
    region = forms.CharField(required=False, widget=forms.HiddenInput)
