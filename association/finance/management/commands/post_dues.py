"""``manage.py post_dues``: post every paid dues record not yet in the ledger."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from association.finance.tasks import dues_post_all_task


class Command(BaseCommand):
    help = "Post every paid dues record that is not in the ledger yet."

    def handle(self, *args, **options):
        count = dues_post_all_task()
        self.stdout.write(_("已入账 %(n)s 笔会费。") % {"n": count})
