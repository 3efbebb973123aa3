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


class CountInput(forms.TextInput):
    """A count typed on a phone: the numeric keypad (``inputmode``), digits only, large.

    A text input rather than ``type="number"`` (as GOV.UK advises): a number input changes
    its value when the page is scrolled over it and accepts "1e3"; ``min`` is kept for
    assistive technology and the script, the server checks every value again."""

    def __init__(self, attrs=None):
        base = {
            "class": "form-control form-control-lg text-end",
            "inputmode": "numeric",
            "pattern": "[0-9]*",
            "min": "0",
            "autocomplete": "off",
        }
        super().__init__({**base, **(attrs or {})})


def cell_name(area_pk: int, kind_pk: int, suffix: str) -> str:
    """The form field (and input id ``id_<name>``) of one cell: ``c_<area>_<kind>_n|p``."""
    return f"c_{area_pk}_{kind_pk}_{suffix}"


class ReportForm(forms.Form):
    """The month's figures: for every service area × kind of work, the number of times
    and the person-times served; then volunteers and a narrative.

    Every rule is checked at once and put on the cell it concerns (the page lists them all
    in its error summary); with ``for_submit`` the rules of a submission are added."""

    volunteers = forms.IntegerField(
        label=_("志愿者人次"),
        min_value=0,
        initial=0,
        error_messages={"invalid": _("请填写整数。"), "min_value": _("不能为负数。")},
        widget=CountInput(),
    )
    narrative = forms.CharField(
        label=_("工作概述"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 5}),
        help_text=_("本月重点工作、典型服务和困难问题，报送时不少于10个字。"),
    )

    def __init__(self, *args, areas, kinds, cells, for_submit: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.areas, self.kinds, self.for_submit = areas, kinds, for_submit
        for area in areas:
            for kind in kinds:
                line = cells.get((area.pk, kind.pk))
                for suffix, attr, label in (
                    ("n", "activities", _("次数")),
                    ("p", "person_times", _("人次")),
                ):
                    self.fields[cell_name(area.pk, kind.pk, suffix)] = forms.IntegerField(
                        label=f"{area.name}·{kind.name}·{label}",
                        min_value=0,
                        max_value=1_000_000,
                        required=False,
                        initial=getattr(line, attr, 0) if line else 0,
                        error_messages={
                            "invalid": _("请填写整数。"),
                            "min_value": _("不能为负数。"),
                            "max_value": _("数字过大，请核对。"),
                        },
                        widget=CountInput(
                            attrs={"data-area": area.pk, "data-kind": kind.pk, "data-part": suffix}
                        ),
                    )
        # Each input is described by its message beside it (empty until there is one).
        for name, field in self.fields.items():
            described = [f"id_{name}_error"]
            if field.help_text:
                described.insert(0, f"id_{name}_helptext")
            field.widget.attrs["aria-describedby"] = " ".join(described)

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                attrs["class"] = f"{attrs.get('class', '')} is-invalid".strip()
                attrs["aria-invalid"] = "true"

    def clean(self):
        from .services import report_errors  # the rules themselves live with the service

        data = super().clean()
        lines = {}
        for area in self.areas:
            for kind in self.kinds:
                n_name, p_name = cell_name(area.pk, kind.pk, "n"), cell_name(area.pk, kind.pk, "p")
                if n_name in self.errors or p_name in self.errors:
                    continue
                cell = (data.get(n_name) or 0, data.get(p_name) or 0)
                lines[(area.name, kind.name)] = cell
                for message in report_errors(
                    {(area.name, kind.name): cell}, narrative="", for_submit=False
                ):
                    # "人次 without 次数" is fixed in 次数; "人次 < 次数" in 人次.
                    self.add_error(n_name if cell[0] == 0 else p_name, message)
        if self.for_submit:
            if not any(activities for activities, _p in lines.values()) and not any(
                name.startswith("c_") for name in self.errors
            ):
                self.add_error(None, _("月报没有任何服务数据，不能报送。"))
            if len((data.get("narrative") or "").strip()) < 10:
                self.add_error("narrative", _("请填写工作概述（不少于10个字）。"))
        return data

    def grid(self):
        """Rows for the template: (area, [(kind, activities field, person-times field)])."""
        return [
            (
                area,
                [
                    (
                        kind,
                        self[cell_name(area.pk, kind.pk, "n")],
                        self[cell_name(area.pk, kind.pk, "p")],
                    )
                    for kind in self.kinds
                ],
            )
            for area in self.areas
        ]

    def lines(self) -> dict:
        data = self.cleaned_data
        return {
            (area, kind): (
                data.get(cell_name(area.pk, kind.pk, "n")) or 0,
                data.get(cell_name(area.pk, kind.pk, "p")) or 0,
            )
            for area in self.areas
            for kind in self.kinds
        }

    def error_list(self) -> list[tuple[str, str]]:
        """Every error as (input id or "", message), in the order of the page: the error
        summary links each one to its cell."""
        items = [("", str(message)) for message in self.non_field_errors()]
        names = [name for name in self.fields if name.startswith("c_")]
        for name in [*names, "volunteers", "narrative"]:
            label = str(self.fields[name].label)
            for message in self.errors.get(name, ()):
                if "·" not in message and label not in message:
                    message = f"{label}：{message}"
                items.append((self[name].id_for_label, str(message)))
        return items


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
        help_text=_("退回时必须填写，说明需要修改的内容。"),
    )


class UnlockForm(forms.Form):
    reason = forms.CharField(
        label=_("解锁原因"),
        max_length=1000,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 2}),
    )


class PhotoForm(forms.Form):
    image = forms.FileField(label=_("照片（jpg/png,5MB以内）"))
    caption = forms.CharField(
        label=_("说明"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )


class BulkUploadForm(forms.Form):
    file = forms.FileField(label=_("填好的月报模板（xlsx）"))


class DashboardForm(forms.Form):
    month = MonthField(label=_("月份"), required=False)
    region = forms.CharField(required=False, widget=forms.HiddenInput)


class CompletenessForm(forms.Form):
    """The year of the reporting-completeness pages."""

    year = forms.IntegerField(
        label=_("年度"),
        min_value=2000,
        max_value=2100,
        required=False,
        error_messages={"invalid": _("年度须为四位数字。")},
        widget=forms.NumberInput(attrs={"class": "form-control", "inputmode": "numeric"}),
    )
    region = forms.CharField(required=False, widget=forms.HiddenInput)
