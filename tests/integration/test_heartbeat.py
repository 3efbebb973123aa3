"""The heartbeat through Redis and a real worker: what /health/ reports when both run."""

import pytest
from django.urls import reverse

from association import heartbeat
from association.models import Heartbeat
from association.tasks import heartbeat_task

from .conftest import wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_a_running_worker_and_a_sent_heartbeat_make_the_strict_probe_pass(
    celery_worker_process, broker, redis_url, client, settings
):
    settings.REDIS_URL = redis_url
    broker(redis_url)
    assert client.get(reverse("health"), {"strict": "1"}).status_code == 503  # never seen

    heartbeat_task.apply_async()  # as beat sends it: this process stamps beat
    assert Heartbeat.objects.filter(source=Heartbeat.Source.BEAT).exists()
    assert wait_for(lambda: Heartbeat.objects.filter(source=Heartbeat.Source.WORKER).exists())

    response = client.get(reverse("health"), {"strict": "1"})
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "redis": "ok",
        "worker": "ok",
        "beat": "ok",
    }
    assert heartbeat.status() == {"worker": "ok", "beat": "ok"}
