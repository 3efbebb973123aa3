"""Staff, officers and experts work only after a second factor; enrolment needs a grant.

These tests log in as a password thief would: the test client's login records no second
factor (``real_mfa``), unlike everywhere else in the suite.
"""

import re

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    SECRET_SESSION_KEY,
    TOTP,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from allauth.usersessions.models import UserSession
from django.contrib import admin
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from association.accounts import services
from association.accounts.choices import Role
from association.accounts.models import MFAEnrolmentGrant
from association.audit.models import AccessLog
from tests.factories import TEST_PASSWORD, UserFactory
from tests.test_authz_sweep import CASES

pytestmark = [pytest.mark.django_db, pytest.mark.real_mfa]

ENROL = "/accounts/2fa/enrol/"
REAUTH = "/accounts/2fa/reauthenticate/"
PRIVILEGED = ["staff", "officer", "expert"]
OPEN_WITHOUT_SECOND_FACTOR = {
    "health",  # the load balancer's probe, open to everyone
    "accounts:mfa_enrol",  # the pages that finish the second factor
    "accounts:mfa_enrol_link",
}


def password_login(client, user):
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": TEST_PASSWORD}
    )
    assert response.status_code == 302, response.status_code
    return response


def totp_code(secret: str) -> str:
    return f"{hotp_value(secret, next(yield_hotp_counters_from_time())):06d}"


def activate(client) -> Authenticator:
    """Open allauth's activation page and enter the code of the secret it shows."""
    page = client.get(reverse("mfa_activate_totp"))
    if page.status_code == 302 and page["Location"].startswith(reverse("account_reauthenticate")):
        # allauth asks for the password again before a new authenticator (not a second factor).
        client.post(page["Location"], {"password": TEST_PASSWORD})
        page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    secret = client.session[SECRET_SESSION_KEY]
    response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    assert response.status_code == 302, response.content.decode()[:500]
    return Authenticator.objects.get(user=page.wsgi_request.user, type="totp")


@pytest.mark.parametrize("url_name", sorted(CASES))
def test_it_requires_a_second_factor_on_every_portal_url(url_name, cast, client_for):
    if url_name in OPEN_WITHOUT_SECOND_FACTOR:
        return
    case = CASES[url_name]
    url = reverse(url_name, kwargs=case.make(cast))
    wrong = []
    for persona in PRIVILEGED:
        response = getattr(client_for(getattr(cast, persona)), case.method)(url, case.data)
        if response.status_code != 302 or not response["Location"].startswith(ENROL):
            wrong.append(f"{persona} got {response.status_code}")
    assert not wrong, f"{url_name} ({url}) with a password alone: " + "; ".join(wrong)


def admin_changelists():
    return sorted(
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for model in admin.site._registry
    )


def test_it_requires_a_second_factor_on_every_admin_page(cast, client_for):
    client = client_for(cast.staff)
    wrong = [
        url
        for url in [reverse("admin:index"), *admin_changelists()]
        if not client.get(url).get("Location", "").startswith(ENROL)
    ]
    assert not wrong, wrong


def test_it_asks_an_enrolled_user_for_the_code_again_in_a_session_without_it(cast, client_for):
    secret = generate_totp_secret()
    TOTP.activate(cast.officer, secret)
    client = client_for(cast.officer)
    response = client.get(reverse("admin:index"))
    assert response["Location"].startswith(REAUTH)
    response = client.post(REAUTH, {"code": totp_code(secret)})
    assert response.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


def test_it_refuses_enrolment_without_a_grant(cast, client_for):
    """A password thief reaches the activation page only through the enrolment page."""
    client = client_for(cast.staff)
    response = client.get(reverse("mfa_activate_totp"))
    assert response["Location"].startswith(ENROL)
    response = client.post(reverse("mfa_activate_totp"), {"code": "123456"})
    assert response["Location"].startswith(ENROL)
    assert not Authenticator.objects.filter(user=cast.staff).exists()


def test_it_enrols_through_a_link_sent_to_the_verified_email(client):
    user = UserFactory(email="new-staff@example.org", is_staff=True, roles=[Role.STAFF.value])
    response = password_login(client, user)
    assert client.get(reverse("home"))["Location"].startswith(ENROL)
    page = client.get(ENROL)
    assert "ne*******@example.org" in page.content.decode()

    client.post(ENROL, {"action": "email"})
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new-staff@example.org"]
    link = re.search(r"https?://\S+/accounts/2fa/enrol/\S+/", mail.outbox[0].body).group(0)
    path = link.split("testserver", 1)[1]

    response = client.get(path)
    assert response["Location"].startswith(reverse("mfa_activate_totp"))
    authenticator = activate(client)
    assert authenticator.user == user
    assert client.get(reverse("admin:index")).status_code == 200
    grant = MFAEnrolmentGrant.objects.get(user=user)
    assert grant.used_at is not None

    # The link works once.
    response = client.get(path)
    assert response["Location"] == ENROL


def test_it_enrols_with_a_code_issued_by_another_staff_member(cast, client_for):
    boss = UserFactory(email="boss@example.org", is_staff=True, roles=[Role.OFFICER.value])
    from django.test import Client

    issuer = Client()
    issuer.force_login(cast.staff)
    # The issuer's own session has a second factor (the suite's normal login).
    from allauth.account.internal.flows.login import record_authentication
    from django.http import HttpRequest

    fake = HttpRequest()
    fake.session, fake.user = issuer.session, cast.staff
    record_authentication(fake, cast.staff, "mfa", type="totp")
    fake.session.save()
    response = issuer.post(reverse("admin:accounts_user_mfa_code", args=[boss.pk]))
    code = re.search(r"[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}", response.content.decode()).group(0)
    assert AccessLog.objects.filter(user=cast.staff, action="accounts.mfa_code_issue").exists()

    client = client_for(boss)
    response = client.post(ENROL, {"action": "code", "code": "0000-0000-0000"})
    assert "启用链接或启用码无效" in response.content.decode()
    response = client.post(ENROL, {"action": "code", "code": code.lower()})
    assert response["Location"].startswith(reverse("mfa_activate_totp"))
    activate(client)
    assert client.get(reverse("admin:index")).status_code == 200


def test_it_refuses_a_code_issued_to_oneself(cast):
    with pytest.raises(PermissionDenied):
        services.enrolment_code_issue(user=cast.staff, by=cast.staff)
    with pytest.raises(PermissionDenied):
        services.enrolment_code_issue(user=cast.officer, by=cast.expert)  # not association staff


def test_it_resets_a_lost_authenticator_through_another_staff_member(cast, client):
    secret = generate_totp_secret()
    TOTP.activate(cast.officer, secret)
    password_login(client, cast.officer)
    client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert client.get(reverse("admin:index")).status_code == 200
    assert UserSession.objects.filter(user=cast.officer).exists()
    with pytest.raises(PermissionDenied):
        services.mfa_reset(user=cast.officer, by=cast.officer, reason="丢失")
    services.mfa_reset(user=cast.officer, by=cast.staff, reason="手机丢失，已电话核实")
    assert not Authenticator.objects.filter(user=cast.officer).exists()
    assert not UserSession.objects.filter(user=cast.officer).exists()
    log = AccessLog.objects.get(action="accounts.mfa_reset")
    assert (log.user, log.reason) == (cast.staff, "手机丢失，已电话核实")
    # The old session is over: the officer signs in again and must enrol with a grant.
    assert "/login/" in client.get(reverse("admin:index"))["Location"]


def test_it_keeps_staff_from_switching_their_second_factor_off(cast, client_for):
    TOTP.activate(cast.staff, generate_totp_secret())
    from association.accounts.adapter import MFAAdapter

    authenticator = Authenticator.objects.get(user=cast.staff, type="totp")
    assert not MFAAdapter().can_delete_authenticator(authenticator)


def test_it_leaves_members_and_officials_to_one_factor(cast, client_for):
    for persona in ["org_admin_a", "official", "station_worker"]:
        assert client_for(getattr(cast, persona)).get(reverse("home")).status_code == 200


def test_it_issues_the_first_administrators_code_from_the_server_shell(client):
    from io import StringIO

    from django.core.management import call_command

    admin_user = UserFactory(email="first@example.org", is_staff=True, is_superuser=True)
    out = StringIO()
    call_command("issue_mfa_code", "first@example.org", stdout=out)
    code = out.getvalue().strip()
    password_login(client, admin_user)
    response = client.post(ENROL, {"action": "code", "code": code})
    assert response["Location"].startswith(reverse("mfa_activate_totp"))
    grant = MFAEnrolmentGrant.objects.get(user=admin_user)
    assert grant.kind == MFAEnrolmentGrant.Kind.SERVER_SHELL
