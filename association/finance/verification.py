"""Checks over the whole ledger, run by ``manage.py verify_ledger``.

Each check reads the database directly (and pghistory's change history), not the
services: it finds what went wrong even when someone bypassed them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.apps import apps
from django.db.models import Count, F, Sum
from django.utils.translation import gettext as _

from .choices import PeriodStatus, VoucherStatus
from .models import Period, Voucher, VoucherLine, VoucherSequence

LINE_FIELDS = ("voucher_id", "line_no", "account_id", "fund_id", "debit", "credit")


@dataclass
class LedgerReport:
    vouchers: int = 0
    lines: int = 0
    years: list = field(default_factory=list)
    closed_periods: int = 0
    debit_total: Decimal = Decimal("0.00")
    breaches: list = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.breaches


def _check_balance(report: LedgerReport) -> None:
    rows = (
        Voucher.objects.posted()
        .annotate(d=Sum("lines__debit"), c=Sum("lines__credit"), n=Count("lines"))
        .values_list("number", "d", "c", "n")
    )
    for number, debit, credit, count in rows:
        report.vouchers += 1
        report.lines += count
        report.debit_total += debit or 0
        if count < 2 or (debit or 0) != (credit or 0) or not debit:
            report.breaches.append(
                _("凭证 %(number)s 借贷不平衡或分录不足：借方 %(d)s，贷方 %(c)s,%(n)s 行。")
                % {"number": number, "d": debit or 0, "c": credit or 0, "n": count}
            )


def _check_numbering(report: LedgerReport) -> None:
    by_year = defaultdict(list)
    for year, sequence, number in Voucher.objects.posted().values_list(
        "year", "sequence", "number"
    ):
        by_year[year].append(sequence)
        if number != f"记-{year}-{sequence:04d}":
            report.breaches.append(_("凭证号 %(number)s 与年度、顺序号不符。") % {"number": number})
    issued = dict(VoucherSequence.objects.values_list("year", "last"))
    for year in sorted(set(by_year) | set(issued)):
        numbers = sorted(by_year.get(year, []))
        last = issued.get(year, 0)
        expected = list(range(1, max([last, *numbers], default=0) + 1))
        missing = sorted(set(expected) - set(numbers))
        duplicates = len(numbers) - len(set(numbers))
        if missing:
            shown = "、".join(f"记-{year}-{n:04d}" for n in missing[:20])
            report.breaches.append(
                _("%(year)s年凭证号不连续，缺号：%(missing)s。") % {"year": year, "missing": shown}
            )
        if duplicates:
            report.breaches.append(_("%(year)s年凭证号重复。") % {"year": year})
        report.years.append((year, len(numbers)))


def _check_closed_periods(report: LedgerReport) -> None:
    closed = {
        (p.year, p.month): p.closed_at for p in Period.objects.filter(status=PeriodStatus.CLOSED)
    }
    report.closed_periods = len(closed)
    if not closed:
        return
    for number, date, posted_at in Voucher.objects.posted().values_list(
        "number", "date", "posted_at"
    ):
        closed_at = closed.get((date.year, date.month))
        if closed_at is not None and posted_at > closed_at:
            report.breaches.append(
                _("凭证 %(number)s 在 %(year)s年%(month)s月结账后记入该期间。")
                % {"number": number, "year": date.year, "month": date.month}
            )


def _check_history(report: LedgerReport) -> None:
    """No posted line was edited, added or deleted after posting (pghistory events), and
    every line still equals its last recorded version."""
    LineEvent = apps.get_model("finance", "VoucherLineEvent")
    VoucherEvent = apps.get_model("finance", "VoucherEvent")
    posted = dict(Voucher.objects.posted().values_list("id", "posted_at"))
    numbers = dict(Voucher.objects.posted().values_list("id", "number"))
    late = (
        LineEvent.objects.filter(voucher_id__in=list(posted))
        .values_list("voucher_id", "pgh_obj_id", "pgh_label", "pgh_created_at")
        .order_by("pgh_id")
    )
    flagged = set()
    for voucher_id, line_id, label, created_at in late:
        # Posting stamps posted_at with the transaction's clock, as pghistory stamps its
        # events: an update at or after it, or an insert after it, came after posting.
        after = (
            created_at >= posted[voucher_id]
            if label == "update"
            else created_at > posted[voucher_id]
        )
        if after and (voucher_id, line_id) not in flagged:
            flagged.add((voucher_id, line_id))
            report.breaches.append(
                _("已过账凭证 %(number)s 的分录 #%(line)s 在过账后被%(what)s。")
                % {
                    "number": numbers[voucher_id],
                    "line": line_id,
                    "what": _("修改") if label == "update" else _("插入"),
                }
            )
    for number in (
        VoucherEvent.objects.filter(pgh_obj_id__in=list(posted), pgh_label="update")
        .filter(pgh_created_at__gt=F("posted_at"), status=VoucherStatus.POSTED)
        .values_list("number", flat=True)
        .distinct()
    ):
        report.breaches.append(_("已过账凭证 %(number)s 在过账后被修改。") % {"number": number})
    # The current rows against their last recorded version (catches a change made with
    # the history triggers switched off), and lines that vanished.
    last_versions = {}
    for event in (
        LineEvent.objects.filter(voucher_id__in=list(posted))
        .order_by("pgh_obj_id", "pgh_id")
        .values("pgh_obj_id", *LINE_FIELDS)
    ):
        last_versions[event["pgh_obj_id"]] = event
    current = {
        row["id"]: row
        for row in VoucherLine.objects.filter(voucher_id__in=list(posted)).values(
            "id", *LINE_FIELDS
        )
    }
    for line_id, version in last_versions.items():
        row = current.get(line_id)
        if row is None:
            report.breaches.append(
                _("已过账凭证 %(number)s 的分录 #%(line)s 被删除。")
                % {"number": numbers.get(version["voucher_id"], "?"), "line": line_id}
            )
        elif any(row[f] != version[f] for f in LINE_FIELDS) and (
            (version["voucher_id"], line_id) not in flagged
        ):
            report.breaches.append(
                _("已过账凭证 %(number)s 的分录 #%(line)s 与变更记录不符（绕过了记录）。")
                % {"number": numbers[row["voucher_id"]], "line": line_id}
            )
    for line_id, row in current.items():
        if line_id not in last_versions:
            report.breaches.append(
                _("已过账凭证 %(number)s 的分录 #%(line)s 没有变更记录。")
                % {"number": numbers[row["voucher_id"]], "line": line_id}
            )


def ledger_verify() -> LedgerReport:
    report = LedgerReport()
    _check_balance(report)
    _check_numbering(report)
    _check_closed_periods(report)
    _check_history(report)
    return report
