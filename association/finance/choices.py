from django.db import models
from django.utils.translation import gettext_lazy as _


class AccountClass(models.TextChoices):
    """The classes of 民间非营利组织会计制度's chart of accounts."""

    ASSET = "asset", _("资产类")
    LIABILITY = "liability", _("负债类")
    NET_UNRESTRICTED = "net_unrestricted", _("非限定性净资产")
    NET_RESTRICTED = "net_restricted", _("限定性净资产")
    INCOME = "income", _("收入类")
    EXPENSE = "expense", _("费用类")


# The classes that have balances to carry (期初余额); income and expenses start at zero.
BALANCE_SHEET_CLASSES = (
    AccountClass.ASSET,
    AccountClass.LIABILITY,
    AccountClass.NET_UNRESTRICTED,
    AccountClass.NET_RESTRICTED,
)


class Side(models.TextChoices):
    DEBIT = "debit", _("借")
    CREDIT = "credit", _("贷")


class Restriction(models.TextChoices):
    UNRESTRICTED = "unrestricted", _("非限定性")
    RESTRICTED = "restricted", _("限定性")


class VoucherStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    POSTED = "posted", _("已过账")


# Allowed moves of each workflow (association/workflow.py): a posted voucher is corrected
# by a reversing voucher, never reopened; a closed month stays closed.
VOUCHER_TRANSITIONS = {
    VoucherStatus.DRAFT: {VoucherStatus.POSTED},
    VoucherStatus.POSTED: set(),
}


class VoucherSource(models.TextChoices):
    MANUAL = "manual", _("手工录入")
    REVERSAL = "reversal", _("冲销")
    CLAIM = "claim", _("报销付款")
    DUES = "dues", _("会费")
    GRANT = "grant", _("资助与合同")
    OPENING = "opening", _("期初余额")
    CLOSING = "closing", _("年末结转")


class PeriodStatus(models.TextChoices):
    OPEN = "open", _("未结账")
    CLOSED = "closed", _("已结账")


PERIOD_TRANSITIONS = {
    PeriodStatus.OPEN: {PeriodStatus.CLOSED},
    PeriodStatus.CLOSED: set(),
}


class StatementKind(models.TextChoices):
    BALANCE_SHEET = "balance_sheet", _("资产负债表")
    ACTIVITIES = "activities", _("业务活动表")
    CASH_FLOW = "cash_flow", _("现金流量表")


class LineKind(models.TextChoices):
    """How a statement line gets its figure."""

    HEADING = "heading", _("标题行")
    ACCOUNTS = "accounts", _("科目汇总")
    TOTAL = "total", _("合计公式")
    NET_ASSETS = "net_assets", _("净资产（按限定性）")
    RELEASE = "release", _("限定性净资产转为非限定性净资产")
    CASH_OTHER = "cash_other", _("其他现金流量（未单列科目）")


class CashDirection(models.TextChoices):
    INFLOW = "inflow", _("流入")
    OUTFLOW = "outflow", _("流出")


class Office(models.TextChoices):
    """Who approves under the fund rules (fed by governance's offices later)."""

    SECRETARY_GENERAL = "secretary_general", _("秘书长")
    PRESIDENT = "president", _("会长")
    COUNCIL = "council", _("理事会")


class ClaimStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("审批中")
    APPROVED = "approved", _("已批准")
    REJECTED = "rejected", _("已退回")
    PAID = "paid", _("已付款")
    WITHDRAWN = "withdrawn", _("已撤回")


CLAIM_TRANSITIONS = {
    ClaimStatus.DRAFT: {ClaimStatus.SUBMITTED, ClaimStatus.WITHDRAWN},
    ClaimStatus.SUBMITTED: {ClaimStatus.APPROVED, ClaimStatus.REJECTED, ClaimStatus.WITHDRAWN},
    ClaimStatus.APPROVED: {ClaimStatus.PAID},
    ClaimStatus.REJECTED: set(),
    ClaimStatus.PAID: set(),
    ClaimStatus.WITHDRAWN: set(),
}


class GrantKind(models.TextChoices):
    GOVERNMENT_GRANT = "government_grant", _("政府补助")
    PURCHASE_OF_SERVICE = "purchase_of_service", _("政府购买服务合同")
    DONATION = "donation", _("限定性捐赠")
    STARTUP_GRANT = "startup_grant", _("创业资助（支出）")


class GrantDirection(models.TextChoices):
    RECEIVED = "received", _("收入")
    PAID = "paid", _("支出")


class TieOutKey(models.TextChoices):
    """The key lines the tie-outs read."""

    TOTAL_ASSETS = "total_assets", _("资产总计")
    TOTAL_LIABILITIES_NET_ASSETS = "total_liabilities_net_assets", _("负债和净资产总计")
    CHANGE_IN_NET_ASSETS = "change_in_net_assets", _("净资产变动额")
    NET_CASH_CHANGE = "net_cash_change", _("现金净增加额")
