import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from association.services import history_context


class Command(BaseCommand):
    help = "Seed the demo data of every app (idempotent) and print the demo logins."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Allow seeding with DEBUG=0.")

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "Demo data and accounts with a known password: DEBUG=0 needs --force."
            )
        from association.demo import steps

        logins = []
        started = time.monotonic()
        # The steps run in the order things happened (association.demo), each through
        # the services on the demo's clock. Every row the demo writes is attributed in
        # the history to "seed_demo" (the services add their own names and actors).
        for name, seed in steps():
            with history_context("seed_demo"), transaction.atomic():
                result = seed(stdout=self.stdout)
            if name == "accounts":
                logins = result
        # Fresh bulk inserts leave the planner without statistics until autovacuum comes by;
        # pages such as the coverage dashboard then get plans that take minutes.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        self.stdout.write(f"演示数据用时 / seeded in {time.monotonic() - started:.0f} s")
        if logins:
            self.stdout.write(self.style.SUCCESS("演示账户（密码相同）/ Demo logins:"))
            for role, email, password in logins:
                self.stdout.write(f"  {role:<16} {email:<30} {password}")
