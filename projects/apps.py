from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    """Public-benefit projects: the graduate social-worker programme (recruitment, teams,
    training, activities, start-up grants, practice bases) and the juvenile-trial centre's
    expert pool with its sealed court referrals."""

    name = "projects"
    verbose_name = _("公益项目")

    def portal_facts(self, user) -> dict:
        from .navigation import portal_facts

        return portal_facts(user)

    def portal_nav(self, user, facts=None) -> list:
        from .navigation import portal_nav

        return portal_nav(user, facts)
