"""The financial statements as files: the xlsx (the project's one writer,
``association.exports.XlsxBook``) and the download's name. The PDF is the template
``finance/pdf/statement.html`` rendered by ``association.pdf.render_pdf``."""

from __future__ import annotations

from django.utils.translation import gettext as _

from association.exports import Column, Kind, XlsxBook, association_name, download_name, span_label


def statement_filename(built, ext: str) -> str:
    """``许昌市社会工作行业协会_资产负债表_2025年度.xlsx``."""
    return download_name(built.layout.title, span_label(built.start, built.end), ext)


def statement_xlsx(built) -> bytes:
    """One sheet: the statement's lines with their codes and money columns, then the
    tie-outs; printed as every file of the project (see ``XlsxBook``)."""
    book = XlsxBook()
    columns = [
        Column(_("项目")),
        Column(_("行次")),
        *[Column(str(label), Kind.MONEY) for _key, label in built.columns],
    ]
    subtitle = "    ".join(
        part
        for part in (
            built.layout.form_code,
            _("编制单位：%(unit)s") % {"unit": association_name()},
            f"{built.start:%Y-%m-%d} — {built.end:%Y-%m-%d}",
            _("单位：元"),
        )
        if part
    )
    sheet = book.sheet(built.layout.title, columns, title=built.layout.title, subtitle=subtitle)
    for row in built.rows:
        role = "total" if row.line.kind == "total" else "body"
        sheet.write(
            ["  " * row.line.indent + row.line.label, row.line.code, *row.cells(built.column_keys)],
            role=role,
        )
    if built.tie_outs:
        sheet.skip()
        sheet.note(_("勾稽检查"))
        for tie in built.tie_outs:
            sheet.write(
                [tie.label, _("相符") if tie.ok else _("不符"), tie.left, tie.right],
                kinds=[Kind.TEXT, Kind.TEXT, Kind.MONEY, Kind.MONEY],
            )
    if built.layout.basis:
        sheet.skip()
        sheet.note(str(built.layout.basis))
    return book.close()
