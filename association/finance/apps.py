from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class FinanceConfig(AppConfig):
    """The association's books under 民间非营利组织会计制度：chart of accounts, funds, the
    journal, budgets, expense claims, grants, dues postings and the three statements."""

    name = "association.finance"
    label = "finance"
    verbose_name = _("财务")

    def ready(self):
        from . import receivers  # noqa: F401  (posts paid dues to the ledger)

        post_migrate.connect(ensure_chart, sender=self, dispatch_uid="finance.chart")

    def portal_facts(self, user) -> dict:
        from .navigation import portal_facts

        return portal_facts(user)

    def portal_nav(self, user, facts=None) -> list:
        from .navigation import portal_nav

        return portal_nav(user, facts)


def ensure_chart(sender=None, **kwargs):
    """The standard chart of accounts, back after a database flush (which also sends
    post_migrate). ``chart_load`` is idempotent."""
    from django.db import connection

    from .models import Account

    if Account._meta.db_table not in connection.introspection.table_names():
        return  # migrated only in part: the data migration will run
    if not Account.objects.exists():
        from .chart import chart_load

        chart_load()
