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
from .documents import (
    check_ruleset_editable,
    check_ruleset_source,
    check_version_editable,
    document_save,
    ruleset_delete,
    ruleset_save,
    version_create,
    version_draft_save,
)
from .meetings import (
    CHECKIN_MAX_AGE,
    CHECKIN_SALT,
    MEETING_EDITABLE,
    attendee_check_in,
    attendee_self_check_in,
    check_talks_editable,
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
    talk_delete,
    talk_save,
)
from .motions import motion_create, motion_open_vote, motion_record_counts, motion_record_named
from .offices import check_office_code, office_holders_install, office_save, term_end
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
    "check_office_code",
    "check_ruleset_editable",
    "check_ruleset_source",
    "check_talks_editable",
    "check_version_editable",
    "checkin_token",
    "checkin_token_meeting_id",
    "document_save",
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
    "office_save",
    "organisation_record_delete",
    "organisation_record_save",
    "proxy_register",
    "require_adopting_motion",
    "require_presiding",
    "roll_add",
    "roll_draw",
    "roll_remove",
    "ruleset_delete",
    "ruleset_save",
    "talk_delete",
    "talk_save",
    "term_end",
    "version_create",
    "version_draft_save",
]
