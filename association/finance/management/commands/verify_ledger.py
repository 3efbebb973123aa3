"""``manage.py verify_ledger``: check the whole ledger; exit 1 on any breach."""

import sys

from django.core.management.base import BaseCommand
from django.utils import translation
from django.utils.translation import gettext as _

from association.finance.verification import ledger_verify


class Command(BaseCommand):
    help = "Check the ledger: balanced vouchers, gapless numbers, closed periods, no edits."

    def handle(self, *args, **options):
        translation.activate("zh-hans")
        report = ledger_verify()
        self.stdout.write(
            _("已过账凭证 %(v)s 张，分录 %(l)s 行，借方合计 %(d)s 元；已结账期间 %(p)s 个。")
            % {
                "v": report.vouchers,
                "l": report.lines,
                "d": report.debit_total,
                "p": report.closed_periods,
            }
        )
        for year, count in report.years:
            self.stdout.write(_("  %(year)s 年：凭证 %(n)s 张") % {"year": year, "n": count})
        if report.ok:
            self.stdout.write(self.style.SUCCESS(_("账簿检查通过。")))
            return
        for breach in report.breaches:
            self.stderr.write(self.style.ERROR(breach))
        self.stderr.write(self.style.ERROR(_("发现 %(n)s 处问题。") % {"n": len(report.breaches)}))
        sys.exit(1)
