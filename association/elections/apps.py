from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ElectionsConfig(AppConfig):
    """Elections at a meeting: positions, candidates, the frozen voter roll, secret online
    ballots with tracking codes, paper tallies entered twice, results and certification."""

    name = "association.elections"
    label = "elections"
    verbose_name = _("选举")

    def portal_facts(self, user) -> dict:
        from .navigation import portal_facts

        return portal_facts(user)

    def portal_nav(self, user, facts=None) -> list:
        from .navigation import portal_nav

        return portal_nav(user, facts)
