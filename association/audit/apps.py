from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    """Who changed governed data (django-pghistory) and who read sensitive records."""

    name = "association.audit"
    label = "audit"
    verbose_name = _("审计")
