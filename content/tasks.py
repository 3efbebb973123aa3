from celery import shared_task

from . import services


@shared_task(name="content.send_notice", acks_late=True)
def send_notice(distribution_id: int) -> int:
    """Notify a distribution's recipients (safe to run twice: see distribution_run)."""
    return services.distribution_run(distribution_id)


@shared_task(name="content.send_reminders")
def send_reminders() -> int:
    """Daily (beat): remind recipients of notices whose deadline is near."""
    return services.reminders_send_due()


@shared_task(name="content.requeue_sends")
def requeue_sends() -> int:
    """Beat: finish distributions that a lost worker or a broker outage left unfinished."""
    import datetime

    from django.utils import timezone

    from .choices import SendStatus
    from .models import Distribution

    done = 0
    stale = timezone.now() - datetime.timedelta(minutes=5)  # the first run had its chance
    pending = Distribution.objects.exclude(status=SendStatus.DONE).filter(created_at__lt=stale)
    for pk in pending.values_list("pk", flat=True):
        services.distribution_run(pk)
        done += 1
    return done
