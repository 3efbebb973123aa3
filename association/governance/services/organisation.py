"""Services of the association's registration record and annual-inspection data
(``models/organisation.py``): the admin saves and deletes these rows only through them.

Each row is validated in full (``full_clean``: field validators and the constraints, in
Chinese) and written in one attributed transaction (``@service``); only the
association's staff and officers may write them.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext as _

from association.accounts.roles import require
from association.services import service

from ..models import (
    AnnualFiling,
    Branch,
    EvaluationGrade,
    InspectionResult,
    Registration,
    RegistrationChange,
    RewardOrPenalty,
    StaffMember,
)
from ..permissions import can_keep_organisation_records

ORGANISATION_MODELS = (
    Registration,
    StaffMember,
    Branch,
    RegistrationChange,
    InspectionResult,
    EvaluationGrade,
    RewardOrPenalty,
    AnnualFiling,
)


def _require(by) -> None:
    require(
        can_keep_organisation_records(by),
        _("只有协会工作人员和负责人可以维护登记和年检资料。"),
    )


@service
def organisation_record_save(*, record: models.Model, by) -> models.Model:
    """Validate and save one row of the registration and annual-inspection data."""
    _require(by)
    if not isinstance(record, ORGANISATION_MODELS):
        raise TypeError(f"not an organisation record: {type(record).__name__}")
    if isinstance(record, Registration):
        existing = Registration.objects.first()
        if existing is not None:
            record.pk = existing.pk  # one row: saving again updates it
            record._state.adding = False
        record.singleton = 1
    record.full_clean()
    record.save()
    return record


@service
def organisation_record_delete(*, record: models.Model, by) -> None:
    """Delete one row (an entry made in error); the history keeps what it said."""
    _require(by)
    if not isinstance(record, ORGANISATION_MODELS):
        raise TypeError(f"not an organisation record: {type(record).__name__}")
    record.delete()
