"""A social worker's profile, continuing education, and the logged reveal of an ID number."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from association.accounts.roles import require, require_staff
from association.audit.services import access_record
from association.services import service

from ..models import ContinuingEducation, SocialWorker
from ..permissions import can_record_education, is_own_worker

PROFILE_FIELDS = ("mobile", "email", "region")


@service
def worker_update_profile(*, worker: SocialWorker, by, data: dict) -> SocialWorker:
    """A social worker keeps their contact details; name, ID number and qualification are
    changed by staff (they come from certificates)."""
    require(is_own_worker(by, worker))
    worker = SocialWorker.objects.select_for_update().get(pk=worker.pk)
    for field, value in data.items():
        if field not in PROFILE_FIELDS:
            raise ValidationError(_("姓名、身份号码和职业资格由协会工作人员核实后修改。"))
        setattr(worker, field, value)
    worker.full_clean()
    worker.save()
    return worker


@service
def education_add(*, worker: SocialWorker, by, record: ContinuingEducation) -> ContinuingEducation:
    require(can_record_education(by, worker), _("只有协会工作人员可以办理此事项。"))
    if record.date > timezone.localdate():
        raise ValidationError({"date": _("日期不能晚于今天。")})
    record.worker = worker
    record.full_clean()
    record.save()
    return record


@service
def id_number_reveal(*, worker: SocialWorker, by, reason: str = "", request=None) -> str:
    """The full ID number, for staff who ask; every reveal is written to the access log."""
    require_staff(by)
    access_record(user=by, obj=worker, action="reveal_id_number", reason=reason, request=request)
    return worker.id_number
