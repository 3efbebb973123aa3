from django import forms
from django.utils.translation import gettext_lazy as _

from .kinds import KINDS
from .services import DEFAULT_CHANNELS, Channels

CHANNELS = (("in_app", _("站内通知")), ("email", _("电子邮件")), ("digest", _("每日汇总")))


class PreferencesForm(forms.Form):
    """Three checkboxes per kind of notification: ``<kind>__in_app``, ``__email``,
    ``__digest``."""

    def __init__(self, *args, current: dict[str, Channels], **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        for kind, label in KINDS.items():
            channels = current.get(kind, DEFAULT_CHANNELS)
            fields = []
            for channel, channel_label in CHANNELS:
                name = f"{kind}__{channel}"
                self.fields[name] = forms.BooleanField(
                    label=f"{label}:{channel_label}",
                    required=False,
                    initial=getattr(channels, channel),
                    widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
                )
                fields.append(self[name])
            self.rows.append((kind, label, fields))

    def channels(self) -> dict[str, Channels]:
        data = self.cleaned_data
        return {
            kind: Channels(
                in_app=data[f"{kind}__in_app"],
                email=data[f"{kind}__email"],
                digest=data[f"{kind}__digest"],
            )
            for kind in KINDS
        }
