"""Member import at scale: rows a second for one file of social workers, four ways.

    .venv/bin/python bench/import_members.py [--rows 25000] [--default-rows 1000] [--repeat 3]

1. django-import-export's default ``ModelResource`` (same columns and widgets, row by
   row: savepoint, ``full_clean`` with its queries, ``save()``) — on ``--default-rows``
   rows of the file, since it needs minutes for the whole of it; with ``--default-whole``,
   once more on the whole file. Its rate falls as the file grows: each of its rows is a
   statement of its own, and each statement adds one to the register's kept counts
   (``members_registercount``, ``members_certificatecount``: the same few rows for a
   file of one county and one year), whose versions pile up in the import's transaction,
   so that every row walks all the versions the rows before it left;
2. the portal's ``SocialWorkerResource`` (``members.importing``: every check of the file
   in Python with one register lookup per 1,000 rows, then COPY);
3. ``bulk_create`` alone (instances built with their encrypted ID number and blind index,
   no checks);
4. PostgreSQL ``COPY`` of the same prepared values.

3 and 4 check foreign keys per statement, as 2 does (``checked_per_statement``).

Each run starts from an empty register in the scratch database ``bench_import_members``
(created and migrated the first time, kept between runs). Each way is run ``--repeat``
times, in turn, after a warm-up of each on a few rows, and its best time is kept: on a
shared machine the best of a few runs is the one least slowed by other work, and the
ratios compare runs made in the same minutes. Figures, never pass/fail.
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "association.settings")
PREFIX = os.environ.get("BENCH_DB_PREFIX") or "bench"
os.environ["TEST_DATABASE_NAME"] = f"{PREFIX}_import_members"

HEADERS = [
    "姓名",
    "性别",
    "公民身份号码",
    "手机号码",
    "电子邮箱",
    "工作单位统一社会信用代码",
    "职业资格",
    "资格证书编号",
    "取得资格日期",
    "登记日期",
]


def setup():
    import django

    django.setup()
    from django.db import connection

    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=True)
    return connection


def id_number(n: int) -> str:
    from members.validators import id_check_char

    birth = (datetime.date(1960, 1, 1) + datetime.timedelta(days=n // 1000)).strftime("%Y%m%d")
    first17 = f"411002{birth}{n % 1000:03d}"
    return first17 + id_check_char(first17)


def dataset(rows: int):
    import tablib

    data = tablib.Dataset(headers=HEADERS)
    for n in range(rows):
        data.append(
            [
                f"社工{n}",
                "女" if n % 2 else "男",
                id_number(n),
                f"138{n:08d}",
                "",
                "",
                "助理社会工作师",
                f"ZS{n:08d}",
                "2021-06-20",
                "2021-09-01",
            ]
        )
    return data


def empty_register(connection) -> None:
    """No social workers, and no history of earlier runs (the history trigger's table
    would grow by every row of every run, and each way would pay for the runs before)."""
    from django.apps import apps

    events = apps.get_model("members", "SocialWorkerEvent")._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE members_socialworker, {events} CASCADE")


def timed(call, connection) -> float:
    empty_register(connection)
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


def instances(data):
    from members.choices import Gender, Qualification
    from members.models import SocialWorker

    made = []
    for row in data.dict:
        worker = SocialWorker(
            name=row["姓名"],
            gender=Gender.FEMALE if row["性别"] == "女" else Gender.MALE,
            mobile=row["手机号码"],
            qualification=Qualification.ASSISTANT,
            certificate_number=row["资格证书编号"],
            certificate_date=datetime.date(2021, 6, 20),
            registered_on=datetime.date(2021, 9, 1),
        )
        worker.set_id_number(row["公民身份号码"])
        worker.sync_derived()
        made.append(worker)
    return made


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=25_000)
    parser.add_argument("--default-rows", type=int, default=1_000)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each way; the best counts")
    parser.add_argument(
        "--default-whole",
        action="store_true",
        help="also the default resource once on the whole file (minutes)",
    )
    args = parser.parse_args()
    connection = setup()

    from django.db import transaction
    from django.utils import timezone
    from import_export import resources

    from association.crypto import encrypt
    from association.sql import checked_per_statement
    from members.models import SocialWorker
    from members.resources import SocialWorkerResource

    class DefaultResource(resources.ModelResource):
        """django-import-export as it comes: the portal's columns, row by row."""

        class Meta:
            model = SocialWorker
            fields = ()
            import_id_fields = ()
            force_init_instance = True
            skip_diff = True
            use_transactions = True

    # The same declared columns and widgets as the portal's resource, without its
    # bulk path and its checks (row by row, save(), full_clean()).
    for name, field in SocialWorkerResource.fields.items():
        DefaultResource.fields[name] = field

    data = dataset(args.rows)
    sample = dataset(args.default_rows)
    print(
        f"bench/import_members.py: {args.rows} rows, best of {args.repeat}; "
        f"{time.strftime('%Y-%m-%d %H:%M %Z')}"
    )
    print(f"load average {' '.join(f'{n:.2f}' for n in os.getloadavg())}, {os.cpu_count()} CPUs")

    def run(resource, rows):
        result = resource.import_data(rows, dry_run=False, rollback_on_validation_errors=True)
        assert not result.has_errors() and not result.has_validation_errors(), result
        assert SocialWorker.objects.count() == len(rows)

    # The references write as the portal's path does, their foreign keys checked per
    # statement (association.sql.checked_per_statement): with the checks deferred to
    # commit, each row's history trigger got slower as the transaction grew.
    def bulk(rows):
        with transaction.atomic(), checked_per_statement():
            SocialWorker.objects.bulk_create(instances(rows), batch_size=1000)

    columns = [
        "name",
        "gender",
        "id_number",
        "id_number_index",
        "mobile",
        "email",
        "qualification",
        "certificate_number",
        "certificate_date",
        "registered_on",
        "registration_expires_on",
        "created_at",
        "updated_at",
    ]

    def copy(rows):
        # One COPY statement a 1,000 rows, as the portal's path writes: one statement
        # for all 25,000 rows was slower on this machine (28 s against 16 s for the
        # portal's insert of 25,000 rows, measured once).
        now = timezone.now()
        sql = f"COPY members_socialworker ({', '.join(columns)}) FROM STDIN"
        workers = instances(rows)
        with transaction.atomic(), checked_per_statement(), connection.cursor() as cursor:
            for start in range(0, len(workers), 1000):
                with cursor.cursor.copy(sql) as stream:
                    for worker in workers[start : start + 1000]:
                        stream.write_row(
                            [
                                worker.name,
                                worker.gender,
                                encrypt(worker.id_number),
                                worker.id_number_index,
                                worker.mobile,
                                worker.email,
                                worker.qualification,
                                worker.certificate_number,
                                worker.certificate_date,
                                worker.registered_on,
                                worker.registration_expires_on,
                                now,
                                now,
                            ]
                        )
        assert SocialWorker.objects.count() == len(rows)

    ways = [
        (
            "django-import-export default ModelResource (row by row)",
            sample,
            lambda rows: run(DefaultResource(), rows),
        ),
        (
            "SocialWorkerResource (bulk path, every check)",
            data,
            lambda rows: run(SocialWorkerResource(), rows),
        ),
        ("bulk_create alone (no checks)", data, bulk),
        ("COPY (prepared values, no checks)", data, copy),
    ]
    warm = dataset(50)
    for _label, _rows, call in ways:
        timed(lambda call=call: call(warm), connection)
    best = [float("inf")] * len(ways)
    for _ in range(args.repeat):
        for n, (_label, rows, call) in enumerate(ways):
            best[n] = min(best[n], timed(lambda call=call, rows=rows: call(rows), connection))
    empty_register(connection)
    rates = []
    for (label, rows, _call), elapsed in zip(ways, best, strict=True):
        rates.append(len(rows) / elapsed)
        print(f"{label:<58} {len(rows):>7} rows in {elapsed:8.2f} s = {rates[-1]:>8,.0f} rows/s")
    default, portal, bulk_rate, copy_rate = rates
    print(f"load average {' '.join(f'{n:.2f}' for n in os.getloadavg())} at the end")
    print(
        f"portal path: {portal / default:.1f}x the default resource on {len(sample)} rows, "
        f"{portal / copy_rate:.0%} of COPY, {portal / bulk_rate:.0%} of bulk_create alone; "
        f"COPY {copy_rate / default:.1f}x the default"
    )
    if args.default_whole:
        # Once: the whole file row by row takes minutes.
        elapsed = timed(lambda: run(DefaultResource(), data), connection)
        empty_register(connection)
        whole = len(data) / elapsed
        label = "django-import-export default ModelResource, whole file"
        print(f"{label:<58} {len(data):>7} rows in {elapsed:8.2f} s = {whole:>8,.0f} rows/s")
        print(
            f"on the same {len(data)}-row file: portal path {portal / whole:.1f}x the default "
            f"resource, COPY {copy_rate / whole:.1f}x "
            f"(load average {' '.join(f'{n:.2f}' for n in os.getloadavg())})"
        )


if __name__ == "__main__":
    main()
