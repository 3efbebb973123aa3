from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from association.regions.services import RegionFileError, check_region_file, regions_load
from association.services import history_context


class Command(BaseCommand):
    help = (
        "Load divisions (city → county → township) from a CSV in the Ministry's format; "
        "each city goes under its province, made from GB/T 2260 when it is not there."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--source",
            default="Xzqh20251231",
            help="Where the codes come from (table name, or 手工添加 for units added by hand).",
        )

    def handle(self, *args, file: Path, source: str, **options):
        try:
            with file.open("rb") as stream:
                check_region_file(stream)  # size, rows and columns, before reading it all
                raw = stream.read()
        except OSError as exc:
            raise CommandError(f"cannot read {file}: {exc}") from exc
        except RegionFileError as exc:
            raise CommandError("文件有误，未导入任何数据：\n" + "\n".join(exc.errors)) from exc
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("gb18030")
        try:
            with history_context("load_regions"):
                report = regions_load(text, source=source)
        except RegionFileError as exc:
            raise CommandError("文件有误，未导入任何数据：\n" + "\n".join(exc.errors)) from exc
        self.stdout.write(
            f"新建 {len(report.created)}，更名 {len(report.renamed)}，未变 {report.unchanged}"
        )
        for line in report.renamed:
            self.stdout.write(f"  更名：{line}")
        if report.provinces:
            self.stdout.write(
                _("新建省级区划（GB/T 2260）：%(provinces)s")
                % {"provinces": "、".join(report.provinces)}
            )
        if options["verbosity"] > 1:
            for line in report.created:
                self.stdout.write(f"  新建：{line}")
