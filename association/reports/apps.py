from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """Reports owed to the civil-affairs bureau: a catalogue, background runs, files."""

    name = "association.reports"
    label = "reports"
    verbose_name = _("统计报表")

    def ready(self):
        from . import catalogue

        catalogue.load()

    def portal_nav(self, user, facts=None) -> list:
        from .navigation import portal_nav

        return portal_nav(user, facts)
