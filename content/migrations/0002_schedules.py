"""The content app's beat schedules, as django-celery-beat rows (editable in the admin):
the daily reminder of notices whose reply deadline is near, and the sweep that finishes
sends a lost worker or a broker outage left unfinished."""

from django.db import migrations

SCHEDULES = [
    {
        "name": "通知回执：截止前提醒（每天8时30分）",
        "task": "content.send_reminders",
        "crontab": {"minute": "30", "hour": "8", "day_of_month": "*", "month_of_year": "*"},
        "description": "回执截止日期前若干天（CONTENT_REMINDER_DAYS，默认2天），每天提醒尚未回执的收件人一次。",
    },
    {
        "name": "通知下发：续发未完成的下发（每10分钟）",
        "task": "content.requeue_sends",
        "crontab": {"minute": "*/10", "hour": "*", "day_of_month": "*", "month_of_year": "*"},
        "description": "继续发送因进程中断或消息队列故障而未完成的通知下发，已送达的收件人不会重复发送。",
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
        PeriodicTask.objects.get_or_create(
            name=item["name"],
            defaults={
                "task": item["task"],
                "crontab": crontab,
                "description": item["description"],
                "enabled": True,
            },
        )
    from django.utils import timezone

    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def remove(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=[item["name"] for item in SCHEDULES]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create, remove)]
