"""What each role may do with the projects app's models in the admin (synced to the role
groups after migrate). Referrals are left out on purpose: the admin shows them only to
their designated officer and never exports them; portal pages scope everything else."""

from association.accounts.choices import Role

_RUN = [
    "programme",
    "recruitmentround",
    "eligibilityrule",
    "project",
    "projectstep",
    "roundquota",
    "teammember",
    "application",
    "interviewscore",
    "agreement",
    "trainingsession",
    "attendance",
    "assessment",
    "followup",
    "serviceactivity",
    "activityphoto",
    "startupgrant",
    "grantmilestone",
    "practicebase",
    "practiceparticipation",
    "expert",
    "story",
]

ROLE_PERMISSIONS = {
    Role.STAFF: [
        *(f"projects.{action}_{model}" for model in _RUN for action in ("view", "add", "change")),
        "projects.export_application",
        "projects.view_referral",
        "projects.add_referral",
        "projects.change_referral",
    ],
    Role.OFFICER: [
        *(f"projects.view_{model}" for model in _RUN),
        "projects.view_referral",
        "projects.change_referral",
    ],
}
