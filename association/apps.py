from django.apps import AppConfig
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

# Caches each process keeps to itself (or not at all): with them every web worker counts
# failed logins on its own, and a brute force gets workers × the limit (issue 11, finding 5).
PER_PROCESS_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


class AssociationConfig(AppConfig):
    """The project package as an app: shared templates, commands and the portal shell."""

    name = "association"
    verbose_name = _("协会门户")

    def ready(self):
        from django.conf import settings

        # Here rather than in settings.py, so that a site's own settings module that
        # imports ours and replaces CACHES is refused too; every process (web, worker,
        # manage.py) runs it at start-up.
        if not settings.DEBUG and settings.CACHES["default"]["BACKEND"] in PER_PROCESS_CACHES:
            raise ImproperlyConfigured(
                "DEBUG=0 needs a default cache shared by every process (the database's, as "
                "settings.py sets it, or Redis): login rate limits kept per process let a "
                "brute force through."
            )
