"""The members app's models, one module per entity group."""

from .dues import Dues, DuesStandard, NumberSequence, Reminder
from .memberships import ElectedRepresentative, Membership, MembershipDocument, Representative
from .organisations import (
    Organisation,
    OrganisationAdmin,
    OrganisationChangeRequest,
    StaffInvitation,
)
from .register import CertificateCount, RegisterCount
from .standing import StandingChange, StandingPending, StandingRules, StandingSpan
from .workers import ContinuingEducation, SocialWorker

__all__ = [
    "CertificateCount",
    "ContinuingEducation",
    "Dues",
    "DuesStandard",
    "ElectedRepresentative",
    "Membership",
    "MembershipDocument",
    "NumberSequence",
    "Organisation",
    "OrganisationAdmin",
    "OrganisationChangeRequest",
    "RegisterCount",
    "Reminder",
    "Representative",
    "SocialWorker",
    "StaffInvitation",
    "StandingChange",
    "StandingPending",
    "StandingRules",
    "StandingSpan",
]
