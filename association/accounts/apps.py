from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Users, roles and the allauth glue."""

    name = "association.accounts"
    label = "accounts"
    verbose_name = _("账户与角色")

    def ready(self):
        from .roles import sync_role_permissions

        post_migrate.connect(sync_role_permissions, dispatch_uid="accounts.sync_role_permissions")
