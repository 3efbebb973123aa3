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

# milestone_id, by_id: an achieved start-up grant milestone is due for payment. Finance
# (association/finance/receivers.py) posts the payment voucher against the programme's
# restricted fund and marks the milestone paid through ``services.milestone_paid``.
grant_payment_due = Signal()

# programme_id, code. Asked (not announced) by the programme page, which cannot import
# finance: a receiver in finance answers with the spending of the programme's restricted
# fund (``{"fund": str, "spent": Decimal}``), or None when the association keeps no such
# fund. Sent synchronously: it is a read, it writes nothing.
programme_spending = Signal()
