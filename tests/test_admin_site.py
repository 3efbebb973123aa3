"""The admin site (association/admin_site.py): Django's app list, built for less."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin import AdminSite
from django.test import RequestFactory
from django.utils import translation

from association import admin_site
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
    admin_site._APP_LISTS.clear()
    client.force_login(User.objects.get(pk=cast.staff.pk))
    response = client.get("/admin/")
    assert response.status_code == 200
    assert built == [None]
    assert response.context["app_list"] is response.context["available_apps"]
    assert client.get("/admin/members/").status_code == 200  # an app's own list is built
    client.get("/admin/")
    assert built == [None, "members"]  # the whole list is kept between requests


def _app_list_for(user, language="zh-hans"):
    with translation.override(language):
        request = RequestFactory().get("/admin/")
        request.user = User.objects.get(pk=user.pk)
        return admin.site.get_app_list(request)


def test_the_kept_app_list_follows_the_users_permissions(cast, monkeypatch):
    """Kept under the language and the user's flags and permissions: users with the same
    permissions share one build, a permission granted or withdrawn shows on the next
    request, and a request's copy is its own."""
    from django.contrib.auth.models import Permission

    built = []
    original = AdminSite._build_app_dict
    monkeypatch.setattr(
        AdminSite,
        "_build_app_dict",
        lambda self, request, label=None: built.append(label) or original(self, request, label),
    )
    admin_site._APP_LISTS.clear()
    first = _app_list_for(cast.staff)
    assert _listed(_app_list_for(cast.staff)) == _listed(first)
    assert len(built) == 1
    _app_list_for(cast.staff, "en")
    assert len(built) == 2  # another language, another build

    user = User.objects.get(pk=cast.outsider.pk)

    def urls():
        return {model["admin_url"] for app in _app_list_for(user) for model in app["models"]}

    assert "/admin/members/organisation/" not in urls()
    permission = Permission.objects.get(codename="view_organisation")
    user.user_permissions.add(permission)
    assert "/admin/members/organisation/" in urls()
    user.user_permissions.remove(permission)
    assert "/admin/members/organisation/" not in urls()

    first[0]["models"].clear()  # a page that changed its copy changes nobody else's
    assert _listed(_app_list_for(cast.staff)) != _listed(first)


# The sidebar (association/templatetags/admin_sidebar.py): rendered once for each list of
# apps, language and current page, and kept.

SIDEBAR_PAGES = [
    "/admin/",
    "/admin/members/",
    "/admin/members/membership/",
    "/admin/members/membership/1/change/",
    "/admin/stations/station/add/",
    "/admin/%E7%A4%BE/",  # a path the template's ``urlencode`` changes
]


def _sidebars(user, path, language):
    from django.template import RequestContext, Template

    from association.templatetags.admin_sidebar import nav_sidebar

    with translation.override(language):
        request = RequestFactory().get(path)
        request.user = User.objects.get(pk=user.pk)
        apps = admin.site.get_app_list(request)
        context = RequestContext(request, {"available_apps": apps, "request": request})
        templates = Template('{% include "admin/nav_sidebar.html" %}').render(context)
        return templates, nav_sidebar(context), nav_sidebar(context)


def test_the_kept_sidebar_is_the_templates_for_each_user_page_and_language(cast):
    from association.templatetags import admin_sidebar

    admin_sidebar._kept.clear()
    for name in ("staff", "officer", "outsider"):
        for path in SIDEBAR_PAGES:
            for language in ("zh-hans", "en"):
                templates, first, kept = _sidebars(getattr(cast, name), path, language)
                assert first == templates, (name, path, language)
                assert kept is first  # the second page with this key renders nothing
    staff = _sidebars(cast.staff, "/admin/members/membership/", "zh-hans")[1]
    assert 'aria-current="page"' in staff
    assert "current-model" in staff
    english = _sidebars(cast.staff, "/admin/members/membership/", "en")[1]
    assert english != staff


def test_a_new_permission_shows_in_the_sidebar_on_the_next_page(cast):
    from django.contrib.auth.models import Permission

    user = User.objects.get(pk=cast.outsider.pk)
    before = _sidebars(user, "/admin/", "zh-hans")[1]
    assert "/admin/members/organisation/" not in before
    user.user_permissions.add(Permission.objects.get(codename="view_organisation"))
    after = _sidebars(user, "/admin/", "zh-hans")
    assert after[1] == after[0]
    assert "/admin/members/organisation/" in after[1]


def test_the_admin_pages_show_the_kept_sidebar(cast, client):
    from association.templatetags import admin_sidebar

    admin_sidebar._kept.clear()
    client.force_login(User.objects.get(pk=cast.staff.pk))
    page = client.get("/admin/members/membership/").content.decode()
    (key,) = admin_sidebar._kept
    html = admin_sidebar._kept.get(key, lambda: None)
    assert 'id="nav-sidebar"' in html
    assert html in page
    client.get("/admin/members/membership/?o=2")
    assert len(list(admin_sidebar._kept)) == 1  # the same apps, language and current links
    client.get("/admin/stations/station/")
    assert len(list(admin_sidebar._kept)) == 2


def test_the_sidebar_keeps_at_most_its_bound(cast, monkeypatch):
    from association.templatetags import admin_sidebar

    admin_sidebar._kept.clear()
    monkeypatch.setattr(admin_sidebar._kept, "size", 2)
    for path in SIDEBAR_PAGES[:4]:
        _sidebars(cast.staff, path, "zh-hans")
    assert len(list(admin_sidebar._kept)) == 2
