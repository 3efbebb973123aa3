"""Every change of governance state goes through these functions (one transaction each,
attributed in the history to its actor by :func:`association.services.service`).

They check who may act and the rules of the charter; the arithmetic lives in
:mod:`association.governance.rules`, the rules themselves in :class:`RuleSet` rows, and the
reads (the entitled roll, who is present) in :mod:`association.governance.selectors`.

One module per subject; import from the package (``from association.governance import
services``), which re-exports the public names.
"""

from .decisions import (
    DUES_PASS_FLOOR,
    DUES_QUORUM_FLOOR,
    dues_standard_adopt,
    motion_reference,
    require_adopting_motion,
)
from .documents import version_create
from .meetings import (
    CHECKIN_MAX_AGE,
    CHECKIN_SALT,
    MEETING_EDITABLE,
    attendee_check_in,
    attendee_self_check_in,
    checkin_token,
    checkin_token_meeting_id,
    meeting_close,
    meeting_create,
    meeting_delete,
    meeting_open,
    meeting_send_notice,
    meeting_update,
    notice_is_late,
    proxy_register,
    require_presiding,
)
from .motions import motion_create, motion_open_vote, motion_record_counts, motion_record_named
from .offices import office_holders_install
from .organisation import (
    ORGANISATION_MODELS,
    organisation_record_delete,
    organisation_record_save,
)
from .roll import roll_add, roll_draw, roll_remove

__all__ = [
    "CHECKIN_MAX_AGE",
    "CHECKIN_SALT",
    "DUES_PASS_FLOOR",
    "DUES_QUORUM_FLOOR",
    "MEETING_EDITABLE",
    "ORGANISATION_MODELS",
    "attendee_check_in",
    "attendee_self_check_in",
    "checkin_token",
    "checkin_token_meeting_id",
    "dues_standard_adopt",
    "meeting_close",
    "meeting_create",
    "meeting_delete",
    "meeting_open",
    "meeting_send_notice",
    "meeting_update",
    "motion_create",
    "motion_open_vote",
    "motion_record_counts",
    "motion_record_named",
    "motion_reference",
    "notice_is_late",
    "office_holders_install",
    "organisation_record_delete",
    "organisation_record_save",
    "proxy_register",
    "require_adopting_motion",
    "require_presiding",
    "roll_add",
    "roll_draw",
    "roll_remove",
    "version_create",
]
