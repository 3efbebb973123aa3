"""Who may do what with stations.

``ROLE_PERMISSIONS`` governs the admin site (synced to the role groups after migrate);
the functions below are the object rules the services and views check.
"""

from __future__ import annotations

from django.db.models import Exists

from association.accounts.choices import Role
from association.accounts.roles import has_role, is_association_staff

_MODELS = [
    "station",
    "stationstatuschange",
    "checklistentry",
    "servicecontract",
    "staffassignment",
    "buildtarget",
    "countyreviewer",
    "servicereport",
    "servicereportline",
    "reportphoto",
    "reportevent",
    "monthunlock",
    "servicearea",
    "workkind",
    "assessmentround",
    "assessmentindicator",
    "assessment",
    "assessmentscore",
]

ROLE_PERMISSIONS = {
    Role.STAFF: [
        *(
            f"stations.{action}_{model}"
            for model in _MODELS
            for action in ("view", "add", "change")
        ),
        "stations.delete_countyreviewer",  # through county_reviewer_remove
        "stations.delete_checklistentry",
        "stations.delete_servicecontract",
        "stations.delete_reportphoto",
        "stations.delete_assessmentindicator",
        "stations.view_sentreminder",
        "stations.export_station",
        "stations.unlock_month",
        "stations.review_report",
    ],
    Role.OFFICER: [
        *(f"stations.view_{model}" for model in _MODELS),
        "stations.export_station",
        "stations.review_report",
    ],
}


def is_reviewer_of(user, station) -> bool:
    """Staff, or a reviewer of the station's county."""
    if not user.is_authenticated:
        return False
    if is_association_staff(user):
        return True
    return station.region.parent.station_reviewers.filter(user=user).exists()


def can_edit_reports(user, station) -> bool:
    """A station's reports are written by its current workers and its operator's admins."""
    from .models import StaffAssignment, Station

    if not user.is_authenticated:
        return False
    writes = Exists(StaffAssignment.objects.current().filter(station=station, worker__user=user))
    if station.operator_id:
        writes |= Exists(station.operator.admins.filter(user=user))
    # One query for both ways, on the station's own row.
    return Station.objects.filter(pk=station.pk).filter(writes).exists()


def can_manage_staff(user, station) -> bool:
    """Staff and the admins of the station's operator assign and end its social workers."""
    if not user.is_authenticated:
        return False
    if is_association_staff(user):
        return True
    return bool(station.operator_id) and station.operator.admins.filter(user=user).exists()


def can_review_reports(user) -> bool:
    """Staff, and the reviewers of a county, have a review queue."""
    return is_association_staff(user) or (user.is_authenticated and user.station_reviews.exists())


def can_unlock(user) -> bool:
    return is_association_staff(user)


def can_see_dashboard(user) -> bool:
    """Staff, officers and civil-affairs officials: figures only, no personal data."""
    return is_association_staff(user) or has_role(user, Role.OFFICIAL)


def is_operator_admin(user) -> bool:
    """An admin of an organisation that runs stations: submits their reports in bulk."""
    from .models import Station

    return user.is_authenticated and Station.objects.operated_by_user(user).exists()
