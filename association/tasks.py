from celery import shared_task

from . import heartbeat


@shared_task(name=heartbeat.TASK_NAME, ignore_result=True)
def heartbeat_task() -> None:
    """Beat sends it every minute; running it is the worker's sign of life for /health/."""
    heartbeat.beat(heartbeat.Heartbeat.Source.WORKER)


@shared_task(name="association.prune_changes", ignore_result=True)
def prune_changes_task() -> int:
    """Beat sends it nightly: folds the day's logged table changes into their totals
    (association/changes.py), so reading a generation stays one small count."""
    from . import changes

    return changes.prune()
