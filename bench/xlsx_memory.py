"""The xlsx writer's memory at 150,000 rows: ``python bench/xlsx_memory.py [--rows 150000]``.

Writes the rows of a monthly-reports export (12 columns: dates, names, numbers, a line of
text) through ``association.exports.XlsxBook`` twice, each in a fresh subprocess:

- to a path (``XlsxBook(str(path))``; what the reports' ``render_xlsx`` does);
- to memory (``XlsxBook()``, the bytes returned by ``close``; what a download built in
  the request does: the admin's exports, the bulk-upload template, the statements).

Both are xlsxwriter's ``constant_memory`` mode (rows go to a temporary file as they are
written; until 2026-12-02 a book without a path used ``in_memory`` and kept the whole
sheet until ``close``: +437 MB at 150,000 rows).

For each: the peak RSS of the process above its peak before the first row (the kernel's
high-water mark, ``getrusage``), the CPU seconds and the file's size. The rows are made
one at a time, so the figure is the writer's, not the data's. Figures, never pass/fail.
"""

from __future__ import annotations

import argparse
import datetime
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def rows(n: int):
    start = datetime.date(2021, 1, 1)
    for i in range(n):
        yield [
            start + datetime.timedelta(days=30 * (i % 63)),
            f"河南省某市某县第{i % 2471}号乡镇（街道）社会工作服务站",
            f"{410000000000 + i % 2471}",
            "已审核",
            i % 97,
            i % 13,
            (i * 7) % 1000,
            i % 5,
            i % 11,
            (i * 3) % 200,
            i % 17,
            f"本月开展个案、小组和社区活动，走访困难群众 {i % 50} 户。",
        ]


def child(mode: str, n: int) -> None:
    from _django import bench_env

    os.environ.update(bench_env("import_members"))
    import django

    django.setup()
    from association.exports import Column, Kind, XlsxBook

    columns = [
        Column("月份", Kind.DATE),
        Column("社工站"),
        Column("区划代码"),
        Column("状态"),
        *[Column(f"指标{k}", Kind.NUMBER) for k in range(7)],
        Column("工作小结", width=40),
    ]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "export.xlsx"
        before = resource.getrusage(resource.RUSAGE_SELF)
        start = time.perf_counter()
        book = XlsxBook(str(path)) if mode == "path" else XlsxBook()
        sheet = book.sheet("服务月报", columns, title="服务月报导出")
        for row in rows(n):
            sheet.write(row)
        data = book.close()
        if data is not None:
            path.write_bytes(data)
        after = resource.getrusage(resource.RUSAGE_SELF)
        grew = (after.ru_maxrss - before.ru_maxrss) / 1024
        cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
        size = path.stat().st_size / 1024 / 1024
        print(
            f"{mode}\t{n}\t{before.ru_maxrss / 1024:.0f}\t{after.ru_maxrss / 1024:.0f}\t"
            f"{grew:.0f}\t{cpu:.1f}\t{time.perf_counter() - start:.1f}\t{size:.1f}"
        )


def main(argv=None) -> list[list[str]]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=150_000)
    parser.add_argument("--child", choices=["path", "memory"])
    args = parser.parse_args(argv)
    if args.child:
        child(args.child, args.rows)
        return []
    results = []
    for mode in ("path", "memory"):
        load = " ".join(f"{x:.2f}" for x in os.getloadavg())
        done = subprocess.run(
            [sys.executable, __file__, "--child", mode, "--rows", str(args.rows)],
            capture_output=True,
            text=True,
            check=True,
        )
        fields = done.stdout.strip().splitlines()[-1].split("\t")
        _mode, n, before, after, grew, cpu, wall, size = fields
        label = "to a path" if mode == "path" else "to memory (bytes from close)"
        print(
            f"XlsxBook {label}, {int(n):,} rows: peak RSS {before} → {after} MB "
            f"(+{grew} MB), {cpu} s CPU, {wall} s wall, {size} MB file  [load {load}]"
        )
        results.append([label, f"{int(n):,}", before, after, grew, cpu, wall, size, load])
    return results


if __name__ == "__main__":
    main()
