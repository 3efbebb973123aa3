"""The admin site: Django's, with an app list that costs less on every admin page.

Every admin page builds the sidebar's list of the apps and models the user may open
(``get_app_list``). Django sorts the models by their names as lazy translations, so each
comparison translates both names again: with 77 models, 40 % of the list's 10 ms at
province scale went into sorting. Here each name is translated once, then sorted; the
apps, models, order and links are Django's own (tests/test_admin_site.py compares them).

The admin's index asks for the list twice, once for its own page and once for the sidebar
(``each_context``): the whole list is built once a request and kept on it.

Building it asks each of the 77 admins for its permissions (about 5 ms of an admin page at
province scale, every page). What it answers depends on the user's permissions and flags
and on the language, nothing else: no admin of this project decides its permissions from
anything but the user's permissions and, for an object, the object (and the list asks
without one). So the whole list is kept in the process under those (``_APP_LISTS``), and a
request gets a copy of it; a permission granted or withdrawn is a new key on the next
request, since Django reads the user's permissions again for each request.
"""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import get_language

from association.kept import Kept

APP_LISTS_MAX = 256
_APP_LISTS = Kept(APP_LISTS_MAX)  # (language, flags, permissions) → the sorted app list


class AssociationAdminSite(admin.AdminSite):
    def get_app_list(self, request, app_label=None):
        if app_label is None:
            kept = getattr(request, "_association_app_list", None)
            if kept is None:
                kept = request._association_app_list = _copy(
                    _APP_LISTS.get(
                        _app_list_key(request), lambda: self._sorted_app_list(request, None)
                    )
                )
            return kept
        return self._sorted_app_list(request, app_label)

    def _sorted_app_list(self, request, app_label):
        app_list = sorted(
            self._build_app_dict(request, app_label).values(),
            key=lambda app: str(app["name"]).lower(),
        )
        for app in app_list:
            for model in app["models"]:
                model["name"] = str(model["name"])
            app["models"].sort(key=lambda model: model["name"])
        return app_list


def _app_list_key(request) -> tuple:
    """What the whole app list depends on: the language, the user's flags and permissions
    (read once a request and kept on the user by Django's backends)."""
    user = request.user
    return (
        get_language(),
        user.is_active,
        user.is_staff,
        user.is_superuser,
        frozenset(user.get_all_permissions()),
    )


def _copy(app_list: list) -> list:
    """A request's own copy of a kept list: its apps, models and permissions."""
    return [
        {
            **app,
            "models": [{**model, "perms": dict(model["perms"])} for model in app["models"]],
        }
        for app in app_list
    ]
