"""The bulk submission file: an operator fills one xlsx with many months of many stations
and uploads it; :func:`parse` checks the file as a whole and
``services.reports_bulk_submit`` submits every row or none.

Row layout (one row per station and month): 乡镇代码，站点名称，月份 (2024-03), then for
every active service area × kind of work the 次数 and 人次 columns, then 志愿者人次 and
工作概述. Errors name the line of the sheet (the header is line 1). The template is written
by ``association.exports.XlsxBook`` (it prints like every file: header repeated, frozen,
fit to the page width) with no title rows, so the header stays line 1.
"""

from __future__ import annotations

from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from association.exports import Column, Kind, XlsxBook
from association.spreadsheets import check_spreadsheet

from . import services
from .choices import EDITABLE_REPORT_STATUSES
from .forms import format_month, parse_month
from .models import MonthUnlock, ServiceArea, ServiceReport, WorkKind
from .selectors import StatusHistory, bulk_stations, last_month, lock_date, month_is_locked

MAX_ROWS = 5000  # data lines, blank ones included
EXTRA_COLS = 20  # columns a user may add after the template's (notes): read, then ignored
MAX_MB = 5


class BulkError(Exception):
    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass
class Columns:
    areas: list
    kinds: list

    @classmethod
    def current(cls) -> Columns:
        return cls(
            list(ServiceArea.objects.filter(is_active=True)),
            list(WorkKind.objects.filter(is_active=True)),
        )

    def headers(self) -> list[str]:
        cells = []
        for area in self.areas:
            for kind in self.kinds:
                cells += [f"{area.name}·{kind.name}·次数", f"{area.name}·{kind.name}·人次"]
        return [_("乡镇代码"), _("站点名称"), _("月份"), *cells, _("志愿者人次"), _("工作概述")]


def template_xlsx(user, *, months: int = 12) -> bytes:
    """A template with one row per station and month still to be reported: the last
    ``months`` complete months in which the station operated, that are not locked and
    have no submitted report."""
    stations = list(bulk_stations(user))
    columns = Columns.current()
    last = last_month()
    first = last - relativedelta(months=months - 1)
    history = StatusHistory.for_stations([s.pk for s in stations])
    today = timezone.localdate()
    reopened = set(
        MonthUnlock.objects.filter(station__in=stations, open_until__gte=today).values_list(
            "station_id", "month"
        )
    )
    done = set(
        ServiceReport.objects.filter(station__in=stations, month__gte=first)
        .exclude(status__in=EDITABLE_REPORT_STATUSES)
        .values_list("station_id", "month")
    )
    headers = columns.headers()
    # Codes and months are text (a code keeps its leading digits, a month is not a date);
    # the figures are whole numbers to fill in.
    book = XlsxBook()
    sheet = book.sheet(
        _("月报"),
        [
            Column(header, as_text=True)
            if i < 3 or i == len(headers) - 1  # code, station, month; 工作概述
            else Column(header, Kind.COUNT)
            for i, header in enumerate(headers)
        ],
        freeze_cols=3,  # code, station and month stay in view while figures are typed
    )
    month = first
    while month <= last:
        for station in stations:
            is_open = today < lock_date(month) or (station.pk, month) in reopened
            if (
                is_open
                and history.operating_in_month(station.pk, month)
                and (station.pk, month) not in done
            ):
                sheet.write([station.region.code, station.name, format_month(month)])
        month += relativedelta(months=1)
    return book.close()


def _int(value, label, problems) -> int:
    if value is None or value == "":
        return 0
    try:
        number = float(value)
    except (TypeError, ValueError):
        problems.append(_("“%(label)s”应为整数") % {"label": label})
        return 0
    if number != int(number) or number < 0:
        problems.append(_("“%(label)s”应为不小于0的整数") % {"label": label})
        return 0
    return int(number)


def parse(upload, user) -> list[dict]:
    """Read and check the whole file; raise :class:`BulkError` with every bad line."""
    from openpyxl import load_workbook

    columns = Columns.current()
    expected = columns.headers()
    # Before openpyxl reads a row: it would pad each to the declared width and fill the
    # rows a crafted file skips (a 6 KB file kept a worker busy for 106 s).
    try:
        check_spreadsheet(
            upload,
            kind="xlsx",
            max_rows=MAX_ROWS + 1,
            max_cols=len(expected) + EXTRA_COLS,
            max_mb=MAX_MB,
        )
    except ValidationError as error:
        raise BulkError(error.messages) from error
    try:
        book = load_workbook(upload, read_only=True, data_only=True)
    except Exception as exc:
        raise BulkError([_("无法读取文件，请使用下载的 xlsx 模板。")]) from exc
    sheet = book.worksheets[0]
    rows = sheet.iter_rows(values_only=True, max_col=len(expected), max_row=MAX_ROWS + 1)
    header = [str(c).strip() if c is not None else "" for c in next(rows, [])][: len(expected)]
    if header != expected:
        raise BulkError([_("表头与模板不一致，请重新下载模板后填写。")])
    stations = {s.region.code: s for s in bulk_stations(user)}
    history = StatusHistory.for_stations([s.pk for s in stations.values()])
    existing = {
        (r.station_id, r.month): r
        for r in ServiceReport.objects.filter(station__in=stations.values())
    }
    today = timezone.localdate()
    errors, parsed, seen = [], [], {}
    for line, values in enumerate(rows, start=2):
        values = list(values) + [None] * (len(expected) - len(values))
        if all(v is None or str(v).strip() == "" for v in values):
            continue
        problems = []
        code = str(values[0] or "").strip()
        station = stations.get(code)
        if station is None:
            problems.append(_("乡镇代码“%(code)s”不是本单位运营的社工站") % {"code": code})
        raw_month = values[2]
        month = (
            raw_month.date().replace(day=1)
            if hasattr(raw_month, "date")
            else parse_month(str(raw_month or ""))
        )
        if month is None:
            problems.append(_("月份应写作“2024-03”"))
        elif month > last_month(today):
            problems.append(_("只能报送已结束月份的月报"))
        lines, col = {}, 3
        for area in columns.areas:
            for kind in columns.kinds:
                activities = _int(values[col], expected[col], problems)
                person_times = _int(values[col + 1], expected[col + 1], problems)
                lines[(area, kind)] = (activities, person_times)
                col += 2
        volunteers = _int(values[col], expected[col], problems)
        narrative = str(values[col + 1] or "").strip()
        if station is not None and month is not None:
            key = (station.pk, month)
            if key in seen:
                problems.append(_("与第 %(other)d 行重复") % {"other": seen[key]})
            seen[key] = line
            if not history.operating_in_month(station.pk, month):
                problems.append(_("该站 %(month)s 不在运营状态") % {"month": format_month(month)})
            report = existing.get(key)
            if report is not None and report.status not in EDITABLE_REPORT_STATUSES:
                problems.append(
                    _("该月月报已%(status)s，不能重复报送")
                    % {"status": report.get_status_display()}
                )
            elif month_is_locked(station, month, today):
                problems.append(_("该月已锁定，请联系协会工作人员解锁"))
        problems += services.report_errors(lines, narrative=narrative, for_submit=True)
        if problems:
            errors.append(
                _("第 %(line)d 行：%(problems)s。") % {"line": line, "problems": ";".join(problems)}
            )
        else:
            parsed.append(
                {
                    "station": station,
                    "month": month,
                    "lines": lines,
                    "volunteers": volunteers,
                    "narrative": narrative,
                }
            )
    if not parsed and not errors:
        errors.append(_("文件中没有数据行。"))
    if errors:
        raise BulkError(errors)
    return parsed
