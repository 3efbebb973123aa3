"""A social worker's profile, continuing education, and the logged reveal of an ID number."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from association.audit.services import access_record

from ..models import ContinuingEducation, SocialWorker
from .common import require_staff

PROFILE_FIELDS = ("mobile", "email", "region")


@transaction.atomic
def worker_update_profile(*, worker: SocialWorker, by, data: dict) -> SocialWorker:
    """A social worker keeps their contact details; name, ID number and qualification are
    changed by staff (they come from certificates)."""
    if worker.user_id != by.pk:
        raise PermissionDenied
    worker = SocialWorker.objects.select_for_update().get(pk=worker.pk)
    for field, value in data.items():
        if field not in PROFILE_FIELDS:
            raise ValidationError(_("姓名、身份号码和职业资格由协会工作人员核实后修改。"))
        setattr(worker, field, value)
    worker.full_clean()
    worker.save()
    return worker


@transaction.atomic
def education_add(*, worker: SocialWorker, by, record: ContinuingEducation) -> ContinuingEducation:
    if worker.user_id != by.pk:
        require_staff(by)
    if record.date > timezone.localdate():
        raise ValidationError({"date": _("日期不能晚于今天。")})
    record.worker = worker
    record.full_clean()
    record.save()
    return record


def id_number_reveal(*, worker: SocialWorker, by, reason: str = "", request=None) -> str:
    """The full ID number, for staff who ask; every reveal is written to the access log."""
    require_staff(by)
    access_record(user=by, obj=worker, action="reveal_id_number", reason=reason, request=request)
    return worker.id_number
