"""The stations app's models, one module per entity group."""

from .assessments import Assessment, AssessmentIndicator, AssessmentRound, AssessmentScore
from .catalogue import ServiceArea, WorkKind
from .reports import (
    AreaYearTotal,
    MonthUnlock,
    ReportEvent,
    ReportPhoto,
    SentReminder,
    ServiceReport,
    ServiceReportLine,
)
from .stations import (
    BuildTarget,
    ChecklistEntry,
    CountyReviewer,
    ServiceContract,
    StaffAssignment,
    Station,
    StationStatusChange,
)

__all__ = [
    "AreaYearTotal",
    "Assessment",
    "AssessmentIndicator",
    "AssessmentRound",
    "AssessmentScore",
    "BuildTarget",
    "ChecklistEntry",
    "CountyReviewer",
    "MonthUnlock",
    "ReportEvent",
    "ReportPhoto",
    "SentReminder",
    "ServiceArea",
    "ServiceContract",
    "ServiceReport",
    "ServiceReportLine",
    "StaffAssignment",
    "Station",
    "StationStatusChange",
    "WorkKind",
]
