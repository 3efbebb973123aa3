"""Issue 11, finding 6: pages showing personal data send ``Cache-Control: no-store``.

Every response to a signed-in user is ``no-store, private`` (association/middleware.py);
anonymous public pages and static files stay cacheable.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import UserFactory
from tests.members.factories import (
    MembershipFactory,
    OrganisationAdminFactory,
    OrganisationFactory,
    SocialWorkerFactory,
)
from tests.projects.factories import ReferralFactory

pytestmark = pytest.mark.django_db


def assert_not_stored(response):
    directives = {part.strip() for part in response.get("Cache-Control", "").split(",")}
    assert {"no-store", "private"} <= directives, response.get("Cache-Control")


def test_a_member_page_is_not_stored(cast, client_for):
    organisation = OrganisationFactory()
    OrganisationAdminFactory(organisation=organisation, user=cast.org_admin_a)
    MembershipFactory(organisation=organisation)
    response = client_for(cast.org_admin_a).get(
        reverse("members:organisation_detail", args=[organisation.pk])
    )
    assert response.status_code == 200
    assert_not_stored(response)


def test_a_worker_page_and_a_revealed_id_number_are_not_stored(cast, client_for):
    worker = SocialWorkerFactory(id_number="11010519491231002X")
    staff = client_for(cast.staff)
    page = staff.get(reverse("members:worker_detail", args=[worker.pk]))
    assert page.status_code == 200
    assert_not_stored(page)
    revealed = staff.post(reverse("members:worker_reveal_id", args=[worker.pk]), {"reason": "核对"})
    assert "11010519491231002X" in revealed.content.decode()
    assert_not_stored(revealed)


def test_a_referral_page_is_not_stored(cast, client_for):
    ReferralFactory(designated_officer=cast.officer)
    response = client_for(cast.officer).get(reverse("projects:referral_list"))
    assert response.status_code == 200
    assert_not_stored(response)


def test_the_admin_is_not_stored(client_for):
    admin = UserFactory(email="root@example.org", is_staff=True, is_superuser=True)
    response = client_for(admin).get(reverse("admin:members_socialworker_changelist"))
    assert response.status_code == 200
    assert_not_stored(response)


def test_the_login_that_starts_a_session_is_not_stored(client):
    from tests.factories import TEST_PASSWORD

    UserFactory(email="li@example.org")
    response = client.post(
        reverse("account_login"), {"login": "li@example.org", "password": TEST_PASSWORD}
    )
    assert response.status_code == 302
    assert_not_stored(response)


def test_anonymous_public_pages_and_static_files_stay_cacheable(client_for, settings):
    response = client_for(None).get(reverse("home"))
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
    # Static files are served by WhiteNoise, before the middleware, to signed-in users too.
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
    user = client_for(UserFactory(email="reader@example.org"))
    response = user.get("/static/vendor/bootstrap/css/bootstrap.min.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
    assert "max-age" in response["Cache-Control"]
