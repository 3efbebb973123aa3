"""The admin site (association/admin_site.py): Django's app list, built for less."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin import AdminSite
from django.test import RequestFactory
from django.utils import translation

from association.accounts.models import User
from association.admin_site import AssociationAdminSite


def _listed(app_list) -> list:
    return [
        (
            app["app_label"],
            str(app["name"]),
            app["app_url"],
            [
                (str(m["name"]), m["object_name"], m["admin_url"], m["add_url"], m["perms"])
                for m in app["models"]
            ],
        )
        for app in app_list
    ]


def test_the_admin_runs_on_the_associations_site():
    assert isinstance(admin.site, AssociationAdminSite)


def test_the_app_list_is_djangos_for_every_role_and_language(cast):
    for name, user in cast.items():
        for language in ["zh-hans", "en"]:
            with translation.override(language):
                request = RequestFactory().get("/admin/")
                request.user = User.objects.get(pk=user.pk)
                ours = _listed(admin.site.get_app_list(request))
                request.user = User.objects.get(pk=user.pk)
                djangos = _listed(AdminSite.get_app_list(admin.site, request))
                assert ours == djangos, (name, language)
                if name in {"staff", "officer"}:
                    assert len(ours) > 5, name


def test_module_permissions_are_djangos_and_kept_on_the_user(cast, django_assert_num_queries):
    from django.contrib.auth.models import Permission

    user = User.objects.get(pk=cast.outsider.pk)
    assert not user.has_module_perms("members")
    assert user.has_module_perms("members") is False  # kept: no query, the same answer
    user.user_permissions.add(Permission.objects.get(codename="view_organisation"))
    fresh = User.objects.get(pk=user.pk)
    assert fresh.has_module_perms("members")
    assert not fresh.has_module_perms("stations")
    with django_assert_num_queries(0):
        assert fresh.has_module_perms("members")


def test_the_app_list_is_built_once_a_request(cast, client, monkeypatch):
    """The index shows the list and the sidebar shows it again: one build serves both."""
    built = []
    original = AdminSite._build_app_dict

    def counted(self, request, label=None):
        built.append(label)
        return original(self, request, label)

    monkeypatch.setattr(AdminSite, "_build_app_dict", counted)
    client.force_login(User.objects.get(pk=cast.staff.pk))
    response = client.get("/admin/")
    assert response.status_code == 200
    assert built == [None]
    assert response.context["app_list"] is response.context["available_apps"]
