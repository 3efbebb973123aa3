from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StationsConfig(AppConfig):
    """Township social-work stations: status history, staff, build plan, monthly service
    reports, assessments and the city's coverage."""

    name = "stations"
    verbose_name = _("社工站")

    def ready(self):
        from django.db.models.signals import post_migrate

        from .catalogue import ensure_catalogue_after_migrate

        post_migrate.connect(ensure_catalogue_after_migrate, sender=self)

    def portal_nav(self, user):
        from .navigation import portal_nav

        return portal_nav(user)
