from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

REGIONS = settings.BASE_DIR / "association" / "regions" / "data"


class Command(BaseCommand):
    help = (
        "Prepare an instance: migrate, load the regions of 许昌市 and, with --demo, the "
        "functional zones and the demo data. Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument("--demo", action="store_true", help="Also seed the demo data.")

    def handle(self, *args, demo=False, **options):
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("数据库迁移完成 / migrated")
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
                source="手工添加(功能区,演示)",
                stdout=self.stdout,
            )
            call_command("seed_demo", stdout=self.stdout)
