from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from association.backup import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Back up the database (pg_dump custom format) and the private files into "
        "OUTPUT/backup-<time>/, with a manifest of checksums and row counts."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", type=Path, default=Path("var/backups"))

    def handle(self, *args, output: Path, **options):
        try:
            folder = backup_create(output)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(str(folder))
