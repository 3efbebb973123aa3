from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from association.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restore a backup folder into a NEW database on the same server, and its private "
        "files into an empty folder; checks every checksum and every table's row count."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path)
        parser.add_argument("--database", required=True, help="name of the new database")
        parser.add_argument("--media-root", type=Path, required=True, help="an empty folder")

    def handle(self, *args, folder: Path, database: str, media_root: Path, **options):
        try:
            report = backup_restore(folder, database=database, media_root=media_root)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"restored {report.tables} tables, {report.rows} rows, {report.files} files "
            f"into {report.database} and {media_root}; row counts match the manifest"
        )
