from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from association.services import history_context


def demo_modules():
    """Each app's ``demo`` module, in INSTALLED_APPS order (which is dependency order)."""
    for config in apps.get_app_configs():
        try:
            yield import_module(f"{config.name}.demo")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.demo":
                raise


class Command(BaseCommand):
    help = "Seed the demo data of every app (idempotent) and print the demo logins."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Allow seeding with DEBUG=0.")

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "Demo data and accounts with a known password: DEBUG=0 needs --force."
            )
        logins = []
        for module in demo_modules():
            # Every row the demo writes is attributed in the history to "seed_demo" (the
            # services it calls add their own names and actors to the same context).
            with history_context("seed_demo"), transaction.atomic():
                result = module.seed(stdout=self.stdout)
            if module.__name__ == "association.accounts.demo":
                logins = result
        # Fresh bulk inserts leave the planner without statistics until autovacuum comes by;
        # pages such as the coverage dashboard then get plans that take minutes.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        if logins:
            self.stdout.write(self.style.SUCCESS("演示账户（密码相同）/ Demo logins:"))
            for role, email, password in logins:
                self.stdout.write(f"  {role:<16} {email:<30} {password}")
