"""The scheduled reports to the civil-affairs bureau, as django-celery-beat rows (editable
in the admin: 周期性任务). Each runs ``reports.run_scheduled``, which builds a run shared
with the 民政部门 role and tells every official when it is ready (or why it failed)."""

import json

from django.db import migrations

SCHEDULES = [
    {
        "name": "定时报表：社工站服务月报汇总（每月10日发送民政部门）",
        "crontab": {"minute": "0", "hour": "8", "day_of_month": "10", "month_of_year": "*"},
        "kwargs": {"slug": "station-monthly", "format": "xlsx"},
        "description": "每月10日8时生成上月社工站服务月报汇总，发送给民政部门用户。",
    },
    {
        "name": "定时报表：年度工作报告草稿（每年3月1日发送民政部门）",
        "crontab": {"minute": "0", "hour": "8", "day_of_month": "1", "month_of_year": "3"},
        "kwargs": {"slug": "annual-report", "format": "pdf"},
        "description": "每年3月1日8时生成上一年度工作报告草稿（年检材料），发送给民政部门用户。",
    },
]


def create(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    for item in SCHEDULES:
        crontab, _ = CrontabSchedule.objects.get_or_create(
            **item["crontab"], day_of_week="*", timezone="Asia/Shanghai"
        )
        kwargs = {**item["kwargs"], "audience_role": "民政部门", "schedule": item["name"]}
        PeriodicTask.objects.get_or_create(
            name=item["name"],
            defaults={
                "task": "reports.run_scheduled",
                "crontab": crontab,
                "kwargs": json.dumps(kwargs, ensure_ascii=False),
                "description": item["description"],
                "enabled": True,
            },
        )
    # Tell a running beat to reload its schedule.
    from django.utils import timezone

    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def remove(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=[item["name"] for item in SCHEDULES]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create, remove)]
