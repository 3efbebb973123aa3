"""Demo accounts: one per role, with a known password, for a development instance."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group

from .choices import Role
from .models import User

DEMO_PASSWORD = "xcsw-demo-2026"  # noqa: S105  (printed on purpose: development only)

DEMO_ACCOUNTS = [
    # (email, display name, role, is_staff, is_superuser)
    ("admin@demo.xcsw.org.cn", "系统管理员", Role.STAFF, True, True),
    ("staff@demo.xcsw.org.cn", "王秘书（协会工作人员）", Role.STAFF, True, False),
    ("officer@demo.xcsw.org.cn", "李伟（会长）", Role.OFFICER, True, False),
    ("orgadmin@demo.xcsw.org.cn", "张敏（机构管理员）", Role.ORG_ADMIN, False, False),
    ("station@demo.xcsw.org.cn", "刘洋（社工站工作人员）", Role.STATION_WORKER, False, False),
    ("official@demo.xcsw.org.cn", "陈静（民政局）", Role.OFFICIAL, False, False),
    ("expert@demo.xcsw.org.cn", "赵磊（专家）", Role.EXPERT, False, False),
    ("applicant@demo.xcsw.org.cn", "孙悦（申请人）", Role.APPLICANT, False, False),
]


def demo_account_get(role: Role) -> User:
    """The demo user of ``role`` (the first listed), for other apps' demo data."""
    email = next(email for email, _, r, staff, su in DEMO_ACCOUNTS if r == role and not su)
    return User.objects.get(email=email)


def seed(stdout=None) -> list[tuple[str, str, str]]:
    logins = []
    for email, name, role, is_staff, is_superuser in DEMO_ACCOUNTS:
        user, created = User.objects.get_or_create(
            email=email,
            defaults={"display_name": name, "is_staff": is_staff, "is_superuser": is_superuser},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        user.groups.add(Group.objects.get(name=role.value))
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        logins.append(
            (str(role.label) + ("（超级管理员）" if is_superuser else ""), email, DEMO_PASSWORD)
        )
    return logins


def demo_user_ensure(email: str, name: str, role: Role, *, is_staff: bool = False) -> User:
    """A demo account beyond the one-per-role list (the secretary-general, say): the same
    known password, a verified address, the role's group. Idempotent."""
    user, created = User.objects.get_or_create(
        email=email, defaults={"display_name": name, "is_staff": is_staff}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    user.groups.add(Group.objects.get(name=role.value))
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user
