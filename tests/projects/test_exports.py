"""Referrals never leave the system except as counts: no export, import or report row."""

import importlib

import pytest
from django.apps import apps
from django.contrib import admin
from django.test import RequestFactory
from import_export.admin import ExportMixin, ImportMixin
from import_export.resources import ModelResource

from association.audit.models import AccessLog
from projects import selectors, services
from projects.models import (
    Assignment,
    Consent,
    InvestigationReport,
    Referral,
    ReferralSession,
    Story,
)

from .factories import ReferralFactory

SEALED_MODELS = {Referral, Consent, Assignment, ReferralSession, InvestigationReport}


def test_it_has_no_admin_export_or_import_of_referral_data():
    for model, model_admin in admin.site._registry.items():
        if isinstance(model_admin, ExportMixin | ImportMixin):
            assert model not in SEALED_MODELS, f"{model_admin} exports {model}"
            resource_classes = (
                model_admin.get_resource_classes(request=None)
                if hasattr(model_admin, "get_resource_classes")
                else []
            )
            for resource in resource_classes:
                assert resource._meta.model not in SEALED_MODELS
    referral_admin = admin.site._registry[Referral]
    assert referral_admin.actions is None
    request = RequestFactory().get("/")
    request.user = type("U", (), {"is_superuser": True})()
    assert referral_admin.get_actions(request) == {}


def test_it_has_no_import_export_resource_for_referral_data_in_any_app():
    for config in apps.get_app_configs():
        try:
            module = importlib.import_module(f"{config.name}.resources")
        except ModuleNotFoundError:
            continue
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, ModelResource) and value._meta.model:
                assert value._meta.model not in SEALED_MODELS, value


def test_it_reports_referrals_only_as_counts(cast):
    ReferralFactory(designated_officer=cast.officer)
    ReferralFactory(designated_officer=cast.officer, sealed=True)
    counts = selectors.referral_counts()
    assert counts == {"total": 2, "by_status": {"received": 2}}


def test_it_keeps_sealed_referrals_and_their_stories_out_of_the_admin(cast, client_for):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    open_one = ReferralFactory(designated_officer=cast.officer)
    sealed = ReferralFactory(designated_officer=cast.officer, sealed=True)
    Story.objects.create(
        referral=sealed, title="封存案例的稿件", body="王小明", author=cast.officer
    )
    TOTP.activate(cast.officer, generate_totp_secret())
    client = client_for(cast.officer)
    listing = client.get("/admin/projects/referral/")
    assert listing.status_code == 200
    content = listing.content.decode()
    assert open_one.reference in content
    assert sealed.reference not in content
    assert "王小明" not in content and "王**" not in content
    assert client.get(f"/admin/projects/referral/{sealed.pk}/change/").status_code == 404
    page = client.get(f"/admin/projects/referral/{open_one.pk}/change/")
    assert page.status_code == 200
    assert "王小明" not in page.content.decode() and "王**" in page.content.decode()
    assert AccessLog.objects.filter(
        user=cast.officer, object_id=str(open_one.pk), action="view_referral_admin"
    ).exists()
    stories = client.get("/admin/projects/story/")
    assert "封存案例的稿件" not in stories.content.decode()
    assert services  # the services module is what the portal uses for reads


@pytest.mark.parametrize("persona", ["staff", "officer"])
def test_it_never_puts_a_minor_in_any_admin_changelist(cast, client_for, persona):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    user = getattr(cast, persona)
    ReferralFactory(designated_officer=cast.officer)
    TOTP.activate(user, generate_totp_secret())
    client = client_for(user)
    for model, _model_admin in admin.site._registry.items():
        if model._meta.app_label != "projects":
            continue
        url = f"/admin/projects/{model._meta.model_name}/"
        response = client.get(url)
        if response.status_code == 200:
            text = response.content.decode()
            assert "王小明" not in text and "许昌市虚构第九中学" not in text, url
