"""Authorization sweep cases of governance's portal URLs (see tests/sweep.py)."""

from django.core.files.base import ContentFile

from association.governance.choices import MeetingStatus, VersionStatus
from tests.sweep import ALL_PERSONAS, EVERYONE, Case

STAFF = {"officer", "staff"}


def _meeting(cast, **kwargs):
    from .factories import AttendeeFactory, MeetingFactory

    meeting = MeetingFactory(**kwargs)
    AttendeeFactory(meeting=meeting, user=cast.org_admin_a, name="甲代表")
    return meeting


def _draft(cast, pdf=False):
    from .factories import DocumentFactory, VersionFactory

    document = DocumentFactory()
    VersionFactory(document=document, number=1)
    version = VersionFactory(document=document, number=2, text="修改后的章程")
    if pdf:
        version.pdf.save("charter.pdf", ContentFile(b"%PDF-1.4 charter"), save=True)
    assert version.status == VersionStatus.DRAFT
    return version


def _attendee(cast):
    return _meeting(cast).attendees.get().pk


def _motion(cast):
    from association.governance.models import Motion

    meeting = _meeting(cast)
    return Motion.objects.create(
        meeting=meeting,
        number=1,
        title="议案",
        text="内容",
        threshold_numerator=1,
        threshold_denominator=2,
        threshold_strict=True,
    ).pk


def _voting_motion(cast):
    from association.governance.models import Motion

    pk = _motion(cast)
    Motion.objects.filter(pk=pk).update(status="voting", entitled=1, present=0)
    return pk


def _token(cast):
    from association.governance.services import checkin_token

    return {"token": checkin_token(_meeting(cast))}


CASES = {
    "governance:document_list": Case(allowed=EVERYONE),
    "governance:version_detail": Case(make=lambda cast: {"pk": _draft(cast).pk}, allowed=STAFF),
    "governance:version_diff": Case(make=lambda cast: {"pk": _draft(cast).pk}, allowed=STAFF),
    "governance:version_pdf": Case(
        make=lambda cast: {"pk": _draft(cast, pdf=True).pk}, allowed=STAFF
    ),
    "governance:officers": Case(allowed=EVERYONE),
    "governance:office_history": Case(allowed=EVERYONE),
    "governance:meeting_list": Case(allowed=ALL_PERSONAS),
    "governance:meeting_detail": Case(
        make=lambda cast: {"pk": _meeting(cast).pk}, allowed=STAFF | {"org_admin_a"}
    ),
    "governance:meeting_quorum": Case(
        make=lambda cast: {"pk": _meeting(cast).pk}, allowed=STAFF | {"org_admin_a"}
    ),
    "governance:meeting_action": Case(
        make=lambda cast: {"pk": _meeting(cast, status=MeetingStatus.PLANNED, opened_at=None).pk},
        allowed=STAFF,
        method="post",
        data={"action": "notice"},
    ),
    "governance:attendance": Case(make=lambda cast: {"pk": _meeting(cast).pk}, allowed=STAFF),
    "governance:proxy_add": Case(
        make=lambda cast: {"pk": _meeting(cast).pk}, allowed=STAFF, method="post"
    ),
    "governance:motion_add": Case(
        make=lambda cast: {"pk": _meeting(cast).pk},
        allowed=STAFF,
        method="post",
        data={"title": "t", "text": "x", "kind": "ordinary", "vote_method": "named"},
    ),
    "governance:checkin_qr": Case(make=lambda cast: {"pk": _meeting(cast).pk}, allowed=STAFF),
    "governance:attendee_check_in": Case(
        make=lambda cast: {"pk": _attendee(cast)}, allowed=STAFF, method="post"
    ),
    "governance:motion_vote": Case(
        make=lambda cast: {"pk": _motion(cast)}, allowed=STAFF, method="post"
    ),
    "governance:motion_named": Case(make=lambda cast: {"pk": _voting_motion(cast)}, allowed=STAFF),
    "governance:checkin": Case(make=_token, allowed={"org_admin_a"}),
}
