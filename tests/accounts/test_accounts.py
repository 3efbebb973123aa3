import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    TOTP,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse

from association.accounts.choices import Role
from association.accounts.models import User
from association.accounts.roles import declared_role_permissions, has_role
from association.accounts.sms import LocmemSMSBackend
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_it_creates_every_role_as_a_group():
    names = set(Group.objects.values_list("name", flat=True))
    assert {role.value for role in Role} <= names
    assert set(declared_role_permissions()) == {role.value for role in Role}


def test_it_keeps_emails_unique_whatever_their_case():
    UserFactory(email="wang@example.org")
    with pytest.raises(Exception, match="email"):
        User.objects.create_user("WANG@example.org", "x")


def test_it_logs_in_by_email_and_password(client):
    UserFactory(email="li@example.org")
    response = client.post(
        reverse("account_login"), {"login": "li@example.org", "password": TEST_PASSWORD}
    )
    assert response.status_code == 302
    assert client.get(reverse("home")).context["user"].email == "li@example.org"


def test_it_rejects_a_wrong_password_in_chinese(client):
    UserFactory(email="li@example.org")
    response = client.post(reverse("account_login"), {"login": "li@example.org", "password": "x"})
    assert response.status_code == 200
    assert "不正确" in response.content.decode()


def test_it_sends_a_login_code_by_sms_to_a_known_mobile(client):
    LocmemSMSBackend.outbox.clear()
    UserFactory(email="zhao@example.org", mobile="13800138000", mobile_verified=True)
    response = client.post(reverse("account_request_login_code"), {"phone": "13800138000"})
    assert response.status_code == 302
    assert LocmemSMSBackend.outbox[-1][0] == "13800138000"
    assert "验证码" in LocmemSMSBackend.outbox[-1][1]


def test_it_keeps_open_signup_closed(client):
    response = client.get(reverse("account_signup"))
    assert response.status_code == 200
    assert "注册关闭" in response.content.decode()
    client.post(
        reverse("account_signup"),
        {
            "email": "new@example.org",
            "password1": "a-Long-pass-123",
            "password2": "a-Long-pass-123",
        },
    )
    assert not User.objects.filter(email="new@example.org").exists()


def test_it_mails_a_password_reset_link(client):
    UserFactory(email="reset@example.org")
    client.post(reverse("account_reset_password"), {"email": "reset@example.org"})
    assert len(mail.outbox) == 1
    assert "reset@example.org" in mail.outbox[0].to


def test_it_sends_the_admin_login_through_allauth(client):
    response = client.get(reverse("admin:login"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_it_asks_for_the_totp_code_after_the_password(client):
    user = UserFactory(email="boss@example.org", is_staff=True, roles=[Role.OFFICER.value])
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    response = client.post(
        reverse("account_login"), {"login": "boss@example.org", "password": TEST_PASSWORD}
    )
    assert response["Location"] == reverse("mfa_authenticate")
    code = hotp_value(secret, next(yield_hotp_counters_from_time()))
    response = client.post(reverse("mfa_authenticate"), {"code": f"{code:06d}"})
    assert response.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200
    assert Authenticator.objects.filter(user=user).exists()


def test_it_lists_my_sessions(client, cast):
    client.force_login(cast.outsider)
    assert client.get(reverse("usersessions_list")).status_code == 200


def test_it_answers_roles(cast):
    assert has_role(cast.official, Role.OFFICIAL)
    assert not has_role(cast.official, Role.STAFF)
