from celery import shared_task

from . import services


@shared_task(name="reports.build_report")
def build_report(run_id: int) -> str | None:
    """Build one report run. Safe to run twice; late acknowledgement (association/celery.py)
    redelivers it when a worker dies mid-way, and the rebuilt run completes once."""
    run = services.run_build(run_id)
    return run.status if run else None


@shared_task(name="reports.run_scheduled")
def run_scheduled(
    slug: str, format: str = "xlsx", audience_role: str = "民政部门", schedule: str = ""
) -> int:
    """Started by a django-celery-beat schedule (editable in the admin): a shared run,
    sent to everyone holding ``audience_role`` when it is ready or when it fails."""
    run = services.run_create_scheduled(
        slug=slug, fmt=format, audience_role=audience_role, schedule=schedule
    )
    return run.pk


@shared_task(name="reports.delete_expired")
def delete_expired() -> int:
    """Delete report files past their retention period (daily)."""
    return services.runs_expire()


@shared_task(name="reports.requeue_stale")
def requeue_stale() -> int:
    """Every few minutes: enqueue the runs whose enqueue was lost while Redis was down."""
    return services.runs_requeue()
