"""What the governance app announces; receivers live in association/notifications.
Signals are sent after the transaction commits, with ids only."""

from django.dispatch import Signal

# meeting_id, user_ids (the entitled with an account)
meeting_noticed = Signal()
