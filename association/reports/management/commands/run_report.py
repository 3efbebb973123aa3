"""Build a report synchronously, with the same code as the background task.

python manage.py run_report station-monthly --param month=2025-10 --format pdf --output m.pdf
"""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from association.reports import catalogue
from association.reports.services import (
    ReportError,
    build_document,
    render_document,
    write_streamed,
)


class Command(BaseCommand):
    help = "Build one report now and write it to a file (for operators and cron)."

    def add_arguments(self, parser):
        parser.add_argument("slug", nargs="?", help="The report's slug (see --list).")
        parser.add_argument(
            "--param",
            action="append",
            default=[],
            metavar="NAME=VALUE",
            help="A parameter of the report, as its form takes it (repeatable).",
        )
        parser.add_argument("--format", choices=["xlsx", "pdf"], default="xlsx")
        parser.add_argument("--output", help="Where to write the file.")
        parser.add_argument("--list", action="store_true", help="List the reports and exit.")

    def handle(self, *args, slug=None, param=(), format="xlsx", output=None, list=False, **opts):
        if list or not slug:
            for report in catalogue.all_reports():
                fields = ", ".join(report.form().fields) or "-"
                self.stdout.write(f"{report.slug:<22} {report.title}  [{fields}]")
            return
        report = catalogue.get(slug)
        if report is None:
            raise CommandError(f"报表“{slug}”不存在。用 --list 查看可用的报表。")
        if not output:
            raise CommandError("请用 --output 指定输出文件。")
        params = {}
        for item in param:
            name, sep, value = item.partition("=")
            if not sep or name not in report.form().fields:
                raise CommandError(
                    f"参数“{item}”无效；该报表的参数有：{', '.join(report.form().fields) or '无'}"
                )
            params[name] = value
        progress = lambda percent: self.stderr.write(f"{percent}%", ending="\r")  # noqa: E731
        if report.streams:
            try:
                write_streamed(report, params, format, Path(output), progress)
            except (ValidationError, ReportError) as error:
                raise CommandError("".join(getattr(error, "messages", [str(error)]))) from error
            self.stdout.write(f"{report.title}: {output} ({Path(output).stat().st_size} bytes)")
            return
        try:
            document = build_document(report, params, progress)
        except ValidationError as error:
            raise CommandError("".join(error.messages)) from error
        try:
            content = render_document(document, format)
        except ReportError as error:
            raise CommandError(str(error)) from error
        Path(output).write_bytes(content)
        self.stdout.write(f"{document.title}: {output} ({len(content)} bytes)")
