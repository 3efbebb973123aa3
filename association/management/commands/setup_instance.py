import logging
from contextlib import contextmanager

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.test.utils import override_settings

REGIONS = settings.BASE_DIR / "association" / "regions" / "data"


class Command(BaseCommand):
    help = (
        "Prepare an instance: migrate, load the regions of 许昌市 and, with --demo, the "
        "functional zones and the demo data. Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument("--demo", action="store_true", help="Also seed the demo data.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="With --demo: seed the demo data also with DEBUG=0 (as seed_demo --force).",
        )

    def handle(self, *args, demo=False, force=False, **options):
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("数据库迁移完成 / migrated")
        self.refresh_standing()
        call_command(
            "load_regions",
            REGIONS / "xuchang_townships.csv",
            source="Xzqh20251231",
            stdout=self.stdout,
        )
        if demo:
            call_command(
                "load_regions",
                REGIONS / "xuchang_functional_zones.csv",
                source="手工添加（功能区，演示）",
                stdout=self.stdout,
            )
            with quiet_seed():
                call_command("seed_demo", force=force, stdout=self.stdout)
            self.print_secretary()

    def refresh_standing(self):
        """The members' standing computed again where a migration or a change of the dues
        rules marked it (members.services.standing), at the deploy rather than at the
        members overview's next view."""
        from members.services.standing import standing_refresh

        computed = standing_refresh()
        if computed:
            self.stdout.write(f"会员状态已重新计算 / standing computed: {computed}")

    def print_secretary(self):
        """seed_demo prints one login per role; the finance demo adds the secretary-general,
        who approves claims (the journey README and docs walk through)."""
        from association.accounts.demo import DEMO_PASSWORD
        from association.accounts.models import User
        from association.finance.demo import SECRETARY_EMAIL

        if User.objects.filter(email=SECRETARY_EMAIL).exists():
            label = "秘书长（审批报销）"
            self.stdout.write(f"  {label:<16} {SECRETARY_EMAIL:<30} {DEMO_PASSWORD}")


@contextmanager
def quiet_seed():
    """The demo's notifications stay in memory instead of printing whole e-mails (the console
    backend of a development instance), and the log lines of the work done on the way (without
    Redis: Celery's in-process tasks, kombu's broker warning; WeasyPrint's progress) are held
    back: what the seed prints is its own summary and the logins. Errors still show."""
    logging.disable(logging.WARNING)
    try:
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            yield
    finally:
        logging.disable(logging.NOTSET)
