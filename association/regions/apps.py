from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegionsConfig(AppConfig):
    """City → county → township divisions, from the Ministry of Civil Affairs' codes."""

    name = "association.regions"
    label = "regions"
    verbose_name = _("行政区划")
