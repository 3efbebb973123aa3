"""Finance pages: thin views over the services and selectors."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from association.accounts.roles import require
from association.exports import attach
from association.files import private_file_response
from association.pdf import render_pdf
from association.web import paginate, show_errors

from . import documents, selectors, services
from .choices import ClaimStatus, PeriodStatus, StatementKind, VoucherStatus
from .filters import ClaimFilter, VoucherFilter
from .forms import (
    AttachmentForm,
    ClaimForm,
    DecisionForm,
    OpeningForm,
    OpeningLineFormSet,
    PayForm,
    PeriodForm,
    RejectForm,
    ReverseForm,
    SettleForm,
    VoucherForm,
    VoucherLineFormSet,
    YearCloseForm,
)
from .models import (
    BudgetLine,
    ClaimAttachment,
    ExpenseClaim,
    Fund,
    GrantTranche,
    Period,
    Voucher,
    YearEnd,
)
from .permissions import (
    can_keep_books,
    can_see_claims,
    require_books,
    require_books_reader,
    require_statements_reader,
)
from .statements import statement_build


@login_required
def index(request):
    require_books_reader(request.user)
    context = {
        "drafts": Voucher.objects.filter(status=VoucherStatus.DRAFT).count(),
        "waiting": ExpenseClaim.objects.filter(status=ClaimStatus.SUBMITTED).count(),
        "approved": ExpenseClaim.objects.filter(status=ClaimStatus.APPROVED).count(),
        "open_periods": Period.objects.filter(status=PeriodStatus.OPEN).count(),
    }
    return render(request, "finance/index.html", context)


@login_required
def voucher_list(request):
    filterset = VoucherFilter(request.GET, queryset=selectors.voucher_list(user=request.user))
    return render(
        request,
        "finance/voucher_list.html",
        {
            "filter": filterset,
            "page": paginate(request, filterset.qs),
            "statuses": VoucherStatus.choices,
        },
    )


@login_required
def voucher_detail(request, pk):
    voucher = selectors.voucher_get_for_user(user=request.user, pk=pk)
    lines = voucher.lines.select_related("account", "fund", "budget_line")
    return render(
        request,
        "finance/voucher_detail.html",
        {
            "voucher": voucher,
            "lines": lines,
            "reverse_form": ReverseForm(initial={"date": timezone.localdate()}),
            "attachment_form": AttachmentForm(),
            "reversed_by": Voucher.objects.filter(reverses=voucher).first(),
        },
    )


@login_required
def voucher_create(request):
    require_books(request.user)
    form = VoucherForm(request.POST or None, initial={"date": timezone.localdate()})
    formset = VoucherLineFormSet(request.POST or None, prefix="lines")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        lines = [
            {**data, "debit": data.get("debit") or 0, "credit": data.get("credit") or 0}
            for data in formset.cleaned_data
            if data and (data.get("debit") or data.get("credit"))
        ]
        try:
            voucher = services.voucher_create(by=request.user, lines=lines, **form.cleaned_data)
        except ValidationError as exc:
            show_errors(request, exc)
        else:
            messages.success(request, _("凭证草稿已保存，核对后请过账。"))
            return redirect("finance:voucher_detail", pk=voucher.pk)
    return render(request, "finance/voucher_create.html", {"form": form, "formset": formset})


@require_POST
@login_required
def voucher_post(request, pk):
    voucher = selectors.voucher_get_for_user(user=request.user, pk=pk)
    try:
        voucher = services.voucher_post(voucher=voucher, by=request.user)
        messages.success(request, _("已过账，凭证号 %(number)s。") % {"number": voucher.number})
    except ValidationError as exc:
        show_errors(request, exc)
    return redirect("finance:voucher_detail", pk=voucher.pk)


@require_POST
@login_required
def voucher_reverse(request, pk):
    voucher = selectors.voucher_get_for_user(user=request.user, pk=pk)
    form = ReverseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写冲销日期和原因。"))
        return redirect("finance:voucher_detail", pk=voucher.pk)
    try:
        reversal = services.voucher_reverse(
            voucher=voucher,
            by=request.user,
            date=form.cleaned_data["date"],
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as exc:
        show_errors(request, exc)
        return redirect("finance:voucher_detail", pk=voucher.pk)
    messages.success(request, _("已生成冲销凭证 %(number)s。") % {"number": reversal.number})
    return redirect("finance:voucher_detail", pk=reversal.pk)


@require_POST
@login_required
def voucher_delete(request, pk):
    voucher = selectors.voucher_get_for_user(user=request.user, pk=pk)
    try:
        services.voucher_delete(voucher=voucher, by=request.user)
    except ValidationError as exc:
        show_errors(request, exc)
        return redirect("finance:voucher_detail", pk=voucher.pk)
    messages.success(request, _("草稿凭证已删除。"))
    return redirect("finance:voucher_list")


@require_POST
@login_required
def attachment_upload(request, pk):
    voucher = selectors.voucher_get_for_user(user=request.user, pk=pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.voucher_attachment_add(
                voucher=voucher, file=form.cleaned_data["file"], by=request.user
            )
        except ValidationError as exc:
            show_errors(request, exc)
        else:
            messages.success(request, _("附件已上传。"))
    else:
        for error in form.errors.get("file", []):
            messages.error(request, error)
    return redirect("finance:voucher_detail", pk=voucher.pk)


@login_required
def attachment_download(request, pk):
    attachment = selectors.attachment_get_for_user(user=request.user, pk=pk)
    return private_file_response(attachment.file, filename=attachment.original_name)


@login_required
def period_list(request):
    require_books_reader(request.user)
    periods = Period.objects.select_related("closed_by").order_by("-year", "-month")
    return render(
        request,
        "finance/period_list.html",
        {
            "page": paginate(request, periods),
            "year_ends": YearEnd.objects.select_related("voucher", "closed_by")[:10],
            "closable_year": selectors.closable_year(),
            "can_keep_books": can_keep_books(request.user),
        },
    )


@login_required
def opening_balances(request):
    """期初余额：entered once, checked to balance, dated before every other voucher."""
    require_books_reader(request.user)
    existing = services.opening_voucher()
    form = formset = None
    if existing is None:
        require_books(request.user)
        form = OpeningForm(request.POST or None)
        formset = OpeningLineFormSet(request.POST or None, prefix="lines")
        if request.method == "POST" and form.is_valid() and formset.is_valid():
            lines = [
                {
                    "account": d["account"],
                    "fund": d["fund"],
                    "debit": d.get("debit") or 0,
                    "credit": d.get("credit") or 0,
                    "counterparty": d.get("counterparty", ""),
                }
                for d in formset.cleaned_data
                if d and (d.get("debit") or d.get("credit"))
            ]
            try:
                voucher = services.opening_balances_enter(
                    by=request.user, books_start=form.cleaned_data["books_start"], lines=lines
                )
            except ValidationError as exc:
                show_errors(request, exc)
            else:
                messages.success(
                    request, _("期初余额已入账，凭证号 %(number)s。") % {"number": voucher.number}
                )
                return redirect("finance:opening_balances")
    return render(
        request,
        "finance/opening_balances.html",
        {
            "voucher": existing,
            "lines": existing.lines.select_related("account", "fund") if existing else (),
            "form": form,
            "formset": formset,
        },
    )


@require_POST
@login_required
def year_close(request):
    require_books(request.user)
    form = YearCloseForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors["year"])
        year_end = services.year_close(year=form.cleaned_data["year"], by=request.user)
        messages.success(request, _("%(year)s年已结转，各月已结账。") % {"year": year_end.year})
    except ValidationError as exc:
        show_errors(request, exc)
    return redirect("finance:period_list")


@require_POST
@login_required
def period_close(request, pk):
    require_books(request.user)
    period = get_object_or_404(Period, pk=pk)
    try:
        services.period_close(year=period.year, month=period.month, by=request.user)
        messages.success(request, _("%(period)s 已结账。") % {"period": period})
    except ValidationError as exc:
        show_errors(request, exc)
    return redirect("finance:period_list")


def _statement(request):
    require_statements_reader(request.user)
    form = PeriodForm(request.GET or None, initial=PeriodForm.initial_for_today())
    data = (
        form.cleaned_data if form.is_bound and form.is_valid() else PeriodForm.initial_for_today()
    )
    if form.is_bound and not form.is_valid():
        form = PeriodForm(initial=PeriodForm.initial_for_today())
    return form, statement_build(data["kind"], start=data["start"], end=data["end"])


@login_required
def statement(request):
    form, built = _statement(request)
    return render(
        request,
        "finance/statement.html",
        {
            "form": form,
            "statement": built,
            "query": request.GET.urlencode(),
            "kinds": StatementKind.choices,
        },
    )


@login_required
def statement_xlsx(request):
    _form, built = _statement(request)
    response = HttpResponse(
        documents.statement_xlsx(built),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    return attach(response, documents.statement_filename(built, "xlsx"))


@login_required
def statement_pdf(request):
    _form, built = _statement(request)
    pdf = render_pdf(
        "finance/pdf/statement.html",
        {"statement": built, "running_title": built.layout.title},
        request=request,
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    return attach(response, documents.statement_filename(built, "pdf"))


@login_required
def claim_list(request):
    offices = selectors.approver_offices(request.user)
    require(can_see_claims(request.user, offices))
    filterset = ClaimFilter(request.GET, queryset=selectors.claim_list(user=request.user))
    return render(
        request,
        "finance/claim_list.html",
        {
            "filter": filterset,
            "page": paginate(request, filterset.qs),
            "statuses": ClaimStatus.choices,
            "offices": offices,
        },
    )


@login_required
def claim_create(request):
    require_books(request.user)
    form = ClaimForm(
        request.POST or None, request.FILES or None, initial={"spent_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                claim = services.claim_create(
                    by=request.user,
                    title=data["title"],
                    fund=data["budget_line"].budget.fund,
                    budget_line=data["budget_line"],
                    payee=data["payee"],
                    items=[
                        {
                            "description": data["description"],
                            "account": data["account"],
                            "amount": data["amount"],
                            "spent_on": data["spent_on"],
                        }
                    ],
                )
                if data.get("attachment"):
                    services.claim_attachment_add(
                        claim=claim, file=data["attachment"], by=request.user
                    )
                services.claim_submit(claim=claim, by=request.user)
        except ValidationError as exc:
            show_errors(request, exc)
        else:
            messages.success(request, _("报销单已提交审批。"))
            return redirect("finance:claim_detail", pk=claim.pk)
    return render(request, "finance/claim_create.html", {"form": form})


@login_required
def claim_detail(request, pk):
    claim = selectors.claim_get_for_user(user=request.user, pk=pk)
    step = selectors.next_step(claim) if claim.status == ClaimStatus.SUBMITTED else None
    can_decide = (
        step is not None
        and step.office in selectors.approver_offices(request.user)
        and claim.claimant_id != request.user.pk
    )
    return render(
        request,
        "finance/claim_detail.html",
        {
            "claim": claim,
            "steps": selectors.required_steps(claim) if claim.status != ClaimStatus.DRAFT else [],
            "step": step,
            "can_decide": can_decide,
            "can_pay": claim.status == ClaimStatus.APPROVED and can_keep_books(request.user),
            # The claimant may take it back until it is approved (then it is paid or not).
            "can_withdraw": claim.claimant_id == request.user.pk
            and claim.status in (ClaimStatus.DRAFT, ClaimStatus.SUBMITTED),
            "decision_form": DecisionForm(),
            "reject_form": RejectForm(),
            "pay_form": PayForm(initial={"paid_on": timezone.localdate()}),
            "figures": selectors.budget_line_figures(
                BudgetLine.objects.filter(pk=claim.budget_line_id)
            ).first(),
        },
    )


def _claim_action(request, pk, action):
    claim = selectors.claim_get_for_user(user=request.user, pk=pk)
    try:
        action(claim)
    except (ValidationError, PermissionDenied) as exc:
        show_errors(request, exc)
    return redirect("finance:claim_detail", pk=claim.pk)


@require_POST
@login_required
def claim_approve(request, pk):
    form = DecisionForm(request.POST)
    form.is_valid()
    data = form.cleaned_data

    def act(claim):
        claim = services.claim_approve(
            claim=claim,
            by=request.user,
            comment=data.get("comment", ""),
            resolution=data.get("resolution", ""),
        )
        messages.success(request, _("已审批。"))

    return _claim_action(request, pk, act)


@require_POST
@login_required
def claim_reject(request, pk):
    reason = request.POST.get("reason", "")

    def act(claim):
        services.claim_reject(claim=claim, by=request.user, reason=reason)
        messages.success(request, _("报销单已退回。"))

    return _claim_action(request, pk, act)


@require_POST
@login_required
def claim_withdraw(request, pk):
    def act(claim):
        services.claim_withdraw(claim=claim, by=request.user)
        messages.success(request, _("报销单已撤回。"))

    return _claim_action(request, pk, act)


@require_POST
@login_required
def claim_pay(request, pk):
    form = PayForm(request.POST)
    paid_on = form.cleaned_data["paid_on"] if form.is_valid() else None

    def act(claim):
        claim = services.claim_pay(claim=claim, by=request.user, paid_on=paid_on)
        messages.success(request, _("已付款，凭证 %(number)s。") % {"number": claim.voucher.number})

    return _claim_action(request, pk, act)


@login_required
def claim_attachment(request, pk):
    attachment = get_object_or_404(
        ClaimAttachment.objects.filter(claim__in=selectors.claim_list(user=request.user)), pk=pk
    )
    return private_file_response(attachment.file, filename=attachment.original_name)


@login_required
def budget_list(request):
    budgets = selectors.budget_list(user=request.user)
    return render(request, "finance/budget_list.html", {"page": paginate(request, budgets)})


@login_required
def budget_detail(request, pk):
    budget = selectors.budget_get_for_user(user=request.user, pk=pk)
    lines = selectors.budget_line_figures(budget.lines.select_related("account"))
    return render(request, "finance/budget_detail.html", {"budget": budget, "lines": lines})


@login_required
def fund_list(request):
    require_books_reader(request.user)
    funds = Fund.objects.order_by("-is_general", "code")
    return render(request, "finance/fund_list.html", {"page": paginate(request, funds)})


@login_required
def grant_list(request):
    grants = selectors.grant_list(user=request.user)
    return render(request, "finance/grant_list.html", {"page": paginate(request, grants)})


@login_required
def grant_detail(request, pk):
    grant = selectors.grant_get_for_user(user=request.user, pk=pk)
    return render(
        request,
        "finance/grant_detail.html",
        {
            "grant": grant,
            "tranches": grant.tranches.select_related("voucher"),
            "milestones": grant.milestones.all(),
            "today": timezone.localdate(),
        },
    )


@require_POST
@login_required
def tranche_settle(request, pk):
    require_books(request.user)
    tranche = get_object_or_404(GrantTranche, pk=pk)
    form = SettleForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors["settled_on"])
        services.tranche_settle(
            tranche=tranche, by=request.user, on=form.cleaned_data["settled_on"]
        )
        messages.success(request, _("已入账。"))
    except ValidationError as exc:
        show_errors(request, exc)
    return redirect("finance:grant_detail", pk=tranche.grant_id)


@login_required
def dues_disclosure(request):
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year - 1))
    except ValueError:
        raise Http404 from None
    if not 2000 <= year <= today.year:
        raise Http404
    return render(
        request,
        "finance/dues_disclosure.html",
        {
            "data": selectors.dues_disclosure(year=year),
            "years": range(today.year, today.year - 6, -1),
        },
    )


@login_required
def my_dues(request):
    dues = selectors.my_dues(user=request.user)
    return render(request, "finance/my_dues.html", {"page": paginate(request, dues)})
