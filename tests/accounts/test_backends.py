"""The permission backend (association/accounts/backends.py) answers as Django's
``ModelBackend`` does, from one query."""

import pytest
from django.contrib.auth import backends as django_backends
from django.contrib.auth.models import AnonymousUser, Group, Permission

from association.accounts.backends import ModelBackend
from association.accounts.choices import Role
from association.accounts.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _fresh(user):
    return User.objects.get(pk=user.pk)  # no permission cached on the object


def _both(user):
    ours = ModelBackend().get_all_permissions(_fresh(user))
    djangos = django_backends.ModelBackend().get_all_permissions(_fresh(user))
    return ours, djangos


def _permission(codename):
    return Permission.objects.get(codename=codename)


def test_a_users_own_and_their_groups_permissions_are_djangos():
    group = Group.objects.create(name="审核组")
    group.permissions.add(_permission("view_membership"), _permission("change_membership"))
    other = Group.objects.create(name="无关组")
    other.permissions.add(_permission("delete_membership"))
    user = UserFactory()
    user.groups.add(group)
    user.user_permissions.add(_permission("view_membership"), _permission("view_dues"))
    UserFactory().user_permissions.add(_permission("add_dues"))  # another user's

    ours, djangos = _both(user)
    assert (
        ours
        == djangos
        == {
            "members.view_membership",
            "members.change_membership",
            "members.view_dues",
        }
    )


@pytest.mark.parametrize("roles", [[], [Role.STAFF], [Role.STAFF, Role.OFFICIAL]])
def test_each_roles_permissions_are_djangos(roles):
    user = UserFactory(roles=roles)
    ours, djangos = _both(user)
    assert ours == djangos
    assert bool(ours) == bool(roles)


def test_a_superuser_holds_every_permission_and_an_inactive_user_none():
    superuser = UserFactory(is_superuser=True)
    ours, djangos = _both(superuser)
    assert ours == djangos
    assert len(ours) == Permission.objects.count()

    inactive = UserFactory(roles=[Role.STAFF], is_active=False)
    assert _both(inactive) == (set(), set())
    assert ModelBackend().get_all_permissions(AnonymousUser()) == set()
    assert ModelBackend().get_all_permissions(_fresh(superuser), obj=superuser) == set()


def test_the_permissions_are_read_in_one_query_once_a_request(django_assert_num_queries):
    user = _fresh(UserFactory(roles=[Role.STAFF]))
    with django_assert_num_queries(1):
        assert user.has_perm("members.view_membership")
        assert not user.has_perm("members.no_such_permission")  # allauth's backend too
        assert user.has_perms(["members.view_membership", "members.view_dues"])
