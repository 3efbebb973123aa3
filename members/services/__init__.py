"""Every change of members' state goes through these functions (one transaction each)."""

from .applications import (
    individual_apply,
    membership_approve,
    membership_reinstate,
    membership_reject,
    membership_review_start,
    membership_suspend,
    membership_withdraw,
    organisation_apply,
)
from .dues import (
    dues_bill,
    dues_bill_awaiting_standard,
    dues_record_payment,
    dues_standard_record,
    membership_renew,
)
from .numbering import next_number
from .organisations import (
    change_request_approve,
    change_request_reject,
    change_request_submit,
    invitation_accept,
    invitation_create,
    organisation_admin_add,
    organisation_update_contacts,
    representative_designate,
    representative_end,
)
from .reminders import dues_reminder_send, education_reminder_send, lapsing_reminder_send
from .representatives import (
    ElectionResult,
    elected_representative_end,
    representatives_elect,
)
from .workers import education_add, id_number_reveal, worker_update_profile

__all__ = [
    "ElectionResult",
    "change_request_approve",
    "change_request_reject",
    "change_request_submit",
    "dues_bill",
    "dues_bill_awaiting_standard",
    "dues_record_payment",
    "dues_reminder_send",
    "dues_standard_record",
    "education_add",
    "education_reminder_send",
    "elected_representative_end",
    "id_number_reveal",
    "individual_apply",
    "invitation_accept",
    "invitation_create",
    "lapsing_reminder_send",
    "membership_approve",
    "membership_reinstate",
    "membership_reject",
    "membership_renew",
    "membership_review_start",
    "membership_suspend",
    "membership_withdraw",
    "next_number",
    "organisation_admin_add",
    "organisation_apply",
    "organisation_update_contacts",
    "representative_designate",
    "representative_end",
    "representatives_elect",
    "worker_update_profile",
]
