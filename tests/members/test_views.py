"""The portal pages: applying, following an application, certificate, verification."""

import datetime

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from association.accounts.choices import Role
from association.accounts.models import User
from association.accounts.roles import has_role
from association.audit.models import AccessLog
from members import services
from members.choices import MembershipState
from members.models import Membership, Organisation, SocialWorker
from members.services.standing import standing_refresh
from tests.conftest import assert_constant_queries

from .factories import (
    DuesFactory,
    EducationFactory,
    MembershipFactory,
    OrganisationFactory,
    RepresentativeFactory,
    SocialWorkerFactory,
    credit_code,
    id_number,
    township,
)

PDF = b"%PDF-1.4\n%test document\n"


def pdf(name="doc.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def organisation_form(**overrides):
    data = {
        "account-email": "director@xcsw-test.org.cn",
        "account-display_name": "周主任",
        "account-password1": "Zx9!quietRiver",
        "account-password2": "Zx9!quietRiver",
        "name": "许昌市阳光社会工作服务中心",
        "credit_code": credit_code(777),
        "kind": "social_work_agency",
        "legal_representative": "周明",
        "region": township().pk,
        "address": "许昌市魏都区文峰路88号",
        "contact_name": "周明",
        "contact_phone": "0374-5550000",
        "registration_certificate": pdf("登记证书.pdf"),
        "application_form": pdf("申请书.pdf"),
    }
    data.update(overrides)
    return data


def test_it_creates_an_account_and_an_application_for_an_organisation(client, db):
    response = client.post(reverse("members:apply_organisation"), organisation_form())
    membership = Membership.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("members:membership_detail", args=[membership.pk])
    user = User.objects.get(email="director@xcsw-test.org.cn")
    assert membership.state == MembershipState.APPLIED
    assert membership.organisation.admins.get().user == user
    assert has_role(user, Role.APPLICANT)
    assert not EmailAddress.objects.get(user=user).verified
    assert any("director@xcsw-test.org.cn" in m.to for m in mail.outbox)
    assert membership.documents.count() == 2
    page = client.get(response["Location"])
    assert "正在办理" in page.content.decode()


def test_it_refuses_a_wrong_credit_code_and_a_fake_pdf(client, db):
    fake = SimpleUploadedFile("a.pdf", b"MZ not a pdf", content_type="application/pdf")
    response = client.post(
        reverse("members:apply_organisation"),
        organisation_form(credit_code="91350100M000100Y44", application_form=fake),
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "校验位不正确" in text
    assert "文件内容与扩展名" in text
    assert not Organisation.objects.exists()
    assert not User.objects.exists()


def test_it_lets_a_signed_in_person_apply_as_an_individual(cast, client_for):
    client = client_for(cast.station_worker)
    response = client.post(
        reverse("members:apply_individual"),
        {
            "name": "刘洋",
            "gender": "male",
            "id_number": id_number(5),
            "mobile": "13912345678",
            "qualification": "assistant",
            "certificate_number": "ZS2021001",
            "certificate_date": "2021-06-20",
            "registered_on": "2021-09-01",
            "id_card": pdf(),
            "qualification_certificate": pdf(),
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    worker = SocialWorker.objects.get(user=cast.station_worker)
    assert worker.id_number == id_number(5)
    assert worker.registration_expires_on == datetime.date(2024, 8, 31)
    detail = client.get(response["Location"]).content.decode()
    assert "刘洋" in detail


def test_it_downloads_a_certificate_that_the_public_page_verifies(cast, client_for, org_a):
    membership = org_a.memberships.get()
    today = timezone.localdate()
    DuesFactory(membership=membership, year=today.year, paid_on=today, receipt_number="HF-X-1")
    response = client_for(cast.org_admin_a).get(
        reverse("members:membership_certificate", args=[membership.pk])
    )
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    page = client_for(None).get(reverse("verify", args=[membership.verification_code]))
    text = page.content.decode()
    assert org_a.name in text and membership.number in text and "有效会员" in text
    assert org_a.credit_code not in text and org_a.legal_representative not in text


def test_it_shows_a_lapsed_member_as_not_valid_and_refuses_its_certificate(cast, client_for, org_a):
    membership = org_a.memberships.get()  # admitted 2024, never paid
    page = client_for(None).get(reverse("verify", args=[membership.verification_code]))
    assert "非有效会员" in page.content.decode()
    response = client_for(cast.org_admin_a).get(
        reverse("members:membership_certificate", args=[membership.pk])
    )
    assert response.status_code == 404


def test_it_masks_id_numbers_and_logs_a_reveal(cast, client_for):
    worker = SocialWorkerFactory(id_number="11010519491231002X")
    staff = client_for(cast.staff)
    page = staff.get(reverse("members:worker_detail", args=[worker.pk])).content.decode()
    assert "1101**********002X" in page and "11010519491231002X" not in page
    page = staff.post(
        reverse("members:worker_reveal_id", args=[worker.pk]), {"reason": "核对"}
    ).content.decode()
    assert "11010519491231002X" in page
    assert AccessLog.objects.get().reason == "核对"


def test_it_sends_registered_item_changes_to_review(cast, client_for, org_a):
    client = client_for(cast.org_admin_a)
    url = reverse("members:organisation_change_request", args=[org_a.pk])
    form = client.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(legal_representative="新法人", reason="换届", region=org_a.region_id)
    response = client.post(url, data)
    assert response.status_code == 302
    org_a.refresh_from_db()
    assert org_a.legal_representative == "王测试"
    assert org_a.change_requests.get().changes == {"legal_representative": "新法人"}


# --- Query budgets: a page costs the same with 5 rows as with 50 ----------------------


def test_it_lists_memberships_in_constant_queries(cast, client_for):
    client = client_for(cast.staff)

    def grow(n):
        for _ in range(n):
            membership = MembershipFactory()
            DuesFactory(membership=membership, year=2024)

    assert_constant_queries(lambda: client.get(reverse("members:membership_list")), grow)


def test_the_memberships_list_decrypts_no_id_number(cast, client_for, monkeypatch):
    """The list shows the members' names, never their ID numbers: it does not load them."""
    from association import crypto

    workers = [SocialWorkerFactory() for _ in range(3)]
    for worker in workers:
        MembershipFactory(person=worker)
    decrypted = []
    real = crypto.decrypt
    monkeypatch.setattr(crypto, "decrypt", lambda stored: decrypted.append(1) or real(stored))
    response = client_for(cast.staff).get(reverse("members:membership_list"))
    assert response.status_code == 200
    assert all(worker.name in response.content.decode() for worker in workers)
    assert decrypted == []


def test_it_lists_the_roster_in_constant_queries(cast, client_for, org_a):
    client = client_for(cast.org_admin_a)
    assert_constant_queries(
        lambda: client.get(reverse("members:organisation_roster", args=[org_a.pk])),
        lambda n: SocialWorkerFactory.create_batch(n, employer=org_a, region=township()),
    )


def test_it_lists_representatives_in_constant_queries(cast, client_for, org_a):
    client = client_for(cast.org_admin_a)
    membership = org_a.memberships.get()
    worker = SocialWorkerFactory(employer=org_a)
    assert_constant_queries(
        lambda: client.get(reverse("members:organisation_representatives", args=[org_a.pk])),
        lambda n: RepresentativeFactory.create_batch(
            n, membership=membership, worker=worker, designated_by=cast.org_admin_a
        ),
    )


def test_it_lists_education_in_constant_queries(cast, client_for):
    worker = SocialWorkerFactory(user=cast.station_worker)
    client = client_for(cast.station_worker)
    assert_constant_queries(
        lambda: client.get(reverse("members:education_list")),
        lambda n: EducationFactory.create_batch(n, worker=worker),
    )


def test_it_computes_the_overview_in_constant_queries(cast, client_for):
    client = client_for(cast.officer)

    def grow(n):
        for i in range(n):
            organisation = OrganisationFactory()
            MembershipFactory(organisation=organisation)
            SocialWorkerFactory(
                employer=organisation, certificate_date=datetime.date(2020 + i % 5, 1, 1)
            )
        standing_refresh()  # as the view after a change does (tests/members/test_scale.py)

    assert_constant_queries(lambda: client.get(reverse("members:overview")), grow)


@pytest.mark.parametrize("persona", ["org_admin_b", "outsider", "applicant"])
def test_it_hides_another_organisations_roster(cast, client_for, org_a, org_b, persona):
    response = client_for(getattr(cast, persona)).get(
        reverse("members:organisation_roster", args=[org_a.pk])
    )
    assert response.status_code == 404


def test_it_lets_an_org_admin_invite_and_a_worker_accept(cast, client_for, org_a):
    SocialWorkerFactory(user=cast.station_worker)
    client_for(cast.org_admin_a).post(
        reverse("members:organisation_roster", args=[org_a.pk]),
        {"name": "刘洋", "email": cast.station_worker.email},
    )
    invitation = org_a.invitations.get()
    response = client_for(cast.station_worker).post(
        reverse("members:invitation_accept", args=[invitation.token])
    )
    assert response.status_code == 302
    assert SocialWorker.objects.get(user=cast.station_worker).employer == org_a


def test_it_bills_the_year_when_a_member_asks_to_renew(cast, client_for, org_a, standards):
    membership = org_a.memberships.get()
    client_for(cast.org_admin_a).post(reverse("members:membership_renew", args=[membership.pk]))
    year = timezone.localdate().year
    assert membership.dues.get(year=year).paid_on is None
    services.dues_record_payment(dues=membership.dues.get(year=year), by=cast.staff)
    assert membership.dues.get(year=year).receipt_number.startswith(f"HF-{year}-")
