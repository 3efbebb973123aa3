from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinanceConfig(AppConfig):
    """The association's books under 民间非营利组织会计制度: chart of accounts, funds, the
    journal, budgets, expense claims, grants, dues postings and the three statements."""

    name = "association.finance"
    label = "finance"
    verbose_name = _("财务")

    def ready(self):
        from . import receivers  # noqa: F401  (posts paid dues to the ledger)

    def portal_nav(self, user):
        from .navigation import portal_nav

        return portal_nav(user)
