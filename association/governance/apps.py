from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    """Governing documents and their versions, the rules as data, meetings with their roll,
    check-in, proxies and quorum, motions, and offices with their terms."""

    name = "association.governance"
    label = "governance"
    verbose_name = _("协会治理")

    def portal_nav(self, user):
        from .navigation import portal_nav

        return portal_nav(user)
