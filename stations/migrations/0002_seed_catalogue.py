"""Seed the service areas and kinds of work that monthly reports count (data, not code)."""

from django.db import migrations

AREAS = [
    ("assistance", "社会救助"),
    ("elderly", "养老服务"),
    ("children", "儿童关爱"),
    ("disability", "残疾人服务"),
    ("governance", "社区治理"),
    ("affairs", "社会事务"),
]
KINDS = [
    ("casework", "个案"),
    ("group", "小组"),
    ("community", "社区活动"),
    ("home_visit", "入户走访"),
    ("outreach", "政策宣传"),
]


def seed(apps, schema_editor):
    ServiceArea = apps.get_model("stations", "ServiceArea")
    WorkKind = apps.get_model("stations", "WorkKind")
    for order, (code, name) in enumerate(AREAS, start=1):
        ServiceArea.objects.update_or_create(code=code, defaults={"name": name, "order": order})
    for order, (code, name) in enumerate(KINDS, start=1):
        WorkKind.objects.update_or_create(code=code, defaults={"name": name, "order": order})


class Migration(migrations.Migration):
    dependencies = [("stations", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
