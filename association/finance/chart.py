"""The standard chart of accounts and statement layouts of 民间非营利组织会计制度.

This is seed data: ``chart_load()`` creates what is missing and never overwrites what
the association edited (layouts and account names are editable in the admin, because
the system was revised by 财会〔2024〕25号 for 2026).
"""

from __future__ import annotations

from django.db import transaction

from association.services import history_context

# (code, name, class, normal side, is cash)
ACCOUNTS = [
    ("1001", "现金", "asset", "debit", True),
    ("1002", "银行存款", "asset", "debit", True),
    ("1009", "其他货币资金", "asset", "debit", True),
    ("1101", "短期投资", "asset", "debit", False),
    ("1102", "短期投资跌价准备", "asset", "credit", False),
    ("1111", "应收票据", "asset", "debit", False),
    ("1121", "应收账款", "asset", "debit", False),
    ("1122", "其他应收款", "asset", "debit", False),
    ("1131", "坏账准备", "asset", "credit", False),
    ("1141", "预付账款", "asset", "debit", False),
    ("1201", "存货", "asset", "debit", False),
    ("1202", "存货跌价准备", "asset", "credit", False),
    ("1301", "待摊费用", "asset", "debit", False),
    ("1401", "长期股权投资", "asset", "debit", False),
    ("1402", "长期债权投资", "asset", "debit", False),
    ("1421", "长期投资减值准备", "asset", "credit", False),
    ("1501", "固定资产", "asset", "debit", False),
    ("1502", "累计折旧", "asset", "credit", False),
    ("1505", "在建工程", "asset", "debit", False),
    ("1506", "文物文化资产", "asset", "debit", False),
    ("1509", "固定资产清理", "asset", "debit", False),
    ("1601", "无形资产", "asset", "debit", False),
    ("1701", "受托代理资产", "asset", "debit", False),
    ("2101", "短期借款", "liability", "credit", False),
    ("2201", "应付票据", "liability", "credit", False),
    ("2202", "应付账款", "liability", "credit", False),
    ("2203", "预收账款", "liability", "credit", False),
    ("2204", "应付工资", "liability", "credit", False),
    ("2206", "应交税金", "liability", "credit", False),
    ("2209", "其他应付款", "liability", "credit", False),
    ("2301", "预提费用", "liability", "credit", False),
    ("2401", "预计负债", "liability", "credit", False),
    ("2501", "长期借款", "liability", "credit", False),
    ("2502", "长期应付款", "liability", "credit", False),
    ("2601", "受托代理负债", "liability", "credit", False),
    ("3101", "非限定性净资产", "net_unrestricted", "credit", False),
    ("3102", "限定性净资产", "net_restricted", "credit", False),
    ("4101", "捐赠收入", "income", "credit", False),
    ("4201", "会费收入", "income", "credit", False),
    ("4301", "提供服务收入", "income", "credit", False),
    ("4401", "政府补助收入", "income", "credit", False),
    ("4501", "商品销售收入", "income", "credit", False),
    ("4601", "投资收益", "income", "credit", False),
    ("4901", "其他收入", "income", "credit", False),
    ("5101", "业务活动成本", "expense", "debit", False),
    ("5201", "管理费用", "expense", "debit", False),
    ("5301", "筹资费用", "expense", "debit", False),
    ("5401", "其他费用", "expense", "debit", False),
]

BANK = "1002"
DUES_INCOME = "4201"
GRANT_INCOME = "4401"
SERVICE_INCOME = "4301"
PROGRAMME_COST = "5101"
ADMIN_COST = "5201"

# Lines: (code, label, indent, kind, side, accounts, formula, extra)
# kind: heading / accounts / total / net_assets / release / cash_other
BALANCE_SHEET = [
    ("", "流动资产：", 0, "heading", "debit", [], "", {}),
    ("1", "货币资金", 1, "accounts", "debit", ["1001", "1002", "1009"], "", {}),
    ("2", "短期投资", 1, "accounts", "debit", ["1101", "1102"], "", {}),
    ("3", "应收款项", 1, "accounts", "debit", ["1111", "1121", "1122", "1131"], "", {}),
    ("4", "预付账款", 1, "accounts", "debit", ["1141"], "", {}),
    ("8", "存货", 1, "accounts", "debit", ["1201", "1202"], "", {}),
    ("9", "待摊费用", 1, "accounts", "debit", ["1301"], "", {}),
    ("20", "流动资产合计", 0, "total", "debit", [], "1+2+3+4+8+9", {}),
    ("", "长期投资：", 0, "heading", "debit", [], "", {}),
    ("21", "长期股权投资", 1, "accounts", "debit", ["1401"], "", {}),
    ("24", "长期债权投资", 1, "accounts", "debit", ["1402", "1421"], "", {}),
    ("30", "长期投资合计", 0, "total", "debit", [], "21+24", {}),
    ("", "固定资产：", 0, "heading", "debit", [], "", {}),
    ("31", "固定资产原价", 1, "accounts", "debit", ["1501"], "", {}),
    ("32", "减：累计折旧", 1, "accounts", "credit", ["1502"], "", {}),
    ("33", "固定资产净值", 1, "total", "debit", [], "31-32", {}),
    ("34", "在建工程", 1, "accounts", "debit", ["1505"], "", {}),
    ("35", "文物文化资产", 1, "accounts", "debit", ["1506"], "", {}),
    ("38", "固定资产清理", 1, "accounts", "debit", ["1509"], "", {}),
    ("40", "固定资产合计", 0, "total", "debit", [], "33+34+35+38", {}),
    ("41", "无形资产", 0, "accounts", "debit", ["1601"], "", {}),
    ("51", "受托代理资产", 0, "accounts", "debit", ["1701"], "", {}),
    ("60", "资产总计", 0, "total", "debit", [], "20+30+40+41+51", {"key": "total_assets"}),
    ("", "流动负债：", 0, "heading", "credit", [], "", {}),
    ("61", "短期借款", 1, "accounts", "credit", ["2101"], "", {}),
    ("62", "应付款项", 1, "accounts", "credit", ["2201", "2202", "2209"], "", {}),
    ("63", "应付工资", 1, "accounts", "credit", ["2204"], "", {}),
    ("65", "应交税金", 1, "accounts", "credit", ["2206"], "", {}),
    ("66", "预收账款", 1, "accounts", "credit", ["2203"], "", {}),
    ("71", "预提费用", 1, "accounts", "credit", ["2301"], "", {}),
    ("72", "预计负债", 1, "accounts", "credit", ["2401"], "", {}),
    ("80", "流动负债合计", 0, "total", "credit", [], "61+62+63+65+66+71+72", {}),
    ("", "长期负债：", 0, "heading", "credit", [], "", {}),
    ("81", "长期借款", 1, "accounts", "credit", ["2501"], "", {}),
    ("84", "长期应付款", 1, "accounts", "credit", ["2502"], "", {}),
    ("90", "长期负债合计", 0, "total", "credit", [], "81+84", {}),
    ("91", "受托代理负债", 0, "accounts", "credit", ["2601"], "", {}),
    ("100", "负债合计", 0, "total", "credit", [], "80+90+91", {}),
    ("", "净资产：", 0, "heading", "credit", [], "", {}),
    ("101", "非限定性净资产", 1, "net_assets", "credit", [], "", {"restriction": "unrestricted"}),
    ("105", "限定性净资产", 1, "net_assets", "credit", [], "", {"restriction": "restricted"}),
    ("110", "净资产合计", 0, "total", "credit", [], "101+105", {}),
    (
        "120",
        "负债和净资产总计",
        0,
        "total",
        "credit",
        [],
        "100+110",
        {"key": "total_liabilities_net_assets"},
    ),
]

ACTIVITIES = [
    ("", "一、收入", 0, "heading", "credit", [], "", {}),
    ("1", "其中：捐赠收入", 1, "accounts", "credit", ["4101"], "", {}),
    ("2", "会费收入", 1, "accounts", "credit", ["4201"], "", {}),
    ("3", "提供服务收入", 1, "accounts", "credit", ["4301"], "", {}),
    ("4", "商品销售收入", 1, "accounts", "credit", ["4501"], "", {}),
    ("5", "政府补助收入", 1, "accounts", "credit", ["4401"], "", {}),
    ("6", "投资收益", 1, "accounts", "credit", ["4601"], "", {}),
    ("9", "其他收入", 1, "accounts", "credit", ["4901"], "", {}),
    ("11", "收入合计", 0, "total", "credit", [], "1+2+3+4+5+6+9", {}),
    ("", "二、费用", 0, "heading", "debit", [], "", {}),
    ("12", "（一）业务活动成本", 1, "accounts", "debit", ["5101"], "", {"all_unrestricted": True}),
    ("21", "（二）管理费用", 1, "accounts", "debit", ["5201"], "", {"all_unrestricted": True}),
    ("24", "（三）筹资费用", 1, "accounts", "debit", ["5301"], "", {"all_unrestricted": True}),
    ("28", "（四）其他费用", 1, "accounts", "debit", ["5401"], "", {"all_unrestricted": True}),
    ("35", "费用合计", 0, "total", "debit", [], "12+21+24+28", {}),
    ("40", "三、限定性净资产转为非限定性净资产", 0, "release", "credit", [], "", {}),
    (
        "45",
        "四、净资产变动额（若为净资产减少额，以“-”号填列）",
        0,
        "total",
        "credit",
        [],
        "11-35+40",
        {"key": "change_in_net_assets"},
    ),
]

# Cash flow (direct method): each non-cash line of a voucher that moves cash is read as a
# cash receipt (credit) or payment (debit) of the line its account is mapped to.
CASH_FLOW = [
    ("", "一、业务活动产生的现金流量：", 0, "heading", "debit", [], "", {}),
    ("1", "接受捐赠收到的现金", 1, "accounts", "credit", ["4101"], "", {"direction": "inflow"}),
    ("2", "收取会费收到的现金", 1, "accounts", "credit", ["4201"], "", {"direction": "inflow"}),
    (
        "3",
        "提供服务收到的现金",
        1,
        "accounts",
        "credit",
        ["4301", "2203"],
        "",
        {"direction": "inflow"},
    ),
    ("4", "销售商品收到的现金", 1, "accounts", "credit", ["4501"], "", {"direction": "inflow"}),
    ("5", "政府补助收到的现金", 1, "accounts", "credit", ["4401"], "", {"direction": "inflow"}),
    (
        "8",
        "收到的其他与业务活动有关的现金",
        1,
        "cash_other",
        "credit",
        ["4901", "1121", "1122"],
        "",
        {"direction": "inflow"},
    ),
    ("13", "现金流入小计", 1, "total", "credit", [], "1+2+3+4+5+8", {}),
    (
        "14",
        "提供商品或者服务支付的现金",
        1,
        "accounts",
        "debit",
        ["5101", "2202", "1141", "1201"],
        "",
        {"direction": "outflow"},
    ),
    (
        "15",
        "支付给员工以及为员工支付的现金",
        1,
        "accounts",
        "debit",
        ["2204"],
        "",
        {"direction": "outflow"},
    ),
    ("16", "支付的各项税费", 1, "accounts", "debit", ["2206"], "", {"direction": "outflow"}),
    (
        "19",
        "支付的其他与业务活动有关的现金",
        1,
        "cash_other",
        "debit",
        ["5201", "5301", "5401", "1122", "2209"],
        "",
        {"direction": "outflow"},
    ),
    ("23", "现金流出小计", 1, "total", "debit", [], "14+15+16+19", {}),
    ("24", "业务活动产生的现金流量净额", 0, "total", "credit", [], "13-23", {}),
    ("", "二、投资活动产生的现金流量：", 0, "heading", "debit", [], "", {}),
    (
        "25",
        "收回投资所收到的现金",
        1,
        "accounts",
        "credit",
        ["1101", "1401", "1402"],
        "",
        {"direction": "inflow"},
    ),
    (
        "26",
        "取得投资收益所收到的现金",
        1,
        "accounts",
        "credit",
        ["4601"],
        "",
        {"direction": "inflow"},
    ),
    (
        "27",
        "处置固定资产和无形资产所收回的现金",
        1,
        "accounts",
        "credit",
        ["1501", "1509", "1601"],
        "",
        {"direction": "inflow"},
    ),
    ("34", "现金流入小计", 1, "total", "credit", [], "25+26+27", {}),
    (
        "35",
        "购建固定资产和无形资产所支付的现金",
        1,
        "accounts",
        "debit",
        ["1501", "1505", "1506", "1601"],
        "",
        {"direction": "outflow"},
    ),
    (
        "36",
        "对外投资所支付的现金",
        1,
        "accounts",
        "debit",
        ["1101", "1401", "1402"],
        "",
        {"direction": "outflow"},
    ),
    ("39", "现金流出小计", 1, "total", "debit", [], "35+36", {}),
    ("41", "投资活动产生的现金流量净额", 0, "total", "credit", [], "34-39", {}),
    ("", "三、筹资活动产生的现金流量：", 0, "heading", "debit", [], "", {}),
    (
        "42",
        "借款所收到的现金",
        1,
        "accounts",
        "credit",
        ["2101", "2501"],
        "",
        {"direction": "inflow"},
    ),
    (
        "43",
        "收到的其他与筹资活动有关的现金",
        1,
        "accounts",
        "credit",
        ["2502", "3101", "3102"],
        "",
        {"direction": "inflow"},
    ),
    ("44", "现金流入小计", 1, "total", "credit", [], "42+43", {}),
    (
        "45",
        "偿还借款所支付的现金",
        1,
        "accounts",
        "debit",
        ["2101", "2501"],
        "",
        {"direction": "outflow"},
    ),
    ("46", "偿付利息所支付的现金", 1, "accounts", "debit", [], "", {"direction": "outflow"}),
    (
        "47",
        "支付的其他与筹资活动有关的现金",
        1,
        "accounts",
        "debit",
        ["2502", "3101", "3102"],
        "",
        {"direction": "outflow"},
    ),
    ("48", "现金流出小计", 1, "total", "debit", [], "45+46+47", {}),
    ("49", "筹资活动产生的现金流量净额", 0, "total", "credit", [], "44-48", {}),
    ("50", "四、汇率变动对现金的影响额", 0, "accounts", "credit", [], "", {"direction": "inflow"}),
    (
        "51",
        "五、现金及现金等价物净增加额",
        0,
        "total",
        "credit",
        [],
        "24+41+49+50",
        {"key": "net_cash_change"},
    ),
]

LAYOUTS = [
    ("balance_sheet", "会民非01表", "资产负债表", BALANCE_SHEET),
    ("activities", "会民非02表", "业务活动表", ACTIVITIES),
    ("cash_flow", "会民非03表", "现金流量表", CASH_FLOW),
]
BASIS = "民间非营利组织会计制度（财会〔2004〕7号；财会〔2024〕25号修订，2026年1月1日起施行）"


def chart_load(apps=None) -> None:
    """Create the missing accounts, layouts and the general fund (idempotent)."""
    if apps is None:
        from django.apps import apps as global_apps

        apps = global_apps
    Account = apps.get_model("finance", "Account")
    Layout = apps.get_model("finance", "StatementLayout")
    Line = apps.get_model("finance", "StatementLine")
    Fund = apps.get_model("finance", "Fund")
    with history_context("finance.chart_load"), transaction.atomic():
        existing = set(Account.objects.values_list("code", flat=True))
        Account.objects.bulk_create(
            [
                Account(code=c, name=n, account_class=k, normal_side=s, is_cash=cash)
                for c, n, k, s, cash in ACCOUNTS
                if c not in existing
            ]
        )
        by_code = {a.code: a for a in Account.objects.all()}
        for kind, form_code, title, lines in LAYOUTS:
            layout, created = Layout.objects.get_or_create(
                kind=kind, defaults={"form_code": form_code, "title": title, "basis": BASIS}
            )
            if not created:
                continue
            for order, (
                code,
                label,
                indent,
                line_kind,
                side,
                accounts,
                formula,
                extra,
            ) in enumerate(lines, start=1):
                line = Line.objects.create(
                    layout=layout,
                    order=order * 10,
                    code=code,
                    label=label,
                    indent=indent,
                    kind=line_kind,
                    side=side,
                    formula=formula,
                    restriction=extra.get("restriction", ""),
                    all_unrestricted=extra.get("all_unrestricted", False),
                    direction=extra.get("direction", ""),
                    key=extra.get("key", ""),
                )
                if accounts:
                    line.accounts.set([by_code[c] for c in accounts])
        if not Fund.objects.filter(is_general=True).exists():
            Fund.objects.create(
                code="GEN",
                name="一般资金",
                restriction="unrestricted",
                is_general=True,
                purpose="",
            )
