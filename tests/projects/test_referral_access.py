"""Need to know for a court referral's personal data (issue 11, finding 1).

The minor's and the guardian's name, sex, birth date, school and address are read only
by the referral's designated officer and by the experts who have *accepted* one of its
assignments, sealed or not. The case page, the investigation-report PDF, the commission
letter and the admin's change and history pages all go through one selector, and every
read is written to the access log with its reason. Everyone else gets 404 and a body
without the minor in it: other staff, other officers, a superuser, an expert merely
offered an assignment, the expert of another referral, an official, an outsider.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from association.audit.models import AccessLog
from projects import selectors, services
from projects.choices import AssignmentStatus, ReferralService
from projects.models import Assignment, InvestigationReport, Referral
from tests.factories import UserFactory

from .factories import ExpertFactory, ReferralFactory

MINOR = ("王小明", "许昌市虚构第九中学", "王大山")
# A commission letter names the minor, as a real one does.
LETTER = b"%PDF-1.4\n%" + " ".join(MINOR).encode() + b"\n"
READERS = ["designated_officer", "accepted_expert"]
OTHERS = [
    "staff",
    "other_officer",
    "superuser",
    "offered_expert",
    "declined_expert",
    "other_referrals_expert",
    "official",
    "outsider",
]
DOCUMENTS = {
    "page": ("projects:referral_detail", "view_referral"),
    "pdf": ("projects:report_pdf", "download_investigation_report"),
    "letter": ("projects:referral_letter", "download_commission_letter"),
}


def _assign(referral, user, status, service=ReferralService.INVESTIGATION):
    return Assignment.objects.create(
        referral=referral,
        expert=ExpertFactory(user=user),
        service=service,
        status=status,
        assigned_by=referral.designated_officer,
    )


@pytest.fixture(params=[False, True], ids=["unsealed", "sealed"])
def case(request, cast):
    referral = ReferralFactory(
        designated_officer=cast.officer,
        sealed=request.param,
        commission_letter=ContentFile(LETTER, name="letter.pdf"),
    )
    _assign(referral, cast.expert, AssignmentStatus.ACCEPTED)
    InvestigationReport.objects.create(
        referral=referral, author=cast.expert, family="父母在外务工，由祖父母照料。"
    )
    offered = UserFactory(roles=["专家"])
    _assign(referral, offered, AssignmentStatus.OFFERED, ReferralService.COUNSELLING)
    declined = UserFactory(roles=["专家"])
    _assign(referral, declined, AssignmentStatus.DECLINED, ReferralService.COUNSELLING)
    elsewhere = UserFactory(roles=["专家"])
    _assign(ReferralFactory(designated_officer=cast.officer), elsewhere, AssignmentStatus.ACCEPTED)
    people = {
        "designated_officer": cast.officer,
        "accepted_expert": cast.expert,
        "staff": cast.staff,
        "other_officer": UserFactory(roles=["协会负责人"], is_staff=True),
        "superuser": UserFactory(roles=["协会工作人员"], is_staff=True, is_superuser=True),
        "offered_expert": offered,
        "declined_expert": declined,
        "other_referrals_expert": elsewhere,
        "official": cast.official,
        "outsider": cast.outsider,
    }
    return SimpleNamespace(referral=referral, people=people)


def _assert_no_minor(body: bytes, where: str) -> None:
    text = body.decode("utf-8", "replace")
    for value in MINOR:
        assert value not in text, f"{where}: {value}"


def _give_reason(client, referral, reason="撰写社会调查报告"):
    return client.post(reverse("projects:referral_detail", args=[referral.pk]), {"reason": reason})


@pytest.mark.parametrize("document", DOCUMENTS)
@pytest.mark.parametrize("persona", READERS)
def test_it_gives_the_documents_to_the_designated_officer_and_accepted_expert_and_logs_why(
    case, client_for, persona, document
):
    referral, user = case.referral, case.people[persona]
    url_name, action = DOCUMENTS[document]
    client = client_for(user)
    if referral.sealed:
        assert _give_reason(client, referral).status_code == 302
    response = client.get(reverse(url_name, args=[referral.pk]))
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if document == "page":
        assert referral.case_number in body.decode()
        assert "王**" in body.decode()  # the screen shows the minor masked
    elif document == "pdf":
        assert body.startswith(b"%PDF")  # the court's copy, unmasked
    else:
        assert body == LETTER
    assert response["Cache-Control"].count("no-store")
    (read,) = AccessLog.objects.filter(user=user, object_id=str(referral.pk))
    assert read.action == action
    ground = "指定负责人" if persona == "designated_officer" else "承办专家（社会调查）"
    assert read.reason.startswith(ground), read.reason
    if referral.sealed:
        assert read.reason == f"{ground}：撰写社会调查报告"


@pytest.mark.parametrize("document", DOCUMENTS)
@pytest.mark.parametrize("persona", OTHERS)
def test_it_refuses_the_documents_to_everyone_else(case, client_for, persona, document):
    """Before the fix, every staff member (and superuser) downloaded the unsealed
    referral's PDF and letter with the minor's name in them, and an expert merely
    offered an assignment opened a sealed case and its letter."""
    referral, user = case.referral, case.people[persona]
    url_name, _action = DOCUMENTS[document]
    client = client_for(user)
    url = reverse(url_name, args=[referral.pk])
    response = client.get(url)
    assert response.status_code in (403, 404), (persona, document, response)
    assert not response.streaming
    _assert_no_minor(response.content, document)
    # nor after offering a reason, as a sealed referral asks
    given = _give_reason(client, referral)
    assert given.status_code in (403, 404), (persona, "reason", given)
    _assert_no_minor(given.content, "reason")
    response = client.get(url)
    assert response.status_code in (403, 404), (persona, document, response)
    _assert_no_minor(response.content, document)
    assert not AccessLog.objects.filter(user=user).exists()


def _admin_client(client_for, user):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    TOTP.activate(user, generate_totp_secret())
    return client_for(user)


@pytest.mark.parametrize("page", ["change", "history"])
def test_it_opens_the_admin_page_of_an_unsealed_referral_to_its_designated_officer_only(
    case, client_for, page
):
    referral = case.referral
    url = f"/admin/projects/referral/{referral.pk}/{page}/"
    officer = case.people["designated_officer"]
    response = _admin_client(client_for, officer).get(url)
    if referral.sealed:  # sealed: on the portal only, where the reason is asked
        assert response.status_code == 404
        assert not AccessLog.objects.filter(user=officer).exists()
    else:
        assert response.status_code == 200
        _assert_no_minor(response.content, page)  # masked in the admin too
        (read,) = AccessLog.objects.filter(user=officer, object_id=str(referral.pk))
        assert read.action == f"view_referral_{'admin' if page == 'change' else 'history'}"
        assert read.reason == "指定负责人"
    for persona in ("staff", "other_officer", "superuser"):
        user = case.people[persona]
        response = _admin_client(client_for, user).get(url)
        assert response.status_code == 404, (persona, response.status_code)
        _assert_no_minor(response.content, f"{persona} {page}")
        assert not AccessLog.objects.filter(user=user).exists()
    # experts and everyone else have no admin at all
    for persona in ("accepted_expert", "offered_expert", "official", "outsider"):
        response = client_for(case.people[persona]).get(url)
        assert response.status_code == 302 and "/login/" in response["Location"]


def test_it_keeps_the_predicate_and_the_selector_to_one_rule(case):
    from projects.permissions import can_read_referral_personal_data

    referral = case.referral
    for persona, user in case.people.items():
        may = can_read_referral_personal_data(user, referral)
        assert may == (persona in READERS), persona
        assert may == Referral.objects.visible_to(user).filter(pk=referral.pk).exists(), persona


def test_it_opens_the_case_to_an_expert_only_after_they_accept(cast, client_for):
    referral = ReferralFactory(designated_officer=cast.officer, sealed=True)
    assignment = _assign(referral, cast.expert, AssignmentStatus.OFFERED)
    client = client_for(cast.expert)
    offers = client.get(reverse("projects:assignment_list"))
    text = offers.content.decode()
    # what the expert needs to decide: the reference, the service, the deadline, where
    assert referral.reference in text and "社会调查" in text and referral.county.name in text
    assert reverse("projects:referral_detail", args=[referral.pk]) not in text
    _assert_no_minor(offers.content, "offers")
    assert "王**" not in text
    detail = reverse("projects:referral_detail", args=[referral.pk])
    assert client.get(detail).status_code == 404

    services.assignment_accept(assignment=assignment, by=cast.expert)
    assert detail in client.get(reverse("projects:assignment_list")).content.decode()
    assert _give_reason(client, referral).status_code == 302
    assert client.get(detail).status_code == 200


def test_it_shows_other_staff_counts_not_the_referrals(cast, client_for):
    mine = ReferralFactory(designated_officer=cast.officer)
    ReferralFactory(designated_officer=cast.officer, sealed=True)
    text = client_for(cast.staff).get(reverse("projects:referral_list")).content.decode()
    assert mine.reference not in text
    assert reverse("projects:referral_detail", args=[mine.pk]) not in text
    assert "共 2 件" in text
    officer_view = client_for(cast.officer).get(reverse("projects:referral_list"))
    assert reverse("projects:referral_detail", args=[mine.pk]) in officer_view.content.decode()


def test_it_lets_only_the_designated_officer_manage_an_unsealed_referral(cast):
    from django.core.exceptions import PermissionDenied

    referral = ReferralFactory(designated_officer=cast.officer)
    with pytest.raises(PermissionDenied):
        services.assignment_create(
            referral=referral,
            expert=ExpertFactory(),
            service=ReferralService.INVESTIGATION,
            by=cast.staff,
        )
    assert selectors.referral_list(user=cast.staff).count() == 0
