"""What the stations app announces. Receivers live in association/notifications; this
app never imports them. Signals are sent after the transaction commits, with ids."""

from django.dispatch import Signal

# report_id
report_submitted = Signal()
# report_id, comment
report_returned = Signal()
# report_id
report_approved = Signal()
# station_id, month (ISO date), deadline (ISO date), user_ids
report_due_soon = Signal()
# station_id, month (ISO date), deadline (ISO date), user_ids
report_overdue = Signal()
