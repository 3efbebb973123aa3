"""Authorization sweep cases of the members app (see tests/sweep.py)."""

import datetime

from django.core.files.base import ContentFile
from django.utils import timezone

from members.choices import DocumentKind
from members.models import MembershipDocument, StaffInvitation
from tests.sweep import ALL_PERSONAS, EVERYONE, Case, CountyCase

from .factories import (
    DuesFactory,
    DuesStandardFactory,
    EducationFactory,
    MembershipFactory,
    OrganisationAdminFactory,
    OrganisationFactory,
    RepresentativeFactory,
    SocialWorkerFactory,
)

PDF = b"%PDF-1.4\n%test\n"
STAFF = {"staff", "officer"}


def org_a(cast):
    """Organisation A, administered by org_admin_a, a member in good standing."""
    organisation = OrganisationFactory()
    OrganisationAdminFactory(organisation=organisation, user=cast.org_admin_a)
    membership = MembershipFactory(organisation=organisation)
    today = timezone.localdate()
    DuesFactory(
        membership=membership, year=today.year, paid_on=today, receipt_number=f"T-{membership.pk}"
    )
    DuesStandardFactory(effective_from=datetime.date(2000, 1, 1))
    return membership


def worker_of_station_worker(cast, employer=None):
    return SocialWorkerFactory(user=cast.station_worker, employer=employer)


def document(cast):
    membership = org_a(cast)
    doc = MembershipDocument(
        membership=membership, kind=DocumentKind.APPLICATION_FORM, original_name="申请书.pdf"
    )
    doc.file.save("application.pdf", ContentFile(PDF))
    return {"pk": doc.pk}


def evidence(cast):
    record = EducationFactory(worker=worker_of_station_worker(cast))
    record.evidence.save("evidence.pdf", ContentFile(PDF))
    return {"pk": record.pk}


def invitation(cast):
    membership = org_a(cast)
    worker_of_station_worker(cast)
    token = StaffInvitation.objects.create(
        organisation=membership.organisation,
        email=cast.station_worker.email,
        name="刘洋",
        invited_by=cast.org_admin_a,
    ).token
    return {"token": token}


CASES = {
    "members:apply": Case(allowed=EVERYONE),
    "members:apply_organisation": Case(allowed=EVERYONE),
    "members:apply_individual": Case(allowed=EVERYONE),
    "members:membership_list": Case(allowed=ALL_PERSONAS),
    "members:membership_detail": Case(
        make=lambda cast: {"pk": org_a(cast).pk}, allowed={"org_admin_a", *STAFF}
    ),
    "members:membership_renew": Case(
        make=lambda cast: {"pk": org_a(cast).pk}, allowed={"org_admin_a", *STAFF}, method="post"
    ),
    "members:membership_certificate": Case(
        make=lambda cast: {"pk": org_a(cast).pk}, allowed={"org_admin_a", *STAFF}
    ),
    "members:document_download": Case(make=document, allowed={"org_admin_a", *STAFF}),
    "members:organisation_detail": Case(
        make=lambda cast: {"pk": org_a(cast).organisation_id}, allowed={"org_admin_a", *STAFF}
    ),
    "members:organisation_edit": Case(
        make=lambda cast: {"pk": org_a(cast).organisation_id}, allowed={"org_admin_a"}
    ),
    "members:organisation_change_request": Case(
        make=lambda cast: {"pk": org_a(cast).organisation_id}, allowed={"org_admin_a"}
    ),
    "members:organisation_roster": Case(
        make=lambda cast: {"pk": org_a(cast).organisation_id}, allowed={"org_admin_a", *STAFF}
    ),
    "members:organisation_representatives": Case(
        make=lambda cast: {"pk": org_a(cast).organisation_id}, allowed={"org_admin_a", *STAFF}
    ),
    "members:representative_end": Case(
        make=lambda cast: {"pk": RepresentativeFactory(membership=org_a(cast)).pk},
        allowed={"org_admin_a"},
        method="post",
    ),
    "members:invitation_accept": Case(make=invitation, allowed={"station_worker"}),
    "members:worker_profile": Case(
        make=lambda cast: worker_of_station_worker(cast) and {}, allowed={"station_worker"}
    ),
    "members:worker_edit": Case(
        make=lambda cast: worker_of_station_worker(cast) and {}, allowed={"station_worker"}
    ),
    "members:education_list": Case(
        make=lambda cast: worker_of_station_worker(cast) and {}, allowed={"station_worker"}
    ),
    "members:education_evidence": Case(make=evidence, allowed={"station_worker", *STAFF}),
    "members:worker_detail": Case(
        make=lambda cast: {
            "pk": worker_of_station_worker(cast, employer=org_a(cast).organisation).pk
        },
        allowed={"station_worker", "org_admin_a", *STAFF},
    ),
    "members:worker_reveal_id": Case(
        make=lambda cast: {"pk": worker_of_station_worker(cast).pk},
        allowed=STAFF,
        method="post",
        data={"reason": "核对会员信息"},
    ),
    "members:overview": Case(allowed={"official", *STAFF}),
    "verify": Case(make=lambda cast: {"code": org_a(cast).verification_code}, allowed=EVERYONE),
}


# The overview's figures are the association's whole area's (the members by county among
# them): an official limited to a county does not get it (as the member-register report is
# not in their catalogue).
COUNTY_CASES = {
    "members:overview": CountyCase(make=lambda cast, official: (None, ({}, {}))),
}
