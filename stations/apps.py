from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StationsConfig(AppConfig):
    """Township social-work stations: status history, staff, build plan, monthly service
    reports, assessments and the city's coverage."""

    name = "stations"
    verbose_name = _("社工站")

    def portal_nav(self, user):
        from .navigation import portal_nav

        return portal_nav(user)
