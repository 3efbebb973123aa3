"""What the projects app announces; receivers live in association/notifications (above
projects). Sent after commit, with ids only."""

from django.dispatch import Signal

# application_id
application_submitted = Signal()
# application_id, status (the new status)
application_moved = Signal()
# assignment_id
assignment_offered = Signal()
# assignment_id, accepted (bool)
assignment_answered = Signal()
