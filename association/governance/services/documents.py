"""Documents and their versions: a new version, and its adoption by a passed motion."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db.models import Max, ProtectedError
from django.utils.translation import gettext as _

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


@service
def document_save(*, document: Document, by) -> Document:
    """Add a document or change its title, kind or order (its text lives in its versions)."""
    require_staff(by)
    if document.pk is not None:
        Document.objects.select_for_update().filter(pk=document.pk).first()
    document.full_clean()
    document.save()
    return document


def check_version_editable(version: DocumentVersion) -> None:
    """Only a draft's text can change: a version put to the vote, adopted or superseded is
    the text a meeting decided on (read from the database, not from the form)."""
    status = DocumentVersion.objects.filter(pk=version.pk).values_list("status", flat=True).first()
    if status is not None and status != VersionStatus.DRAFT:
        raise ValidationError(
            _("版本状态为“%(status)s”，不能再修改；请起草新版本。")
            % {"status": VersionStatus(status).label}
        )


@service
def version_draft_save(
    *, version: DocumentVersion, by, text: str, change_summary: str = "", pdf=None
) -> DocumentVersion:
    """Change a draft version's text, change summary or PDF (``pdf``: a new upload, or
    ``False`` to remove it; ``None`` keeps it)."""
    require_staff(by)
    version = DocumentVersion.objects.select_for_update().get(pk=version.pk)
    check_version_editable(version)
    version.text = text
    version.change_summary = change_summary
    if pdf is False:
        version.pdf = ""
    elif pdf is not None:
        validate_upload(pdf, types=("pdf",))
        version.pdf = pdf
    version.full_clean()
    version.save()
    return version


def check_ruleset_editable(rule_set: RuleSet) -> None:
    """Rules in force are the rules meetings were held under: they are never changed (a new
    version of the document brings new rules). Read from the database, not from the form."""
    if rule_set.pk is None:
        return
    if RuleSet.objects.filter(pk=rule_set.pk, effective_from__isnull=False).exists():
        raise ValidationError(_("规则已生效，不能修改或删除；新规则随制度文件的新版本通过。"))


def check_ruleset_source(rule_set: RuleSet) -> None:
    """Rules take effect when their version is adopted: they are written for a version
    not yet adopted."""
    source = rule_set.source_version
    if source is not None and source.status in (VersionStatus.ADOPTED, VersionStatus.SUPERSEDED):
        raise ValidationError(
            {"source_version": _("该文件版本已经通过，其规则不能再补充；请起草新版本。")}
        )


@service
def ruleset_save(*, rule_set: RuleSet, by) -> RuleSet:
    """Add or change rules not yet in force (they take effect with their version)."""
    require_staff(by)
    if rule_set.pk is not None:
        RuleSet.objects.select_for_update().filter(pk=rule_set.pk).first()
    check_ruleset_editable(rule_set)
    check_ruleset_source(rule_set)
    if rule_set.pk is None:
        rule_set.effective_from = None  # set by the adoption of the version
    rule_set.full_clean()
    rule_set.save()
    return rule_set


@service
def ruleset_delete(*, rule_set: RuleSet, by) -> None:
    """Delete rules entered in error, while they are not in force; the history keeps them."""
    require_staff(by)
    RuleSet.objects.select_for_update().filter(pk=rule_set.pk).first()
    check_ruleset_editable(rule_set)
    try:
        rule_set.delete()
    except ProtectedError as error:
        raise ValidationError(_("规则已被会议或选举引用，不能删除。")) from error


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
