from celery import shared_task

from . import heartbeat


@shared_task(name=heartbeat.TASK_NAME, ignore_result=True)
def heartbeat_task() -> None:
    """Beat sends it every minute; running it is the worker's sign of life for /health/."""
    heartbeat.beat(heartbeat.Heartbeat.Source.WORKER)
