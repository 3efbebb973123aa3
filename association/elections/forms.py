from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import WRITE_IN_MAX


class TallyForm(forms.Form):
    """One teller's count of a batch: ballots, invalid ones, 赞成 per candidate, on 等额
    positions 反对 and 弃权 per candidate too, and the names written in (另选他人) with
    their votes where the election rules allow them."""

    copy = forms.TypedChoiceField(
        label=_("录入次序"), coerce=int, choices=[(1, _("第一次录入")), (2, _("第二次录入"))]
    )
    ballots = forms.IntegerField(label=_("本批选票数"), min_value=0)
    invalid = forms.IntegerField(label=_("其中废票"), min_value=0)

    def __init__(self, *args, positions, write_ins=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.positions = list(positions)
        self.candidates = []
        self.equal = set()
        for position in self.positions:
            equal = position.equal
            for candidate in position.candidates.all():
                self.candidates.append(candidate)
                label = f"{position.office.name} · {candidate.name}"
                if equal:
                    self.equal.add(candidate.pk)
                    self.fields[f"c{candidate.pk}"] = forms.IntegerField(
                        label=f"{label} · {_('赞成')}", min_value=0
                    )
                    self.fields[f"n{candidate.pk}"] = forms.IntegerField(
                        label=f"{label} · {_('反对')}", min_value=0
                    )
                    self.fields[f"a{candidate.pk}"] = forms.IntegerField(
                        label=f"{label} · {_('弃权')}", min_value=0
                    )
                else:
                    self.fields[f"c{candidate.pk}"] = forms.IntegerField(label=label, min_value=0)
            if write_ins:
                self.fields[f"w{position.pk}"] = forms.CharField(
                    label=f"{position.office.name} · {_('另选他人')}",
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 2}),
                    help_text=_("每行一人：姓名 票数，如“王芳 3”；没有可不填。"),
                )

    def clean(self):
        data = super().clean()
        rows = []
        for position in self.positions:
            text = data.get(f"w{position.pk}") or ""
            for line in text.splitlines():
                parts = line.split()
                if not parts:
                    continue
                if len(parts) != 2 or not parts[1].isdigit() or len(parts[0]) > WRITE_IN_MAX:
                    raise ValidationError(
                        _("另选他人每行写一个姓名和票数，中间空一格，如“王芳 3”。")
                    )
                rows.append((position.pk, parts[0], int(parts[1])))
        self._write_ins = rows
        return data

    def votes(self) -> dict[int, int]:
        return {c.pk: self.cleaned_data[f"c{c.pk}"] for c in self.candidates}

    def against(self) -> dict[int, int]:
        return {pk: self.cleaned_data[f"n{pk}"] for pk in self.equal}

    def abstain(self) -> dict[int, int]:
        return {pk: self.cleaned_data[f"a{pk}"] for pk in self.equal}

    def write_ins(self) -> list[tuple[int, str, int]]:
        return getattr(self, "_write_ins", [])
