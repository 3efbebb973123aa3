"""Member import at scale: rows a second for one file of social workers, four ways.

    .venv/bin/python bench/import_members.py [--rows 25000] [--default-rows 1000]

1. django-import-export's default ``ModelResource`` (same columns and widgets, row by
   row: savepoint, ``full_clean`` with its queries, ``save()``) — on ``--default-rows``
   rows of the file, since it needs minutes for the whole of it;
2. the portal's ``SocialWorkerResource`` (``members.importing``: every check of the file
   in Python with one register lookup per 1,000 rows, then ``bulk_create``);
3. ``bulk_create`` alone (instances built with their encrypted ID number and blind index,
   no checks);
4. PostgreSQL ``COPY`` of the same prepared values.

Each run starts from an empty register in the scratch database ``bench_import_members``
(created and migrated the first time, kept between runs). Figures, never pass/fail.
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
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE members_socialworker CASCADE")


def timed(label: str, rows: int, call, connection) -> float:
    empty_register(connection)
    start = time.perf_counter()
    call()
    elapsed = time.perf_counter() - start
    rate = rows / elapsed
    print(f"{label:<58} {rows:>7} rows in {elapsed:8.2f} s = {rate:>8,.0f} rows/s")
    return rate


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
    args = parser.parse_args()
    connection = setup()

    from django.db import transaction
    from django.utils import timezone
    from import_export import resources

    from association.crypto import encrypt
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
    print(f"bench/import_members.py: {args.rows} rows; {time.strftime('%Y-%m-%d %H:%M')}")
    print(f"load average {os.getloadavg()[0]:.2f}, {os.cpu_count()} CPUs")

    def run(resource, rows):
        result = resource.import_data(rows, dry_run=False, rollback_on_validation_errors=True)
        assert not result.has_errors() and not result.has_validation_errors(), result
        assert SocialWorker.objects.count() == len(rows)

    default = timed(
        "django-import-export default ModelResource (row by row)",
        len(sample),
        lambda: run(DefaultResource(), sample),
        connection,
    )
    portal = timed(
        "SocialWorkerResource (bulk path, every check)",
        len(data),
        lambda: run(SocialWorkerResource(), data),
        connection,
    )

    def bulk():
        with transaction.atomic():
            SocialWorker.objects.bulk_create(instances(data), batch_size=1000)

    bulk_rate = timed("bulk_create alone (no checks)", len(data), bulk, connection)

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

    def copy():
        now = timezone.now()
        with transaction.atomic(), connection.cursor() as cursor:
            sql = f"COPY members_socialworker ({', '.join(columns)}) FROM STDIN"
            with cursor.cursor.copy(sql) as stream:
                for worker in instances(data):
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
        assert SocialWorker.objects.count() == len(data)

    copy_rate = timed("COPY (prepared values, no checks)", len(data), copy, connection)
    empty_register(connection)
    print(
        f"portal path: {portal / default:.1f}x the default resource, "
        f"{portal / copy_rate:.0%} of COPY, {portal / bulk_rate:.0%} of bulk_create alone"
    )


if __name__ == "__main__":
    main()
