"""What the members app announces. Receivers live in apps above it (notifications);
members never imports them. Every signal is sent after the transaction commits, with
``membership_id``/``worker_id`` so receivers read fresh rows."""

from django.dispatch import Signal

# membership_id
application_received = Signal()
# membership_id, approved (bool)
application_decided = Signal()
# membership_id, dues_id
dues_due = Signal()
# membership_id, dues_id
dues_paid = Signal()
# worker_id, required, completed, period_end (ISO date)
education_shortfall = Signal()
# membership_id, lapses_on (ISO date)
membership_lapsing = Signal()
# invitation_id
staff_invited = Signal()
