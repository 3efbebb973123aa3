from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssociationConfig(AppConfig):
    """The project package as an app: shared templates, commands and the portal shell."""

    name = "association"
    verbose_name = _("协会门户")
