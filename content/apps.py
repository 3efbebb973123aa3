from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContentConfig(AppConfig):
    """The association's public site (news, notices, policies, disclosure, directory) and
    notices sent to segments of members with receipts. It sits at the top of the
    dependency order beside notifications and reports: it reads every app below it."""

    name = "content"
    verbose_name = _("网站与通知公告")
    default_auto_field = "django.db.models.BigAutoField"

    def portal_nav(self, user, facts=None) -> list:
        from .navigation import portal_nav

        return portal_nav(user, facts)
