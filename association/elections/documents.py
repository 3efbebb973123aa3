"""The documents an election and its meeting produce: the results announcement
（选举结果公告），the minutes (会议纪要) and the filing pack for the civil-affairs bureau (a
zip of both, the attendance list, the new council roster and the changes to the adopted
documents)."""

from __future__ import annotations

import csv
import difflib
import io
import zipfile

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone, translation

from association.exports import safe_cell
from association.governance.models import DocumentVersion, Meeting, Motion
from association.governance.selectors import meeting_presence, officeholders_current
from association.pdf import render_pdf

from .choices import ElectionStatus
from .models import Election
from .selectors import with_positions


def results_pdf(election: Election) -> bytes:
    return render_pdf(
        "elections/pdf/results.html",
        {
            "election": election,
            "positions": election.positions.all(),
            # A stored announcement is dated the day it was certified, not the day it was
            # (re-)rendered.
            "today": timezone.localdate(election.certified_at)
            if election.certified_at
            else timezone.localdate(),
        },
    )


def results_pdf_store(election: Election) -> None:
    """Render the results announcement once and keep it in the private storage as
    ``election.results_file`` (the caller saves the election). It is the association's
    official announcement, so it is rendered in the site's language (Chinese), whoever
    certifies."""
    with translation.override(settings.LANGUAGE_CODE):
        content = results_pdf(election)
    election.results_file.save(
        f"election-results-{election.pk}.pdf", ContentFile(content), save=False
    )


def results_pdf_stored(election: Election) -> bytes | None:
    """The stored announcement's bytes, or None when there is none (or its file is gone)."""
    field = election.results_file
    if not field.name or not field.storage.exists(field.name):
        return None
    with field.storage.open(field.name, "rb") as handle:
        return handle.read()


def _meeting_context(meeting: Meeting) -> dict:
    attendees = list(
        meeting.attendees.select_related("proxy_given__holder").order_by(
            "affiliation", "name", "id"
        )
    )
    return {
        "meeting": meeting,
        "attendees": attendees,
        "presence": meeting_presence(meeting),
        "motions": Motion.objects.filter(meeting=meeting).select_related(
            "document_version__document"
        ),
        "elections": with_positions(
            Election.objects.filter(meeting=meeting, status=ElectionStatus.CERTIFIED)
        ).order_by("round", "id"),
        "talks": meeting.talks.all(),
    }


def minutes_pdf(meeting: Meeting) -> bytes:
    return render_pdf("elections/pdf/minutes.html", _meeting_context(meeting))


def _csv(rows: list[list]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    for row in rows:
        writer.writerow([safe_cell(value) for value in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # BOM: Excel opens it as UTF-8


def filing_pack(meeting: Meeting) -> bytes:
    context = _meeting_context(meeting)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as pack:
        pack.writestr("01-会议纪要.pdf", render_pdf("elections/pdf/minutes.html", context))
        pack.writestr(
            "02-签到名单.csv",
            _csv(
                [["姓名", "所属单位", "身份", "签到时间", "签到方式", "委托"]]
                + [
                    [
                        a.name,
                        a.affiliation,
                        a.get_kind_display(),
                        timezone.localtime(a.checked_in_at).strftime("%Y-%m-%d %H:%M")
                        if a.checked_in_at
                        else "",
                        a.get_check_in_method_display() if a.check_in_method else "",
                        f"委托 {a.proxy_given.holder.name}" if hasattr(a, "proxy_given") else "",
                    ]
                    for a in context["attendees"]
                ]
            ),
        )
        for election in context["elections"]:
            pack.writestr(
                f"03-选举结果公告-{election.pk}.pdf",
                results_pdf_stored(election) or results_pdf(election),
            )
        pack.writestr(
            "04-理事会及负责人名单.csv",
            _csv(
                [["职务", "姓名", "工作单位及职务", "任职日期", "任期届满", "产生依据"]]
                + [
                    [t.office.name, t.holder_name, t.affiliation, t.starts_on, t.ends_on, t.basis]
                    for t in officeholders_current()
                ]
            ),
        )
        for version in DocumentVersion.objects.filter(adopted_by__meeting=meeting).select_related(
            "document", "adopted_by"
        ):
            previous = (
                DocumentVersion.objects.filter(document=version.document, number__lt=version.number)
                .order_by("-number")
                .first()
            )
            lines = [
                f"{version.document.title} 第 {version.number} 版",
                f"通过：{version.adopted_on} {meeting.title},{version.adopted_by.title}",
                f"表决：{version.adopted_by.arithmetic}",
                "",
            ]
            if previous is not None:
                lines.append(f"与第 {previous.number} 版相比的修改：")
                lines.extend(
                    difflib.unified_diff(
                        previous.text.splitlines(), version.text.splitlines(), lineterm="", n=1
                    )
                )
            else:
                lines.append("首次通过，全文如下：")
                lines.append(version.text)
            pack.writestr(
                f"05-制度文件-{version.document.title}-v{version.number}.txt",
                "\n".join(lines).encode("utf-8"),
            )
    return buffer.getvalue()
