from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StationsConfig(AppConfig):
    """Township social-work stations: status history, staff, build plan, monthly service
    reports, assessments and the city's coverage."""

    name = "stations"
    verbose_name = _("社工站")

    def ready(self):
        from django.db.models.signals import post_migrate

        post_migrate.connect(_ensure_catalogue, sender=self)

    def portal_facts(self, user) -> dict:
        from .navigation import portal_facts

        return portal_facts(user)

    def portal_nav(self, user, facts=None) -> list:
        from .navigation import portal_nav

        return portal_nav(user, facts)


def _ensure_catalogue(sender=None, using="default", **kwargs) -> None:
    """After every ``migrate``/``flush``: the default service areas and kinds of work."""
    from .services import catalogue_ensure

    catalogue_ensure(using=using)
