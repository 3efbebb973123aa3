"""A PDF has a row limit (REPORTS_PDF_MAX_ROWS): WeasyPrint lays the whole file out in
memory, and a province's 25,000-member list took over 4 GB. Above it the PDF is refused
in words and the xlsx still comes."""

import pytest
from django.core.management import CommandError, call_command

from association.accounts.choices import Role
from association.reports import catalogue, services
from association.reports.catalogue import Report, register, unregister
from association.reports.choices import RunStatus
from association.reports.documents import Document
from association.reports.services import ReportError, render_document

pytestmark = pytest.mark.django_db


class RowsReport(Report):
    slug = "test-rows"
    title = "逐行名单"
    roles = (Role.STAFF,)
    rows = 4

    def build(self, params, progress):
        document = Document(title=self.title)
        rows = [[f"第{n}行", n] for n in range(RowsReport.rows)]
        document.section("名单").table("名单", ["名称", "序号"], rows)
        return document


@pytest.fixture
def rows_report(settings):
    settings.REPORTS_PDF_MAX_ROWS = 3
    register(RowsReport)
    yield RowsReport
    unregister(RowsReport.slug)


def test_it_lays_out_a_pdf_up_to_the_limit_and_refuses_one_row_more(rows_report):
    rows_report.rows = 3
    assert render_document(rows_report().build({}, print), "pdf").startswith(b"%PDF-")
    rows_report.rows = 4
    document = rows_report().build({}, print)
    with pytest.raises(ReportError, match="这份报表有 4 行，超过 PDF 的上限（3 行）"):
        render_document(document, "pdf")
    assert render_document(document, "xlsx").startswith(b"PK")  # the xlsx has no limit


def test_a_run_over_the_limit_fails_with_the_reason_and_the_command_says_it(
    rows_report, cast, django_capture_on_commit_callbacks, tmp_path
):
    with django_capture_on_commit_callbacks(execute=True):
        run = services.run_create(
            report=catalogue.get("test-rows"), user=cast.staff, fmt="pdf", params={}
        )
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED
    assert "请生成 xlsx" in run.error and not run.file
    with pytest.raises(CommandError, match="超过 PDF 的上限"):
        call_command("run_report", "test-rows", format="pdf", output=str(tmp_path / "rows.pdf"))
