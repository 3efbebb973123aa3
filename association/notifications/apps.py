from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """In-app notifications and e-mail through a database outbox."""

    name = "association.notifications"
    label = "notifications"
    verbose_name = _("通知")

    def ready(self):
        from . import receivers  # noqa: F401  (connects to the domain apps' signals)
