"""Signals of the reports app; association/notifications/receivers.py turns them into
notifications (in-app and e-mail, as each recipient prefers)."""

from django.dispatch import Signal

# Sent after the transaction that finished a run commits: ``run`` (done or failed) and
# ``recipients`` (the requester, or everyone holding the shared run's role).
run_finished = Signal()
