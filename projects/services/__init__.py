"""Every change of the projects app's state goes through these functions: each one is an
``association.services.service`` (one transaction; the history names the actor and
``projects.<function>``), checks its permission with ``require`` over ``permissions.py``
and moves a status only through ``association.workflow`` and the tables in ``choices.py``.
The reads they need live in ``selectors.py``."""

from .activities import (
    activity_record,
    grant_apply,
    grant_decide,
    grant_review_start,
    milestone_achieve,
    participation_add,
)
from .programmes import project_create, quota_set, step_update, team_member_add
from .recruitment import (
    agreement_sign,
    application_complete,
    application_offer,
    application_reject,
    application_screen,
    application_submit,
    application_withdraw,
    assessment_record,
    attendance_record,
    follow_up_record,
    interview_score_add,
    offer_accept,
    offer_decline,
)
from .referrals import (
    assignment_accept,
    assignment_create,
    assignment_decline,
    consent_record,
    record_read,
    referral_close,
    referral_register,
    referral_seal,
    report_deliver,
    report_save,
    session_log,
    story_publish,
)

__all__ = [
    "activity_record",
    "agreement_sign",
    "application_complete",
    "application_offer",
    "application_reject",
    "application_screen",
    "application_submit",
    "application_withdraw",
    "assessment_record",
    "assignment_accept",
    "assignment_create",
    "assignment_decline",
    "attendance_record",
    "consent_record",
    "follow_up_record",
    "grant_apply",
    "grant_decide",
    "grant_review_start",
    "interview_score_add",
    "milestone_achieve",
    "offer_accept",
    "offer_decline",
    "participation_add",
    "project_create",
    "quota_set",
    "record_read",
    "referral_close",
    "referral_register",
    "referral_seal",
    "report_deliver",
    "report_save",
    "session_log",
    "step_update",
    "story_publish",
    "team_member_add",
]
