"""The social workers' import at the size of a province's file (25,000 rows, 25 batches of
the bulk path): all or nothing, and every bad line named with the same messages as in a
small file, wherever in the file (first batch, a batch boundary, the last line) it is.

The rows are made as plain lists (no factories, no queries), so the test costs what the
import costs: the whole file checked in Python, one register lookup per 1,000 rows, and
no insert since the file has bad lines."""

from __future__ import annotations

import datetime

import tablib
from django.db import connection
from django.test.utils import CaptureQueriesContext

from members.importing import BATCH
from members.models import SocialWorker
from members.resources import SocialWorkerResource
from members.validators import id_check_char

from .factories import SocialWorkerFactory
from .test_admin import HEADERS, worker_row

ROWS = 25_000


def number(n: int) -> str:
    birth = (datetime.date(1960, 1, 1) + datetime.timedelta(days=n // 1000)).strftime("%Y%m%d")
    first17 = f"411002{birth}{n % 1000:03d}"
    return first17 + id_check_char(first17)


def messages_of(dataset) -> dict[int, str]:
    result = SocialWorkerResource().import_data(
        dataset, dry_run=False, raise_errors=False, rollback_on_validation_errors=True
    )
    return {row.number + 1: " ".join(row.error.messages) for row in result.invalid_rows}


def test_25000_rows_all_or_nothing_with_every_bad_line_named_as_in_a_small_file(db):
    taken = SocialWorkerFactory(id_number=number(ROWS + 5)).id_number
    wrong = number(ROWS + 1)
    wrong = wrong[:-1] + ("0" if wrong[-1] != "0" else "1")
    last = ROWS + 1  # line of the last row (the header is line 1)
    boundary = BATCH + 1  # the first row of the second batch
    bad = {
        3: worker_row("李四", wrong),  # check digit
        boundary: worker_row("=cmd()", number(ROWS + 2)),  # formula
        12_000: worker_row("周八", number(ROWS + 3), 取得资格日期="2021-13-45"),  # date
        18_000: worker_row("孙七", taken),  # in the register already
        20_000: worker_row("吴九", number(ROWS + 4), 职业资格="社会工作师", 资格证书编号=""),
        24_500: worker_row("郑十", number(100)),  # the same ID number as line 102
        last: worker_row("", number(ROWS + 6)),  # no name
    }
    rows = [
        bad.get(line) or worker_row(f"社工{line}", number(line - 2)) for line in range(2, last + 1)
    ]
    big = tablib.Dataset(*rows, headers=HEADERS)
    with CaptureQueriesContext(connection) as queries:
        got = messages_of(big)
    assert len(queries) <= ROWS // BATCH + 10  # one register lookup a batch, no query a row
    assert sorted(got) == sorted(bad)
    assert SocialWorker.objects.count() == 1  # nothing of the file

    # The same bad rows in a file of their own (behind one good first line, so that the
    # duplicate has its original): the same reasons, only the line numbers differ.
    lines = sorted(bad)
    small_rows = [worker_row("社工102", number(100))] + [bad[line] for line in lines]
    small = messages_of(tablib.Dataset(*small_rows, headers=HEADERS))
    small_line = {line: index for index, line in enumerate(lines, start=3)}
    for line in lines:
        assert got[line] == small[small_line[line]].replace(
            f"第{small_line[line]}行", f"第{line}行"
        ).replace("与第2行重复", "与第102行重复"), line
    assert "校验位" in got[3]
    assert "公式" in got[boundary]
    assert "已登记" in got[18_000]
    assert "与第102行重复" in got[24_500]
    assert SocialWorker.objects.count() == 1
