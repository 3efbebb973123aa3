"""The governance app's models, one module per entity group."""

from .documents import Document, DocumentVersion
from .meetings import Attendee, Meeting, MeetingTalk, Motion, MotionVote, Proxy
from .offices import Office, Term
from .roll import RollCorrection
from .rulesets import RuleSet

__all__ = [
    "Attendee",
    "Document",
    "DocumentVersion",
    "Meeting",
    "MeetingTalk",
    "Motion",
    "MotionVote",
    "Office",
    "Proxy",
    "RollCorrection",
    "RuleSet",
    "Term",
]

from .organisation import (
    AnnualFiling,
    Branch,
    EvaluationGrade,
    InspectionResult,
    Registration,
    RegistrationChange,
    RewardOrPenalty,
    StaffMember,
)

__all__ += [
    "AnnualFiling",
    "Branch",
    "EvaluationGrade",
    "InspectionResult",
    "Registration",
    "RegistrationChange",
    "RewardOrPenalty",
    "StaffMember",
]
