"""Input of the content pages and the admin: searches, replies, sending a notice."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from association.regions.choices import Level
from association.regions.models import Region

from . import services
from .choices import Segment
from .models import Article, Attachment, RecipientList


class SearchForm(forms.Form):
    q = forms.CharField(label=_("关键词"), max_length=50, required=False)


class VerifyForm(forms.Form):
    code = forms.CharField(
        label=_("证书编号或验证码"),
        max_length=64,
        widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "off"}),
    )


class ReplyForm(forms.Form):
    text = forms.CharField(
        label=_("回复内容"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
    )
    file = forms.FileField(
        label=_("附件"),
        required=False,
        help_text=_("PDF、Word、Excel 或图片，不超过 20 MB。"),
        widget=forms.ClearableFileInput(attrs={"class": "form-control"}),
    )

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload:
            from association.files import validate_upload

            validate_upload(upload, types=services.REPLY_TYPES, max_mb=20)
        return upload

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("text") and not data.get("file"):
            raise ValidationError(_("请填写回复内容或上传附件。"))
        return data


class SendForm(forms.Form):
    """The admin's 下发 action: a segment and, for some, a county or a round."""

    segment = forms.ChoiceField(label=_("发送对象"), choices=Segment.choices)
    county = forms.ModelChoiceField(
        label=_("县（市、区）"),
        queryset=Region.objects.filter(level=Level.COUNTY).order_by("code"),
        required=False,
    )
    round = forms.ModelChoiceField(label=_("招募批次"), queryset=None, required=False)
    recipient_list = forms.ModelChoiceField(
        label=_("收件人名单"),
        queryset=RecipientList.objects.order_by("name"),
        required=False,
        help_text=_("发送给已保存的名单时选择；名单在“收件人名单”中维护。"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from projects.models import RecruitmentRound

        self.fields["round"].queryset = RecruitmentRound.objects.order_by("-opens_on")

    def clean(self):
        data = super().clean()
        if data.get("segment") == Segment.COUNTY_STATIONS and not data.get("county"):
            self.add_error("county", _("发送给某县（市、区）的社工站时必须选择县（市、区）。"))
        if data.get("segment") == Segment.GRADUATES and not data.get("round"):
            self.add_error("round", _("发送给毕业生社工时必须选择招募批次。"))
        if data.get("segment") == Segment.SAVED_LIST and not data.get("recipient_list"):
            self.add_error("recipient_list", _("发送给已保存的名单时必须选择名单。"))
        return data


class PublishForm(forms.Form):
    at = forms.DateTimeField(
        label=_("发布时间"),
        required=False,
        help_text=_("留空则立即发布；填写将来的时间则定时发布。"),
    )


class ArticleAdminForm(forms.ModelForm):
    class Meta:
        model = Article
        fields = [
            "kind", "title", "slug", "summary", "body", "cover", "visibility", "issuer",
            "document_number", "issued_on", "urgent", "reply_by",
        ]  # fmt: skip

    def clean_cover(self):
        cover = self.cleaned_data.get("cover")
        if cover and hasattr(cover, "content_type"):  # a new upload
            services.check_cover(cover)
        return cover


class AttachmentForm(forms.ModelForm):
    class Meta:
        model = Attachment
        fields = ["title", "file"]

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and hasattr(upload, "content_type"):  # a new upload
            services.check_attachment(upload)
        return upload


class RecipientListForm(forms.ModelForm):
    """The admin's form of a saved list; ``content.services.recipient_list_save`` saves it."""

    class Meta:
        model = RecipientList
        fields = ["name", "note", "users"]
