"""The demo's inboxes open on today's notices: the replayed years' notices are read."""

from __future__ import annotations

import pytest

from association.notifications import demo
from association.notifications.models import Notification
from tests.factories import NotificationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_past_notices_are_read_once_and_later_ones_stay_unread():
    worker, operator = UserFactory(), UserFactory()
    NotificationFactory.create_batch(3, user=worker)
    NotificationFactory(user=operator)

    assert demo.seed() == 4
    assert not Notification.objects.unread().exists()

    # A second seed (``make run`` again) leaves what came after the first alone.
    NotificationFactory(user=worker)
    assert demo.seed() == 0
    assert Notification.objects.filter(user=worker).unread().count() == 1
