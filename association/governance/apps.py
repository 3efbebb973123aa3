from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    """Governing documents and their versions, the rules as data, meetings with their roll,
    check-in, proxies and quorum, motions, and offices with their terms."""

    name = "association.governance"
    label = "governance"
    verbose_name = _("协会治理")

    def ready(self):
        post_migrate.connect(
            ensure_reference_data, sender=self, dispatch_uid="governance.reference"
        )

    def portal_facts(self, user) -> dict:
        from .navigation import portal_facts

        return portal_facts(user)

    def portal_nav(self, user, facts=None) -> list:
        from .navigation import portal_nav

        return portal_nav(user, facts)


def ensure_reference_data(sender=None, **kwargs):
    """The offices and the default rules that the data migration creates, back after a
    database flush (which also sends post_migrate): a reused test database or a restored
    instance keeps them. Idempotent."""
    import importlib

    from django.apps import apps
    from django.db import connection

    Office = apps.get_model("governance", "Office")
    RuleSet = apps.get_model("governance", "RuleSet")
    tables = connection.introspection.table_names()
    if Office._meta.db_table not in tables or RuleSet._meta.db_table not in tables:
        return  # migrated only in part: the data migration will run
    if not Office.objects.exists() or not RuleSet.objects.exists():
        migration = importlib.import_module(
            "association.governance.migrations.0002_offices_and_default_rules"
        )
        migration.forwards(apps, None)
