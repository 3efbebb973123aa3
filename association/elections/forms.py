from django import forms
from django.utils.translation import gettext_lazy as _


class TallyForm(forms.Form):
    """One teller's count of a batch: ballots, invalid ones, votes per candidate."""

    copy = forms.TypedChoiceField(
        label=_("录入次序"), coerce=int, choices=[(1, _("第一次录入")), (2, _("第二次录入"))]
    )
    ballots = forms.IntegerField(label=_("本批选票数"), min_value=0)
    invalid = forms.IntegerField(label=_("其中废票"), min_value=0)

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = list(candidates)
        for candidate in self.candidates:
            self.fields[f"c{candidate.pk}"] = forms.IntegerField(
                label=f"{candidate.position.office.name} · {candidate.name}", min_value=0
            )

    def votes(self) -> dict[int, int]:
        return {c.pk: self.cleaned_data[f"c{c.pk}"] for c in self.candidates}
