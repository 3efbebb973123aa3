from __future__ import annotations

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from association.files import validate_upload

from .choices import BALANCE_SHEET_CLASSES, AccountClass, StatementKind
from .models import Account, BudgetLine, Fund

# ISO dates: a browser's date input cannot read the localised 2026年1月5日.
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PeriodForm(forms.Form):
    kind = forms.ChoiceField(label=_("报表"), choices=StatementKind.choices)
    start = forms.DateField(label=_("起始日期"), widget=DATE_INPUT)
    end = forms.DateField(label=_("截止日期"), widget=DATE_INPUT)

    @classmethod
    def initial_for_today(cls):
        today = timezone.localdate()
        return {
            "kind": StatementKind.BALANCE_SHEET,
            "start": datetime.date(today.year, 1, 1),
            "end": today,
        }

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise ValidationError(_("起始日期不能晚于截止日期。"))
        return data


class ClaimForm(forms.Form):
    title = forms.CharField(label=_("事由"), max_length=200)
    budget_line = forms.ModelChoiceField(
        label=_("预算项目"), queryset=BudgetLine.objects.select_related("budget__fund")
    )
    payee = forms.CharField(label=_("收款人"), max_length=100)
    description = forms.CharField(label=_("明细内容"), max_length=200)
    account = forms.ModelChoiceField(
        label=_("费用科目"),
        queryset=Account.objects.filter(account_class=AccountClass.EXPENSE, active=True),
    )
    amount = forms.DecimalField(
        label=_("金额（元）"), max_digits=14, decimal_places=2, min_value=0.01
    )
    spent_on = forms.DateField(label=_("发生日期"), widget=DATE_INPUT)
    attachment = forms.FileField(label=_("发票或收据"), required=False)

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        if upload:
            validate_upload(upload)
        return upload

    def clean_spent_on(self):
        day = self.cleaned_data["spent_on"]
        if day > timezone.localdate():
            raise ValidationError(_("发生日期不能晚于今天。"))
        return day


class DecisionForm(forms.Form):
    comment = forms.CharField(
        label=_("意见"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    resolution = forms.CharField(label=_("理事会决议名称及文号"), required=False, max_length=200)


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("退回理由"), widget=forms.Textarea(attrs={"rows": 2}))


class PayForm(forms.Form):
    paid_on = forms.DateField(label=_("付款日期"), widget=DATE_INPUT)


class SettleForm(forms.Form):
    """The day the money actually arrived (or left): the voucher is dated by it."""

    settled_on = forms.DateField(label=_("到账/支付日期"), widget=DATE_INPUT)

    def clean_settled_on(self):
        settled_on = self.cleaned_data["settled_on"]
        if settled_on > timezone.localdate():
            raise forms.ValidationError(_("到账日期不能晚于今天。"))
        return settled_on


class ReverseForm(forms.Form):
    date = forms.DateField(label=_("冲销日期"), widget=DATE_INPUT)
    reason = forms.CharField(label=_("冲销原因"), max_length=150)


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("附件"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        validate_upload(upload)
        return upload


class VoucherLineForm(forms.Form):
    account = forms.ModelChoiceField(label=_("科目"), queryset=Account.objects.filter(active=True))
    fund = forms.ModelChoiceField(label=_("资金"), queryset=Fund.objects.filter(active=True))
    debit = forms.DecimalField(
        label=_("借方"), required=False, max_digits=14, decimal_places=2, min_value=0
    )
    credit = forms.DecimalField(
        label=_("贷方"), required=False, max_digits=14, decimal_places=2, min_value=0
    )
    counterparty = forms.CharField(label=_("往来单位/个人"), required=False, max_length=100)
    project_tag = forms.CharField(label=_("项目"), required=False, max_length=100)
    station_tag = forms.CharField(label=_("社工站"), required=False, max_length=100)


VoucherLineFormSet = forms.formset_factory(VoucherLineForm, extra=4, min_num=2, validate_min=True)


class OpeningLineForm(VoucherLineForm):
    """A line of the opening balances: balance-sheet accounts only."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = Account.objects.filter(
            active=True, account_class__in=BALANCE_SHEET_CLASSES
        )


OpeningLineFormSet = forms.formset_factory(OpeningLineForm, extra=6, min_num=2, validate_min=True)


class OpeningForm(forms.Form):
    books_start = forms.DateField(
        label=_("账簿启用日期"),
        widget=DATE_INPUT,
        help_text=_("期初余额记在启用日的前一天，不计入任何期间的发生额。"),
    )


class YearCloseForm(forms.Form):
    year = forms.IntegerField(label=_("结转年度"), min_value=2000, max_value=2100)


class VoucherForm(forms.Form):
    date = forms.DateField(label=_("记账日期"), widget=DATE_INPUT)
    summary = forms.CharField(label=_("摘要"), max_length=200)


class FundRulesAdoptForm(forms.Form):
    """A new version of 《资金管理使用办法》 adopted by a passed motion, with its chain: one
    step a line, "office amount [article] [须决议]", e.g. "秘书长 0 第十二条"."""

    motion = forms.ModelChoiceField(queryset=None, label=_("通过该版本的议案"))
    name = forms.CharField(label=_("名称"), max_length=100, initial="资金管理使用办法")
    effective_from = forms.DateField(
        label=_("生效日期"), widget=forms.DateInput(attrs={"type": "date"})
    )
    steps = forms.CharField(
        label=_("审批规则"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "每行一级，依次为：审批人职务（秘书长、会长、理事会）、金额超过（元）、条款（可空）、"
            "“须决议”（可空）。例如：秘书长 0 第十二条"
        ),
    )
    text = forms.CharField(label=_("条文"), widget=forms.Textarea, required=False)

    def __init__(self, *args, **kwargs):
        from association.governance.models import Motion

        super().__init__(*args, **kwargs)
        self.fields["motion"].queryset = Motion.objects.filter(passed=True).select_related(
            "meeting"
        )

    def clean_steps(self):
        from decimal import Decimal, InvalidOperation

        from .choices import Office

        offices = {str(label): value for value, label in Office.choices}
        rows = []
        for number, line in enumerate(self.cleaned_data["steps"].splitlines(), start=1):
            parts = line.split()
            if not parts:
                continue
            if len(parts) < 2 or parts[0] not in offices:
                raise ValidationError(
                    _("第%(n)d行：请写审批人职务（秘书长、会长或理事会）和金额。") % {"n": number}
                )
            try:
                amount = Decimal(parts[1])
            except InvalidOperation:
                raise ValidationError(_("第%(n)d行：金额应为数字。") % {"n": number}) from None
            rest = parts[2:]
            needs = "须决议" in rest
            article = " ".join(p for p in rest if p != "须决议")
            rows.append(
                {
                    "step": len(rows) + 1,
                    "office": offices[parts[0]],
                    "above_amount": amount,
                    "article": article,
                    "needs_resolution": needs,
                }
            )
        if not rows:
            raise ValidationError(_("资金管理办法至少要有一级审批。"))
        return rows
