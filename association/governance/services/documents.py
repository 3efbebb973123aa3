"""Documents and their versions: a new version, and its adoption by a passed motion."""

from __future__ import annotations

import datetime

from django.db.models import Max

from association.accounts.roles import require_staff
from association.files import validate_upload
from association.services import service
from association.workflow import transition

from ..choices import VERSION_TRANSITIONS, VersionStatus
from ..models import Document, DocumentVersion, Motion, RuleSet


@service
def version_create(
    *, document: Document, by, text: str, change_summary: str = "", pdf=None
) -> DocumentVersion:
    require_staff(by)
    document = Document.objects.select_for_update().get(pk=document.pk)
    number = (document.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    if pdf is not None:
        validate_upload(pdf, types=("pdf",))
    version = DocumentVersion(
        document=document,
        number=number,
        text=text,
        change_summary=change_summary,
        created_by=by,
    )
    if pdf is not None:
        version.pdf = pdf
    version.full_clean()
    version.save()
    return version


def _adopt(version: DocumentVersion, motion: Motion, day: datetime.date) -> None:
    previous = (
        DocumentVersion.objects.select_for_update()
        .filter(document_id=version.document_id, status=VersionStatus.ADOPTED)
        .exclude(pk=version.pk)
    )
    for old in previous:
        transition(old, VersionStatus.SUPERSEDED, VERSION_TRANSITIONS)
        old.superseded_on = day
        old.save(update_fields=["status", "superseded_on"])
    transition(version, VersionStatus.ADOPTED, VERSION_TRANSITIONS)
    version.adopted_by = motion
    version.adopted_on = day
    version.save(update_fields=["status", "adopted_by", "adopted_on"])
    # Rules written into this version take effect with it.
    RuleSet.objects.filter(source_version=version, effective_from__isnull=True).update(
        effective_from=day
    )
