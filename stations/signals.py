"""What the stations app announces. Receivers live in association/notifications; this
app never imports them. Signals are sent after the transaction commits, with ids and
plain values (JSON-safe) so receivers read fresh rows."""

from django.dispatch import Signal

# report_id
report_submitted = Signal()
# report_id, comment
report_returned = Signal()
# report_id
report_approved = Signal()
# month (ISO date), deadline (ISO date), recipients: {user_id: [station_id, ...]}
reports_due_soon = Signal()
# month (ISO date), deadline (ISO date), recipients: {user_id: [station_id, ...]}
reports_overdue = Signal()
